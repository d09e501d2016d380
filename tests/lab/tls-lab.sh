#!/usr/bin/env bash
# certexam — the TLS lab: real TLS servers on 127.0.0.1, ports 21001-21025
# and 26001-26099.
#
#   tls-lab.sh start DIR   start the lab in DIR (created); writes DIR/ports.env
#   tls-lab.sh stop DIR    stop exactly the processes this script started
#
# Endpoints (all on 127.0.0.1; certificates made by openssl at start, a lab
# root CA DIR/root.pem -> intermediate -> leaves for "localhost"):
#   21001 modern     nginx TLS 1.2 + 1.3, ECDHE + AEAD only, full chain;
#                    SNI "vm" or "runsc" selects a second certificate
#   21002 legacy     nginx TLS 1.0/1.1/1.2, ALL:@SECLEVEL=0, 1024-bit DHE
#   21003 expired    nginx, leaf valid 2020-01-01 .. 2021-01-01 (openssl ca)
#   21004 selfsigned nginx, self-signed leaf
#   21005 wronghost  nginx, leaf for wrong.example only
#   21006 incomplete nginx, leaf without its intermediate
#   21007 rsa1024    nginx, 1024-bit RSA leaf (SECLEVEL=0)
#   21008 sha1       nginx, SHA-1-signed leaf (SECLEVEL=0)
#   21009 ocsp       nginx, OCSP stapling from a response made offline
#                    with `openssl ocsp` (ssl_stapling_file)
#   21010 sserver    openssl s_server -www, TLS 1.2 only, renegotiation on
#   21011 ancient    tests/lab/tls/responder.py: SSLv2, SSLv3, TLS 1.0 with
#                    RC4 / 3DES / DES / export / 512-bit DHE suites, DEFLATE,
#                    heartbeat that leaks (a simulator: it sends zeros),
#                    a Bleichenbacher padding oracle (ROBOT)
#   21012 tls13only  nginx TLS 1.3 only
#   21013-21020      nginx, copies of "modern" (20 endpoints for benchmarks)
#   21021 smtp       the responder behind SMTP STARTTLS (RFC 3207)
#   21022 drownkey   nginx TLS 1.2 with the responder's (SSLv2) key: DROWN
#   21023 imap, 21024 pop3, 21025 ftp: the responder behind IMAP STARTTLS,
#                    POP3 STLS and FTP AUTH TLS
#   26001 backlog    socat OPENSSL-LISTEN with a listen backlog of 5 (when
#                    socat is installed): parallel probes lose connections
#   26002 rootonly   nginx, leaf signed directly by a second lab root that is
#                    in no store, leaf only, no AIA caIssuers: untrusted root
#   26003 ipcert     nginx, leaf whose only SAN is IP:127.0.0.1
#   26004 ftpignore  the responder as an FTP server that never answers
#                    AUTH TLS
#   26005 gost       openssl s_server -engine gost, TLS 1.2, a GOST R
#                    34.10-2012 (256) certificate, Kuznyechik, Magma and
#                    28147 suites (when libengine-gost-openssl is installed)
#   26006 nca        the responder with a certificate whose key algorithm
#                    is 1.2.398.3.10.1.1.1.1 (the arc of Kazakhstan's national
#                    certification centre, unknown to OpenSSL)
#   26007 dhcommon   openssl s_server, TLS 1.2 DHE only with the RFC 2409
#                    Oakley group 2 prime (1024 bits, widely shared)
#   26008 longticket nginx, session tickets valid for 2 days
#                    (ssl_session_timeout 2d: lifetime hint 172800 s)
#   26009 ticketbleed tests/lab/tls/ticketbleed.py: Python's TLS 1.2 server
#                    behind a front that answers a ticket with a 1-byte
#                    session ID as F5's vulnerable stacks did (CVE-2016-9244)
#   26010 sserver13  openssl s_server -www, TLS 1.3 only: NewSessionTicket
#                    after the handshake (lifetime 7200 s), resumption by PSK
#   26011 sserver13nt openssl s_server -www, TLS 1.3 only, -num_tickets 0:
#                    no ticket at all
# The "incomplete" leaf (21006) names its intermediate by AIA caIssuers.
# PIDs go to DIR/*.pid as recorded by this script ($!); stop kills those.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
P_MODERN=21001 P_LEGACY=21002 P_EXPIRED=21003 P_SELF=21004 P_WRONG=21005
P_INCOMPLETE=21006 P_RSA1024=21007 P_SHA1=21008 P_OCSP=21009
P_SSERVER=21010 P_ANCIENT=21011 P_TLS13=21012 P_SMTP=21021 P_DROWN=21022
P_IMAP=21023 P_POP3=21024 P_FTP=21025
P_EXTRA="21013 21014 21015 21016 21017 21018 21019 21020"
P_BACKLOG=26001 P_ROOTONLY=26002 P_IPCERT=26003 P_FTPIGNORE=26004
P_GOST=26005 P_NCA=26006 P_DHCOMMON=26007 P_LONGTICKET=26008 P_TICKETBLEED=26009
P_SSERVER13=26010 P_SSERVER13NT=26011
ALL_PORTS="$P_MODERN $P_LEGACY $P_EXPIRED $P_SELF $P_WRONG $P_INCOMPLETE $P_RSA1024 $P_SHA1 $P_OCSP $P_SSERVER $P_ANCIENT $P_TLS13 $P_EXTRA $P_SMTP $P_DROWN $P_IMAP $P_POP3 $P_FTP $P_ROOTONLY $P_IPCERT $P_FTPIGNORE $P_NCA $P_DHCOMMON $P_LONGTICKET $P_TICKETBLEED $P_SSERVER13 $P_SSERVER13NT"
if openssl engine -t gost >/dev/null 2>&1; then
	ALL_PORTS="$ALL_PORTS $P_GOST"
else
	P_GOST=
fi
if command -v socat >/dev/null 2>&1; then
	ALL_PORTS="$ALL_PORTS $P_BACKLOG"
else
	P_BACKLOG=
fi

die() {
	echo "tls-lab: $*" >&2
	exit 1
}

q() { "$@" >/dev/null 2>&1 || die "failed: $*"; }

# A tiny CA directory for `openssl ca` (it can backdate, x509 -req can't).
ca_conf() {
	local d=$1 name=$2
	mkdir -p "$d/$name.db"
	: >"$d/$name.db/index.txt"
	echo 1000 >"$d/$name.db/serial"
	cat >"$d/$name.cnf" <<EOF
[ ca ]
default_ca = lab
[ lab ]
dir = $d/$name.db
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
certificate = $d/$name.pem
private_key = $d/$name.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
authorityInfoAccess = OCSP;URI:http://127.0.0.1:21999/
[ leafaia ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
authorityInfoAccess = OCSP;URI:http://127.0.0.1:21999/,caIssuers;URI:http://127.0.0.1:21999/inter.crt
[ inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
EOF
}

sign() { # ca-name csr out san [extra openssl ca args]
	local d=$1 ca=$2 csr=$3 out=$4 san=$5
	shift 5
	SAN=$san q openssl ca -batch -config "$d/$ca.cnf" -extensions "${EXT:-leaf}" \
		-in "$csr" -out "$out" -notext "$@"
}

make_certs() {
	local d=$1
	q openssl req -x509 -newkey rsa:2048 -nodes -days 800 -sha256 \
		-subj "/CN=certexam TLS lab root" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$d/root.key" -out "$d/root.pem"
	ca_conf "$d" root
	q openssl req -newkey rsa:2048 -nodes -subj "/CN=certexam TLS lab intermediate" \
		-keyout "$d/inter.key" -out "$d/inter.csr"
	SAN=DNS:unused q openssl ca -batch -config "$d/root.cnf" -extensions inter \
		-in "$d/inter.csr" -out "$d/inter.pem" -notext -days 800
	ca_conf "$d" inter
	# one 2048-bit key for most leaves, a 1024-bit one, one for the responder
	q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/leaf.key"
	q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$d/weak.key"
	q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$d/ancient.key"
	q openssl req -new -key "$d/leaf.key" -subj "/CN=localhost" -out "$d/leaf.csr"
	q openssl req -new -key "$d/weak.key" -subj "/CN=localhost" -out "$d/weak.csr"
	q openssl req -new -key "$d/leaf.key" -subj "/CN=wrong.example" -out "$d/wrong.csr"
	local SANL="DNS:localhost,IP:127.0.0.1"
	sign "$d" inter "$d/leaf.csr" "$d/good.crt" "$SANL" -days 400
	sign "$d" inter "$d/leaf.csr" "$d/expired.crt" "$SANL" \
		-startdate 20200101000000Z -enddate 20210101000000Z
	sign "$d" inter "$d/wrong.csr" "$d/wrong.crt" "DNS:wrong.example" -days 400
	sign "$d" inter "$d/weak.csr" "$d/weak.crt" "$SANL" -days 400
	sign "$d" inter "$d/leaf.csr" "$d/sha1.crt" "$SANL" -days 400 -md sha1
	sign "$d" inter "$d/leaf.csr" "$d/alt.crt" "DNS:vm,DNS:runsc" -days 400
	cat "$d/good.crt" "$d/inter.pem" >"$d/good.chain"
	cat "$d/expired.crt" "$d/inter.pem" >"$d/expired.chain"
	cat "$d/wrong.crt" "$d/inter.pem" >"$d/wrong.chain"
	cat "$d/weak.crt" "$d/inter.pem" >"$d/weak.chain"
	cat "$d/sha1.crt" "$d/inter.pem" >"$d/sha1.chain"
	cat "$d/alt.crt" "$d/inter.pem" >"$d/alt.chain"
	EXT=leafaia sign "$d" inter "$d/leaf.csr" "$d/incomplete.chain" "$SANL" -days 400
	sign "$d" inter "$d/leaf.csr" "$d/ipcert.crt" "IP:127.0.0.1" -days 400
	cat "$d/ipcert.crt" "$d/inter.pem" >"$d/ipcert.chain"
	# a second root, in no store: the leaf it signs is sent alone
	q openssl req -x509 -newkey rsa:2048 -nodes -days 800 -sha256 \
		-subj "/CN=certexam TLS lab root 2" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$d/root2.key" -out "$d/root2.pem"
	ca_conf "$d" root2
	sign "$d" root2 "$d/leaf.csr" "$d/rootonly.chain" "$SANL" -days 400
	q openssl req -x509 -key "$d/leaf.key" -days 400 -sha256 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$d/self.chain"
	q openssl req -x509 -key "$d/ancient.key" -days 400 -sha256 -subj "/CN=localhost" \
		-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$d/ancient.pem"
	q openssl x509 -in "$d/ancient.pem" -outform DER -out "$d/ancient.der"
	openssl pkey -in "$d/ancient.key" -noout -text >"$d/ancient.keytext" 2>/dev/null ||
		die "openssl pkey -text failed"
	q openssl dhparam -dsaparam -out "$d/dh1024.pem" 1024
	# the RSA key OID 1.2.840.113549.1.1.1 replaced by 1.2.398.3.10.1.1.1.1
	# (same length): a key algorithm of the NCA arc, unknown to OpenSSL
	python3 - "$d/ancient.der" "$d/nca.der" <<'PY' || die "nca certificate"
import sys
b = open(sys.argv[1], "rb").read()
rsa = bytes.fromhex("06092a864886f70d010101")
nca = bytes.fromhex("06092a830e030a01010101")
assert b.count(rsa) == 1
open(sys.argv[2], "wb").write(b.replace(rsa, nca))
PY
	if [ -n "$P_GOST" ]; then
		q openssl genpkey -engine gost -algorithm gost2012_256 -pkeyopt paramset:A -out "$d/gost.key"
		q openssl req -engine gost -x509 -key "$d/gost.key" -days 400 -subj "/CN=localhost" \
			-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -out "$d/gost.crt"
	fi
	# OCSP response for good.crt, made offline, valid 2 days
	q openssl ocsp -issuer "$d/inter.pem" -cert "$d/good.crt" -no_nonce -reqout "$d/ocsp.req"
	q openssl ocsp -index "$d/inter.db/index.txt" -rsigner "$d/inter.pem" \
		-rkey "$d/inter.key" -CA "$d/inter.pem" -reqin "$d/ocsp.req" \
		-respout "$d/ocsp.der" -ndays 2
}

server_block() { # port chain key extra...
	local port=$1 chain=$2 key=$3
	shift 3
	cat <<EOF
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $chain;
        ssl_certificate_key $key;
        $*
        location / { return 200 "tls lab $port\n"; }
    }
EOF
}

write_conf() {
	local d=$1
	local modern="ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305; ssl_prefer_server_ciphers on; ssl_ecdh_curve X25519:prime256v1:secp384r1;"
	local weak="ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256:@SECLEVEL=0;"
	{
		cat <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $d/nginx.master.pid;
error_log $d/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    server_tokens off;
EOF
		server_block $P_MODERN "$d/good.chain" "$d/leaf.key" "$modern"
		# a second virtual host on the same port, chosen by SNI "vm"/"runsc"
		server_block $P_MODERN "$d/alt.chain" "$d/leaf.key" "$modern server_name vm runsc;"
		server_block $P_LEGACY "$d/good.chain" "$d/leaf.key" \
			"ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers ALL:@SECLEVEL=0; ssl_prefer_server_ciphers on; ssl_dhparam $d/dh1024.pem; ssl_ecdh_curve prime256v1:secp384r1;"
		server_block $P_EXPIRED "$d/expired.chain" "$d/leaf.key" "$modern"
		server_block $P_SELF "$d/self.chain" "$d/leaf.key" "$modern"
		server_block $P_WRONG "$d/wrong.chain" "$d/leaf.key" "$modern"
		server_block $P_INCOMPLETE "$d/incomplete.chain" "$d/leaf.key" "$modern"
		server_block $P_RSA1024 "$d/weak.chain" "$d/weak.key" "$weak"
		server_block $P_SHA1 "$d/sha1.chain" "$d/leaf.key" "$weak"
		server_block $P_OCSP "$d/good.chain" "$d/leaf.key" \
			"$modern ssl_stapling on; ssl_stapling_file $d/ocsp.der;"
		server_block $P_TLS13 "$d/good.chain" "$d/leaf.key" "ssl_protocols TLSv1.3;"
		server_block $P_DROWN "$d/ancient.pem" "$d/ancient.key" "$weak"
		server_block $P_ROOTONLY "$d/rootonly.chain" "$d/leaf.key" "$modern"
		server_block $P_IPCERT "$d/ipcert.chain" "$d/leaf.key" "$modern"
		server_block $P_LONGTICKET "$d/good.chain" "$d/leaf.key" \
			"$modern ssl_session_tickets on; ssl_session_timeout 2d;"
		for p in $P_EXTRA; do
			server_block "$p" "$d/good.chain" "$d/leaf.key" "$modern"
		done
		echo "}"
	} >"$d/nginx.conf"
}

wait_port() {
	local port=$1 i
	for i in $(seq 1 50); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

start() {
	local d=$1 p
	[ -n "$d" ] || die "usage: $0 start DIR"
	mkdir -p "$d"
	d=$(cd "$d" && pwd)
	[ -e "$d/nginx.pid" ] && die "$d/nginx.pid exists: lab already running?"
	mkdir -p "$d/tmp"
	make_certs "$d"
	write_conf "$d"
	nginx -t -q -c "$d/nginx.conf" -p "$d" 2>"$d/nginx-t.log" ||
		die "nginx config test failed: $(cat "$d/nginx-t.log")"
	nginx -c "$d/nginx.conf" -p "$d" >"$d/nginx.out" 2>&1 &
	echo $! >"$d/nginx.pid"
	openssl s_server -quiet -www -accept "127.0.0.1:$P_SSERVER" \
		-cert "$d/good.crt" -key "$d/leaf.key" -cert_chain "$d/inter.pem" \
		-no_tls1_3 -client_renegotiation -cipher 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA256' \
		</dev/null >"$d/s_server.out" 2>&1 &
	echo $! >"$d/s_server.pid"
	python3 "$HERE/tls/responder.py" --port "$P_ANCIENT" \
		--cert "$d/ancient.der" --key-text "$d/ancient.keytext" --smtp-port "$P_SMTP" \
		--imap-port "$P_IMAP" --pop3-port "$P_POP3" --ftp-port "$P_FTP" --ftp-ignore-port "$P_FTPIGNORE" \
		>"$d/responder.out" 2>&1 &
	echo $! >"$d/responder.pid"
	python3 "$HERE/tls/responder.py" --port "$P_NCA" --cert "$d/nca.der" \
		>"$d/responder-nca.out" 2>&1 &
	echo $! >"$d/responder-nca.pid"
	# DHE with the RFC 2409 Oakley group 2 prime (tests/lab/tls/rfc2409-1024.pem,
	# written from the published value), TLS 1.2 only
	openssl s_server -quiet -www -accept "127.0.0.1:$P_DHCOMMON" \
		-cert "$d/good.crt" -key "$d/leaf.key" -cert_chain "$d/inter.pem" \
		-tls1_2 -dhparam "$HERE/tls/rfc2409-1024.pem" \
		-cipher 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' \
		</dev/null >"$d/s_server-dh.out" 2>&1 &
	echo $! >"$d/s_server-dh.pid"
	# TLS 1.3 only: with its default tickets, and with none
	openssl s_server -quiet -www -accept "127.0.0.1:$P_SSERVER13" \
		-cert "$d/good.crt" -key "$d/leaf.key" -cert_chain "$d/inter.pem" \
		-tls1_3 </dev/null >"$d/s_server-13.out" 2>&1 &
	echo $! >"$d/s_server-13.pid"
	openssl s_server -quiet -www -accept "127.0.0.1:$P_SSERVER13NT" \
		-cert "$d/good.crt" -key "$d/leaf.key" -cert_chain "$d/inter.pem" \
		-tls1_3 -num_tickets 0 </dev/null >"$d/s_server-13nt.out" 2>&1 &
	echo $! >"$d/s_server-13nt.pid"
	python3 "$HERE/tls/ticketbleed.py" --port "$P_TICKETBLEED" \
		--cert "$d/good.chain" --key "$d/leaf.key" >"$d/ticketbleed.out" 2>&1 &
	echo $! >"$d/ticketbleed.pid"
	if [ -n "$P_GOST" ]; then
		openssl s_server -engine gost -quiet -www -accept "127.0.0.1:$P_GOST" \
			-cert "$d/gost.crt" -key "$d/gost.key" -tls1_2 -cipher 'ALL:GOST' \
			</dev/null >"$d/s_server-gost.out" 2>&1 &
		echo $! >"$d/s_server-gost.pid"
	fi
	if [ -n "$P_BACKLOG" ]; then
		socat "OPENSSL-LISTEN:$P_BACKLOG,bind=127.0.0.1,reuseaddr,backlog=5,fork,cert=$d/good.chain,key=$d/leaf.key,verify=0" \
			SYSTEM:'echo tls lab backlog' >"$d/socat.out" 2>&1 &
		echo $! >"$d/socat.pid"
	fi
	for p in $ALL_PORTS; do
		if ! wait_port "$p"; then
			stop "$d"
			die "port $p did not open"
		fi
	done
	cat >"$d/ports.env" <<EOF
P_MODERN=$P_MODERN
P_LEGACY=$P_LEGACY
P_EXPIRED=$P_EXPIRED
P_SELF=$P_SELF
P_WRONG=$P_WRONG
P_INCOMPLETE=$P_INCOMPLETE
P_RSA1024=$P_RSA1024
P_SHA1=$P_SHA1
P_OCSP=$P_OCSP
P_SSERVER=$P_SSERVER
P_ANCIENT=$P_ANCIENT
P_TLS13=$P_TLS13
P_EXTRA="$P_EXTRA"
P_SMTP=$P_SMTP
P_DROWN=$P_DROWN
P_IMAP=$P_IMAP
P_POP3=$P_POP3
P_FTP=$P_FTP
P_BACKLOG=$P_BACKLOG
P_ROOTONLY=$P_ROOTONLY
P_IPCERT=$P_IPCERT
P_FTPIGNORE=$P_FTPIGNORE
P_GOST=$P_GOST
P_NCA=$P_NCA
P_DHCOMMON=$P_DHCOMMON
P_LONGTICKET=$P_LONGTICKET
P_TICKETBLEED=$P_TICKETBLEED
P_SSERVER13=$P_SSERVER13
P_SSERVER13NT=$P_SSERVER13NT
ALL_PORTS="$ALL_PORTS"
ROOT_CA=$d/root.pem
EOF
	echo "$ALL_PORTS"
}

stop() {
	local d=$1 f pid i
	[ -n "$d" ] && [ -d "$d" ] || return 0
	for f in "$d/nginx.pid" "$d/s_server.pid" "$d/responder.pid" "$d/socat.pid" \
		"$d/responder-nca.pid" "$d/s_server-gost.pid" "$d/s_server-dh.pid" "$d/ticketbleed.pid" \
		"$d/s_server-13.pid" "$d/s_server-13nt.pid"; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill "$pid" 2>/dev/null || true
			for i in $(seq 1 30); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$f"
	done
}

case "${1:-}" in
start) start "${2:-}" ;;
stop) stop "${2:-}" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
