#!/usr/bin/env bash
# Install the dependencies, build, and run the whole test suite (unit
# suites and integration tests against the real servers of tests/lab/).
#   scripts/test.sh [BUILD_DIR] [cmake options...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
dir=${1:-$top/build}
shift || true
"$top/scripts/build.sh" "$dir" "$@"
cd "$dir"
ctest --output-on-failure --timeout 600
