#!/usr/bin/env bash
# certexam TLS benchmark: the TLS lab endpoints (tests/lab/tls-lab.sh), one
# run each of certexam, sslscan and testssl.sh (default run); wall seconds
# per endpoint, ratios, and a table of what each tool detected.  Also one
# certexam run over all 20 lab endpoints at once.
#
#   tls.sh [path/to/certexam] [OUTDIR]
#   BENCH_TESTSSL=all|none|"21001 21002"  which endpoints testssl.sh runs on
#                       (default: 21001 21002 21011 26007 26009 -- ~1 min each)
#   BENCH_TESTSSL_TIMEOUT=180             seconds per testssl.sh run
# Everything talks to 127.0.0.1 only; the lab is stopped on exit.
# The lab's ports are fixed (test_tls uses the same): run it while no test
# suite runs (under /tmp/certexam-ctest.lock) or in a network namespace of
# its own, whose loopback is its own:
#   ip netns add NS && ip netns exec NS ip link set lo up
#   ip netns exec NS bash tests/bench/tls.sh path/to/certexam; ip netns del NS
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CX=${1:-$HERE/../../build/certexam}
OUT=${2:-}
LAB="$HERE/../lab/tls-lab.sh"
TS_TIMEOUT=${BENCH_TESTSSL_TIMEOUT:-180}
command -v jq >/dev/null || { echo "jq missing"; exit 77; }
[ -x "$CX" ] || { echo "no certexam at $CX"; exit 2; }
TESTSSL=$(command -v testssl.sh || command -v testssl || true)
SSLSCAN=$(command -v sslscan || true)

WORK=$(mktemp -d /tmp/cx-tls-bench.XXXXXX)
cleanup() {
	bash "$LAB" stop "$WORK/lab" >/dev/null 2>&1
	if [ -n "$OUT" ]; then
		mkdir -p "$OUT" && cp "$WORK"/bench.md "$WORK"/*.json "$OUT"/ 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORTS=$(timeout 60 bash "$LAB" start "$WORK/lab") || { echo "lab did not start"; exit 1; }
. "$WORK/lab/ports.env"
DISTINCT="$P_MODERN $P_LEGACY $P_EXPIRED $P_SELF $P_WRONG $P_INCOMPLETE $P_RSA1024 $P_SHA1 $P_OCSP $P_SSERVER $P_ANCIENT $P_TLS13 $P_SMTP $P_DROWN $P_DHCOMMON $P_LONGTICKET $P_TICKETBLEED $P_SSERVER13 $P_SSERVER13NT"
case "${BENCH_TESTSSL:-default}" in
all) TS_PORTS=$DISTINCT ;;
none) TS_PORTS="" ;;
default) TS_PORTS="$P_MODERN $P_LEGACY $P_ANCIENT $P_DHCOMMON $P_TICKETBLEED" ;;
*) TS_PORTS=$BENCH_TESTSSL ;;
esac

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }

: >"$WORK/times.tsv"
for p in $DISTINCT; do
	t0=$(now)
	timeout 60 "$CX" scan --target localhost --ports "$p" --only ports,tls \
		--profile internet-resource --out "$WORK/cx-$p" --no-progress \
		>"$WORK/cx-$p.out" 2>/dev/null
	t1=$(now)
	"$CX" show "$(tail -1 "$WORK/cx-$p.out")" --format json >"$WORK/cx-$p.json" 2>/dev/null
	printf '%s\tcertexam\t%s\n' "$p" "$(secs "$t0" "$t1")" >>"$WORK/times.tsv"
	t0=$(now)
	timeout 60 "$CX" scan --target localhost --ports "$p" --only ports \
		--profile internet-resource --out "$WORK/cxp-$p" --no-progress \
		>/dev/null 2>&1
	t1=$(now)
	printf '%s\tcxports\t%s\n' "$p" "$(secs "$t0" "$t1")" >>"$WORK/times.tsv"
	if [ -n "$SSLSCAN" ]; then
		t0=$(now)
		ssx=""
		[ "$p" = "$P_SMTP" ] && ssx="--starttls-smtp"
		timeout 20 "$SSLSCAN" --no-colour $ssx --xml="$WORK/ss-$p.xml" "127.0.0.1:$p" >/dev/null 2>&1
		t1=$(now)
		printf '%s\tsslscan\t%s\n' "$p" "$(secs "$t0" "$t1")" >>"$WORK/times.tsv"
	fi
done
if [ -n "$TESTSSL" ]; then
	for p in $TS_PORTS; do
		t0=$(now)
		tsx=""
		[ "$p" = "$P_SMTP" ] && tsx="-t smtp"
		timeout "$TS_TIMEOUT" "$TESTSSL" --quiet --warnings off --color 0 $tsx \
			--jsonfile "$WORK/ts-$p.json" "127.0.0.1:$p" >/dev/null 2>&1
		rc=$?
		t1=$(now)
		[ $rc -eq 124 ] && echo "testssl.sh on $p hit the ${TS_TIMEOUT}s timeout"
		printf '%s\ttestssl\t%s\n' "$p" "$(secs "$t0" "$t1")" >>"$WORK/times.tsv"
	done
fi
# all endpoints in one certexam run
ALLP=$(echo $PORTS | tr ' ' ',')
t0=$(now)
timeout 120 "$CX" scan --target localhost --ports "$ALLP" --only ports,tls \
	--profile internet-resource --out "$WORK/cx-all" --no-progress >"$WORK/cx-all.out" 2>/dev/null
t1=$(now)
ALL_SECS=$(secs "$t0" "$t1")
"$CX" show "$(tail -1 "$WORK/cx-all.out")" --format json >"$WORK/cx-all.json" 2>/dev/null
t0=$(now)
timeout 120 "$CX" scan --target localhost --ports "$ALLP" --only ports \
	--profile internet-resource --out "$WORK/cx-ports" --no-progress >/dev/null 2>&1
t1=$(now)
PORTS_SECS=$(secs "$t0" "$t1")

python3 - "$WORK" "$ALL_SECS" "$PORTS_SECS" "$(echo $PORTS | wc -w)" "$DISTINCT" >"$WORK/bench.md" <<'EOF'
import json, os, sys
import xml.etree.ElementTree as ET

work, all_secs, ports_secs, n_all, distinct = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split()
times = {}
for line in open(os.path.join(work, "times.tsv")):
    p, tool, s = line.split("\t")
    times[(p, tool)] = float(s)
NAMES = {"21001": "modern", "21002": "legacy", "21003": "expired", "21004": "selfsigned",
         "21005": "wronghost", "21006": "incomplete", "21007": "rsa1024", "21008": "sha1",
         "21009": "ocsp", "21010": "s_server", "21011": "ancient", "21012": "tls13only",
         "21021": "smtp-starttls", "21022": "drownkey", "21023": "imap-starttls",
         "21024": "pop3-stls", "21025": "ftp-authtls", "26007": "dhcommon",
         "26008": "longticket", "26009": "ticketbleed", "26010": "s_server13",
         "26011": "s_server13-noticket"}
PMAP = {"SSLv2": "S2", "SSLv3": "S3", "TLSv1.0": "1.0", "TLSv1.1": "1.1", "TLSv1.2": "1.2", "TLSv1.3": "1.3"}

def cx(p):
    try:
        run = json.load(open(os.path.join(work, "cx-%s.json" % p)))
    except Exception:
        return None
    obs = [o for o in run.get("observations", []) if o["kind"] == "tls-endpoint"]
    if not obs:
        return None
    props = {}
    for k, v in obs[0]["props"]:
        props.setdefault(k, v)
    protos = [PMAP[x] for x in props.get("protocols", "").split()]
    nsuites = sum(len(v.split()) for k, v in props.items() if k.startswith("suites."))
    vulns = sorted({f["item"] for f in run["findings"] if f["requirement"] == "TLS-09" and f["status"] == "fail"})
    other = sorted({"%s%s" % (f["requirement"], ("/" + f["item"]) if f["item"] and f["requirement"] in ("TLS-10", "TLS-11") else "")
                    for f in run["findings"] if f["check"] == "tls" and f["status"] == "fail"
                    and f["requirement"] not in ("TLS-09",)})
    return protos, nsuites, vulns, other, props.get("grade", "?") + "/" + props.get("trust_grade", "?")

def ss(p):
    f = os.path.join(work, "ss-%s.xml" % p)
    if not os.path.exists(f):
        return None
    try:
        r = ET.parse(f).getroot()
    except ET.ParseError:
        return None
    protos = []
    for e in r.iter("protocol"):
        if e.get("enabled") == "1":
            v = ("S" + e.get("version")[0]) if e.get("type") == "ssl" else e.get("version")
            protos.append(v)
    nsuites = len([c for c in r.iter("cipher") if c.get("status") in ("accepted", "preferred")])
    vulns = []
    for e in r.iter("heartbleed"):
        if e.get("vulnerable") == "1" and "heartbleed" not in vulns:
            vulns.append("heartbleed")
    for e in r.iter("compression"):
        if e.get("supported") == "1":
            vulns.append("crime")
    for e in r.iter("renegotiation"):
        if e.get("supported") == "1" and e.get("secure") != "1":
            vulns.append("insecure-reneg")
    for e in r.iter("fallback"):
        if e.get("supported") == "0":
            vulns.append("no-fallback-scsv")
    return protos, nsuites, vulns

TSV = {"heartbleed": "heartbleed", "CCS": "ccs-injection", "ROBOT": "robot", "CRIME_TLS": "crime",
       "POODLE_SSL": "poodle", "SWEET32": "sweet32", "FREAK": "freak", "DROWN": "drown",
       "LOGJAM": "logjam", "BEAST": "beast", "LUCKY13": "lucky13", "RC4": "rc4",
       "secure_renego": "insecure-reneg", "secure_client_renego": "client-reneg",
       "fallback_SCSV": "no-fallback-scsv", "ticketbleed": "ticketbleed"}
TSP = {"SSLv2": "S2", "SSLv3": "S3", "TLS1": "1.0", "TLS1_1": "1.1", "TLS1_2": "1.2", "TLS1_3": "1.3"}

def ts(p):
    f = os.path.join(work, "ts-%s.json" % p)
    if not os.path.exists(f):
        return None
    try:
        data = json.load(open(f))
    except Exception:
        return None
    protos, vulns, certs, untested = [], [], [], []
    for e in data:
        i, sev, fnd = e.get("id", ""), e.get("severity", ""), e.get("finding", "")
        if i in TSP and (("offered" in fnd and "not offered" not in fnd)
                         or fnd.startswith("vulnerable")):
            protos.append(TSP[i])
        # WARN: testssl.sh could not test it (e.g. its OpenSSL refused the
        # handshake or lacks SSLv3): not a weakness found, not comparable
        if i in TSV and sev == "WARN":
            untested.append(TSV[i])
        elif i in TSV and sev not in ("OK", "INFO", "DEBUG"):
            vulns.append(TSV[i])
        if i == "DH_groups" and sev not in ("OK", "INFO", "DEBUG"):
            vulns.append("weak-dh")
        if (i.startswith("cert_") or i == "OCSP_stapling") and sev in ("LOW", "MEDIUM", "HIGH", "CRITICAL"):
            certs.append(i.replace("cert_", ""))
    return protos, sorted(set(vulns)), sorted(set(certs)), set(untested)

print("# certexam TLS benchmark\n")
print("Lab: tests/lab/tls-lab.sh on 127.0.0.1; wall seconds per endpoint, one run each.")
print("certexam times are a whole `certexam scan --only ports,tls` (port scan,")
print("service detection and the TLS check).\n")
print("The \"tls check\" column is that time minus a `--only ports` run on the same")
print("endpoint (an estimate of the TLS inspection alone).\n")
print("| endpoint | certexam s | tls check s | sslscan s | testssl.sh s | testssl/certexam | sslscan/certexam |")
print("|---|---|---|---|---|---|---|")
for p in distinct:
    c = times.get((p, "certexam"))
    s = times.get((p, "sslscan"))
    t = times.get((p, "testssl"))
    f = lambda x: "%.2f" % x if x is not None else "-"
    r = lambda a, b: "%.0fx" % (a / b) if a and b else "-"
    r2 = lambda a, b: "%.2fx" % (a / b) if a and b else "-"
    cp = times.get((p, "cxports"))
    tc = max(c - cp, 0.0) if c is not None and cp is not None else None
    print("| %s %s | %s | %s | %s | %s | %s | %s |" % (p, NAMES.get(p, ""), f(c), f(tc), f(s), f(t), r(t, c), r2(s, c)))
print()
print("All %d lab endpoints in one certexam run: %.2f s (the port scan and service" % (n_all, all_secs))
print("detection alone, --only ports: %.2f s).\n" % ports_secs)
try:
    allrun = json.load(open(os.path.join(work, "cx-all.json")))
    d = [f for f in allrun["findings"] if f["asset"] == "127.0.0.1:21022/tcp"
         and f["requirement"] == "TLS-09" and f["item"] == "drown"]
    if d:
        print("DROWN by shared key: in the all-endpoint run, 21022 (TLS 1.2 only, the key of")
        print("the SSLv2 responder) is `%s`: %s %s\n" % (d[0]["status"], d[0].get("msg"), json.dumps(d[0].get("args", {}))))
except Exception:
    pass
# Agreement with testssl.sh, point by point: each protocol (offered or
# not) and each weakness both tools test (flagged or not); a weakness
# testssl.sh reports as WARN (could not test) is left out.
POINTS = ["heartbleed", "ccs-injection", "robot", "crime", "poodle", "sweet32",
          "freak", "drown", "logjam", "beast", "lucky13", "rc4", "ticketbleed",
          "insecure-reneg", "client-reneg", "no-fallback-scsv", "weak-dh"]

def cx_points(p):
    try:
        run = json.load(open(os.path.join(work, "cx-%s.json" % p)))
    except Exception:
        return None
    obs = [o for o in run.get("observations", []) if o["kind"] == "tls-endpoint"]
    if not obs:
        return None
    props = dict((k, v) for k, v in obs[0]["props"])
    protos = {PMAP[x] for x in props.get("protocols", "").split()}
    bad = set()
    for f in run["findings"]:
        if f["check"] != "tls" or f["status"] != "fail":
            continue
        r, i = f["requirement"], f.get("item") or ""
        if r == "TLS-09":
            bad.add(i)
        elif r == "TLS-10" and i == "secure-renegotiation":
            bad.add("insecure-reneg")
        elif r == "TLS-10" and i == "client-renegotiation":
            bad.add("client-reneg")
        elif r == "TLS-12":
            bad.add("no-fallback-scsv")
        elif r == "TLS-11" and i in ("dh-params", "dh-group"):
            bad.add("weak-dh")
    if any("RC4" in v for k, v in props.items() if k.startswith("suites.")):
        bad.add("rc4")
    return protos, bad

agree = total = skipped = 0
diffs = []
for p in distinct:
    c, t = cx_points(p), ts(p)
    if not c or not t:
        continue
    for v in PMAP.values():
        total += 1
        if (v in c[0]) == (v in t[0]):
            agree += 1
        else:
            diffs.append("%s %s: protocol %s certexam %s, testssl.sh %s" % (p, NAMES.get(p, ""), v, v in c[0], v in t[0]))
    for k in POINTS:
        if k in t[3]:
            skipped += 1
            continue
        total += 1
        if (k in c[1]) == (k in t[1]):
            agree += 1
        else:
            diffs.append("%s %s: %s certexam %s, testssl.sh %s" % (p, NAMES.get(p, ""), k, "flagged" if k in c[1] else "not flagged", "flagged" if k in t[1] else "not flagged"))
tc = sum(times.get((p, "certexam"), 0) for p in distinct if (p, "testssl") in times)
tt = sum(times.get((p, "testssl"), 0) for p in distinct if (p, "testssl") in times)
if total:
    print("## Agreement with testssl.sh\n")
    print("%d of %d points agree (protocols offered and weaknesses flagged, on the %d endpoints" % (agree, total, len([p for p in distinct if (p, "testssl") in times])))
    print("testssl.sh ran on; %d points testssl.sh could not test (WARN) left out); time:" % skipped)
    print("testssl.sh %.1f s, certexam %.1f s, ratio %.0fx.\n" % (tt, tc, tt / tc if tc else 0))
    for d in diffs:
        print("- " + d)
    print()
print("## What each tool detected\n")
print("Protocols: S2/S3 = SSLv2/SSLv3.  Vulnerabilities: what each tool flagged (not OK).\n")
print("| endpoint | tool | protocols | suites | vulnerabilities / weaknesses | other |")
print("|---|---|---|---|---|---|")
for p in distinct:
    r = cx(p)
    if r:
        print("| %s %s | certexam | %s | %d | %s | %s grade %s |" % (p, NAMES.get(p, ""), " ".join(r[0]), r[1], ", ".join(r[2]) or "-", ", ".join(r[3]) or "-", r[4]))
    r = ss(p)
    if r:
        print("| | sslscan | %s | %d | %s | |" % (" ".join(r[0]), r[1], ", ".join(r[2]) or "-"))
    elif (times.get((p, "sslscan")) or 0) >= 19.5:
        print("| | sslscan | (timed out after 20 s) | | | |")
    elif times.get((p, "sslscan")) is not None:
        print("| | sslscan | (no usable result) | | | |")
    r = ts(p)
    if r:
        print("| | testssl.sh | %s | (default run: no per-suite list) | %s | cert: %s |" % (" ".join(r[0]), ", ".join(r[1]) or "-", ", ".join(r[2]) or "-"))
EOF
cat "$WORK/bench.md"
