package systemtest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// The probe lab: the prober (a node) has one link to the peer (a master)
// and one to a host that answers nothing.
const (
	proberIP, proberIP6 = "10.202.1.2", "fd00:202:1::2"
	peerIP, peerIP6     = "10.202.1.1", "fd00:202:1::1"
	silentIP            = "10.202.2.1"
	// labOptions are the nftables target's options for the lab: every role
	// has its own addresses (the defaults would make node and master the
	// same private ranges), nothing is trusted.
	labOptions = `{"cidrs":{"master":["10.202.1.1","fd00:202:1::1"],"node":["10.202.1.2","fd00:202:1::2","10.202.2.2","fd00:202:2::2"],"frontend":["10.202.9.1"]},"trusted":[]}`
)

// without returns a copy of doc whose group has no rule for protocol/port.
func without(doc *spec.Document, group string, protocol spec.Protocol, port uint16) *spec.Document {
	c := *doc
	c.Groups = slices.Clone(doc.Groups)
	for i := range c.Groups {
		if c.Groups[i].ID != group {
			continue
		}
		var rules []spec.Rule
		for _, r := range c.Groups[i].Rules {
			if r.Protocol == protocol && slices.ContainsFunc(r.Ports, func(p spec.PortRange) bool { return p.Contains(port) }) {
				continue
			}
			rules = append(rules, r)
		}
		c.Groups[i].Rules = rules
	}
	return &c
}

// loadRuleset generates the master ruleset of doc and loads it in a
// namespace.
func (l *lab) loadRuleset(ns string, doc *spec.Document) {
	l.t.Helper()
	out, err := nftables.New().Generate(gen.Request{Doc: doc, Options: []byte(labOptions)})
	if err != nil {
		l.t.Fatal(err)
	}
	for _, f := range out.Files {
		if f.Path != nftables.FileName(spec.RoleMaster) {
			continue
		}
		path := filepath.Join(l.t.TempDir(), f.Path)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			l.t.Fatal(err)
		}
		l.run("ip", "netns", "exec", l.ns(ns), "nft", "-f", path)
		return
	}
	l.t.Fatal("no master ruleset generated")
}

// outcomes maps "peer key" to the state a probe ended in.
func outcomes(r report) map[string]string {
	out := map[string]string{}
	for _, f := range r.Findings {
		out[strings.Join(f.Where, ",")+" "+f.Key] = f.Kind + " " + f.State
	}
	return out
}

// TestProbe probes a master from a node, over IPv4 and IPv6, with the
// generated nftables ruleset loaded on the master: documented flows are
// open or closed, the ports the document does not open from nodes are
// filtered. With one rule left out of the loaded ruleset, its flow is
// reported dropped (exit 1); without a ruleset, the undocumented ports are
// reachable (exit 1); a host that answers nothing leaves no verdict (exit
// 2).
func TestProbe(t *testing.T) {
	gentest.RequireSystem(t, "ip", "nft", "go")
	doc := gentest.Default(t)
	l := newLab(t)
	for _, ns := range []string{"prober", "peer", "silent"} {
		l.add(ns)
	}
	l.link("prober", "eth0", proberIP, proberIP6, "peer", "eth0", peerIP, peerIP6)
	l.link("prober", "eth1", "10.202.2.2", "fd00:202:2::2", "silent", "eth0", silentIP, "fd00:202:2::1")
	// The peer answers every closed UDP port: no ICMP rate limit, so that a
	// burst of probes does not pass for silence.
	l.run("ip", "netns", "exec", l.ns("peer"), "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0")
	l.listen("peer", "psv-master", "tcp :6443", "tcp :4219", "udp :4234", "tcp :8080", "tcp :2379")
	l.run("ip", "netns", "exec", l.ns("silent"), "nft", "add table inet silent; add chain inet silent input { type filter hook input priority 0; policy drop; }")

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	peers := []string{"--peer", "master=" + peerIP, "--peer", "master=" + peerIP6}
	probe := func(name string) (int, report, string) {
		t.Helper()
		start := time.Now()
		code, out, errOut := l.portspec(ctx, "prober", append([]string{"probe", "--as", "node", "--all", "--format", "json", "--probe-timeout", "500ms"}, peers...)...)
		t.Logf("%s: exit %d in %v", name, code, time.Since(start).Round(time.Millisecond))
		return code, decode(t, out), errOut
	}
	check := func(name string, got map[string]string, want map[string]string) {
		t.Helper()
		for k, w := range want {
			for _, peer := range []string{"master " + peerIP, "master " + peerIP6} {
				if g := got[peer+" "+k]; g != w {
					t.Errorf("%s: %s %s: %q, want %q", name, peer, k, g, w)
				}
			}
		}
	}

	// The ruleset on: as documented.
	l.loadRuleset("peer", doc)
	code, r, errOut := probe("ruleset loaded")
	if code != 0 || !r.Clean {
		t.Errorf("ruleset loaded: exit %d, want 0: %s\n%s", code, r.Summary, errOut)
	}
	got := outcomes(r)
	check("ruleset loaded", got, map[string]string{
		"TCP/6443":  "ok open",          // NodesToMasters, listening
		"TCP/4219":  "ok open",          // NodesToMasters, listening
		"UDP/4234":  "ok open",          // NodesToMasters, answered
		"TCP/4222":  "ok closed",        // NodesToMasters, nothing listens: refused through the firewall
		"UDP/8472":  "ok closed",        // NodesToNodes VXLAN: port unreachable through the firewall
		"ICMP":      "ok open",          // NodesToNodes echo
		"TCP/8080":  "ok filtered",      // listening, not documented
		"TCP/2379":  "ok filtered",      // listening, MastersToMasters only
		"TCP/10250": "ok filtered",      // MastersToNodes only
		"TCP/1234":  "ok filtered",      // sample
		"UDP/1234":  "ok open|filtered", // sample: silent
	})
	for k, v := range got {
		if !strings.HasPrefix(v, "ok ") {
			t.Errorf("ruleset loaded: %s: %s", k, v)
		}
	}

	// One rule left out of the loaded ruleset: its flow is dropped.
	l.loadRuleset("peer", without(doc, "NodesToMasters", spec.TCP, 4219))
	code, r, _ = probe("a rule left out")
	if code != 1 || r.Clean {
		t.Errorf("a rule left out: exit %d, want 1: %s", code, r.Summary)
	}
	var failing []string
	for _, f := range r.Findings {
		if f.Kind != "ok" {
			failing = append(failing, strings.Join(f.Where, ",")+" "+f.Kind+" "+f.Key+" "+f.State)
		}
	}
	slices.Sort(failing)
	want := []string{"master " + peerIP + " dropped TCP/4219 filtered", "master " + peerIP6 + " dropped TCP/4219 filtered"}
	if !slices.Equal(failing, want) {
		t.Errorf("a rule left out: failing\n%s\nwant\n%s", strings.Join(failing, "\n"), strings.Join(want, "\n"))
	}

	// No ruleset: what the document does not open is reachable.
	l.run("ip", "netns", "exec", l.ns("peer"), "nft", "delete", "table", "inet", "portspec")
	code, r, _ = probe("no ruleset")
	if code != 1 || r.Clean {
		t.Errorf("no ruleset: exit %d, want 1: %s", code, r.Summary)
	}
	check("no ruleset", outcomes(r), map[string]string{
		"TCP/6443":  "ok open",
		"TCP/8080":  "passes open",
		"TCP/2379":  "passes open",
		"TCP/10250": "passes closed",
		"TCP/1234":  "passes closed",
		"UDP/1234":  "passes closed",
	})
	for _, f := range r.Findings {
		if f.Kind == "dropped" {
			t.Errorf("no ruleset: %s %s dropped", f.Where, f.Key)
		}
	}

	// A host that answers nothing: no verdict, and never "all as documented".
	code, out, errOut := l.portspec(ctx, "prober", "probe", "--as", "node", "--peer", "node="+silentIP, "--probe-timeout", "200ms", "--tries", "1")
	if code != 2 || !strings.Contains(errOut, "node "+silentIP+" answered none of") || !strings.Contains(out, "NO VERDICT") || strings.Contains(out, "all as documented") {
		t.Errorf("silent peer: exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
