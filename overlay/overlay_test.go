package overlay_test

import (
	"encoding/json"
	"errors"
	"go/token"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const page = `## Nodes to nodes traffic

| Port | Protocol | Purpose |
|---|---|---|
|  | ICMP | ICMP for node-to-node connectivity monitoring |
| 7000-7999 | TCP | sds-replicated-volume DRBD replication |
| 8469, 8472 | UDP | VXLAN for pod-to-pod traffic encapsulation |
| 49152, 49153 | TCP | Deckhouse Virtualization Platform VM live migration port |

## External traffic to frontends

| Port | Protocol | Purpose |
|---|---|---|
| 80, 443 | TCP | Ingress controllers |
| 5416 | UDP | OpenVPN |
`

func doc(t *testing.T) *spec.Document {
	t.Helper()
	d, err := parser.Parse("page.md", []byte(page), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func at(line int) token.Position {
	return token.Position{Filename: "portspec.yaml", Line: line, Column: 7}
}

func key(t *testing.T, s string) *overlay.Key {
	t.Helper()
	k, err := overlay.ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return &k
}

// rows prints a document's rules as "Group Label [site]" lines.
func rows(d *spec.Document) []string {
	var out []string
	for _, g := range d.Groups {
		for _, r := range g.Rules {
			s := g.ID + " " + r.Label()
			if r.Site != nil {
				s += " [" + r.Site.String() + "]"
			}
			out = append(out, s)
		}
	}
	return out
}

// TestApply: each kind of entry, as the page's own examples ask for them.
func TestApply(t *testing.T) {
	d := doc(t)
	before, _ := json.Marshal(d)
	ov := &overlay.Overlay{
		Remove: []overlay.Remove{
			{Key: key(t, "NodesToNodes/TCP/7000-7999"), Reason: "sds-replicated-volume is not enabled", Pos: at(3)},
			{Key: key(t, "NodesToNodes/UDP/8469"), Reason: "our Cilium uses 8472 only", Pos: at(5)},
			{Purpose: regexp.MustCompile("(?i)live migration"), Groups: []string{"NodesToNodes"}, Protocol: spec.TCP, Reason: "virtualization is not enabled", Pos: at(7)},
		},
		Replace: []overlay.Replace{
			{Key: *key(t, "ExternalToFrontends/TCP/80,443"), Ports: []spec.PortRange{{First: 8080, Last: 8080}, {First: 8443, Last: 8443}}, Reason: "inlet on 8080/8443", Pos: at(11)},
		},
		Add: []overlay.Add{
			{From: spec.RoleNode, To: spec.RoleExternal, Protocol: spec.TCP, Ports: []spec.PortRange{{First: 636, Last: 636}}, Purposes: map[string]string{"en": "LDAPS"}, Reason: "Dex", Pos: at(15)},
			{Group: "ExternalToMaster", Protocol: spec.TCP, Ports: []spec.PortRange{{First: 22, Last: 22}}, Purposes: map[string]string{"en": "admin SSH"}, Reason: "the admin network", Pos: at(20)},
			{From: spec.RoleExternal, To: spec.RoleNode, Protocol: spec.TCP, Ports: []spec.PortRange{{First: 9100, Last: 9100}}, Purposes: map[string]string{"en": "node-exporter for our Prometheus"}, Reason: "monitoring server", Pos: at(25)},
		},
	}
	got, err := ov.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"NodesToNodes ICMP",
		"NodesToNodes UDP/8472 [the site's ports, the document has 8469, 8472 (portspec.yaml:5:7: our Cilium uses 8472 only)]",
		"ExternalToFrontends TCP/8080, 8443 [the site's ports, the document has 80, 443 (portspec.yaml:11:7: inlet on 8080/8443)]",
		"ExternalToFrontends UDP/5416",
		"NodesToExternal TCP/636 [the site's row (portspec.yaml:15:7: Dex)]",
		"ExternalToMaster TCP/22 [the site's row (portspec.yaml:20:7: the admin network)]",
		"ExternalToNodes TCP/9100 [the site's row (portspec.yaml:25:7: monitoring server)]",
	}
	if diff := cmp.Diff(want, rows(got)); diff != "" {
		t.Errorf("rows after the overlay (-want +got):\n%s", diff)
	}
	if g := got.Group("ExternalToNodes"); g == nil || g.From != spec.RoleExternal || g.To != spec.RoleNode || g.Direction != spec.Ingress || !g.Known {
		t.Errorf("the site's group: %+v", g)
	}
	if g := got.Group("NodesToExternal"); g == nil || g.Direction != spec.Egress {
		t.Errorf("a known group made for an added row: %+v", g)
	}
	if r := got.Group("NodesToExternal").Rules[0]; r.Pos != at(15) {
		t.Errorf("an added row is at its entry: %v", r.Pos)
	}
	// The document itself is not changed.
	after, _ := json.Marshal(d)
	if string(before) != string(after) {
		t.Error("Apply changed its input document")
	}
	// The JSON form keeps the marks.
	b, _ := json.Marshal(got)
	if !strings.Contains(string(b), `"site":{"action":"replace","pos":"portspec.yaml:11:7","reason":"inlet on 8080/8443","documentPorts":[{"first":80,"last":80},{"first":443,"last":443}]}`) {
		t.Errorf("JSON of a replaced row:\n%s", b)
	}
	var back spec.Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows(got), rows(&back)); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

// TestApplyNoMatch: an entry that matches nothing is an error at its
// position that says what the document has, never a silent no-op.
func TestApplyNoMatch(t *testing.T) {
	d := doc(t)
	ov := &overlay.Overlay{
		Remove: []overlay.Remove{
			{Key: key(t, "NodesToNodes/TCP/7000-7998"), Reason: "r", Pos: at(3)},
			{Key: key(t, "NodesToMaster/TCP/22"), Reason: "r", Pos: at(5)},
			{Purpose: regexp.MustCompile("(?i)metallb"), Reason: "r", Pos: at(7)},
			{Key: key(t, "ExternalToFrontends/ICMP"), Reason: "r", Pos: at(9)},
		},
		Replace: []overlay.Replace{
			{Key: *key(t, "NodesToNodes/UDP/8469,8472"), Ports: []spec.PortRange{{First: 1, Last: 1}}, Reason: "r", Pos: at(11)},
			{Key: *key(t, "ExternalToFrontends/TCP/80,5416"), Ports: []spec.PortRange{{First: 1, Last: 1}}, Reason: "r", Pos: at(13)},
			{Key: *key(t, "ExternalToFrontends/TCP/8080"), Ports: []spec.PortRange{{First: 1, Last: 1}}, Reason: "r", Pos: at(15)},
		},
		Add: []overlay.Add{
			{Group: "ExternalToFrontends", Protocol: spec.UDP, Ports: []spec.PortRange{{First: 5416, Last: 5416}}, Purposes: map[string]string{"en": "x"}, Reason: "r", Pos: at(17)},
			{Group: "Nope", Protocol: spec.UDP, Ports: []spec.PortRange{{First: 1, Last: 1}}, Purposes: map[string]string{"en": "x"}, Reason: "r", Pos: at(19)},
			{Group: "NodesToNodes", Protocol: spec.ICMP, Purposes: map[string]string{"en": "x"}, Reason: "r", Pos: at(21)},
		},
	}
	_, err := ov.Apply(d)
	var list spec.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an error list, got %v", err)
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	want := []string{
		"portspec.yaml:3:7: remove NodesToNodes/TCP/7000-7998 matches nothing: NodesToNodes has no row with TCP 7000-7998 (its TCP rows: TCP/7000-7999; TCP/49152, 49153); the document changed, or the key has a typo",
		"portspec.yaml:5:7: remove NodesToMaster/TCP/22 matches nothing: the document has no group NodesToMaster (it has NodesToNodes, ExternalToFrontends)",
		"portspec.yaml:7:7: remove: no row of any group has a purpose matching \"(?i)metallb\": the document changed, or the pattern has a typo",
		"portspec.yaml:9:7: remove ExternalToFrontends/ICMP matches nothing: ExternalToFrontends has no ICMP row",
		"portspec.yaml:13:7: replace ExternalToFrontends/TCP/80,5416 matches nothing: ExternalToFrontends has no row with TCP 5416 (its TCP rows: TCP/80, 443); the document changed, or the key has a typo",
		"portspec.yaml:15:7: replace ExternalToFrontends/TCP/8080 matches nothing: ExternalToFrontends has no row with TCP 8080 (its TCP rows: TCP/80, 443); the document changed, or the key has a typo",
		"portspec.yaml:17:7: add: ExternalToFrontends already has UDP 5416 (at page.md:15:1, \"OpenVPN\"): this entry is not needed; remove it",
		"portspec.yaml:19:7: add: no group Nope in the document (it has NodesToNodes, ExternalToFrontends); name a group it has, or the roles with from and to",
		"portspec.yaml:21:7: add: NodesToNodes already has an ICMP row (at page.md:5:1): this entry is not needed; remove it",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestApplyReplaceSplitRows: a replace whose ports are in two rows is an
// error; a replace of part of a row keeps the row's other ports.
func TestApplyReplaceSplitRows(t *testing.T) {
	d := doc(t)
	ov := &overlay.Overlay{Replace: []overlay.Replace{
		{Key: *key(t, "ExternalToFrontends/TCP/80"), Ports: []spec.PortRange{{First: 8080, Last: 8080}}, Reason: "r", Pos: at(3)},
	}}
	got, err := ov.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Group("ExternalToFrontends").Rules[0]; spec.FormatPorts(r.Ports) != "8080, 443" {
		t.Errorf("partial replace: %s", spec.FormatPorts(r.Ports))
	}
	two := &overlay.Overlay{Replace: []overlay.Replace{
		{Key: *key(t, "NodesToNodes/TCP/7000-7999,49152"), Ports: []spec.PortRange{{First: 1, Last: 1}}, Reason: "r", Pos: at(3)},
	}}
	if _, err := two.Apply(d); err == nil || !strings.Contains(err.Error(), "its ports are in two rows") {
		t.Errorf("replace across rows: %v", err)
	}
}

// TestJSONRoundTrip: the drift test keeps the overlay as JSON and reads it
// back to the same entries.
func TestJSONRoundTrip(t *testing.T) {
	ov := &overlay.Overlay{
		Remove:  []overlay.Remove{{Key: key(t, "NodesToNodes/ICMP"), Reason: "a", Pos: at(1)}, {Purpose: regexp.MustCompile("(?i)x|y"), Groups: []string{"G"}, Protocol: spec.UDP, Reason: "b", Pos: at(2)}},
		Replace: []overlay.Replace{{Key: *key(t, "G/TCP/1-2,3"), Ports: []spec.PortRange{{First: 4, Last: 5}}, Reason: "c", Pos: at(3)}},
		Add:     []overlay.Add{{From: spec.RoleNode, To: spec.RoleExternal, Protocol: spec.TCP, Ports: []spec.PortRange{{First: 636, Last: 636}}, Purposes: map[string]string{"en": "e", "ru": "р"}, Reason: "d", Pos: at(4)}},
	}
	b, err := ov.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back overlay.Overlay
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b2, _ := back.MarshalJSON()
	if string(b) != string(b2) {
		t.Errorf("round trip:\n%s\n%s", b, b2)
	}
}

func TestParseKey(t *testing.T) {
	for s, want := range map[string]string{
		"NodesToNodes/TCP/7000-7999":  "NodesToNodes/TCP/7000-7999",
		"NodesToNodes/udp/8469, 8472": "NodesToNodes/UDP/8469,8472",
		"NodesToNodes/ICMP":           "NodesToNodes/ICMP",
	} {
		k, err := overlay.ParseKey(s)
		if err != nil || k.String() != want {
			t.Errorf("ParseKey(%q) = %v, %v; want %s", s, k, err, want)
		}
	}
	for _, s := range []string{"NodesToNodes", "NodesToNodes/TCP", "NodesToNodes/SCTP/1", "NodesToNodes/ICMP/1", "/TCP/1", "G/TCP/0", "G/TCP/9-1", "G/TCP/1,"} {
		if _, err := overlay.ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}
