package config

import (
	"go/scanner"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/spec"
)

// TestSiteOverlay: the overlay section becomes typed entries, each at its
// place in portspec.yaml.
func TestSiteOverlay(t *testing.T) {
	c, err := ParseConfig("portspec.yaml", []byte(`version: 1
overlay:
  remove:
    - key: NodesToNodes/TCP/7000-7999
      reason: sds-replicated-volume is not enabled
    - purpose: live migration
      groups: [NodesToNodes]
      protocol: TCP
      reason: no virtualization
  replace:
    - key: ExternalToFrontends/TCP/80, 443
      ports: ["8080", "8443"]
      reason: inlet on 8080
  add:
    - from: node
      to: external
      protocol: TCP
      ports: ["636"]
      purpose: LDAPS
      purposeRU: LDAPS к каталогу
      reason: Dex
    - group: NodesToNodes
      protocol: ICMP
      purpose: ping
      reason: monitoring
`))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := c.SiteOverlay()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ov.Remove {
		s := spec.FormatPosition(e.Pos) + " remove "
		if e.Key != nil {
			s += e.Key.String()
		} else {
			s += e.Purpose.String() + " in " + strings.Join(e.Groups, ",") + " " + e.Protocol.String()
		}
		got = append(got, s+": "+e.Reason)
	}
	for _, e := range ov.Replace {
		got = append(got, spec.FormatPosition(e.Pos)+" replace "+e.Key.String()+" by "+spec.FormatPorts(e.Ports)+": "+e.Reason)
	}
	for _, e := range ov.Add {
		got = append(got, spec.FormatPosition(e.Pos)+" add "+e.Group+" "+e.From.String()+"->"+e.To.String()+" "+e.Protocol.String()+" "+spec.FormatPorts(e.Ports)+" "+e.Purposes["en"]+"/"+e.Purposes["ru"]+": "+e.Reason)
	}
	want := []string{
		"portspec.yaml:4:7 remove NodesToNodes/TCP/7000-7999: sds-replicated-volume is not enabled",
		"portspec.yaml:6:7 remove (?i)live migration in NodesToNodes TCP: no virtualization",
		"portspec.yaml:11:7 replace ExternalToFrontends/TCP/80,443 by 8080, 8443: inlet on 8080",
		"portspec.yaml:15:7 add  node->external TCP 636 LDAPS/LDAPS к каталогу: Dex",
		"portspec.yaml:22:7 add NodesToNodes unknown->unknown ICMP  ping/: monitoring",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	none, _ := ParseConfig("portspec.yaml", []byte("version: 1\n"))
	if ov, err := none.SiteOverlay(); err != nil || !ov.Empty() {
		t.Errorf("no overlay section: %v, %+v", err, ov)
	}
}

// TestSiteOverlayErrors: what the schema cannot say, at the entry or at
// its key; and what it can, at the value.
func TestSiteOverlayErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"version: 1\noverlay:\n  remove:\n    - {reason: r}\n", "portspec.yaml:4:7: overlay.remove[0]: give the rows to remove as a key or as a purpose, one of the two"},
		{"version: 1\noverlay:\n  remove:\n    - {key: G/TCP/1, purpose: x, reason: r}\n", "portspec.yaml:4:7: overlay.remove[0]: give the rows to remove as a key or as a purpose, one of the two"},
		{"version: 1\noverlay:\n  remove:\n    - {key: G/TCP/9-1, reason: r}\n", `portspec.yaml:4:13: overlay.remove[0].key: "G/TCP/9-1" is not a row key`},
		{"version: 1\noverlay:\n  remove:\n    - {key: G/TCP/1, groups: [G], reason: r}\n", "portspec.yaml:4:7: overlay.remove[0]: groups and protocol narrow a purpose"},
		{"version: 1\noverlay:\n  remove:\n    - {purpose: \"(\", reason: r}\n", "portspec.yaml:4:17: overlay.remove[0].purpose: error parsing regexp"},
		{"version: 1\noverlay:\n  replace:\n    - {key: G/ICMP, ports: [\"1\"], reason: r}\n", "portspec.yaml:4:13: overlay.replace[0].key: ICMP has no ports to replace"},
		{"version: 1\noverlay:\n  add:\n    - {group: G, from: node, to: master, protocol: TCP, ports: [\"1\"], purpose: p, reason: r}\n", "overlay.add[0]: give the group or the roles (from and to), not both"},
		{"version: 1\noverlay:\n  add:\n    - {from: node, protocol: TCP, ports: [\"1\"], purpose: p, reason: r}\n", "overlay.add[0]: give the group (group: ExternalToMaster) or both roles"},
		{"version: 1\noverlay:\n  add:\n    - {group: G, protocol: TCP, purpose: p, reason: r}\n", `portspec.yaml:4:7: overlay.add[0]: a TCP row needs ports (ports: ["636"])`},
		{"version: 1\noverlay:\n  add:\n    - {group: G, protocol: ICMP, ports: [\"1\"], purpose: p, reason: r}\n", "portspec.yaml:4:41: overlay.add[0].ports: ICMP has no ports"},
		{"version: 1\noverlay:\n  add:\n    - {from: external, to: external, protocol: TCP, ports: [\"1\"], purpose: p, reason: r}\n", "does not cross a node"},
		{"version: 1\noverlay:\n  add:\n    - {group: G, protocol: TCP, ports: [\"1-0\"], purpose: p, reason: r}\n", `portspec.yaml:4:40: overlay.add[0].ports: "1-0" is not a port`},
		// The schema's own: a reason is required, keys are checked.
		{"version: 1\noverlay:\n  remove:\n    - {key: G/TCP/1}\n", "portspec.yaml:4:7: missing property 'reason'"},
		{"version: 1\noverlay:\n  remove:\n    - {key: G-TCP-1, reason: r}\n", "portspec.yaml:4:13: "},
		{"version: 1\noverlay:\n  add:\n    - {group: G, protocol: SCTP, ports: [\"1\"], purpose: p, reason: r}\n", "portspec.yaml:4:28: value must be one of"},
		{"version: 1\noverlay:\n  change: []\n", `portspec.yaml:3:3: unknown key "change" (at overlay)`},
	} {
		c, err := ParseConfig("portspec.yaml", []byte(tc.src))
		if err == nil {
			_, err = c.SiteOverlay()
		}
		var b strings.Builder
		if err != nil {
			scanner.PrintError(&b, err)
		}
		if err == nil || !strings.Contains(b.String(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, b.String(), tc.want)
		}
	}
}
