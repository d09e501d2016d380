#!/usr/bin/env bash
# Integration: the command line — help, exit codes, validate diagnostics,
# init, scan/show/act on loopback, --target refused outside a case's scope,
# an interrupted scan leaving an incomplete but readable record, and acts
# rebuilt identically from a stored run.  Only 127.0.0.1 is contacted.
set -u
# The English lines asserted below; the terminal's language is tested at
# the end (--lang, $CERTEXAM_LANG, the case's <languages>).
export CERTEXAM_LANG=en
bin=${1:?usage: test_cli.sh path/to/certexam}
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/cx-cli.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect_rc() { # expected-rc description command...
	local want=$1 what=$2; shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	if [ "$rc" = "$want" ]; then ok; else bad "$what: exit $rc, expected $want"; sed 's/^/  | /' "$work/err" >&2; fi
}

# Help and usage errors.
expect_rc 2 "no command" "$bin"
expect_rc 0 "--help" "$bin" --help
expect_rc 2 "unknown command" "$bin" frobnicate
for c in init validate scan rescan act show; do
	expect_rc 0 "$c --help" "$bin" "$c" --help
	grep -q "Usage: certexam $c" "$work/out" || bad "$c --help prints no usage"
done
expect_rc 0 "version" "$bin" version
expect_rc 2 "scan without case or target" "$bin" scan
expect_rc 2 "scan bad --ports" "$bin" scan --target 127.0.0.1 --ports 22,abc --out "$work/r"
grep -q "abc" "$work/err" || bad "bad --ports message does not name the token"
expect_rc 2 "scan bad --rate" "$bin" scan --target 127.0.0.1 --rate x --out "$work/r"
expect_rc 2 "scan bad target" "$bin" scan --target 300.1.1.1 --ports 1 --out "$work/r"
[ -d "$work/r/0001" ] && bad "a refused scan left a run folder"

# init: templates, never overwrites.
expect_rc 0 "init" "$bin" init "$work/case"
for f in object.xml hardware.csv software.csv; do [ -f "$work/case/$f" ] || bad "init did not write $f"; done
cp "$work/case/object.xml" "$work/object.before"
expect_rc 2 "init over an existing case" "$bin" init "$work/case"
cmp -s "$work/case/object.xml" "$work/object.before" || bad "init overwrote object.xml"

# validate: a broken case names file, line and field; exit 1.
mkdir -p "$work/broken"
cp "$top/examples/case/"*.csv "$work/broken/"
sed -e 's|<bin>160240000127</bin>|<bin>12AB</bin>|' -e 's|<type>information-system</type>|<type>spaceship</type>|' \
	"$top/examples/case/object.xml" > "$work/broken/object.xml"
expect_rc 1 "validate broken case" "$bin" validate "$work/broken"
grep -qE "object.xml:[0-9]+: error" "$work/err" || bad "validate names no file:line"
printf 'item no.;manufacturer, model;serial/inventory no.;IS certificate no.;physical location;type;main functional purpose;utilized protection methods;developer, name, version of integrated software;network addresses\n1;Dell;;;room;server;web;;;999.1.1.1\n' > "$work/bad-hw.csv"
cp "$top/examples/case/object.xml" "$work/broken/object.xml"
cp "$work/bad-hw.csv" "$work/broken/hardware.csv"
expect_rc 1 "validate broken hardware.csv" "$bin" validate "$work/broken"
grep -qE "hardware.csv:2:3: error: 'serial'" "$work/err" || { bad "hardware.csv problems not named with line 2, column 3"; cat "$work/err" >&2; }
grep -qE "hardware.csv:2:10: error: 'addresses'" "$work/err" || { bad "the bad address not named with line 2, column 10"; cat "$work/err" >&2; }
expect_rc 2 "validate a folder that is no case" "$bin" validate "$work"
expect_rc 2 "act without runs" "$bin" act "$work/case"

# A loopback listener on a free port; scan it.
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
python3 -c "
import socket,time
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
s.bind(('127.0.0.1',$port));s.listen(64)
end=time.time()+120
s.settimeout(1)
while time.time()<end:
    try:
        c,_=s.accept();c.sendall(b'220 hello\r\n');c.close()
    except OSError: pass
" & pids+=($!)
sleep 0.5
timeout 60 "$bin" scan --target 127.0.0.1 --ports "$port" --only ports --out "$work/runs" --no-progress >"$work/out" 2>"$work/err"
rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok || { bad "scan exit $rc"; cat "$work/err" >&2; }
run=$(tail -n 1 "$work/out")
[ "$run" = "$work/runs/0001" ] && ok || bad "scan's last stdout line is '$run'"
expect_rc 0 "show json" "$bin" show "$run" --format json
jq -e --argjson p "$port" '.complete == true and ([.ports[] | select(.port == $p and .state == "open")] | length) == 1' "$work/out" >/dev/null && ok || bad "JSON lacks the open port or complete=true"
expect_rc 0 "show text" "$bin" show "$run"

# act from a run folder, twice: identical (rebuilt offline from the record).
expect_rc 2 "act with an unknown format" "$bin" act "$run" --format html,pdf -o "$work/acts1"
[ -e "$work/acts1" ] && bad "a refused act wrote something"
expect_rc 0 "act" "$bin" act "$run" --date 2026-11-21 -o "$work/acts1"
expect_rc 0 "act again" "$bin" act "$run" --date 2026-11-21 -o "$work/acts2"
for e in html xml json md; do
	[ -s "$work/acts1/act-0001.kk.$e" ] || bad "act-0001.kk.$e missing"
	cmp -s "$work/acts1/act-0001.kk.$e" "$work/acts2/act-0001.kk.$e" || bad "act-0001.kk.$e differs when rebuilt"
done
jq -e '.summary.decision.proposal != "issue" and ([.blocks[] | select(.id == "documents")][0].verdict == "not_performed")' "$work/acts1/act-0001.kk.json" >/dev/null && ok || bad "a --target run without documents must show the block not performed and never propose issuing"
xmllint --noout "$work/acts1/act-0001.kk.xml" && ok || bad "act XML not well-formed"

# A case scan with --target outside its scope is refused before anything is sent.
cp -r "$top/examples/case" "$work/c2"
# No host names here: resolving one would send a DNS query off the machine.
sed -i "/lab.certexam.test/d" "$work/c2/object.xml"
expect_rc 2 "--target outside the case scope" "$bin" scan "$work/c2" --target 127.0.0.2 --ports 1
grep -q "outside the scope" "$work/err" || bad "no 'outside the scope' message"
[ -d "$work/c2/runs/0001" ] && bad "a refused case scan left a run"

# An interrupted scan: exit 3, record kept, complete=false, still valid.
"$bin" scan --target 127.0.0.0/24 --ports all --rate 2000 --only ports --out "$work/slow" --no-progress >"$work/out" 2>"$work/err" &
sp=$!
pids+=("$sp")
sleep 2
kill -INT "$sp"
for _ in $(seq 1 100); do kill -0 "$sp" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$sp" 2>/dev/null
wait "$sp"
rc=$?
[ "$rc" = 3 ] && ok || bad "interrupted scan exit $rc, expected 3"
"$bin" show "$work/slow/0001" --format json > "$work/slow.json" 2>"$work/err" && ok || { bad "interrupted record unreadable"; cat "$work/err" >&2; }
jq -e '.complete == false' "$work/slow.json" >/dev/null && ok || bad "interrupted record not marked complete=false"

# act --examiner / --head: validated, escaped, in the signatures.
expect_rc 0 "act --examiner --head" "$bin" act "$run" --date 2026-11-21 --lang en,ru -o "$work/acts-p" \
	--examiner 'A. Examiner;Chief expert' --examiner '<script>x</script> & Co;Expert' --head 'C. Head;Director'
for f in "$work/acts-p/act-0001.en.html" "$work/acts-p/act-0001.ru.md" "$work/acts-p/act-0001.en.json" "$work/acts-p/act-0001.ru.xml"; do
	grep -q 'A. Examiner' "$f" && grep -q 'Chief expert' "$f" && grep -q 'C. Head' "$f" && ok || bad "$f: the examiners or head given as options are missing"
done
grep -q '<script>x' "$work/acts-p/act-0001.en.html" && bad "--examiner not escaped in HTML" || ok
jq -e '[.examiners[].name] == ["A. Examiner", "<script>x</script> & Co"] and .head.position == "Director"' "$work/acts-p/act-0001.en.json" >/dev/null && ok || bad "JSON examiners/head differ from the options"
expect_rc 2 "--examiner without a position" "$bin" act "$run" -o "$work/acts-x" --examiner 'Nobody'
expect_rc 2 "--examiner with a line feed" "$bin" act "$run" -o "$work/acts-x" --examiner "$(printf 'A\nB;C')"
grep -qF 'A\x0AB;C' "$work/err" && ok || bad "the refused --examiner is not named escaped"
expect_rc 2 "--head with two ';'" "$bin" act "$run" -o "$work/acts-x" --head 'a;b;c'
[ -e "$work/acts-x" ] && bad "a refused act wrote something" || ok

# act --accept-altered-evidence: refused by default (exit 2, naming the file);
# drafted with the option, marked on page 1 in every format.
cp -r "$run" "$work/alt"
evf=$(cd "$work/alt" && ls evidence | head -n 1)
printf 'x' >> "$work/alt/evidence/$evf"
expect_rc 2 "act from altered evidence" "$bin" act "$work/alt" --date 2026-11-21 -o "$work/acts-alt"
grep -qF "$evf" "$work/err" && ok || bad "the altered file is not named"
[ -e "$work/acts-alt" ] && bad "an act was written from altered evidence" || ok
expect_rc 0 "act --accept-altered-evidence" "$bin" act "$work/alt" --date 2026-11-21 --lang kk,ru,en -o "$work/acts-alt" --accept-altered-evidence
for e in html xml json md; do
	grep -q 'EVIDENCE ALTERED' "$work/acts-alt/act-0001.en.$e" && grep -qF "$evf" "$work/acts-alt/act-0001.en.$e" && ok || bad "act-0001.en.$e: not marked as drafted from altered evidence"
	grep -q 'ДОКАЗАТЕЛЬСТВА ИЗМЕНЕНЫ' "$work/acts-alt/act-0001.ru.$e" && ok || bad "act-0001.ru.$e: not marked"
	grep -q 'ДӘЛЕЛДЕМЕЛЕР ӨЗГЕРТІЛГЕН' "$work/acts-alt/act-0001.kk.$e" && ok || bad "act-0001.kk.$e: not marked"
done
jq -e --arg f "$evf" '.evidence_integrity.state == "altered" and (.evidence_integrity.altered[0] | contains($f))' "$work/acts-alt/act-0001.en.json" >/dev/null && ok || bad "JSON evidence_integrity missing"
grep -q 'warning: evidence' "$work/err" && ok || bad "the altered evidence is not shown as a warning on the terminal"

# The terminal's language: --lang, then $CERTEXAM_LANG, then the first of the
# case's <languages> (kk ru in the example), else en; every path stays escaped.
expect_rc 2 "unknown --lang" "$bin" --lang de version
expect_rc 2 "unknown CERTEXAM_LANG" env CERTEXAM_LANG=xx "$bin" version
expect_rc 0 "show --lang ru" "$bin" --lang ru show "$run"
grep -q '^пунктов: выполнено [0-9]' "$work/out" && ok || { bad "show --lang ru prints no Russian counts"; cat "$work/out" >&2; }
grep -q '^findings:' "$work/out" && bad "show --lang ru still prints English counts" || ok
expect_rc 0 "show CERTEXAM_LANG=kk" env CERTEXAM_LANG=kk "$bin" show "$run"
grep -q '^тармақтар: орындалды [0-9]' "$work/out" && ok || bad "show with CERTEXAM_LANG=kk prints no Kazakh counts"
expect_rc 0 "--lang over CERTEXAM_LANG" env CERTEXAM_LANG=kk "$bin" --lang=en show "$run"
grep -q '^findings: [0-9]* pass' "$work/out" && ok || bad "--lang en did not override CERTEXAM_LANG=kk"
expect_rc 1 "validate in the case's language (kk)" env -u CERTEXAM_LANG "$bin" validate "$work/broken"
grep -qE "hardware.csv:2:3: қате: 'serial'" "$work/err" && ok || { bad "validate: no Kazakh file:line:column: error line"; cat "$work/err" >&2; }
grep -q "құжаттар топтамасы бойынша ескертулер: [0-9]" "$work/err" && ok || bad "validate: the summary is not from the kk catalog"
expect_rc 1 "validate --lang ru" env -u CERTEXAM_LANG "$bin" --lang ru validate "$work/broken"
grep -qE "hardware.csv:2:3: ошибка: 'serial'" "$work/err" && ok || bad "validate --lang ru: no Russian error line"
# object.xml's problems in Russian: libxml2's schema errors in our words
# naming the element, with libxml2's text as the raw detail; the loader's
# own checks (a scope prefix) worded too; no English sentence outside the
# detail, the quoted field and the file:line.
mkdir -p "$work/broken-ru"
cp "$top/examples/case/"*.csv "$work/broken-ru/"
sed -e 's|<bin>160240000127</bin>|<bin>12AB</bin>|' -e 's|<type>information-system</type>|<type>spaceship</type>|' \
	-e 's|<scope>|<scope><entry>10.0.0.1/40</entry>|' "$top/examples/case/object.xml" > "$work/broken-ru/object.xml"
expect_rc 1 "validate --lang ru, a broken object.xml" env -u CERTEXAM_LANG "$bin" --lang ru validate "$work/broken-ru"
python3 - "$work/err" <<'PY' && ok || { bad "validate --lang ru: object.xml problems not in Russian"; cat "$work/err" >&2; }
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
wrapped = english = 0
for l in lines:
    t = re.sub(r"\(libxml2: .*\)$", "", l)
    wrapped += t != l
    t = re.sub(r"^\S+:[0-9]+(:[0-9]+)?: ", "", t)
    t = re.sub(r"'[^']*'|«[^»]*»", "#", t)
    if re.search(r"(?<![^\s(])[A-Za-z]{2,} [A-Za-z]{2,}(?![^\s,.;:)])", t):
        print("English:", l, file=sys.stderr)
        english += 1
ok = wrapped >= 3 and english == 0 and any("схеме документа" in l for l in lines) \
    and any("длина префикса" in l for l in lines)
sys.exit(0 if ok else 1)
PY
expect_rc 2 "unknown command, kk" "$bin" --lang kk "frob$(printf '\nfindings: 9 pass')"
grep -q 'белгісіз команда «frob\\x0Afindings: 9 pass»' "$work/err" && ok || { bad "kk unknown-command message not escaped"; cat "$work/err" >&2; }
# A planted line feed, C1 CSI and bidi override in a stored field, in kk and ru.
cp -r "$run" "$work/inj"
python3 - "$work/inj/run.xml" <<'PY'
import re, sys
p = sys.argv[1]; t = open(p, encoding='utf-8').read()
t, n = re.subn(r'<port addr=', '<port product="x&#10;тармақтар: 0&#10;&#x202E;&#x9B;2J" addr=', t, count=1)
assert n == 1
open(p, 'w', encoding='utf-8').write(t)
PY
for l in kk ru; do
	expect_rc 0 "show the planted run ($l)" "$bin" --lang "$l" show "$work/inj"
	grep -qF '\x0Aтармақтар: 0' "$work/out" && ok || { bad "$l: the line feed is not shown as \x0A"; cat "$work/out" >&2; }
	grep -q '^тармақтар: 0$' "$work/out" && bad "$l: show printed a forged line" || ok
	LC_ALL=C grep -q $'\xe2\x80\xae\|\xc2\x9b' "$work/out" && bad "$l: show passed a bidi override or a C1 CSI" || ok
done
expect_rc 2 "act error in ru, escaped" "$bin" --lang ru act "$work/no$(printf '\nfindings: 9 pass')"
grep -q '^findings:' "$work/err" && bad "an ru error message printed a forged line" || ok

# --help of certexam and of every command, and merge's messages, in kk and ru:
# Cyrillic, no line of the English help, no English sentence, lines of at
# most 80 columns (the options aligned).
help_check() { # lang name file-with-en-help file-to-check
	python3 - "$@" <<'PY'
import re, sys
lang, name, en_path, path = sys.argv[1:5]
# names of protocols, formats and option values, the same in every language
tech = {"certexam", "memcached", "chargen", "echo", "none", "timestamp",
        "connect", "syn", "jq", "text", "json", "xml", "html", "md", "all",
        "additional", "rescan", "merge", "scan", "act", "en", "kk", "ru"}
def words(line):
    # the English words of a line: not options, placeholders, file names
    out = []
    for t in line.replace("[", " ").replace("]", " ").split():
        if t.startswith("-") or not re.fullmatch(r"[a-z]{2,}[.,:;)]?", t):
            continue
        if t.rstrip(".,:;)") not in tech:
            out.append(t)
    return out
en = [l.strip() for l in open(en_path, encoding="utf-8") if len(words(l)) >= 2]
text = open(path, encoding="utf-8").read()
bad = []
if not re.search("[\u0400-\u04ff]", text):
    bad.append("no Cyrillic at all")
for l in text.splitlines():
    if l.strip() in en:
        bad.append("an English help line: " + l.strip())
    elif not re.search("[\u0400-\u04ff]", l) and len(words(l)) >= 3:
        bad.append("an English line: " + l.strip())
    if "help" in name and len(l) > 80:
        bad.append("a line over 80 columns: " + l)
for b in bad:
    print("%s %s: %s" % (lang, name, b))
sys.exit(1 if bad else 0)
PY
}
for c in main init validate deadlines scan rescan act merge show; do
	if [ "$c" = main ]; then args=(--help); else args=("$c" --help); fi
	expect_rc 0 "en $c --help" "$bin" --lang en "${args[@]}"
	cp "$work/out" "$work/help.en"
	[ "$(grep -c . "$work/help.en")" -ge 3 ] && ok || bad "en $c --help prints almost nothing"
	for l in ru kk; do
		expect_rc 0 "$l $c --help" "$bin" --lang "$l" "${args[@]}"
		help_check "$l" "$c --help" "$work/help.en" "$work/out" >&2 && ok || bad "$l $c --help is not translated"
	done
done
expect_rc 0 "ru scan --help" "$bin" --lang ru scan --help
grep -q '^  --target T        адрес' "$work/out" && ok || bad "ru scan --help: the options are not aligned"
: > "$work/help.en"
mkdir -p "$work/mcase"
for l in ru kk; do
	expect_rc 2 "$l merge without runs" "$bin" --lang "$l" merge "$work/mcase"
	help_check "$l" "merge usage error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: merge's usage error is not translated"
	expect_rc 2 "$l merge of a missing run" "$bin" --lang "$l" merge "$work/mcase" "$work/no-such-run"
	help_check "$l" "merge error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: merge's error is not translated"
	expect_rc 2 "$l scan --vantage" "$bin" --lang "$l" scan --target 127.0.0.1 --vantage 'a b' --out "$work/r"
	help_check "$l" "--vantage error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: the --vantage error is not translated"
	expect_rc 2 "$l scan --shard" "$bin" --lang "$l" scan --target 127.0.0.1 --shard 3/2 --out "$work/r"
	help_check "$l" "--shard error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: the --shard error is not translated"
	expect_rc 2 "$l scan --scan" "$bin" --lang "$l" scan --target 127.0.0.1 --scan udp --out "$work/r"
	help_check "$l" "--scan error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: the --scan error is not translated"
	expect_rc 2 "$l scan --baseline" "$bin" --lang "$l" scan --target 127.0.0.1 --baseline 1 --out "$work/r"
	help_check "$l" "--baseline error" "$work/help.en" "$work/err" >&2 && ok || bad "$l: the --baseline error is not translated"
done
[ -d "$work/r/0001" ] && bad "a refused scan left a run folder" || ok

echo "test_cli: $passes passed, $fails failed"
[ "$fails" = 0 ]
