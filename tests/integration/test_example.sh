#!/usr/bin/env bash
# Integration: the bundled example end to end, against the real lab in a
# network namespace this test creates: scan -> run record -> act; then the
# applicant "rectifies" (telnet is firewalled inside the namespace), rescan
# -> act of additional examination with the rectification table.
# Needs root (namespaces); exits 77 (skipped) without.
set -u
# The English lines asserted below (the terminal follows the case's
# <languages> otherwise; test_cli tests the languages).
export CERTEXAM_LANG=en
bin=${1:?usage: test_example.sh path/to/certexam}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test_example: needs root (network namespace); skipped"; exit 77; }
ip netns list >/dev/null 2>&1 || { echo "test_example: no ip netns; skipped"; exit 77; }
ns=cxlead-it-$$
# shellcheck source=lib_example.sh
. "$top/tests/integration/lib_example.sh"

in_ns "$bin" scan "$work/case" --ports all --no-progress >"$work/out" 2>"$work/err"
rc=$?
check "scan exits 1 (deficiencies found), got $rc" test "$rc" = 1
run=$(tail -n 1 "$work/out")
check "scan printed the run folder" test "$run" = "$work/case/runs/0001"
"$bin" show "$run" --format json > "$work/run1.json"
# show in the terminal's language also for what the examiner wrote in the
# case: the 22(3) note and the examiner's name in ru and kk, not the
# default (English) text the run recorded.
CERTEXAM_LANG=ru "$bin" show "$run" > "$work/show.ru"
check "show (ru) prints the 22(3) note in Russian" grep -q "не описан порядок резервного копирования" "$work/show.ru"
check "show (ru) prints the examiner in Russian" grep -q "Б. Серикова" "$work/show.ru"
check "show (ru) has no English note" sh -c "! grep -q 'administrator manual' '$work/show.ru'"
CERTEXAM_LANG=kk "$bin" show "$run" > "$work/show.kk"
check "show (kk) prints the 22(3) note in Kazakh" grep -q "сақтық көшірме жасау тәртібі" "$work/show.kk"
check "run 1 is complete" jq -e '.complete == true and .kind == "examination"' "$work/run1.json"
# The exact set of open ports is the lab's.
want=$("$top/tests/lab/lab.sh" ports --netns "$ns" | awk '{print $2}' | sort -n | tr '\n' ' ')
got=$(jq -r '[.ports[] | select(.state == "open" and .proto == "tcp") | .port] | sort | map(tostring) | join(" ")' "$work/run1.json")
check "open TCP ports '$got' == lab ports '$want'" test "$got " = "$want"
# The UDP scan finds the lab's snmpd (161/udp, community public), and the
# network block words it in kk and ru.
if [ -x /usr/sbin/snmpd ]; then
	check "UDP 161 open, the only UDP port" jq -e '[.ports[] | select(.state == "open" and .proto == "udp") | .port] == [161]' "$work/run1.json"
	check "SNMP with the default community is a finding" jq -e '[.findings[] | select(.asset == "127.0.0.1:161/udp" and .status == "fail")] | length >= 1' "$work/run1.json"
fi
check "portscan done" jq -e '.checks.portscan == "done"' "$work/run1.json"
check "no finding is an error" jq -e '[.findings[] | select(.status == "error")] | length == 0' "$work/run1.json"
check "STARTTLS refused (SMTP 454) is not applicable, not an error" jq -e '[.findings[] | select(.key == "tls|TLS-01|127.0.0.1:25/tcp" and .status == "not_applicable")] | length == 1' "$work/run1.json"
check "FTP without AUTH TLS gets no TLS inspection" jq -e '[.findings[] | select(.check == "tls" and (.asset | startswith("127.0.0.1:21/")))] | length == 0' "$work/run1.json"
check "the https port is TLS-inspected" jq -e '[.findings[] | select(.check == "tls" and .asset == "127.0.0.1:443/tcp")] | length > 5' "$work/run1.json"
check "DOC-07 missing is a deficiency" jq -e '[.findings[] | select(.requirement == "DOC-07" and .status == "fail")] | length == 1' "$work/run1.json"
check "DOC-10 deficient is a deficiency" jq -e '[.findings[] | select(.requirement == "DOC-10" and .status == "fail" and .msg == "doc.annex3.deficient")] | length == 1' "$work/run1.json"
check "DOC-04 approved without an order number fails" jq -e '[.findings[] | select(.requirement == "DOC-04" and .status == "fail" and .item == "approved" and .msg == "doc.annex3.no-order")] | length == 1' "$work/run1.json"
check "DOC-12 approved in 2019 is not current, staff not acquainted" jq -e '([.findings[] | select(.requirement == "DOC-12" and .status == "fail" and .item == "current" and .msg == "doc.annex3.before-created")] | length == 1) and ([.findings[] | select(.requirement == "DOC-12" and .status == "fail" and .item == "acquainted" and .msg == "doc.annex3.not-acquainted")] | length == 1)' "$work/run1.json"
# Waivers (examples/case/waivers.xml): WEB-15 waived while the waiver
# holds (reported expired after 2027-03-31), the critical telnet finding
# never (the profile forbids it), the security.txt waiver expired.
check "WEB-15 findings waived, or the waiver reported expired" jq -e '([.findings[] | select(.requirement == "WEB-15" and .status == "waived")] | length > 0) or ([.observations[] | select(.kind == "waiver" and (.asset | startswith("http|WEB-15|")) and ([.props[] | select(.[0] == "state")][0][1]) == "expired")] | length > 0)' "$work/run1.json"
check "the critical telnet finding is not waived" jq -e '[.findings[] | select(.key == "ports|NET-01|127.0.0.1:23/tcp|telnet" and .status == "fail")] | length == 1' "$work/run1.json"
check "the expired waiver is reported, not applied" jq -e '[.findings[] | select(.requirement == "WEB-14" and .asset == "https://lab.certexam.test/" and .status == "fail")] | length == 1' "$work/run1.json"
check "DOC-01 provided passes" jq -e '([.findings[] | select(.requirement == "DOC-01" and .status == "pass")] | length == 5) and ([.findings[] | select(.requirement == "DOC-01" and .status != "pass")] | length == 0)' "$work/run1.json"
check "case files snapshotted with SHA-256" jq -e '[.evidence[] | select(.kind == "case-object-xml" and (.sha256 | length) == 64)] | length == 1' "$work/run1.json"
sha=$(sha256sum "$work/case/object.xml" | cut -d' ' -f1)
check "snapshot hash matches object.xml" jq -e --arg s "$sha" '[.evidence[] | select(.kind == "case-object-xml")][0].sha256 == $s' "$work/run1.json"

"$bin" act "$work/case" --date 2026-11-21 --number STS-EX/1 >"$work/out" 2>"$work/err"
check "act exits 0" test $? = 0
check "the case's <languages> give kk and ru" test -s "$work/case/acts/act-0001.ru.html"
check "no English act unless asked" test ! -e "$work/case/acts/act-0001.en.html"
check "the act is in Kazakh" jq -e '.lang == "kk" and .number == "STS-EX/1"' "$work/case/acts/act-0001.kk.json"
check "all four parts of para 22 performed" jq -e '(.parts | length) == 4 and ([.parts[] | select(.verdict == "not_performed" or .verdict == "incomplete")] | length == 0)' "$work/case/acts/act-0001.kk.json"
check "message ids and parameters survive the run record" jq -e '[.findings[] | select(.msg == "part.result.fail" and .args.examiner == "B. Serikova")] | length == 1' "$work/run1.json"
check "the recorded parameter in the act's language (object.xml xml:lang)" jq -e '[.blocks[].items[] | select(.status == "fail") | select(.msg == "part.result.fail" and .args[0].value == "Б. Серікова")] | length == 1' "$work/case/acts/act-0001.kk.json"
check "the case's texts in Russian in the ru act" grep -q "Директор филиала АО «Государственная техническая служба»" "$work/case/acts/act-0001.ru.html"
check "no English text of the case in the ru act" bash -c "! grep -qE 'Director of the State|Ministry of Laboratory|Register of Lab Permits|B. Serikova|Password length' '$work/case/acts/act-0001.ru.html'"
check "22(3) fails on the examiner's record" jq -e '.parts[2].verdict == "fail"' "$work/case/acts/act-0001.kk.json"
check "22(3)'s legal basis from the catalogs (kk, ru)" bash -c "jq -e '[.deficiencies[] | select((.requirement | startswith(\"P3-\")) and .source == \"№ 298 Қағидалар: 22-тармақтың 3) тармақшасы\")] | length >= 1' '$work/case/acts/act-0001.kk.json' && grep -q 'Правила № 298: подпункт 3) пункта 22' '$work/case/acts/act-0001.ru.html'"
check "the act is in the register" grep -q "^STS-EX/1	2026-11-21	examination	1\$" "$work/case/acts/register.tsv"
check "the package check is in the run" jq -e '[.observations[] | select(.kind == "package-check")] | length == 1' "$work/run1.json"
"$bin" act "$work/case" --number STS-EX/1 --run 1 >/dev/null 2>&1
check "the same act drafted again keeps its number" test $? = 0
for e in html xml json md; do check "act-0001.kk.$e written" test -s "$work/case/acts/act-0001.kk.$e"; done
check "act proposes rectification (27(3))" jq -e '.summary.decision.proposal == "rectify" and .summary.decision.paragraph == "27(3)"' "$work/case/acts/act-0001.kk.json"
check "act XML well-formed" xmllint --noout "$work/case/acts/act-0001.kk.xml"
check "act HTML has no external resource" bash -c "! grep -qiE '(src|href)=|@import|url\\(' '$work/case/acts/act-0001.kk.html'"
check "act HTML names the applicant's contract" grep -q "STS-2026-0412" "$work/case/acts/act-0001.kk.html"
check "every deficiency numbered" jq -e '[.deficiencies[].number] == [range(1; (.deficiencies | length) + 1)]' "$work/case/acts/act-0001.kk.json"
# The Annex 5/6 lists in the official form (cp1251, two-row header): read,
# compared per row, and the act has the declared-against-discovered table.
check "no Annex 5/6 row has an error" jq -e '[.list_problems[]? | select(.level == "error")] | length == 0' "$work/case/acts/act-0001.kk.json"
check "act table: nginx row (80 and 443) matches" jq -e '[.inventory_table[] | select(.annex == "6" and .item == "1" and .state_code == "matches")] | length == 1' "$work/case/acts/act-0001.kk.json"
check "act table: Debian's 1:9.2p1-2+deb12u10 matches OpenSSH 9.2p1" jq -e '[.inventory_table[] | select(.annex == "6" and .item == "2" and .state_code == "matches")] | length == 1' "$work/case/acts/act-0001.kk.json"
check "act table: the comparison's state in the act's language (kk)" jq -e '[.inventory_table[] | select(.state_code == "matches" and .state == "сәйкес келеді")] | length >= 2' "$work/case/acts/act-0001.kk.json"
# The XML and JSON acts in kk and ru: no English sentence outside raw
# values, ids and codes (tests/integration/act_words.py says which).
check "kk and ru XML/JSON acts hold no English sentence" python3 "$top/tests/integration/act_words.py" "$work"/case/acts/act-0001.kk.json "$work"/case/acts/act-0001.ru.json "$work"/case/acts/act-0001.kk.xml "$work"/case/acts/act-0001.ru.xml
check "act lists the Annex 3 documents with their criteria" jq -e '[.annex3_documents[] | select(.number == "4" and .criteria == "approved" and (.failed | contains("бұйрықтың нөмірі көрсетілмеген")))] | length == 1' "$work/case/acts/act-0001.kk.json"
check "act lists the waivers with their justification and state" jq -e '[.waivers[] | select(.state == "refused-critical" and (.justification | length) > 0)] | length == 1' "$work/case/acts/act-0001.kk.json"
# The waivers' free texts per language (xml:lang): each act its own.
check "kk act: the waiver's Kazakh justification and approver" jq -e '[.waivers[] | select(.state == "refused-critical" and .justification_lang == "kk" and (.justification | startswith("Telnet-ті")) and .approved_by_lang == "kk")] | length == 1' "$work/case/acts/act-0001.kk.json"
check "ru act: the waiver's Russian justification" jq -e '[.waivers[] | select(.state == "refused-critical" and .justification_lang == "ru" and (.justification | startswith("Telnet используется")))] | length == 1' "$work/case/acts/act-0001.ru.json"
"$bin" act "$work/case" --date 2026-11-21 --certificate >"$work/out" 2>"$work/err"
check "act --certificate exits 0" test $? = 0
check "no certificate when the proposed decision is to rectify" grep -q "no certificate drafted: the act does not propose to issue a certificate of conformity (Proposed decision (para 27(3)" "$work/err"
check "no certificate file written" bash -c "! ls '$work/case/acts/' | grep -q certificate"
check "act states its para 19 term: due 2026-11-24, met on 2026-11-21" jq -e '.term.paragraph == "19" and .term.due == "2026-11-24" and .term.state == "met"' "$work/case/acts/act-0001.kk.json"
"$bin" deadlines "$work/case" --today 2026-12-02 >"$work/dl" 2>"$work/err"
check "deadlines exits 1 (para 19 overdue on 2026-12-02)" test $? = 1
check "deadlines prints the para 19 due date" grep -q "OVERDUE: not done, due 2026-11-24 (6 working day(s) ago)" "$work/dl"
check "deadlines: para 17 met" grep -q "met (done 2026-10-07, due 2026-10-08)" "$work/dl"
env -u CERTEXAM_LANG "$bin" deadlines "$work/case" --today 2026-12-02 >"$work/dl.kk" 2>"$work/err"
check "deadlines in the case's language (kk): para 19 overdue" grep -q "МЕРЗІМІ ӨТКЕН: орындалмады, мерзімі 2026-11-24 (6 жұмыс күні бұрын)" "$work/dl.kk"
check "deadlines in kk: the term's words from the catalog" grep -q "19-тармақ: аттестаттық зерттеп-қарау" "$work/dl.kk"
"$bin" --lang ru deadlines "$work/case" --today 2026-12-02 >"$work/dl.ru" 2>"$work/err"
check "deadlines --lang ru" grep -q "пункт 19: аттестационное обследование: в течение 30 рабочих дней после события «вступление договора в силу» (2026-10-12)" "$work/dl.ru"
check "one INV-03 finding per Annex 6 row" jq -e '[.findings[] | select(.requirement == "INV-03" and (.asset | startswith("Annex 6 item 1")))] | length == 1' "$work/run1.json"
check "the OS revealed by the SSH banner is compared" jq -e '[.findings[] | select(.key == "inventory|INV-03|127.0.0.1|os")] | length == 1' "$work/run1.json"

# The applicant firewalls telnet; the additional examination re-checks.
ip netns exec "$ns" iptables -A INPUT -p tcp --dport 23 -j REJECT --reject-with tcp-reset
in_ns "$bin" rescan "$work/case" --ports all --no-progress >"$work/out" 2>"$work/err"
rc=$?
check "rescan exits 1, got $rc" test "$rc" = 1
run2=$(tail -n 1 "$work/out")
"$bin" show "$run2" --format json > "$work/run2.json"
check "run 2 is additional with baseline 1" jq -e '.kind == "additional" and .baseline == 1 and .complete == true' "$work/run2.json"
check "port 23 no longer open" jq -e '[.ports[] | select(.port == 23)] | length == 0' "$work/run2.json"
"$bin" act "$work/case" --additional --date 2026-11-22 --number STS-EX/1 >"$work/out" 2>"$work/err"
check "a number given twice is refused" test $? = 2
"$bin" act "$work/case" --additional --date 2026-11-22 --number STS-EX/2 >"$work/out" 2>"$work/err"
check "additional act exits 0" test $? = 0
act2="$work/case/acts/act-0002.kk.json"
check "additional act is additional" jq -e '.kind == "additional"' "$act2"
check "kk and ru XML/JSON additional acts hold no English sentence" python3 "$top/tests/integration/act_words.py" "$work"/case/acts/act-0002.kk.json "$work"/case/acts/act-0002.ru.json "$work"/case/acts/act-0002.kk.xml "$work"/case/acts/act-0002.ru.xml
check "additional act refers to the act of examination" jq -e '.refers_to.number == "STS-EX/1" and .refers_to.date == "2026-11-21"' "$act2"
check "additional act proposes refusal (37(2))" jq -e '.summary.decision.proposal == "refuse" and .summary.decision.paragraph == "37(2)"' "$act2"
check "every telnet deficiency rectified" jq -e '[.rectification[] | select(.asset == "127.0.0.1:23/tcp" and .result != "rectified")] | length == 0' "$act2"
check "documents still not rectified" jq -e '[.rectification[] | select(.requirement == "DOC-07" and .result == "not_rectified")] | length == 1' "$act2"

echo "test_example: $passes passed, $fails failed"
[ "$fails" = 0 ]
