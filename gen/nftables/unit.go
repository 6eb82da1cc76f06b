package nftables

import (
	"bytes"
	"fmt"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// UnitName is the systemd unit that loads the ruleset on boot, and
// RulesetPath the file it loads (a host's <role>.nft, installed there).
const (
	UnitName    = "portspec-nftables.service"
	RulesetPath = "/etc/nftables.d/portspec.nft"
)

// Unit writes the systemd unit that loads table inet <table> on boot, and
// only that table. The ordering is the reason it exists:
//
//   - DefaultDependencies=no, Wants= and Before=network-pre.target, like
//     Debian's nftables.service: the table is in place before any network
//     interface is configured, so a node is never up without it;
//   - After=nftables.service: Debian's /etc/nftables.conf begins with
//     `flush ruleset`, which would remove this table if it ran later;
//     PartOf= and ReloadPropagatedFrom= load it again whenever that unit
//     restarts or reloads (and flushes);
//   - ExecStop deletes this table only ("-": it may be gone already),
//     never `flush ruleset`, which would take kube-proxy's and the CNI's
//     tables with it.
func Unit(doc *spec.Document, set *hostfw.Settings) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("%s", gen.Header("#", doc))
	w("#")
	w("# Loads table inet %s (and nothing else) from %s on boot:", set.Table, RulesetPath)
	w("# install a host's <role>.nft there, this file as /etc/systemd/system/%s,", UnitName)
	w("# then systemctl daemon-reload && systemctl enable --now %s (docs/host-firewalls.md).", UnitName)
	w("[Unit]")
	w("Description=portspec host firewall (nftables table inet %s)", set.Table)
	w("Documentation=https://github.com/portspec/portspec/blob/main/docs/host-firewalls.md")
	w("# Before any interface is configured, like nftables.service: no moment up without the table.")
	w("DefaultDependencies=no")
	w("Wants=network-pre.target")
	w("Before=network-pre.target shutdown.target")
	w("Conflicts=shutdown.target")
	w("# nftables.service loads /etc/nftables.conf, which on Debian begins by emptying the whole ruleset:")
	w("# load after it, and again whenever it restarts or reloads.")
	w("After=nftables.service")
	w("PartOf=nftables.service")
	w("ReloadPropagatedFrom=nftables.service")
	w("")
	w("[Service]")
	w("Type=oneshot")
	w("RemainAfterExit=yes")
	w("StandardInput=null")
	w("ProtectSystem=full")
	w("ProtectHome=true")
	w("# The ruleset replaces table inet %s atomically and touches no other table.", set.Table)
	w("ExecStart=/usr/sbin/nft -f %s", RulesetPath)
	w("ExecReload=/usr/sbin/nft -f %s", RulesetPath)
	w("# This table only, never the whole ruleset; it may be gone already.")
	w("ExecStop=-/usr/sbin/nft delete table inet %s", set.Table)
	w("")
	w("[Install]")
	w("WantedBy=sysinit.target")
	return b.Bytes()
}
