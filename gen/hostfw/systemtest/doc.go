// Package systemtest holds the host-firewall tests that run real programs:
// the example playbook and the firewalld and ufw modules under
// ansible-playbook, `nft -c`, and enforcement of the generated rulesets in
// network namespaces. They need root and the Debian packages of
// scripts/deps.sh; they run under CI=true or with PORTSPEC_SYSTEM_TESTS=1.
package systemtest
