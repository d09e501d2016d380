#!/usr/bin/env bash
# certexam — the HTTP lab: one real nginx on 127.0.0.1, ports 22080-22099.
#
#   http-lab.sh start DIR   start the lab in DIR (created), print the ports
#   http-lab.sh stop DIR    stop exactly the nginx this script started in DIR
#
# Sites (every one on 127.0.0.1):
#   good      http 22080 -> 301 https 22443: HSTS 2 years + includeSubDomains
#             + preload, strict CSP (default-src 'none', base-uri,
#             form-action, frame-ancestors), XFO DENY, nosniff, no-referrer,
#             Permissions-Policy, COOP/COEP/CORP, __Host- session cookie with
#             Secure/HttpOnly/SameSite=Strict, Cache-Control: no-store,
#             security.txt, no version in Server.
#   mediocre  http 22081 -> 301 https 22444: HSTS max-age=86400, CSP with
#             'unsafe-inline' 'unsafe-eval' https: and no frame-ancestors,
#             X-Frame-Options ALLOW-FROM, Referrer-Policy unsafe-url,
#             SameSite=None cookie, an invalid __Host- cookie (Path=/app),
#             X-XSS-Protection.
#   bad       http 22082 only: Server with version, X-Powered-By, PHPSESSID
#             without flags, CORS reflecting Origin with credentials,
#             autoindex on /files/, /.git/ and /.env, stub_status on
#             /nginx_status, an external http:// script without SRI, a
#             password form over http, robots.txt hiding /admin/.
#   soft404   http 22083: answers 200 to every path with a page that echoes
#             the path (a soft-404 server); nothing on it is exposed.
#   methods   http 22084 (python3, tests/lab/http/methods_server.py):
#             OPTIONS advertises TRACE/PROPFIND/PUT/DELETE, TRACE and TRACK
#             echo, PROPFIND answers 207, PUT 201, DELETE 204.
#   offsite   http 22085: 302 to http://203.0.113.9:22085/next, outside the
#             scope (not in LAB_PORTS; scanned as a URL target).
#   csp       http 22090, as URL targets: /meta/ (policy only in a meta tag,
#             'unsafe-inline' beside a nonce, frame-ancestors ignored there),
#             /ro/ (Report-Only alone), /dup/ (script-src twice).
#   breach    https 27443: gzip on, a session cookie sid (Secure, HttpOnly,
#             no SameSite) and a form with a hidden CSRF field (BREACH).
#   gzip      https 27444: gzip on, a public page without cookie or form.
#             (breach and gzip are scanned as URL targets, not in LAB_PORTS.)
#   hostile   22086 flood (5000 headers, a 200 KiB header, endless body),
#             22087 silent, 22088 garbage, 22089 endless body (python3,
#             tests/lab/http/hostile_server.py; not in LAB_PORTS);
#             27001 a 100 KB Set-Cookie, 27002 122 cookies, 27003 300
#             header fields (the same script; not in LAB_PORTS).
#
# DIR and its parents must be searchable by the nginx workers (user
# nobody): the script makes DIR 0755, the caller its parents.
# Certificates come from openssl at start: a lab CA (DIR/ca.pem) and one
# leaf for 127.0.0.1/localhost.  The nginx master PID is recorded in
# DIR/nginx.pid by this script ($! of the foreground nginx), the python
# servers' in DIR/methods.pid and DIR/hostile.pid, and stop kills those PIDs
# only.  Every port is fixed, so a second lab cannot run at once.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SITES="$HERE/http"
LAB_V6=0
if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
	LAB_V6=1
fi

GOOD_HTTP=22080
GOOD_HTTPS=22443
MED_HTTP=22081
MED_HTTPS=22444
BAD_HTTP=22082
SOFT_HTTP=22083
METHODS_HTTP=22084
OFFSITE_HTTP=22085
FLOOD_HTTP=22086
SILENT_HTTP=22087
GARBAGE_HTTP=22088
ENDLESS_HTTP=22089
CSP_HTTP=22090
BREACH_HTTPS=27443
GZIP_HTTPS=27444
LONGCOOKIE_HTTP=27001
MANYCOOKIES_HTTP=27002
MANYFIELDS_HTTP=27003

die() {
	echo "http-lab: $*" >&2
	exit 1
}

make_certs() {
	local d=$1
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-subj "/CN=certexam http lab CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
		-keyout "$d/leaf.key" -out "$d/leaf.csr" >/dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/leaf.ext"
	openssl x509 -req -in "$d/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/leaf.ext" \
		-out "$d/leaf.pem" >/dev/null 2>&1
	cat "$d/leaf.pem" "$d/ca.pem" >"$d/chain.pem"
}

write_conf() {
	local d=$1 V6_LISTEN=""
	if [ "$LAB_V6" = 1 ]; then
		V6_LISTEN="listen [::1]:$BAD_HTTP;"
	fi
	cat >"$d/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $d/nginx.master.pid;
error_log $d/error.log warn;
events { worker_connections 256; }
http {
    access_log $d/access.log;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    types { text/html html; text/plain txt; application/javascript js; }
    default_type application/octet-stream;
    ssl_certificate $d/chain.pem;
    ssl_certificate_key $d/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000;

    # good: http redirects to https on the same host
    server {
        listen 127.0.0.1:$GOOD_HTTP;
        server_tokens off;
        return 301 https://\$host:$GOOD_HTTPS\$request_uri;
    }
    server {
        listen 127.0.0.1:$GOOD_HTTPS ssl;
        server_tokens off;
        root $d/sites/good;
        add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;
        add_header Content-Security-Policy "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'" always;
        add_header X-Frame-Options "DENY" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header Referrer-Policy "no-referrer" always;
        add_header Permissions-Policy "geolocation=(), camera=(), microphone=()" always;
        add_header Cross-Origin-Opener-Policy "same-origin" always;
        add_header Cross-Origin-Embedder-Policy "require-corp" always;
        add_header Cross-Origin-Resource-Policy "same-origin" always;
        add_header Cache-Control "no-store" always;
        add_header Set-Cookie "__Host-sessionid=lab1; Path=/; Secure; HttpOnly; SameSite=Strict" always;
        location = /.well-known/security.txt {
            default_type text/plain;
            return 200 "Contact: mailto:security@example.org\nExpires: 2030-01-01T00:00:00.000Z\n";
        }
    }

    # mediocre
    server {
        listen 127.0.0.1:$MED_HTTP;
        server_tokens off;
        return 301 https://\$host:$MED_HTTPS\$request_uri;
    }
    server {
        listen 127.0.0.1:$MED_HTTPS ssl;
        server_tokens off;
        root $d/sites/mediocre;
        add_header Strict-Transport-Security "max-age=86400" always;
        add_header Content-Security-Policy "default-src 'self' https:; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:; object-src 'none'" always;
        add_header X-Frame-Options "ALLOW-FROM https://partner.example" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header Referrer-Policy "unsafe-url" always;
        add_header X-XSS-Protection "1; mode=block" always;
        add_header Set-Cookie "prefs=dark; Path=/; Secure; SameSite=None" always;
        add_header Set-Cookie "__Host-sid=lab2; Path=/app; Secure; HttpOnly; SameSite=Lax" always;
    }

    # bad: http only (also on [::1] when the machine has IPv6 loopback)
    server {
        listen 127.0.0.1:$BAD_HTTP;
        $V6_LISTEN
        server_tokens on;
        root $d/sites/bad;
        add_header X-Powered-By "PHP/8.1.2" always;
        add_header Set-Cookie "PHPSESSID=lab3abc; Path=/" always;
        add_header Access-Control-Allow-Origin \$http_origin always;
        add_header Access-Control-Allow-Credentials "true" always;
        location /files/ { autoindex on; }
        location = /nginx_status { stub_status; }
    }

    # offsite: redirects to an address outside any lab scope (TEST-NET-3);
    # the check must record it and never connect there
    server {
        listen 127.0.0.1:$OFFSITE_HTTP;
        server_tokens off;
        return 302 http://203.0.113.9:$OFFSITE_HTTP/next;
    }

    # csp: policies by path (scanned as URL targets)
    server {
        listen 127.0.0.1:$CSP_HTTP;
        server_tokens off;
        root $d/sites/csp;
        location /ro/ {
            add_header Content-Security-Policy-Report-Only "default-src 'self'; report-uri /csp" always;
        }
        location /dup/ {
            add_header Content-Security-Policy "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; script-src *" always;
        }
    }

    # breach: a compressed https page carrying secrets (cookie, CSRF field)
    server {
        listen 127.0.0.1:$BREACH_HTTPS ssl;
        server_tokens off;
        root $d/sites/breach;
        gzip on;
        gzip_min_length 1;
        add_header Set-Cookie "sid=lab5; Path=/; Secure; HttpOnly" always;
    }
    # gzip: a compressed https page without secrets
    server {
        listen 127.0.0.1:$GZIP_HTTPS ssl;
        server_tokens off;
        root $d/sites/gzip;
        gzip on;
        gzip_min_length 1;
    }

    # soft-404: 200 for every path, echoing the path
    server {
        listen 127.0.0.1:$SOFT_HTTP;
        server_tokens off;
        location / {
            default_type text/html;
            return 200 "<html><head><title>Portal</title></head><body><p>The page \$uri is not available.</p></body></html>\n";
        }
    }
}
EOF
}

port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

wait_port() {
	local port=$1 i
	for i in $(seq 1 50); do
		port_open "$port" && return 0
		sleep 0.1
	done
	return 1
}

# Alive and not a zombie (an orphan is not always reaped in containers).
alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)
	[ "$st" != Z ]
}

all_ports() {
	echo $GOOD_HTTP $GOOD_HTTPS $MED_HTTP $MED_HTTPS $BAD_HTTP $SOFT_HTTP \
		$METHODS_HTTP $OFFSITE_HTTP $FLOOD_HTTP $SILENT_HTTP $GARBAGE_HTTP \
		$ENDLESS_HTTP $CSP_HTTP $BREACH_HTTPS $GZIP_HTTPS $LONGCOOKIE_HTTP \
		$MANYCOOKIES_HTTP $MANYFIELDS_HTTP
}

start() {
	local d=$1 pid p
	[ -n "$d" ] || die "usage: $0 start DIR"
	mkdir -p "$d"
	d=$(cd "$d" && pwd)
	[ -e "$d/nginx.pid" ] && die "$d/nginx.pid exists: lab already running?"
	for p in $(all_ports); do
		port_open "$p" && die "127.0.0.1:$p is already in use (another lab?)"
	done
	mkdir -p "$d/tmp" "$d/sites"
	cp -r "$SITES/good" "$SITES/mediocre" "$SITES/bad" "$SITES/csp" \
		"$SITES/breach" "$SITES/gzip" "$d/sites/"
	mkdir -p "$d/sites/bad/.git"
	printf 'ref: refs/heads/main\n' >"$d/sites/bad/.git/HEAD"
	printf '[core]\n\trepositoryformatversion = 0\n\tbare = false\n' \
		>"$d/sites/bad/.git/config"
	printf 'APP_ENV=production\nDB_PASSWORD=lab-not-a-secret\n' \
		>"$d/sites/bad/.env"
	chmod -R a+rX "$d/sites"
	chmod 755 "$d"
	make_certs "$d"
	write_conf "$d"
	nginx -t -q -c "$d/nginx.conf" -p "$d" 2>"$d/nginx-t.log" ||
		die "nginx config test failed: $(cat "$d/nginx-t.log")"
	nginx -c "$d/nginx.conf" -p "$d" >"$d/nginx.out" 2>&1 &
	pid=$!
	echo "$pid" >"$d/nginx.pid"
	python3 "$SITES/methods_server.py" "$METHODS_HTTP" \
		>"$d/methods.out" 2>&1 &
	pid=$!
	echo "$pid" >"$d/methods.pid"
	python3 "$SITES/hostile_server.py" "$FLOOD_HTTP" "$SILENT_HTTP" \
		"$GARBAGE_HTTP" "$ENDLESS_HTTP" "$LONGCOOKIE_HTTP" \
		"$MANYCOOKIES_HTTP" "$MANYFIELDS_HTTP" >"$d/hostile.out" 2>&1 &
	pid=$!
	echo "$pid" >"$d/hostile.pid"
	for p in $(all_ports); do
		if ! wait_port "$p"; then
			stop "$d"
			die "port $p did not open"
		fi
	done
	for p in nginx methods hostile; do
		if ! alive "$(cat "$d/$p.pid")"; then
			stop "$d"
			die "$p exited: $(tail -n 3 "$d/error.log" "$d/$p.out" 2>/dev/null)"
		fi
	done
	cat >"$d/ports.env" <<EOF
GOOD_HTTP=$GOOD_HTTP
GOOD_HTTPS=$GOOD_HTTPS
MED_HTTP=$MED_HTTP
MED_HTTPS=$MED_HTTPS
BAD_HTTP=$BAD_HTTP
SOFT_HTTP=$SOFT_HTTP
METHODS_HTTP=$METHODS_HTTP
OFFSITE_HTTP=$OFFSITE_HTTP
FLOOD_HTTP=$FLOOD_HTTP
SILENT_HTTP=$SILENT_HTTP
GARBAGE_HTTP=$GARBAGE_HTTP
ENDLESS_HTTP=$ENDLESS_HTTP
CSP_HTTP=$CSP_HTTP
BREACH_HTTPS=$BREACH_HTTPS
GZIP_HTTPS=$GZIP_HTTPS
LONGCOOKIE_HTTP=$LONGCOOKIE_HTTP
MANYCOOKIES_HTTP=$MANYCOOKIES_HTTP
MANYFIELDS_HTTP=$MANYFIELDS_HTTP
LAB_V6=$LAB_V6
LAB_PORTS=$GOOD_HTTP,$GOOD_HTTPS,$MED_HTTP,$MED_HTTPS,$BAD_HTTP,$SOFT_HTTP,$METHODS_HTTP
LAB_CA=$d/ca.pem
EOF
	cat "$d/ports.env"
}

stop_pid() { # DIR/NAME.pid: stop exactly that process
	local f=$1 pid i
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	if [ -n "$pid" ] && alive "$pid"; then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 50); do
			alive "$pid" || break
			sleep 0.1
		done
		alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$f"
}

stop() {
	local d=$1 i p busy
	[ -n "$d" ] || die "usage: $0 stop DIR"
	stop_pid "$d/hostile.pid"
	stop_pid "$d/methods.pid"
	stop_pid "$d/nginx.pid"
	# nginx's workers close their sockets a moment after the master
	for i in $(seq 1 30); do
		busy=0
		for p in $(all_ports); do
			port_open "$p" && busy=1
		done
		[ "$busy" = 0 ] && return 0
		sleep 0.1
	done
	return 0
}

case "${1:-}" in
start) start "${2:-}" ;;
stop) stop "${2:-}" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
