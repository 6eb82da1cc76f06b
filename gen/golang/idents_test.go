package golang

import (
	"go/token"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

func TestDeriveName(t *testing.T) {
	for _, tc := range []struct{ purpose, want string }{
		{"kubelet", "Kubelet"},
		{"etcd replication", "EtcdReplication"},
		{"SSH for Static nodes bootstrapping by static provider", "SSHStaticNodesBootstrappingStatic"},
		{"`kube-apiserver` for controllers", "KubeAPIServerControllers"},
		{"VXLAN for pod-to-pod traffic encapsulation", "VXLANPodToPodTraffic"},
		{"NTP for external time synchronization", "NTPExternalTimeSynchronization"},
		{"Application ports over HTTP and HTTPS. Note that these ports vary", "ApplicationPortsHTTPHTTPS"},
		{"ICMP for node-to-node connectivity monitoring", "ICMPNodeToNodeConnectivity"},
		{"CNI Cilium agent metrics", "CNICiliumAgentMetrics"},
		{"DNS", "DNS"},
		{"Привет, мир", ""},
		{"123 numbers", "Port123Numbers"},
		{"Test helper", "PortTestHelper"},
		{"*bold* and _under_", "BoldUnder"},
	} {
		if got := deriveName(tc.purpose); got != tc.want {
			t.Errorf("deriveName(%q) = %q, want %q", tc.purpose, got, tc.want)
		}
	}
}

func rule(p spec.Protocol, purpose string, ports ...spec.PortRange) spec.Rule {
	return spec.Rule{Protocol: p, Ports: ports, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}})}
}

func one(p uint16) spec.PortRange { return spec.PortRange{First: p, Last: p} }

func constNames(m *model) []string {
	var out []string
	for _, r := range m.rules {
		for _, c := range r.consts {
			out = append(out, c.name)
		}
	}
	return out
}

// TestDuplicateNames checks the documented rule: the first rule keeps the
// name; a later one gets the protocol if that differs, else the port, else
// the group, else _2, _3.
func TestDuplicateNames(t *testing.T) {
	doc := &spec.Document{Groups: []spec.Group{
		{ID: "NodesToExternal", Known: true, Rules: []spec.Rule{
			rule(spec.UDP, "DNS", one(53)),
			rule(spec.TCP, "DNS", one(53)),
			rule(spec.TCP, "monitoring-ping metrics", one(4288)),
			rule(spec.TCP, "monitoring-ping metrics", one(4289)),
			rule(spec.TCP, "etcd", one(2379), one(2380)),
			rule(spec.TCP, "NodePort range", spec.PortRange{First: 30000, Last: 32767}),
			rule(spec.TCP, "Привет", one(7)),
			rule(spec.TCP, "Lookup", one(8)),
		}},
		{ID: "ExternalToMaster", Known: true, Rules: []spec.Rule{
			rule(spec.TCP, "DNS", one(53)),
		}},
		{ID: "Other", Rules: []spec.Rule{
			rule(spec.TCP, "DNS", one(53)),
		}},
	}}
	m, err := build(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"DNS", "DNSTCP", "MonitoringPingMetrics", "MonitoringPingMetrics4289",
		"Etcd2379", "Etcd2380", "NodePortRange", "NodesToExternalTCP7", "LookupTCP",
		"DNSExternalToMaster", "DNSOther",
	}
	if got := constNames(m); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("names\n got %v\nwant %v", got, want)
	}

	// Overrides win and derived names go around them.
	m, err = build(doc, map[string]string{"NodesToExternal/TCP/53": "DNS", "NodesToExternal/UDP/53": "DNSUDP"})
	if err != nil {
		t.Fatal(err)
	}
	if got := constNames(m)[:2]; got[0] != "DNSUDP" || got[1] != "DNS" {
		t.Errorf("with overrides: %v", got)
	}
}

func TestOverrideErrors(t *testing.T) {
	doc := &spec.Document{Groups: []spec.Group{{ID: "G", Rules: []spec.Rule{
		rule(spec.TCP, "a", one(1)), rule(spec.TCP, "b", one(2)), rule(spec.TCP, "c", one(3)),
	}}}}
	_, err := build(doc, map[string]string{
		"G/TCP/1": "Lookup", // taken by the package
		"G/TCP/2": "lower",  // not exported
		"G/TCP/3": "Same",
		"G/TCP/9": "Unused", // matches no port: ignored
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`idents["G/TCP/1"]: Lookup is already taken by package`, `idents["G/TCP/2"]: "lower" is not an exported Go identifier`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	_, err = build(doc, map[string]string{"G/TCP/1": "Same", "G/TCP/2": "Same"})
	if err == nil || !strings.Contains(err.Error(), `idents["G/TCP/2"]: Same is already taken by override G/TCP/1`) {
		t.Errorf("two overrides with one name: %v", err)
	}
}

func TestOverrideForUnknownGroupWarns(t *testing.T) {
	doc := &spec.Document{Groups: []spec.Group{{ID: "G", Rules: []spec.Rule{rule(spec.TCP, "a", one(1))}}}}
	m, err := build(doc, map[string]string{"G/TCP/2": "Other", "Typo/TCP/1": "A"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.warnings) != 1 || !strings.Contains(m.warnings[0], `"Typo/TCP/1" names group "Typo"`) {
		t.Errorf("warnings %q: want one, for the unknown group only", m.warnings)
	}
}

// nestedRanges is a valid model of k rows of one group with one purpose,
// whose ranges all start at port 80 (80-81, 80-82, …): every row after the
// first two (SamePurpose, SamePurpose80) gets a numbered suffix for the
// same base name.
func nestedRanges(k int) *spec.Document {
	g := spec.Group{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode}
	for i := range k {
		g.Rules = append(g.Rules, spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 80, Last: uint16(81 + i)}},
			Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "same purpose"}}), Pos: token.Position{Filename: "n.md", Line: i + 1}})
	}
	return &spec.Document{Source: "n.md", SHA256: "00", Languages: []string{"en"}, Groups: []spec.Group{g}}
}

// TestNamesLinear: naming k rows that all need a numbered suffix for one
// base costs memory linear in k (it was k²: each row tried every suffix
// from _2). Allocation, unlike time, does not depend on the machine's
// load; four times the rows may allocate at most 8× (a map that doubles
// may have just doubled).
func TestNamesLinear(t *testing.T) {
	alloc := func(k int) uint64 {
		doc := nestedRanges(k)
		if err := spec.Validate(doc); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, err := build(doc, nil)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := m.rules[k-1].consts[0].name, "SamePurpose_"+strconv.Itoa(k-1); got != want {
			t.Fatalf("the last row is named %s, want %s", got, want)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := alloc(1000), alloc(4000)
	if ratio := float64(big) / float64(small); ratio > 8 {
		t.Errorf("1,000 rows allocate %d KB, 4,000 rows %d KB: %.1f×, not linear", small>>10, big>>10, ratio)
	} else {
		t.Logf("%.1f× the bytes for 4× the rows", ratio)
	}
}
