package clients_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// TestDefaultRows checks the clients of rows of the embedded default
// document against the facts, written out here by hand (docs/clients.md).
func TestDefaultRows(t *testing.T) {
	doc := gentest.Default(t)
	tab := clients.New(nil)
	type want = []string
	for _, c := range []struct {
		group string
		proto spec.Protocol
		port  uint16
		want  want
	}{
		{"MastersToMasters", spec.TCP, 2379, want{"host of master"}},
		{"MastersToMasters", spec.TCP, 4223, want{"host of master"}}, // Deckhouse controller webhook
		{"MastersToNodes", spec.TCP, 22, want{"host of master", "pods in d8-cloud-instance-manager with app=caps-controller-manager"}},
		{"MastersToNodes", spec.TCP, 10250, want{"host of master", "pods in d8-monitoring with app.kubernetes.io/name=prometheus,prometheus=main"}},
		{"MastersToNodes", spec.TCP, 4227, want{"host of master"}}, // runtime-audit-engine webhook: never pods
		{"NodesToMasters", spec.TCP, 6443, want{"host of node", "any pod"}},
		{"NodesToMasters", spec.TCP, 4222, want{"host of node", "pods in d8-monitoring with app.kubernetes.io/name=prometheus,prometheus=main"}},
		{"NodesToMasters", spec.TCP, 4219, want{"host of node", "joining", "pods in d8-monitoring with app.kubernetes.io/name=prometheus,prometheus=main"}},
		{"NodesToMasters", spec.UDP, 4234, want{"host of node", "joining"}},
		{"NodesToNodes", spec.TCP, 4206, want{"host of node", "pods in d8-monitoring with app.kubernetes.io/name=prometheus,prometheus=main"}},
		{"NodesToNodes", spec.TCP, 4244, want{"host of node", "pods in d8-cni-cilium with app=hubble-relay"}},
		{"NodesToNodes", spec.TCP, 7000, want{"host of node"}},
		{"ExternalToMaster", spec.TCP, 22, want{"world"}},
		{"ExternalToFrontends", spec.TCP, 443, want{"world", "any pod", "host of node"}},
		{"ExternalToFrontends", spec.TCP, 10256, want{"world"}},
		{"NodesToExternal", spec.UDP, 53, want{"host of node"}},
	} {
		g, r := find(t, doc, c.group, c.proto, c.port)
		var got want
		for _, cl := range tab.For(g, r).Clients {
			got = append(got, cl.String())
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s %s/%d (-want +got):\n%s", c.group, c.proto, c.port, d)
		}
	}
}

// TestOverrideReplaces: an entry of portspec.yaml goes before the defaults;
// with replace it is the row's only source of clients.
func TestOverrideReplaces(t *testing.T) {
	doc := gentest.Default(t)
	g, r := find(t, doc, "NodesToNodes", spec.TCP, 4244)
	tab := clients.New([]clients.Entry{{
		Name:    "mine",
		Match:   clients.Match{Groups: []string{"NodesToNodes"}, Ports: []spec.PortRange{{First: 4244, Last: 4244}}},
		Clients: []clients.Client{{Kind: clients.Pod, Namespace: "observability"}},
		Replace: true,
	}})
	row := tab.For(g, r)
	if len(row.Clients) != 1 || row.Clients[0].Namespace != "observability" || !cmp.Equal(row.Entries, []string{"mine"}) {
		t.Errorf("got %v from %v", row.Clients, row.Entries)
	}
}

// TestDefaultIsFresh: changing what Default returns changes nothing for
// the next caller.
func TestDefaultIsFresh(t *testing.T) {
	d := clients.Default()
	d[1].Clients[0].Labels["x"] = "y"
	d[0].Name = "changed"
	again := clients.Default()
	if _, ok := again[1].Clients[0].Labels["x"]; ok || again[0].Name == "changed" {
		t.Error("Default shares state between calls")
	}
}

func find(t *testing.T, doc *spec.Document, group string, proto spec.Protocol, port uint16) (*spec.Group, *spec.Rule) {
	t.Helper()
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		if g.ID != group {
			continue
		}
		for ri := range g.Rules {
			r := &g.Rules[ri]
			if r.Protocol != proto {
				continue
			}
			for _, p := range r.Ports {
				if p.Contains(port) {
					return g, r
				}
			}
		}
	}
	t.Fatalf("no row %s %s/%d in %s", group, proto, port, doc.Source)
	return nil, nil
}
