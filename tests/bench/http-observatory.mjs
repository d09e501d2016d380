// certexam bench helper: run Mozilla's HTTP Observatory scanner (the npm
// package @mdn/mdn-http-observatory, offline) against one lab site on
// 127.0.0.1 with explicit ports, and print one JSON line:
//   {"site", "seconds", "score", "grade", "tests": {name: result}}
// The package's CLI takes only a host name (ports 80/443), so this calls
// its retriever with {httpPort, httpsPort} and grades the results the way
// its scanner does (src/scanner/index.js).
//
//   node http-observatory.mjs PKGDIR SITE HTTP_PORT HTTPS_PORT
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pkg, site, httpPort, httpsPort] = process.argv.slice(2);
const mod = (p) => import(pathToFileURL(path.join(pkg, "src", p)).href);
const { retrieve } = await mod("retriever/retriever.js");
const { ALL_TESTS } = await mod("constants.js");
const { getGradeForScore, getScoreModifier } = await mod("grader/grader.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await mod("grader/charts.js");

const t0 = process.hrtime.bigint();
let out = { site };
try {
  const r = await retrieve("127.0.0.1", { httpPort, httpsPort });
  if (!r.responses.auto) throw new Error("site down");
  const results = ALL_TESTS.map((t) => ({ name: t.name, out: t(r) }));
  let withBonus = 100;
  let uncurved = 100;
  out.tests = {};
  for (const { name, out: res } of results) {
    const m = getScoreModifier(res.result);
    withBonus += m;
    if (m < 0) uncurved += m;
    out.tests[name] = res.result;
  }
  const g = getGradeForScore(
    uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withBonus : uncurved
  );
  out.score = g.score;
  out.grade = g.grade;
} catch (e) {
  out.error = String(e && e.message ? e.message : e);
}
out.seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify(out));
