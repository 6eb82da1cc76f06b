#!/usr/bin/env bash
# Runs every fuzz target of the main module for a bounded time each. The
# seed corpora in testdata/fuzz are committed and always run by `go test`.
set -euo pipefail
fuzztime="${1:-20s}"
cd "$(dirname "$0")/.."
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  while read -r target; do
    echo "fuzz: $pkg $target for $fuzztime"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "$pkg" </dev/null
  done < <(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //')
done
