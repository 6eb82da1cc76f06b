#!/usr/bin/env bash
# Runs every fuzz target of the main module for a bounded time each. The
# seed corpora in testdata/fuzz are committed and always run by `go test`.
#
# Go 1.26's fuzzing coordinator can end a run that found nothing with
# "context deadline exceeded" at the -fuzztime boundary (a race between the
# deadline and its workers' context: golang/go#75804, fixed in Go 1.27).
# Such a run wrote no failing input; it is run once more, and fails the
# script if it ends so again. Any run that writes a failing input fails.
set -euo pipefail
fuzztime="${1:-20s}"
cd "$(dirname "$0")/.."

# fuzz_one PKG DIR TARGET: one bounded run; 0 passed, 1 failed, 2 the
# coordinator's deadline race (no input written).
fuzz_one() {
  local pkg=$1 dir=$2 target=$3 log before after
  log=$(mktemp)
  before=$(find "$dir/testdata/fuzz/$target" -type f 2>/dev/null | wc -l)
  if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "$pkg" </dev/null 2>&1 | tee "$log"; then
    rm -f "$log"
    return 0
  fi
  after=$(find "$dir/testdata/fuzz/$target" -type f 2>/dev/null | wc -l)
  if [ "$after" = "$before" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
    rm -f "$log"
    return 2
  fi
  rm -f "$log"
  return 1
}

for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  while read -r target; do
    echo "fuzz: $pkg $target for $fuzztime"
    rc=0
    fuzz_one "$pkg" "$dir" "$target" || rc=$?
    if [ "$rc" = 2 ]; then
      echo "fuzz: $target ended with the coordinator's deadline race (golang/go#75804), no input written: once more"
      rc=0
      fuzz_one "$pkg" "$dir" "$target" || rc=$?
    fi
    if [ "$rc" != 0 ]; then
      echo "fuzz: $pkg $target FAILED"
      exit 1
    fi
  done < <(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //')
done
