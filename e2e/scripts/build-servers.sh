#!/usr/bin/env bash
# Builds the servers the e2e suite starts (kube-apiserver and etcd) from the
# Go module proxy into e2e/.cache/bin, and fetches the Cilium module whose
# CRDs the suite validates against. Idempotent: a server is rebuilt only when
# its wrapper module (go.mod, go.sum) or the Go version changed, recorded in
# a stamp file next to the binary. The first build takes several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$PWD/.cache/bin"
mkdir -p "$bin"
gover="$(go env GOVERSION)"

build() { # build <name> <wrapper dir> <package>
  local name=$1 dir=$2 pkg=$3
  local stamp
  stamp="$(cat "$dir/go.mod" "$dir/go.sum" | sha256sum | cut -d' ' -f1) $gover"
  if [ -x "$bin/$name" ] && [ "$(cat "$bin/$name.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "build-servers: $name is current"
    return
  fi
  echo "build-servers: building $name ($pkg)"
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  echo "$stamp" > "$bin/$name.stamp"
}

build etcd servers/etcd go.etcd.io/etcd/server/v3
build kube-apiserver servers/kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver

# The Cilium CRDs come from the module zip of the version the tests use
# (PORTSPEC_CILIUM_VERSION, else the cilium target's DefaultCiliumVersion;
# a ciliumVersion set in portspec.yaml is fetched by the test itself).
# Fetching it here keeps the test run offline.
ver="${PORTSPEC_CILIUM_VERSION:-$(sed -n 's/^const DefaultCiliumVersion = "\(.*\)"$/\1/p' ../gen/cilium/version.go)}"
[ -n "$ver" ] || { echo "build-servers: cannot read DefaultCiliumVersion from gen/cilium/version.go" >&2; exit 1; }
echo "build-servers: fetching github.com/cilium/cilium@$ver"
go mod download github.com/cilium/cilium@"$ver"
