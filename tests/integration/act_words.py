#!/usr/bin/env python3
"""English left in a kk or ru act in XML or JSON (issue 9 item 1).

Usage: act_words.py ACT.{kk,ru}.{json,xml} ...

Every string of the act is a word of the act's language unless it is
language-independent (ids, keys, codes, message ids) or a raw value (what
the target sent, what the applicant submitted, the parameters of a
message).  A string holds an English sentence when two Latin words of two
letters or more follow each other with one space between ("is not"), the
test of tests/unit/diag_util.c english_in(), once the raw values of its
object (observed, item, asset, args[].value) and the names of protocols,
standards and attacks that the catalogs keep in Latin are taken out; a
word all in capitals is an acronym (HTTP, AUTH TLS), not an English word.
Prints each English string found with its path; exit 1 if any, 2 on a
file it cannot read.
"""
import json
import sys
import xml.etree.ElementTree as ET

# Language-independent fields and raw values, by the field's name.
IGNORED = {
    "key", "check", "requirement", "block", "asset", "item", "status",
    "severity", "certainty", "kind", "msg", "value", "observed", "id",
    "path", "sha256", "ref", "state_code", "criteria", "declared",
    "discovered", "endpoint", "protocols", "protocol", "suite", "group",
    "result", "finding", "waiver", "from_event", "tool_version",
    "profile_id", "profile_version", "examiner_host", "draft_by", "file",
    "addr", "up_by", "vantage", "vantages", "entry",
    "justification_lang", "approved_by_lang",
}
# Names the kk and ru catalogs keep in Latin script (protocol commands,
# standards, attacks, TLS features); not sentences.
TERMS = [
    "HTTP Strict Transport Security", "MS SQL Server", "OCSP stapling",
    "CCS injection", "CSP frame-ancestors", "Subresource Integrity",
    "session tickets", "Lucky Thirteen", "alert inappropriate_fallback",
    "inappropriate_fallback alert", "key meshing", "forward secrecy",
    "lifetime hint",
]
RAW_FIELDS = ("observed", "item", "asset")


def latin(c):
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def english_in(text, raw):
    """The first two Latin words in a row in text, raw values blanked."""
    for v in sorted((r for r in raw if r), key=len, reverse=True):
        text = text.replace(v, "#" * len(v))
    b = text.encode()
    n, i, prev, ps, pe = len(b), 0, False, 0, 0
    while i < n:
        s = i
        if not latin(b[i]):
            i += 1
            continue
        while i < n and latin(b[i]):
            i += 1
        if (i - s < 2 or (i < n and b[i] >= 0x80) or (s > 0 and b[s - 1] >= 0x80)
                or b[s:i].isupper()):
            prev = False
            continue
        if prev and s == pe + 1 and b[pe] == 0x20:
            return b[ps:i].decode()
        prev, ps, pe = True, s, i
    return None


def check(path, name, text, raw, out):
    if name in IGNORED or not isinstance(text, str):
        return
    e = english_in(text, raw + TERMS)
    if e is not None:
        out.append("%s: \"%s\" in %r" % (path, e, text[:160]))


def walk_json(v, path, raw, out):
    if isinstance(v, dict):
        own = [v[k] for k in RAW_FIELDS if isinstance(v.get(k), str)]
        own += [a.get("value") for a in v.get("args") or []
                if isinstance(a, dict) and isinstance(a.get("value"), str)]
        for k, x in v.items():
            if isinstance(x, (dict, list)):
                walk_json(x, path + "." + k, own, out)
            else:
                check(path + "." + k, k, x, own, out)
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, (dict, list)):
                walk_json(x, path + "[]", raw, out)
            else:
                check(path + "[]", path.rsplit(".", 1)[-1], x, raw, out)


def walk_xml(e, path, out):
    own = [c.text for c in e if c.tag in RAW_FIELDS and c.text]
    args = e.find("args")
    if args is not None:
        own += [a.findtext("value") for a in args if a.findtext("value")]
    for c in e:
        if len(c):
            walk_xml(c, path + "/" + c.tag, out)
        elif c.text:
            check(path + "/" + c.tag, c.tag, c.text, own, out)


def main(files):
    bad = 0
    for f in files:
        out = []
        try:
            if f.endswith(".json"):
                with open(f, encoding="utf-8") as fp:
                    walk_json(json.load(fp), "", [], out)
            else:
                root = ET.parse(f).getroot()
                for e in root.iter():
                    if "}" in e.tag:
                        e.tag = e.tag.split("}", 1)[1]
                walk_xml(root, "", out)
        except (OSError, ValueError, ET.ParseError) as err:
            print("%s: %s" % (f, err), file=sys.stderr)
            return 2
        for line in out:
            print("%s: %s" % (f, line))
        bad += len(out)
    print("act_words: %d English string(s) in %d act(s)" % (bad, len(files)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
