#!/usr/bin/env bash
# Integration: the act of the bundled example as an examiner prints it.
# The lab runs in a network namespace this test creates; the case is
# scanned, the acts are drafted in Kazakh and Russian, and each HTML act is
# printed to PDF with headless Chromium (A4, CSS paged media) and read back
# with pdftotext: the conclusion and the proposed decision are on page 1,
# the main part up to the signatures takes at most 8 pages, the
# recommendations of good practice are one row per requirement, every
# evidence SHA-256 is printed whole, and every page N says "page N of Y"
# in the act's language (Y the PDF's page count).
# Needs root (namespaces), chromium and pdftotext; exits 77 (skipped)
# without them.  Bounded: every step has a timeout.
set -u
bin=${1:?usage: test_print.sh path/to/certexam}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test_print: needs root (network namespace); skipped"; exit 77; }
ip netns list >/dev/null 2>&1 || { echo "test_print: no ip netns; skipped"; exit 77; }
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "test_print: chromium is not installed (scripts/deps.sh); skipped"; exit 77; }
command -v pdftotext >/dev/null || { echo "test_print: pdftotext (poppler-utils) is not installed; skipped"; exit 77; }
ns=cxact-pr-$$
# shellcheck source=lib_example.sh
. "$top/tests/integration/lib_example.sh"
ip netns exec "$ns" timeout 300 "$bin" scan "$work/case" --ports all --no-progress >"$work/out" 2>"$work/err"
run=$(tail -n 1 "$work/out")
[ -f "$run/run.xml" ] || { echo "FAIL: the scan left no run" >&2; exit 1; }
"$top/tests/lab/lab.sh" stop --netns "$ns" >/dev/null 2>&1
timeout 60 "$bin" act "$work/case" --date 2026-11-21 --number STS-PR/1 >"$work/out" 2>"$work/err"
check "act exits 0" test $? = 0
"$bin" show "$run" --format json > "$work/run.json"
nev=$(jq '.evidence | length' "$work/run.json")
check "the run has evidence to print" test "$nev" -gt 5

# pdf LANG -> $work/LANG.pdf; its text, page by page, in $work/LANG-N.txt
print() {
	local l=$1
	HOME=$work timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$work/chrome-$l" --no-pdf-header-footer \
		--print-to-pdf="$work/$l.pdf" "file://$work/case/acts/act-0001.$l.html" \
		>/dev/null 2>&1
}
for l in kk ru; do
	# pageno N Y: "page N of Y" as the act's language words it
	case $l in
	kk) decision="Ұсынылатын шешім" sig="Қолдар" concl="1. Қорытынды"
		pageno() { echo "$2 беттің $1-беті"; } ;;
	ru) decision="Предлагаемое решение" sig="Подписи" concl="1. Заключение"
		pageno() { echo "Страница $1 из $2"; } ;;
	esac
	print "$l"
	check "$l: chromium printed the act" test -s "$work/$l.pdf"
	[ -s "$work/$l.pdf" ] || continue
	pages=$(pdfinfo "$work/$l.pdf" | awk '/^Pages:/ {print $2}')
	for p in $(seq 1 "$pages"); do pdftotext -f "$p" -l "$p" "$work/$l.pdf" "$work/$l-$p.txt"; done
	check "$l: the conclusion is on page 1" grep -qx "$concl" "$work/$l-1.txt"
	check "$l: the proposed decision (27(3)) is on page 1" grep -q "$decision.*27(3)" "$work/$l-1.txt"
	sigpage=0
	for p in $(seq 1 "$pages"); do
		if grep -qE "^[0-9]+\. $sig\$" "$work/$l-$p.txt"; then sigpage=$p; break; fi
	done
	echo "test_print: $l: $pages pages, signatures on page $sigpage" >&2
	check "$l: the signatures are found" test "$sigpage" -gt 0
	check "$l: the main part is at most 8 pages (signatures on page $sigpage)" test "$sigpage" -le 8
	unnumbered=0
	for p in $(seq 1 "$pages"); do
		grep -qxF "$(pageno "$p" "$pages")" "$work/$l-$p.txt" || unnumbered=$((unnumbered + 1))
	done
	check "$l: every page N says page N of $pages ($unnumbered do not)" test "$unnumbered" = 0
	# The recommendations: one row per requirement, in the main part.
	main=$(for p in $(seq 1 "$sigpage"); do cat "$work/$l-$p.txt"; done)
	reqs=$(jq -r '.recommendations[].requirement' "$work/case/acts/act-0001.$l.json")
	nrec=$(printf '%s\n' "$reqs" | grep -c .)
	check "$l: the example has recommendations" test "$nrec" -gt 5
	check "$l: one recommendation per requirement" test "$(printf '%s\n' "$reqs" | sort -u | grep -c .)" = "$nrec"
	rows=0
	for q in $reqs; do
		n=$(printf '%s\n' "$main" | grep -cF "$q (")
		[ "$n" = 1 ] && rows=$((rows + 1))
	done
	check "$l: each of the $nrec recommendations is one row in the main part ($rows are)" test "$rows" = "$nrec"
	check "$l: three copies (para 25)" grep -q "25" "$work/$l-$sigpage.txt"
	all=$(cat "$work/$l"-*.txt | tr -d ' \n\t\f')
	missing=0
	for h in $(jq -r '.evidence[].sha256' "$work/run.json"); do
		case $all in *"$h"*) ;; *) missing=$((missing + 1)) ;; esac
	done
	check "$l: every evidence SHA-256 is printed whole ($missing of $nev missing)" test "$missing" = 0
done
echo "test_print: $passes passed, $fails failed"
[ "$fails" = 0 ]
