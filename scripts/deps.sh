#!/usr/bin/env bash
# Installs what portspec's tests need on a fresh Debian machine. Idempotent:
# each step is skipped when its result is already there. Run as root (CI is);
# elsewhere it says what is missing and the tests that need it skip (under
# CI=true they fail instead).
set -euo pipefail
cd "$(dirname "$0")/.."

# not_installed PKG...: prints those of the Debian packages not installed.
not_installed() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

# chromium and python3-openpyxl are the real consumers the report target's
# system tests open its page and workbook with (gen/report); the linters
# (shellcheck, ansible-lint) check the action's scripts and the Ansible
# role; git and jq run the action's script in its tests; kramdown (with its
# GFM parser) is the documentation site's renderer: the parser's tests turn
# every rendered page into HTML with it.
mapfile -t missing < <(not_installed ansible ansible-lint nftables iproute2 socat chromium python3-openpyxl shellcheck jq git ruby-kramdown ruby-kramdown-parser-gfm)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "deps: missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})"
  fi
fi

# ufw and firewalld are there only so that the host-firewall tests can run
# their Ansible modules in check mode; neither may manage this machine's
# firewall. ufw stays inactive until `ufw enable`. firewalld's service would
# start on install: a policy-rc.d (removed afterwards) forbids starting it,
# and it is disabled so that it does not start at boot either.
mapfile -t fw < <(not_installed ufw firewalld)
if ((${#fw[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "deps: apt-get install ${fw[*]} (services not started)"
    policy=/usr/sbin/policy-rc.d
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy"
      chmod +x "$policy"
      trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${fw[@]}"
    if command -v systemctl >/dev/null; then systemctl disable firewalld >/dev/null 2>&1 || true; fi
  else
    echo "deps: missing Debian packages: ${fw[*]} (run as root: apt-get install ${fw[*]})"
  fi
fi

# The tests that build in a throwaway module requiring portspec
# (internal/tempmod) run the go command offline; such a module needs the
# go.mod files of portspec's whole module graph, more than `go test ./...`
# downloads for itself. Fetch them (a no-op when they are there).
if command -v go >/dev/null; then
  echo "deps: go mod download"
  go mod download
fi

# Servers for the e2e suite (kube-apiserver, etcd) are built from the Go
# module proxy by the e2e module's own script when it exists.
if [ -x e2e/scripts/build-servers.sh ]; then
  e2e/scripts/build-servers.sh
fi
