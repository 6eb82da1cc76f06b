// Package hostfw turns the model into host firewall rules: which rules a
// host of each role must accept (ingress, keyed by destination role) and let
// out (egress), the address sets of the roles, and the port forms of the
// common firewall front ends (firewalld, ufw, iptables, nftables).
//
// It is shared by the Ansible and the nftables targets so that the vars and
// the standalone rulesets always say the same thing; it writes no files.
package hostfw
