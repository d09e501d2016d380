#!/usr/bin/env bash
# certexam — integration test of the http check against the HTTP lab
# (tests/lab/http-lab.sh: real nginx on 127.0.0.1:22080-22444).
#
#   bash tests/integration/test_http.sh path/to/certexam
#
# Runs `certexam scan --target 127.0.0.1 --ports <lab> --only ports,http`,
# then asserts with jq on `certexam show RUN --format json`: the exact set
# of failed web findings per site, the score and grade per resource, that
# every failure carries an http-exchange evidence file starting with the
# request line, that nothing is left not_checked, and that the soft-404
# server yields no exposure finding.  Exit 77 (skipped) without nginx,
# openssl or jq.  The lab is stopped on every exit path.
set -u

BIN=${1:?usage: test_http.sh path/to/certexam}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LAB="$ROOT/tests/lab/http-lab.sh"

for tool in nginx openssl jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not installed"
		exit 77
	fi
done

WORK=$(mktemp -d /tmp/cxhttp-test.XXXXXX)
chmod 755 "$WORK" # nginx workers run as nobody
cleanup() {
	bash "$LAB" stop "$WORK/lab" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 3' INT TERM

fail=0
check() { # description, command...
	local what=$1
	shift
	if "$@"; then
		echo "ok   - $what"
	else
		echo "FAIL - $what"
		fail=1
	fi
}

if ! bash "$LAB" start "$WORK/lab" >"$WORK/lab.out" 2>&1; then
	cat "$WORK/lab.out"
	echo "FAIL - lab did not start"
	exit 1
fi
# shellcheck disable=SC1091
. "$WORK/lab/ports.env"

start=$(date +%s%N)
timeout 120 "$BIN" scan --target 127.0.0.1 --ports "$LAB_PORTS" \
	--only ports,http --out "$WORK/runs" --no-progress \
	--profiles "$ROOT/profiles" >"$WORK/scan.out" 2>"$WORK/scan.err"
rc=$?
end=$(date +%s%N)
echo "scan exit $rc in $(((end - start) / 1000000)) ms"
RUN=$(tail -n 1 "$WORK/scan.out")
check "scan wrote a run (exit 1: deficiencies)" test "$rc" -eq 1 -a -d "$RUN"
check "no sanitizer report" test "$(grep -c 'Sanitizer\|runtime error' \
	"$WORK/scan.err")" -eq 0
if [ ! -d "$RUN" ]; then
	cat "$WORK/scan.err"
	exit 1
fi
"$BIN" show "$RUN" --format json >"$WORK/run.json" 2>"$WORK/show.err"
check "show --format json" test -s "$WORK/run.json"

check "http check done" \
	test "$(jq -r '.checks.http' "$WORK/run.json")" = "done"

# Failed (and not_checked / error) web findings: exact list.
jq -r '.findings[] | select(.check == "http" and .status != "pass"
	and .status != "not_applicable")
	| "\(.asset) \(.requirement) \(.status) \(.item // "-")"' \
	"$WORK/run.json" | grep -v ":$METHODS_HTTP/ " | sort >"$WORK/got.txt"
sort >"$WORK/want.txt" <<EOF
http://127.0.0.1:$BAD_HTTP/ WEB-01 fail redirect-missing
http://127.0.0.1:$BAD_HTTP/ WEB-02 fail Strict-Transport-Security
http://127.0.0.1:$BAD_HTTP/ WEB-03 fail Content-Security-Policy
http://127.0.0.1:$BAD_HTTP/ WEB-04 fail X-Frame-Options
http://127.0.0.1:$BAD_HTTP/ WEB-05 fail X-Content-Type-Options
http://127.0.0.1:$BAD_HTTP/ WEB-06 fail Referrer-Policy
http://127.0.0.1:$BAD_HTTP/ WEB-07 fail PHPSESSID:Cache-Control
http://127.0.0.1:$BAD_HTTP/ WEB-07 fail PHPSESSID:HttpOnly
http://127.0.0.1:$BAD_HTTP/ WEB-07 fail PHPSESSID:SameSite
http://127.0.0.1:$BAD_HTTP/ WEB-07 fail PHPSESSID:http
http://127.0.0.1:$BAD_HTTP/ WEB-08 fail Origin:reflected
http://127.0.0.1:$BAD_HTTP/ WEB-09 fail Server
http://127.0.0.1:$BAD_HTTP/ WEB-09 fail X-Powered-By
http://127.0.0.1:$BAD_HTTP/ WEB-09 fail error-page
http://127.0.0.1:$BAD_HTTP/ WEB-09 fail meta-generator
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /.env
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /.git/HEAD
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /.git/config
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /admin/
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /files/
http://127.0.0.1:$BAD_HTTP/ WEB-11 fail /nginx_status
http://127.0.0.1:$BAD_HTTP/ WEB-12 fail password-form
http://127.0.0.1:$BAD_HTTP/ WEB-12 fail script:http://127.0.0.2:22099/lib.js
http://127.0.0.1:$BAD_HTTP/ WEB-12 fail sri:http://127.0.0.2:22099/lib.js
http://127.0.0.1:$BAD_HTTP/ WEB-14 fail /.well-known/security.txt
http://127.0.0.1:$BAD_HTTP/ WEB-15 fail Cross-Origin-Embedder-Policy
http://127.0.0.1:$BAD_HTTP/ WEB-15 fail Cross-Origin-Opener-Policy
http://127.0.0.1:$BAD_HTTP/ WEB-15 fail Cross-Origin-Resource-Policy
http://127.0.0.1:$BAD_HTTP/ WEB-15 fail Permissions-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-01 fail redirect-missing
http://127.0.0.1:$SOFT_HTTP/ WEB-02 fail Strict-Transport-Security
http://127.0.0.1:$SOFT_HTTP/ WEB-03 fail Content-Security-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-04 fail X-Frame-Options
http://127.0.0.1:$SOFT_HTTP/ WEB-05 fail X-Content-Type-Options
http://127.0.0.1:$SOFT_HTTP/ WEB-06 fail Referrer-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-14 fail /.well-known/security.txt
http://127.0.0.1:$SOFT_HTTP/ WEB-15 fail Cross-Origin-Embedder-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-15 fail Cross-Origin-Opener-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-15 fail Cross-Origin-Resource-Policy
http://127.0.0.1:$SOFT_HTTP/ WEB-15 fail Permissions-Policy
https://127.0.0.1:$MED_HTTPS/ WEB-02 fail Strict-Transport-Security:max-age
https://127.0.0.1:$MED_HTTPS/ WEB-03 fail Content-Security-Policy:base-uri
https://127.0.0.1:$MED_HTTPS/ WEB-03 fail Content-Security-Policy:form-action
https://127.0.0.1:$MED_HTTPS/ WEB-03 fail Content-Security-Policy:script-src:'unsafe-eval'
https://127.0.0.1:$MED_HTTPS/ WEB-03 fail Content-Security-Policy:script-src:'unsafe-inline'
https://127.0.0.1:$MED_HTTPS/ WEB-03 fail Content-Security-Policy:script-src:broad
https://127.0.0.1:$MED_HTTPS/ WEB-04 fail X-Frame-Options:ALLOW-FROM
https://127.0.0.1:$MED_HTTPS/ WEB-06 fail Referrer-Policy:unsafe-url
https://127.0.0.1:$MED_HTTPS/ WEB-07 fail __Host-sid:Cache-Control
https://127.0.0.1:$MED_HTTPS/ WEB-07 fail __Host-sid:prefix
https://127.0.0.1:$MED_HTTPS/ WEB-07 fail prefs:SameSite
https://127.0.0.1:$MED_HTTPS/ WEB-13 fail X-XSS-Protection
https://127.0.0.1:$MED_HTTPS/ WEB-14 fail /.well-known/security.txt
https://127.0.0.1:$MED_HTTPS/ WEB-15 fail Cross-Origin-Embedder-Policy
https://127.0.0.1:$MED_HTTPS/ WEB-15 fail Cross-Origin-Opener-Policy
https://127.0.0.1:$MED_HTTPS/ WEB-15 fail Cross-Origin-Resource-Policy
https://127.0.0.1:$MED_HTTPS/ WEB-15 fail Permissions-Policy
EOF
if diff -u "$WORK/want.txt" "$WORK/got.txt" >"$WORK/diff.txt"; then
	echo "ok   - exact web findings on all sites ($(wc -l <"$WORK/want.txt") failures)"
else
	echo "FAIL - web findings differ (-want +got):"
	cat "$WORK/diff.txt"
	fail=1
fi

# Severities an examiner would sign (issue 13 item 9): the cache finding
# on a Secure cookie over https is low at most, SameSite keeps the
# profile's severity only on a session cookie without Secure and
# HttpOnly, the default server page is medium, security.txt and the
# cross-origin isolation headers are good practice (info).
sev() { # asset requirement item -> severity
	jq -r --arg a "$1" --arg r "$2" --arg i "$3" '[.findings[] |
		select(.asset == $a and .requirement == $r and .item == $i and
		.status == "fail") | .severity] | join(",")' "$WORK/run.json"
}
check "cache finding on a __Host- Secure cookie over https: low" \
	test "$(sev "https://127.0.0.1:$MED_HTTPS/" WEB-07 __Host-sid:Cache-Control)" = low
check "cache finding on a cookie over plain http: the profile's (high)" \
	test "$(sev "http://127.0.0.1:$BAD_HTTP/" WEB-07 PHPSESSID:Cache-Control)" = high
check "SameSite missing on an unprotected session cookie: high" \
	test "$(sev "http://127.0.0.1:$BAD_HTTP/" WEB-07 PHPSESSID:SameSite)" = high
check "SameSite=None on a non-session cookie: medium" \
	test "$(sev "https://127.0.0.1:$MED_HTTPS/" WEB-07 prefs:SameSite)" = medium
check "default server page: medium" \
	test "$(sev "http://127.0.0.1:$METHODS_HTTP/" WEB-11 default-page)" = medium
check "security.txt, Permissions-Policy, COOP, COEP, CORP: info (good practice)" \
	test "$(jq -r '[.findings[] | select((.requirement == "WEB-14" or
	.requirement == "WEB-15") and .status == "fail") | .severity] |
	unique | join(",")' "$WORK/run.json")" = info
check "CORS: one finding, its four variants as evidence" test "$(jq -r \
	--arg a "http://127.0.0.1:$BAD_HTTP/" '[.findings[] | select(.asset ==
	$a and .requirement == "WEB-08" and .status == "fail") |
	"\(.severity) \(.evidence | length)"] | join(",")' "$WORK/run.json")" \
	= "high 4"
check "CORS: one cause (web.cors.reflected), the variants named in it" test \
	"$(jq -r --arg a "http://127.0.0.1:$BAD_HTTP/" '.findings[] |
	select(.asset == $a and .requirement == "WEB-08" and .status ==
	"fail") | .msg' "$WORK/run.json")" = web.cors.reflected
check "CORS: the variants named in the finding" test "$(jq -r --arg a \
	"http://127.0.0.1:$BAD_HTTP/" '.findings[] | select(.asset == $a and
	.requirement == "WEB-08" and .status == "fail") | .args.variants' \
	"$WORK/run.json" | grep -oE '(GET|OPTIONS) Origin: (null|https://[0-9a-f]{16}\.example)' |
	sed -E 's/https:[^ ]*$/RANDOM/' | tr '\n' ' ')" = \
	"GET Origin: RANDOM GET Origin: null OPTIONS Origin: RANDOM OPTIONS Origin: null "

# Words are data (issue 9 item 1): every web finding carries a message
# id of the catalogs, one per cause, and its parameters; the raw header
# bytes only in observed.
check "every web finding has a message id in the catalogs" test "$(jq -r \
	'.findings[] | select(.check == "http") | .msg // "NONE"' \
	"$WORK/run.json" | sort -u | while read -r m; do
		grep -qx "msgid \"$m\"" "$ROOT/profiles/i18n/ru.po" || echo "$m"
	done | wc -l)" -eq 0
check "message ids per cause on the bad site" test "$(jq -r --arg a \
	"http://127.0.0.1:$BAD_HTTP/" '[.findings[] | select(.asset == $a and
	.status == "fail" and (.requirement == "WEB-07" or .requirement ==
	"WEB-09")) | "\(.item)=\(.msg)"] | sort | join(" ")' "$WORK/run.json")" \
	= "PHPSESSID:Cache-Control=web.cookie.cacheable PHPSESSID:HttpOnly=web.cookie.no-httponly PHPSESSID:SameSite=web.cookie.no-samesite PHPSESSID:http=web.cookie.over-http Server=web.disclosure.server X-Powered-By=web.disclosure.header error-page=web.disclosure.error-page meta-generator=web.disclosure.generator"
check "cookie name as a parameter, raw Server header as observed" test \
	"$(jq -r --arg a "http://127.0.0.1:$BAD_HTTP/" '[.findings[] |
	select(.asset == $a and (.item == "PHPSESSID:HttpOnly" or .item ==
	"Server")) | (.args.cookie // .observed)] | sort | join("|")' \
	"$WORK/run.json")" = "PHPSESSID|$(jq -r --arg a \
	"http://127.0.0.1:$BAD_HTTP/" '.findings[] | select(.asset == $a and
	.item == "Server") | .observed' "$WORK/run.json")"
check "raw Server header kept as received" grep -q '^Server: nginx/' \
	<<<"$(jq -r --arg a "http://127.0.0.1:$BAD_HTTP/" '.findings[] |
	select(.asset == $a and .item == "Server") | .observed' "$WORK/run.json")"

# The Russian act of this run shows the web findings in Russian.
timeout 60 "$BIN" act "$RUN" --lang ru --format md -o "$WORK/act" \
	>"$WORK/act.out" 2>"$WORK/act.err"
ACT_RU=$(ls "$WORK"/act/*.ru.md 2>/dev/null | head -n 1)
check "Russian act drafted" test -n "$ACT_RU"
check "Russian act: web findings in Russian" grep -q \
	"Сеансовый cookie PHPSESSID без атрибута HttpOnly" "${ACT_RU:-/dev/null}"
check "Russian act: CORS in Russian" grep -q \
	"CORS отражает любой источник вместе с учётными данными" "${ACT_RU:-/dev/null}"
check "Russian act: no English web sentence left" test "$(grep -cE \
	'Session cookie .* without HttpOnly|CORS reflects any origin|header missing' \
	"${ACT_RU:-/dev/null}")" -eq 0

# The methods server: exactly these WEB-10 findings without --intrusive
# (advertised methods are potential, echoes and 207 confirmed).
methods10() { # run.json -> sorted "item certainty" of WEB-10 failures
	jq -r --arg a "http://127.0.0.1:$METHODS_HTTP/" '.findings[] |
		select(.asset == $a and .requirement == "WEB-10" and
		.status == "fail") | "\(.item) \(.certainty)"' "$1" | sort |
		tr '\n' ' '
}
check "methods server: WEB-10 findings" test "$(methods10 "$WORK/run.json")" \
	= "Allow:DELETE potential Allow:PROPFIND potential Allow:PUT potential Allow:TRACE potential PROPFIND confirmed TRACE confirmed TRACK confirmed "

check "methods server: default server page (WEB-11)" test "$(jq -r --arg a \
	"http://127.0.0.1:$METHODS_HTTP/" '[.findings[] | select(.asset == $a
	and .requirement == "WEB-11" and .status == "fail") | .item] |
	join(",")' "$WORK/run.json")" = "default-page"
check "without --intrusive no PUT/DELETE request was sent" \
	test "$(grep -Ec '^(PUT|DELETE) ' "$WORK/lab/methods.out")" -eq 0
check "the methods server logged the probes" \
	test "$(grep -Ec '^(TRACE|PROPFIND) ' "$WORK/lab/methods.out")" -ge 2

# --intrusive adds the PUT and DELETE probes (the server stores nothing).
timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$METHODS_HTTP" \
	--only ports,http --intrusive --out "$WORK/runs-intrusive" \
	--no-progress --profiles "$ROOT/profiles" >"$WORK/scan2.out" \
	2>"$WORK/scan2.err"
RUN2=$(tail -n 1 "$WORK/scan2.out")
"$BIN" show "$RUN2" --format json >"$WORK/run2.json" 2>/dev/null
check "methods server with --intrusive: PUT and DELETE accepted" \
	test "$(methods10 "$WORK/run2.json")" = "Allow:DELETE potential Allow:PROPFIND potential Allow:PUT potential Allow:TRACE potential DELETE confirmed PROPFIND confirmed PUT confirmed TRACE confirmed TRACK confirmed "
check "with --intrusive one PUT, then one DELETE of the same path" \
	test "$(grep -E '^(PUT|DELETE) ' "$WORK/lab/methods.out" |
	sed 's/-[0-9a-f]*\.txt$//' | tr '\n' ' ')" = \
	"PUT /certexam-put DELETE /certexam-put "

# The good site and both redirectors: every requirement passes or is
# judged on the https target (not applicable), nothing else.
for a in "http://127.0.0.1:$GOOD_HTTP/" "https://127.0.0.1:$GOOD_HTTPS/" \
	"http://127.0.0.1:$MED_HTTP/"; do
	n=$(jq --arg a "$a" '[.findings[] | select(.check == "http" and
		.asset == $a and (.requirement | startswith("WEB-")))] |
		length' "$WORK/run.json")
	check "$a: 15 web requirements recorded" test "$n" -eq 15
done
check "good site passes all 15 requirements" test "$(jq --arg a \
	"https://127.0.0.1:$GOOD_HTTPS/" '[.findings[] | select(.check ==
	"http" and .asset == $a and .status == "pass" and
	(.requirement | startswith("WEB-")))] | length' \
	"$WORK/run.json")" -eq 15

# Scores and grades (certexam-http-score/1).
score() { # asset -> "score grade"
	jq -r --arg a "$1" '.observations[] | select(.kind == "http-resource"
		and .asset == $a) | (.props | map(select(.[0] == "score"
		or .[0] == "grade")) | map(.[1]) | join(" "))' "$WORK/run.json"
}
check "good https grade 135 A+" test "$(score "https://127.0.0.1:$GOOD_HTTPS/")" = "135 A+"
check "good http grade 135 A+" test "$(score "http://127.0.0.1:$GOOD_HTTP/")" = "135 A+"
check "mediocre https grade 25 D-" test "$(score "https://127.0.0.1:$MED_HTTPS/")" = "25 D-"
check "mediocre http grade 25 D-" test "$(score "http://127.0.0.1:$MED_HTTP/")" = "25 D-"
check "bad grade 0 F" test "$(score "http://127.0.0.1:$BAD_HTTP/")" = "0 F"
check "soft-404 grade 10 F" test "$(score "http://127.0.0.1:$SOFT_HTTP/")" = "10 F"

# The soft-404 server: no exposure finding, WEB-11 passes.
check "soft-404: WEB-11 passes (no false positive)" test "$(jq -r --arg a \
	"http://127.0.0.1:$SOFT_HTTP/" '[.findings[] | select(.asset == $a
	and .requirement == "WEB-11") | .status] | join(",")' \
	"$WORK/run.json")" = "pass"

# Nothing silently skipped.
check "no not_checked or error web findings" test "$(jq '[.findings[] |
	select(.check == "http" and (.status == "not_checked" or
	.status == "error"))] | length' "$WORK/run.json")" -eq 0

# Every failure has evidence: an http-exchange file starting with the
# request line, whose SHA-256 matches the index.
bad_ev=0
while read -r id; do
	file=$(jq -r --arg id "$id" '.evidence[] | select(.id == $id) | .path' \
		"$WORK/run.json")
	sum=$(jq -r --arg id "$id" '.evidence[] | select(.id == $id) | .sha256' \
		"$WORK/run.json")
	if [ -z "$file" ] || [ ! -f "$RUN/$file" ]; then
		bad_ev=1
		continue
	fi
	head -n 1 "$RUN/$file" | grep -Eq '^[A-Z]+ /[^ ]* HTTP/1\.1' || bad_ev=1
	[ "$(sha256sum "$RUN/$file" | cut -d' ' -f1)" = "$sum" ] || bad_ev=1
done < <(jq -r '.findings[] | select(.check == "http" and .status == "fail")
	| .evidence[0] // "missing"' "$WORK/run.json" | sort -u)
check "every failure has a stored http exchange" test "$bad_ev" -eq 0
check "no failure without evidence" test "$(jq '[.findings[] | select(.check
	== "http" and .status == "fail" and ((.evidence | length) == 0))] |
	length' "$WORK/run.json")" -eq 0

# Time per resource (loopback).
jq -r '.observations[] | select(.kind == "http-resource") | "\(.asset) " +
	(.props | map(select(.[0] == "seconds" or .[0] == "requests")) |
	map(.[1]) | join(" "))' "$WORK/run.json" | while read -r a req s; do
	echo "     $a: $req requests, $s s"
done
check "every resource reviewed in under 2 s" test "$(jq '[.observations[] |
	select(.kind == "http-resource") | .props[] | select(.[0] ==
	"seconds") | .[1] | tonumber | select(. >= 2)] | length' \
	"$WORK/run.json")" -eq 0

# A URL target whose redirect leaves the scope: recorded, never followed.
STRACE=""
if command -v strace >/dev/null 2>&1; then
	STRACE="strace -f -qq -e trace=connect -o $WORK/connect.log"
fi
# (LeakSanitizer cannot run under ptrace: leaks are checked elsewhere.)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	timeout 60 $STRACE "$BIN" scan --target "http://127.0.0.1:$OFFSITE_HTTP/" \
	--only http --out "$WORK/runs-offsite" --no-progress \
	--profiles "$ROOT/profiles" >"$WORK/scan3.out" 2>"$WORK/scan3.err"
RUN3=$(tail -n 1 "$WORK/scan3.out")
"$BIN" show "$RUN3" --format json >"$WORK/run3.json" 2>/dev/null
check "offsite redirect: WEB-01 redirect-not-to-https" test "$(jq -r \
	'[.findings[] | select(.requirement == "WEB-01") |
	.status + " " + .item] | join(",")' "$WORK/run3.json")" \
	= "fail redirect-not-to-https"
check "offsite redirect recorded, not followed" test "$(jq -r \
	'.observations[] | select(.kind == "http-resource") | .props[] |
	select(.[0] == "redirect-other-host") | .[1]' "$WORK/run3.json")" \
	= "http://203.0.113.9:$OFFSITE_HTTP/next"
if [ -n "$STRACE" ]; then
	check "no connection attempt outside the scope (strace)" \
		test "$(grep -c '203\.0\.113\.9' "$WORK/connect.log")" -eq 0
	check "strace saw the lab connections" \
		test "$(grep -c "htons($OFFSITE_HTTP)" "$WORK/connect.log")" -ge 1
fi

# A URL with a host name: pinned to the scope's address (no DNS during
# the check), Host header with the name.
timeout 60 "$BIN" scan --target "http://localhost:$BAD_HTTP/" --only http \
	--out "$WORK/runs-name" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan4.out" 2>"$WORK/scan4.err"
RUN4=$(tail -n 1 "$WORK/scan4.out")
"$BIN" show "$RUN4" --format json >"$WORK/run4.json" 2>/dev/null
check "host-name URL: exposures found on http://localhost:$BAD_HTTP/" \
	test "$(jq --arg a "http://localhost:$BAD_HTTP/" '[.findings[] |
	select(.asset == $a and .requirement == "WEB-11" and .status ==
	"fail")] | length' "$WORK/run4.json")" -eq 6
ev=$(jq -r '.evidence[] | select(.kind == "http-exchange") | .path' \
	"$WORK/run4.json" | head -n 1)
check "host-name URL: Host header carries the name" \
	grep -q "^Host: localhost:$BAD_HTTP" "$RUN4/$ev"

# IPv6: the bad site on [::1] (when the machine has IPv6 loopback).
if [ "$LAB_V6" = 1 ]; then
	timeout 60 "$BIN" scan --target "http://[::1]:$BAD_HTTP/" --only http \
		--out "$WORK/runs-v6" --no-progress --profiles "$ROOT/profiles" \
		>"$WORK/scan7.out" 2>"$WORK/scan7.err"
	RUN7=$(tail -n 1 "$WORK/scan7.out")
	"$BIN" show "$RUN7" --format json >"$WORK/run7.json" 2>/dev/null
	check "IPv6: the same six exposures on http://[::1]:$BAD_HTTP/" \
		test "$(jq --arg a "http://[::1]:$BAD_HTTP/" '[.findings[] |
		select(.asset == $a and .requirement == "WEB-11" and .status ==
		"fail")] | length' "$WORK/run7.json")" -eq 6
else
	echo "skip - IPv6 (no ::1 on lo)"
fi

# The same resource from the scope (a URL with a name) and from the port
# scan (address 127.0.0.1, which the name resolves to) is reviewed once.
timeout 60 "$BIN" scan --target "http://localhost:$BAD_HTTP/" \
	--target 127.0.0.1 --ports "$BAD_HTTP" --only ports,http \
	--out "$WORK/runs-dedupe" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan8.out" 2>"$WORK/scan8.err"
RUN8=$(tail -n 1 "$WORK/scan8.out")
"$BIN" show "$RUN8" --format json >"$WORK/run8.json" 2>/dev/null
check "URL target and open port: one resource" test "$(jq -r \
	'[.observations[] | select(.kind == "http-resource") | .asset] |
	join(" ")' "$WORK/run8.json")" = "http://localhost:$BAD_HTTP/"

# A URL brings its host's address into scope (the port scan covers it),
# but its host name is served only on the URL's own port: the other web
# port of that address is reviewed by address (issue 13 item 8).
timeout 60 "$BIN" scan --target "http://localhost:$BAD_HTTP/" \
	--ports "$BAD_HTTP,$SOFT_HTTP" --only ports,http \
	--out "$WORK/runs-urlscope" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan9.out" 2>"$WORK/scan9.err"
RUN9=$(tail -n 1 "$WORK/scan9.out")
"$BIN" show "$RUN9" --format json >"$WORK/run9.json" 2>/dev/null
check "URL scope: the name on the URL's port only, the other port by address" \
	test "$(jq -r '[.observations[] | select(.kind == "http-resource") |
	.asset] | sort | join(" ")' "$WORK/run9.json")" = \
	"http://127.0.0.1:$SOFT_HTTP/ http://localhost:$BAD_HTTP/"

# BREACH (issue 13 item 6): an https page sent compressed that carries
# secrets is a potential TLS-09 finding; a compressed page without
# secrets and an uncompressed one pass.
timeout 60 "$BIN" scan --target "https://127.0.0.1:$BREACH_HTTPS/" \
	--target "https://127.0.0.1:$GZIP_HTTPS/" --only http \
	--out "$WORK/runs-breach" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan10.out" 2>"$WORK/scan10.err"
RUN10=$(tail -n 1 "$WORK/scan10.out")
"$BIN" show "$RUN10" --format json >"$WORK/run10.json" 2>/dev/null
breach() { # run.json asset -> "status certainty severity evidence-count"
	jq -r --arg a "$2" '[.findings[] | select(.asset == $a and
		.requirement == "TLS-09" and .item == "breach") |
		"\(.status) \(.certainty) \(.severity) \(.evidence | length)"] |
		join(",")' "$1"
}
check "BREACH: compressed page with a cookie and a CSRF field: potential, medium" \
	test "$(breach "$WORK/run10.json" "https://127.0.0.1:$BREACH_HTTPS/")" \
	= "fail potential medium 1"
check "BREACH: the finding names the compression and the secret" \
	test "$(jq -r '.findings[] | select(.item == "breach" and .status ==
	"fail") | "\(.msg) \(.args.encoding) \(.args.cookie) \(.observed)"' \
	"$WORK/run10.json")" = "web.breach.cookie gzip sid Content-Encoding: gzip"
check "BREACH: compressed page without secrets passes" test "$(breach \
	"$WORK/run10.json" "https://127.0.0.1:$GZIP_HTTPS/" | cut -d' ' -f1)" \
	= pass
check "BREACH: uncompressed good site passes" test "$(breach \
	"$WORK/run.json" "https://127.0.0.1:$GOOD_HTTPS/" | cut -d' ' -f1)" \
	= pass
check "BREACH: not judged on plain http" test "$(breach "$WORK/run.json" \
	"http://127.0.0.1:$BAD_HTTP/")" = ""
check "SameSite missing on a Secure HttpOnly session cookie: medium" test \
	"$(jq -r --arg a "https://127.0.0.1:$BREACH_HTTPS/" '[.findings[] |
	select(.asset == $a and .item == "sid:SameSite") | .severity] |
	join(",")' "$WORK/run10.json")" = medium

# CSP by path: a meta-tag policy, Report-Only alone, a repeated directive.
timeout 60 "$BIN" scan --target "http://127.0.0.1:$CSP_HTTP/meta/" \
	--target "http://127.0.0.1:$CSP_HTTP/ro/" \
	--target "http://127.0.0.1:$CSP_HTTP/dup/" --only http \
	--out "$WORK/runs-csp" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan6.out" 2>"$WORK/scan6.err"
RUN6=$(tail -n 1 "$WORK/scan6.out")
"$BIN" show "$RUN6" --format json >"$WORK/run6.json" 2>/dev/null
csp() { # path -> "WEB-03 items/statuses | WEB-04 ... | csp test result"
	jq -r --arg a "http://127.0.0.1:$CSP_HTTP$1" '([.findings[] |
		select(.asset == $a and (.requirement == "WEB-03" or
		.requirement == "WEB-04")) | "\(.requirement):\(.status):\(.item
		// "-")"] | sort | join(" ")) + " | " + ([.observations[] |
		select(.kind == "http-resource" and .asset == $a) | .props[] |
		select(.[0] == "test.content-security-policy") | .[1]] |
		join(""))' "$WORK/run6.json"
}
check "meta CSP enforced; nonce voids 'unsafe-inline'; frame-ancestors ignored in meta" \
	test "$(csp /meta/)" = "WEB-03:pass:- WEB-04:fail:X-Frame-Options | csp-implemented-with-no-unsafe (+5)"
check "Report-Only alone is not a policy" \
	test "$(csp /ro/)" = "WEB-03:fail:Content-Security-Policy-Report-Only WEB-04:fail:X-Frame-Options | csp-not-implemented-but-reporting-enabled (-25)"
check "duplicate directive reported; error page without the policy" \
	test "$(csp /dup/)" = "WEB-03:fail:Content-Security-Policy:duplicate:script-src WEB-03:fail:Content-Security-Policy@error-page WEB-04:pass:- | csp-implemented-but-duplicate-directives (+0)"

check "origin-wide requirements judged once per origin" test "$(jq -r \
	--arg o "http://127.0.0.1:$CSP_HTTP/meta/" '[.findings[] |
	select((.requirement == "WEB-10" or .requirement == "WEB-11" or
	.requirement == "WEB-14") and .asset != $o) | .status] | unique |
	join(",")' "$WORK/run6.json")" = "not_applicable"

# Hostile servers cost a timeout, never a hang: a flood of headers, a
# silent server, garbage, an endless body (cut at 1 MiB and still judged).
t0=$(date +%s%N)
timeout 60 "$BIN" scan --target "http://127.0.0.1:$FLOOD_HTTP/" \
	--target "http://127.0.0.1:$SILENT_HTTP/" \
	--target "http://127.0.0.1:$GARBAGE_HTTP/" \
	--target "http://127.0.0.1:$ENDLESS_HTTP/" --only http \
	--probe-timeout 1000 --out "$WORK/runs-hostile" --no-progress \
	--profiles "$ROOT/profiles" >"$WORK/scan5.out" 2>"$WORK/scan5.err"
t1=$(date +%s%N)
RUN5=$(tail -n 1 "$WORK/scan5.out")
"$BIN" show "$RUN5" --format json >"$WORK/run5.json" 2>/dev/null
echo "     hostile servers: $(((t1 - t0) / 1000000)) ms"
check "hostile servers: scan ends within 10 s" \
	test $(((t1 - t0) / 1000000)) -lt 10000
reason() { # port -> the distinct not_checked reasons (message ids)
	jq -r --arg a "http://127.0.0.1:$1/" '[.findings[] | select(.asset ==
		$a and .status == "not_checked") | .msg] | unique |
		join("|")' "$WORK/run5.json"
}
check "flood: not_checked, head too large" \
	test "$(reason "$FLOOD_HTTP")" = web.nc.unreachable.head-too-large
check "silent: not_checked, timed out" \
	test "$(reason "$SILENT_HTTP")" = web.nc.unreachable.timeout
check "garbage: not_checked" \
	grep -qx "web\.nc\.unreachable\.[a-z-]*" <<<"$(reason "$GARBAGE_HTTP")"
check "endless body: judged (grade recorded, body cut)" test "$(jq -r \
	--arg a "http://127.0.0.1:$ENDLESS_HTTP/" '.observations[] |
	select(.kind == "http-resource" and .asset == $a) | .props[] |
	select(.[0] == "grade") | .[1]' "$WORK/run5.json")" = "F"
check "hostile: 45 not_checked, no pass on the three broken ones" \
	test "$(jq '[.findings[] | select(.check == "http" and .status ==
	"not_checked")] | length' "$WORK/run5.json")" -eq 45

# Heads the parser cannot hold whole (issue 12 item 7): a 100 KB
# Set-Cookie (dropped by the fetcher's 64 KiB limit) and 300 header
# fields (over the parser's 256) leave every web item not_checked with
# the true reason, never "no cookies" or a pass; the scan exits 3.  122
# cookies on one page are each judged once (no cap at 64 names).
timeout 60 "$BIN" scan --target "http://127.0.0.1:$LONGCOOKIE_HTTP/" \
	--target "http://127.0.0.1:$MANYFIELDS_HTTP/" --only http \
	--out "$WORK/runs-cut" --no-progress --profiles "$ROOT/profiles" \
	>"$WORK/scan11.out" 2>"$WORK/scan11.err"
rc11=$?
RUN11=$(tail -n 1 "$WORK/scan11.out")
"$BIN" show "$RUN11" --format json >"$WORK/run11.json" 2>/dev/null
check "100 KB cookie and 300 fields: exit 3 (nothing reviewed)" test "$rc11" -eq 3
for p in "$LONGCOOKIE_HTTP" "$MANYFIELDS_HTTP"; do
	check "127.0.0.1:$p: 15 web items not_checked, header too large" \
		test "$(jq -r --arg a "http://127.0.0.1:$p/" '[.findings[] |
		select(.asset == $a and .check == "http") |
		"\(.status) \(.msg)"] | group_by(.) | map("\(length) \(.[0])") |
		join(",")' "$WORK/run11.json")" = \
		"15 not_checked web.nc.header-too-large"
done
timeout 60 "$BIN" scan --target "http://127.0.0.1:$MANYCOOKIES_HTTP/" \
	--only http --out "$WORK/runs-cookies" --no-progress \
	--profiles "$ROOT/profiles" >"$WORK/scan12.out" 2>"$WORK/scan12.err"
RUN12=$(tail -n 1 "$WORK/scan12.out")
"$BIN" show "$RUN12" --format json >"$WORK/run12.json" 2>/dev/null
check "122 cookies: each judged once (121 set over http)" test "$(jq -r \
	'[.findings[] | select(.requirement == "WEB-07" and .status ==
	"fail" and (.item | endswith(":http")))] | length' \
	"$WORK/run12.json")" -eq 121
check "122 cookies: the 122nd, a session cookie, judged (HttpOnly)" test \
	"$(jq -r '[.findings[] | select(.item == "PHPSESSID:HttpOnly") |
	.msg] | join(",")' "$WORK/run12.json")" = web.cookie.no-httponly

# The request budget: with 3 requests per resource (the driver sets
# opts->http_budget) what was not requested is not_checked, never a pass.
LIB="$(dirname "$BIN")/libcxengine.a"
build_driver() { # extra cc flags
	cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE "$@" \
		-I"$ROOT/include" "$ROOT/tests/lab/http/driver.c" "$LIB" \
		$(pkg-config --libs libxml-2.0 libcurl openssl libpcap 2>/dev/null) \
		-lm -o "$WORK/driver" 2>>"$WORK/cc.err"
}
if [ -f "$LIB" ] && command -v cc >/dev/null 2>&1 &&
	{ build_driver || build_driver -fsanitize=address,undefined; }; then
	mkdir -p "$WORK/runs-budget"
	timeout 60 "$WORK/driver" "$ROOT/profiles" "$WORK/runs-budget" 127.0.0.1 \
		--budget 3 "127.0.0.1:$BAD_HTTP:http" >"$WORK/budget.json" \
		2>/dev/null
	check "budget 3: CORS, methods, exposure, security.txt not_checked" \
		test "$(jq -r '[.findings[] | select(.status == "not_checked")
		| .requirement] | sort | join(" ")' "$WORK/budget.json")" \
		= "WEB-08 WEB-10 WEB-11 WEB-14"
	check "budget 3: header findings still made" test "$(jq '[.findings[] |
		select(.status == "fail")] | length' "$WORK/budget.json")" -ge 10
else
	echo "skip - budget test (cannot build the driver against $LIB)"
fi

# Nothing left listening: the lab stops on exit (trap), checked here.
bash "$LAB" stop "$WORK/lab"
check "lab stopped" test ! -e "$WORK/lab/nginx.pid"

exit $fail
