#!/usr/bin/env bash
# certexam lab: start and stop real servers for tests, benchmarks and the
# bundled example.
#
#   tests/lab/lab.sh start  [--netns NAME]   start the servers (times out)
#   tests/lab/lab.sh stop   [--netns NAME]   stop exactly what start started
#   tests/lab/lab.sh status [--netns NAME]   what runs, one "role port" a line
#   tests/lab/lab.sh ports  [--netns NAME]   the "role port" list only
#
# Two modes, both on 127.0.0.1 only (no other address is ever used):
#
#  loopback (default): high ports 23000-23999 on the host's 127.0.0.1.
#  --netns NAME: creates network namespace NAME (ip netns add), brings up its
#     loopback and starts the servers INSIDE it on the real port numbers;
#     run the scanner inside too:
#       ip netns exec NAME certexam scan --target 127.0.0.1 ...
#     stop kills the recorded PIDs (and anything left in the namespace) and
#     deletes the namespace.  Needs root.  The bundled example uses
#     --netns cxlab-example.
#
#  role      server                          loopback   --netns
#  ftp       serve.py: vsFTPd 3.0.3 look-alike  23021       21  (no AUTH TLS)
#  ssh       OpenSSH sshd (own host keys)       23022       22
#  telnet    serve.py: IAC negotiation, login:  23023       23
#  smtp      serve.py: Postfix ESMTP, STARTTLS  23025       25
#  http      nginx, server_tokens on            23080       80
#  pop3      serve.py: Dovecot POP3             23110      110
#  imap      serve.py: Dovecot IMAP             23143      143
#  https     nginx, TLS 1.2/1.3                 23443      443
#  smtps     serve.py: Postfix over TLS         23465      465
#  mysql     serve.py: MariaDB 10.11.6 greeting 23306     3306
#  postgres  serve.py: PostgreSQL look-alike    23432     5432
#  redis     serve.py: redis_version:7.0.15     23379     6379
#  close     serve.py: accepts, closes at once  23998     9998
#  silent    serve.py: accepts, never speaks    23999     9999
#  snmp      Debian's snmpd, community public   -      161/udp (--netns only)
#
# The TLS certificate (RSA 2048, CN lab.certexam.test, SAN lab.certexam.test,
# localhost, 127.0.0.1) is signed by a short-lived lab CA generated at start:
# <state>/ca.pem is the trust anchor, <state>/server.pem the leaf.
# State lives in tests/lab/.run/<NAME or "loopback">/ (git-ignored): the
# PIDs (file "pids"), the ports (file "ports"), configs, keys and logs;
# stop removes it.
#
# Debian packages: nginx (or nginx-light), openssh-server, openssl,
# python3, iproute2 (ip, ss), procps (for pgrep), coreutils (timeout).
set -u

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
START_TIMEOUT=${LAB_START_TIMEOUT:-15}	# seconds for all servers to listen
ADDR=127.0.0.1

die() {
	echo "lab.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start|stop|status|ports [--netns NAME]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
CMD=$1
shift
NETNS=""
while [ $# -gt 0 ]; do
	case $1 in
	--netns)
		[ $# -ge 2 ] || usage
		NETNS=$2
		shift 2
		;;
	*) usage ;;
	esac
done
if [ -n "$NETNS" ]; then
	case $NETNS in
	[A-Za-z0-9]*) ;;
	*) die "bad namespace name '$NETNS' (letters, digits, . _ -)" ;;
	esac
	case $NETNS in
	*[!A-Za-z0-9_.-]* | *..*) die "bad namespace name '$NETNS' (letters, digits, . _ -)" ;;
	esac
	NAME=$NETNS
	NSX=(ip netns exec "$NETNS")
else
	NAME=loopback
	NSX=()
fi
STATE=$LAB_DIR/.run/$NAME

# role -> port for this mode
declare -A PORTS
if [ -n "$NETNS" ]; then
	PORTS=([ftp]=21 [ssh]=22 [telnet]=23 [smtp]=25 [http]=80 [pop3]=110
		[imap]=143 [https]=443 [smtps]=465 [mysql]=3306 [postgres]=5432
		[redis]=6379 [close]=9998 [silent]=9999)
else
	PORTS=([ftp]=23021 [ssh]=23022 [telnet]=23023 [smtp]=23025
		[http]=23080 [pop3]=23110 [imap]=23143 [https]=23443
		[smtps]=23465 [mysql]=23306 [postgres]=23432 [redis]=23379
		[close]=23998 [silent]=23999)
fi
ROLES="ftp ssh telnet smtp http pop3 imap https smtps mysql postgres redis close silent"

nsx() {
	# run a command in the mode's namespace (no fork tricks: used for
	# short foreground commands only)
	if [ -n "$NETNS" ]; then
		ip netns exec "$NETNS" "$@"
	else
		"$@"
	fi
}

pid_alive() {
	[ -n "$1" ] && [ -d "/proc/$1" ]
}

# 1 if /proc/PID/cmdline mentions TAG (guards against a reused PID)
pid_is() {
	local pid=$1 tag=$2 cmdline
	pid_alive "$pid" || return 1
	cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	case $cmdline in
	*"$tag"*) return 0 ;;
	esac
	return 1
}

descendants() {
	local p c
	for p in "$@"; do
		for c in $(pgrep -P "$p" 2>/dev/null); do
			echo "$c"
			descendants "$c"
		done
	done
}

kill_pids() {
	# TERM, wait up to 3 s, then KILL
	local pids=("$@") p i alive
	[ ${#pids[@]} -gt 0 ] || return 0
	kill -TERM "${pids[@]}" 2>/dev/null
	for i in $(seq 30); do
		alive=0
		for p in "${pids[@]}"; do
			pid_alive "$p" && alive=1
		done
		[ $alive = 0 ] && return 0
		sleep 0.1
	done
	kill -KILL "${pids[@]}" 2>/dev/null
	sleep 0.1
}

do_stop() {
	local pid tag pids=() kids
	if [ -f "$STATE/pids" ]; then
		while read -r pid tag; do
			if pid_is "$pid" "$tag"; then
				pids+=("$pid")
			fi
		done <"$STATE/pids"
	fi
	if [ ${#pids[@]} -gt 0 ]; then
		kids=$(descendants "${pids[@]}")
		# shellcheck disable=SC2206
		pids+=($kids)
	fi
	kill_pids "${pids[@]}"
	if [ -n "$NETNS" ] && [ -f "$STATE/netns" ]; then
		# anything still inside the namespace we created is ours
		pids=($(ip netns pids "$NETNS" 2>/dev/null))
		kill_pids "${pids[@]}"
		ip netns del "$NETNS" 2>/dev/null
		rm -f "$STATE/netns"
	fi
	# nothing of this lab is left behind (keys, logs, configs)
	case $STATE in
	"$LAB_DIR"/.run/?*) rm -rf "$STATE" ;;
	esac
	return 0
}

# Print the listening TCP ports of the mode, one per line.
listening() {
	nsx ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }'
}

fill() {
	# fill a template: fill IN OUT
	sed -e "s|@STATE@|$STATE|g" -e "s|@ADDR@|$ADDR|g" \
		-e "s|@HTTP_PORT@|${PORTS[http]}|g" \
		-e "s|@HTTPS_PORT@|${PORTS[https]}|g" \
		-e "s|@SSH_PORT@|${PORTS[ssh]}|g" "$1" >"$2"
}

make_certs() {
	local t="timeout 30"
	cat >"$STATE/server-ext.cnf" <<-EOF
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectAltName = DNS:lab.certexam.test, DNS:localhost, IP:127.0.0.1
	EOF
	$t openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 \
		-keyout "$STATE/ca.key" -out "$STATE/ca.pem" \
		-subj "/O=certexam lab/CN=certexam lab CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		>/dev/null 2>&1 || return 1
	$t openssl req -newkey rsa:2048 -nodes -sha256 \
		-keyout "$STATE/server.key" -out "$STATE/server.csr" \
		-subj "/O=certexam lab/CN=lab.certexam.test" \
		>/dev/null 2>&1 || return 1
	$t openssl x509 -req -sha256 -days 2 -in "$STATE/server.csr" \
		-CA "$STATE/ca.pem" -CAkey "$STATE/ca.key" -set_serial 0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n') \
		-extfile "$STATE/server-ext.cnf" -out "$STATE/server.pem" \
		>/dev/null 2>&1 || return 1
	chmod 600 "$STATE/ca.key" "$STATE/server.key"
}

start_fail() {
	echo "lab.sh: start failed: $*" >&2
	for f in "$STATE"/*.log; do
		[ -s "$f" ] || continue
		echo "--- $f" >&2
		tail -n 5 "$f" >&2
	done
	do_stop
	exit 1
}

do_start() {
	local pid p missing deadline sshd nginx py
	if [ -f "$STATE/pids" ]; then
		while read -r pid _; do
			pid_alive "$pid" && die "already running ($STATE/pids); stop it first"
		done <"$STATE/pids"
		do_stop
	fi
	sshd=$(command -v sshd || echo /usr/sbin/sshd)
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	py=$(command -v python3) || die "python3 not found"
	[ -x "$sshd" ] || die "sshd not found (Debian: openssh-server)"
	[ -x "$nginx" ] || die "nginx not found (Debian: nginx)"
	command -v openssl >/dev/null || die "openssl not found"
	command -v ss >/dev/null || die "ss not found (Debian: iproute2)"
	if [ -n "$NETNS" ]; then
		[ "$(id -u)" = 0 ] || die "--netns needs root"
		if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NETNS"; then
			die "namespace $NETNS exists but was not created by this lab"
		fi
	else
		for p in "${PORTS[@]}"; do
			if listening | grep -qx "$p"; then
				die "port $p is already in use on the host"
			fi
		done
	fi

	rm -rf "$STATE"
	mkdir -p "$STATE/www" "$STATE/nginx-tmp" || die "cannot create $STATE"
	: >"$STATE/pids"
	if [ -n "$NETNS" ]; then
		ip netns add "$NETNS" || die "ip netns add $NETNS failed"
		echo "$NETNS" >"$STATE/netns"
		ip netns exec "$NETNS" ip link set lo up ||
			start_fail "cannot bring up lo in $NETNS"
	fi

	make_certs || start_fail "openssl certificate generation failed"
	timeout 30 ssh-keygen -q -t ed25519 -N '' -C lab \
		-f "$STATE/ssh_host_ed25519_key" </dev/null >/dev/null 2>&1 ||
		start_fail "ssh-keygen failed"
	timeout 30 ssh-keygen -q -t rsa -b 2048 -N '' -C lab \
		-f "$STATE/ssh_host_rsa_key" </dev/null >/dev/null 2>&1 ||
		start_fail "ssh-keygen failed"
	cat >"$STATE/www/index.html" <<-'EOF'
		<!DOCTYPE html>
		<html><head><title>certexam lab</title></head>
		<body><h1>certexam lab</h1><p>lab.certexam.test</p></body></html>
	EOF
	fill "$LAB_DIR/lab-nginx.conf.in" "$STATE/nginx.conf"
	fill "$LAB_DIR/lab-sshd_config.in" "$STATE/sshd_config"
	if [ "$(id -u)" = 0 ]; then
		mkdir -p /run/sshd && chmod 755 /run/sshd
	fi
	# files the nginx workers (user nobody when started by root) read
	chmod 755 "$STATE" "$STATE/www"
	chmod 644 "$STATE/www/index.html"

	# nginx: master in the foreground of its own background job
	${NSX[@]+"${NSX[@]}"} "$nginx" -p "$STATE" -e "$STATE/nginx-error.log" \
		-c "$STATE/nginx.conf" -g 'daemon off;' \
		>"$STATE/nginx.log" 2>&1 </dev/null &
	echo "$! nginx" >>"$STATE/pids"

	${NSX[@]+"${NSX[@]}"} "$sshd" -D -e -f "$STATE/sshd_config" \
		>"$STATE/sshd.log" 2>&1 </dev/null &
	echo "$! sshd" >>"$STATE/pids"

	${NSX[@]+"${NSX[@]}"} "$py" "$LAB_DIR/listeners/serve.py" \
		--addr "$ADDR" --ready "$STATE/serve.ready" \
		--cert "$STATE/server.pem" --key "$STATE/server.key" \
		"ftp:${PORTS[ftp]}" "telnet:${PORTS[telnet]}" \
		"smtp:${PORTS[smtp]}" "smtps:${PORTS[smtps]}" \
		"pop3:${PORTS[pop3]}" "imap:${PORTS[imap]}" \
		"mysql:${PORTS[mysql]}" "postgres:${PORTS[postgres]}" \
		"redis:${PORTS[redis]}" "silent:${PORTS[silent]}" \
		"close:${PORTS[close]}" \
		>"$STATE/serve.log" 2>&1 </dev/null &
	echo "$! serve.py" >>"$STATE/pids"

	# A UDP service for the example's UDP scan: Debian's snmpd answering
	# the default community "public" (a finding of the network block).
	# Only inside a namespace: on the host, 161/udp is not ours to take.
	local snmp=""
	if [ -n "$NETNS" ] && [ -x /usr/sbin/snmpd ]; then
		printf 'agentAddress udp:%s:161\nrocommunity public\nsysDescr certexam lab snmpd\n' "$ADDR" >"$STATE/snmpd.conf"
		"${NSX[@]}" /usr/sbin/snmpd -f -Lf "$STATE/snmpd.log" -C \
			-c "$STATE/snmpd.conf" -I -ifTable,ipAddressTable,smux \
			>/dev/null 2>&1 </dev/null &
		echo "$! snmpd" >>"$STATE/pids"
		snmp=161
	fi

	deadline=$((SECONDS + START_TIMEOUT))
	while :; do
		while read -r pid _; do
			pid_alive "$pid" || start_fail "a server exited at start (pid $pid)"
		done <"$STATE/pids"
		missing=""
		local now
		now=$(listening)
		for p in "${PORTS[@]}"; do
			grep -qx "$p" <<<"$now" || missing="$missing $p"
		done
		if [ -n "$snmp" ] && ! nsx ss -Hlun 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | grep -qx "$snmp"; then
			missing="$missing $snmp/udp"
		fi
		[ -z "$missing" ] && break
		[ $SECONDS -ge $deadline ] &&
			start_fail "not listening after ${START_TIMEOUT}s:$missing"
		sleep 0.1
	done
	: >"$STATE/ports"
	for r in $ROLES; do
		echo "$r ${PORTS[$r]}" >>"$STATE/ports"
	done
	echo "lab.sh: lab '$NAME' started on $ADDR (state $STATE)"
}

do_status() {
	local pid tag n=0 up=0
	if [ ! -f "$STATE/pids" ]; then
		echo "lab '$NAME': not running"
		return 3
	fi
	while read -r pid tag; do
		n=$((n + 1))
		if pid_is "$pid" "$tag"; then
			up=$((up + 1))
			echo "running $tag pid $pid"
		else
			echo "DEAD    $tag pid $pid"
		fi
	done <"$STATE/pids"
	[ -f "$STATE/ports" ] && sed 's/^/port /' "$STATE/ports"
	[ $up = $n ] && return 0
	return 1
}

case $CMD in
start) do_start ;;
stop)
	if [ -d "$STATE" ]; then
		do_stop
		echo "lab.sh: lab '$NAME' stopped"
	else
		do_stop
	fi
	;;
status) do_status ;;
ports)
	for r in $ROLES; do
		echo "$r ${PORTS[$r]}"
	done
	;;
*) usage ;;
esac
