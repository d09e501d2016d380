#!/usr/bin/env bash
# certexam — integration test of the cleartext-credentials check
# (checks/cleartext.c, requirement NET-08) against mail-server look-alikes
# (tests/lab/cleartext/mail_server.py on 127.0.0.1:27101-27106, python3
# stdlib):
#
#   bash tests/integration/test_cleartext.sh path/to/certexam
#
# Asserts the exact verdict per port (status and message id), what each
# failure names as offered, a stored dialogue as evidence, the Russian
# act's words, and that the scan stays within a few seconds.  Exit 77
# (skipped) without python3 or jq.  The server is stopped on every exit.
set -u

BIN=${1:?usage: test_cleartext.sh path/to/certexam}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE=27101
NOCAPA=26101 # POP3 servers without CAPA (tls's port range)

for tool in python3 jq; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not installed"
		exit 77
	fi
done

WORK=$(mktemp -d /tmp/cxweb-cleartext.XXXXXX)
SRV=""
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
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

python3 "$ROOT/tests/lab/cleartext/mail_server.py" "$BASE" "$NOCAPA" >"$WORK/srv.out" 2>&1 &
SRV=$!
for _ in $(seq 50); do
	grep -q ready "$WORK/srv.out" 2>/dev/null && break
	sleep 0.1
done
check "mail look-alikes started" grep -q ready "$WORK/srv.out"

t0=$(date +%s%N)
timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$BASE-$((BASE + 5))" \
	--only ports,cleartext --probe-timeout 2000 --out "$WORK/runs" \
	--no-progress --profiles "$ROOT/profiles" >"$WORK/scan.out" 2>"$WORK/scan.err"
rc=$?
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
echo "     scan exit $rc in $ms ms"
RUN=$(tail -n 1 "$WORK/scan.out")
check "scan wrote a run (exit 1: findings)" test "$rc" -eq 1 -a -d "$RUN"
check "scan within 10 s" test "$ms" -lt 10000
"$BIN" show "$RUN" --format json >"$WORK/run.json" 2>/dev/null

got=$(jq -r '.findings[] | select(.check == "cleartext") |
	"\(.asset) \(.requirement) \(.status) \(.msg)"' "$WORK/run.json" | sort)
want="127.0.0.1:$BASE/tcp NET-08 fail cleartext.login.before-starttls
127.0.0.1:$((BASE + 1))/tcp NET-08 fail cleartext.login.no-starttls
127.0.0.1:$((BASE + 2))/tcp NET-08 fail cleartext.login.before-starttls
127.0.0.1:$((BASE + 3))/tcp NET-08 pass cleartext.pass.after-starttls
127.0.0.1:$((BASE + 4))/tcp NET-08 fail cleartext.login.starttls-refused
127.0.0.1:$((BASE + 5))/tcp NET-08 pass cleartext.pass.after-starttls"
if [ "$got" = "$want" ]; then
	echo "ok   - exact verdicts on the six services"
else
	echo "FAIL - verdicts differ:"
	diff <(echo "$want") <(echo "$got")
	fail=1
fi
offers() { # port -> "service|offers"
	jq -r --arg a "127.0.0.1:$1/tcp" '.findings[] | select(.asset == $a and
		.check == "cleartext") | "\(.args.service)|\(.args.offers // "-")"' \
		"$WORK/run.json"
}
check "IMAP: LOGIN and AUTH=PLAIN named once each" test "$(offers $BASE)" = "IMAP|LOGIN AUTH=PLAIN"
check "POP3: USER and SASL PLAIN" test "$(offers $((BASE + 1)))" = "POP3|USER SASL PLAIN"
check "SMTP: AUTH PLAIN LOGIN" test "$(offers $((BASE + 2)))" = "SMTP|AUTH PLAIN LOGIN"
check "good IMAP (LOGINDISABLED): nothing offered" test "$(offers $((BASE + 3)))" = "IMAP|-"
check "severity high (the profile's)" test "$(jq -r '[.findings[] |
	select(.check == "cleartext" and .status == "fail") | .severity] |
	unique | join(",")' "$WORK/run.json")" = high
check "every finding has its dialogue as evidence" test "$(jq -r '[.findings[] |
	select(.check == "cleartext") | .evidence | length] | unique |
	join(",")' "$WORK/run.json")" = 1
ev=$(jq -r --arg a "127.0.0.1:$((BASE + 4))/tcp" '.findings[] | select(.asset ==
	$a and .check == "cleartext") | .evidence[0]' "$WORK/run.json")
file=$(jq -r --arg id "$ev" '.evidence[] | select(.id == $id) | .path' "$WORK/run.json")
check "the refused STARTTLS is in the stored dialogue" grep -q "c2 NO TLS not available" "$RUN/$file"
check "no credentials were sent" test "$(grep -Ec '^> (c[0-9] LOGIN|USER|PASS|AUTH)' \
	"$RUN/$file")" -eq 0

"$BIN" act "$RUN" --lang ru,kk --format md -o "$WORK/act" >/dev/null 2>&1
check "Russian act: cleartext login in Russian" grep -q \
	"IMAP предлагает вход до STARTTLS (LOGIN AUTH=PLAIN)" "$WORK"/act/*.ru.md
check "Kazakh act: refused STARTTLS in Kazakh" grep -q \
	"STARTTLS-ті жариялайды, бірақ одан бас тартады" "$WORK"/act/*.kk.md

# POP3 without CAPA: USER (a name that is no account, never a password)
# answered +OK before TLS fails; USER refused and STLS accepted passes;
# both refused cannot be judged.
timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$NOCAPA-$((NOCAPA + 3))" \
	--only ports,cleartext --probe-timeout 2000 --out "$WORK/runs3" \
	--no-progress --profiles "$ROOT/profiles" >"$WORK/scan3.out" 2>"$WORK/scan3.err"
RUN3=$(tail -n 1 "$WORK/scan3.out")
"$BIN" show "$RUN3" --format json >"$WORK/run3.json" 2>/dev/null
got=$(jq -r '.findings[] | select(.check == "cleartext") |
	"\(.asset) \(.status) \(.msg)"' "$WORK/run3.json" | sort)
want="127.0.0.1:$NOCAPA/tcp fail cleartext.login.pop3-user-accepted
127.0.0.1:$((NOCAPA + 1))/tcp pass cleartext.pass.after-starttls
127.0.0.1:$((NOCAPA + 2))/tcp fail cleartext.login.pop3-user-accepted
127.0.0.1:$((NOCAPA + 3))/tcp not_checked cleartext.nc.pop3-no-login"
if [ "$got" = "$want" ]; then
	echo "ok   - POP3 without CAPA: exact verdicts on the four services"
else
	echo "FAIL - POP3 without CAPA: verdicts differ:"
	diff <(echo "$want") <(echo "$got")
	fail=1
fi
check "POP3 without CAPA: never a password" test "$(cat "$RUN3"/evidence/* 2>/dev/null | grep -Ec '^> (PASS|AUTH|APOP)')" -eq 0
check "POP3 without CAPA: the USER probe is in the dialogue" grep -rq "^> USER certexam-probe.invalid" "$RUN3/evidence"

# A silent port: not_checked with the reason, within the probe timeout.
python3 - "$((BASE + 9))" >/dev/null 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
conns = []
end = time.time() + 15
s.settimeout(1)
while time.time() < end:
    try:
        c, _ = s.accept()
        c.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Dovecot ready.\r\n")
        conns.append(c)
    except OSError:
        pass
PY
MUTE=$!
sleep 0.5
t0=$(date +%s%N)
timeout 60 "$BIN" scan --target 127.0.0.1 --ports "$((BASE + 9))" \
	--only ports,cleartext --probe-timeout 1000 --out "$WORK/runs2" \
	--no-progress --profiles "$ROOT/profiles" >"$WORK/scan2.out" 2>"$WORK/scan2.err"
t1=$(date +%s%N)
kill "$MUTE" 2>/dev/null
wait "$MUTE" 2>/dev/null
RUN2=$(tail -n 1 "$WORK/scan2.out")
"$BIN" show "$RUN2" --format json >"$WORK/run2.json" 2>/dev/null
check "a server silent after its greeting: not_checked, timeout" test "$(jq -r \
	'[.findings[] | select(.check == "cleartext") | "\(.status) \(.msg)"] |
	join(",")' "$WORK/run2.json")" = "not_checked cleartext.nc.timeout"
check "  ... within 6 s" test $(((t1 - t0) / 1000000)) -lt 6000

exit $fail
