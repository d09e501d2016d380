#!/usr/bin/env bash
# certexam — build the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with clang
# against the library sources and run each one for N seconds.
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     (default 10 s, every harness)
#   tests/fuzz/run.sh 5                          (CI)
#   tests/fuzz/run.sh 120 fuzz_csv fuzz_tls
#
# Environment: CX_FUZZ_BUILD (build folder, default build-fuzz in the
# source tree), CC (default clang), CX_FUZZ_ARGS (extra libFuzzer flags,
# e.g. "-max_len=65536").  Dictionaries: xml.dict for the XML readers,
# http.dict for the http parsers.
# Fuzzers run one at a time (a single process each), inside a new network
# namespace when unshare allows it (nothing can leave the machine), with
# TMPDIR pointing into a scratch folder that is removed on exit.  Every
# fuzzer is bounded by -max_total_time and by timeout(1).  Prints one
# summary line per harness; exits non-zero if a build failed or any
# harness found a crash, leak, undefined behaviour, timeout or OOM (the
# input is kept in BUILD/artifacts/HARNESS/).
set -u

secs=${1:-10}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS] [HARNESS...]" >&2
	exit 2
	;;
esac
[ $# -gt 0 ] && shift

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${CX_FUZZ_BUILD:-$root/build-fuzz}
cc=${CC:-clang}
case $cc in
*clang*) ;;
*) cc=clang ;;
esac
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "run.sh: clang not found; skipping" >&2
	exit 77
fi

mkdir -p "$build/obj" "$build/bin" "$build/corpus" "$build/artifacts" || exit 1
scratch=$(mktemp -d "$build/tmp.XXXXXX") || exit 1
cleanup() { rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

pkgs="libxml-2.0 libcurl openssl"
pkgs="$pkgs libpcap"
pc_cflags=$(pkg-config --cflags $pkgs) || exit 1
pc_libs=$(pkg-config --libs $pkgs) || exit 1

# The library's folders, as in CMakeLists.txt (CX_SRC_DIRS).
dirs="scanner/util scanner/case scanner/net scanner/record scanner checks
 checks/tls checks/http report"
incs=""
for d in $dirs; do incs="$incs -I$root/$d"; done

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -g -O1 -fno-omit-frame-pointer $san
 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
 -I$root/include $incs $pc_cflags
 -DCX_SOURCE_PROFILES=\"$root/profiles\"
 -DCX_INSTALL_PROFILES=\"/usr/local/share/certexam/profiles\"
 -DCX_FUZZ_PROFILES=\"$root/profiles\"
 -DCX_FUZZ_DATA=\"$root/tests/data\""

# --- build the library (instrumented for coverage), bounded in time ------
srcs=$(for d in $dirs; do ls "$root/$d"/*.c; done |
	grep -v '/scanner/main\.c$')
stale=""
for s in $srcs; do
	o="$build/obj/$(echo "${s#$root/}" | tr / _).o"
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] ||
		[ -n "$(find "$root/include" "$root/scanner" "$root/checks" \
			"$root/report" -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		stale="$stale $s"
	fi
done
if [ -n "$stale" ]; then
	export root build cc cflags
	# shellcheck disable=SC2086
	if ! printf '%s\n' $stale | timeout 1200 xargs -P 2 -I{} sh -c '
		s={}; o="$build/obj/$(echo "${s#$root/}" | tr / _).o"
		$cc $cflags -fsanitize=fuzzer-no-link -c "$s" -o "$o.tmp" &&
			mv "$o.tmp" "$o"'; then
		echo "run.sh: library build failed" >&2
		exit 1
	fi
fi
rm -f "$build/libcxfuzz.a"
ar rcs "$build/libcxfuzz.a" "$build"/obj/*.o || exit 1

# --- the harnesses --------------------------------------------------------
if [ $# -gt 0 ]; then
	harnesses="$*"
else
	harnesses=$(cd "$here" && ls fuzz_*.c | sed 's/\.c$//')
fi
for h in $harnesses; do
	if [ ! -f "$here/$h.c" ]; then
		echo "run.sh: no harness $h" >&2
		exit 2
	fi
	# shellcheck disable=SC2086
	if ! timeout 600 $cc $cflags -Wall -Wextra -Wpedantic -Werror \
		-fsanitize=fuzzer "$here/$h.c" "$build/libcxfuzz.a" \
		$pc_libs -lm -ldl -o "$build/bin/$h"; then
		echo "run.sh: building $h failed" >&2
		exit 1
	fi
done

# A network namespace of our own, so even a bug cannot send traffic.
isolate=""
if unshare -rn true 2>/dev/null; then
	isolate="unshare -rn"
elif unshare -n true 2>/dev/null; then
	isolate="unshare -n"
fi

export TMPDIR="$scratch"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

fail=0
for h in $harnesses; do
	work="$build/corpus/$h"
	art="$build/artifacts/$h"
	mkdir -p "$work" "$art" "$here/corpus/$h"
	log="$scratch/$h.log"
	extra=""
	case $h in
	fuzz_object_xml | fuzz_profile_xml | fuzz_run_xml)
		extra="-dict=$here/xml.dict" ;;
	fuzz_http) extra="-dict=$here/http.dict" ;;
	esac
	start=$(date +%s)
	# shellcheck disable=SC2086
	(cd "$scratch" && timeout -k 10 $((secs + 120)) $isolate "$build/bin/$h" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 \
		-artifact_prefix="$art/" $extra ${CX_FUZZ_ARGS:-} \
		"$work" "$here/corpus/$h" >"$log" 2>&1)
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | sed 's/cov: //')
	if [ $rc -eq 0 ]; then
		status=ok
	else
		status="FAILED (exit $rc)"
		fail=1
	fi
	printf '%-18s %s execs=%s exec/s=%s cov=%s time=%ss\n' "$h" \
		"$status" "${execs:-?}" "${rate:-?}" "${cov:-?}" $((end - start))
	if [ $rc -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==' \
			"$log" | head -20 | sed 's/^/    /'
		cp "$log" "$art/last.log"
	fi
done
exit $fail
