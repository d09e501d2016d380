#!/usr/bin/env bash
# Install what certexam needs to build, test and run its lab (Debian 12).
# Idempotent: packages already present are not reinstalled. Services are
# never started by the install (policy-rc.d), so no nginx or sshd appears
# on the machine's real ports.
set -euo pipefail

PKGS=(build-essential cmake pkg-config gcc clang clang-format chromium poppler-utils fonts-dejavu-core
      libpcap-dev libcurl4-openssl-dev libssl-dev libxml2-dev libxml2-utils
      check nginx openssh-server openssh-client openssl python3 iproute2
      iptables jq procps time strace socat libengine-gost-openssl
      snmpd dnsmasq-base chrony tcpdump)
# Benchmarks only (the anchors certexam is measured against).
BENCH_PKGS=(nmap sslscan testssl.sh bc)

want=("${PKGS[@]}")
if [ "${1:-}" = "--bench" ]; then want+=("${BENCH_PKGS[@]}"); fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: need root to install: ${missing[*]}" >&2
	exit 2
fi
echo "deps.sh: installing ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	created_policy=1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
