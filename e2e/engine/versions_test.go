package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/e2e/engine"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestDataVersions runs every valid upstream data version through the
// generator and Cilium, and checks facts that hold in every version,
// written here from the page's meaning and Deckhouse's behaviour (not from
// the generator or its clients table):
//
//   - the page's own clients of each row are let in: from masters their
//     address (RM), from nodes a node's (RN), from outside the world; but a
//     webhook is called by kube-apiserver on the masters, so only RM is
//     asserted for webhook rows;
//   - Deckhouse's Prometheus reaches every metrics port;
//   - an application pod reaches no node port except kube-apiserver's 6443
//     and the frontends' 80/443;
//   - the world reaches no internal row, except the two a joining node
//     needs on the masters (the registry packages proxy and NTP);
//   - a port the version does not list is closed to everyone.
func TestDataVersions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(upstream.Dir(t), "data", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no data versions: %v", err)
	}
	valid := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parser.Parse(path, src, parser.Options{})
		if err != nil {
			continue // the stored versions that are not valid YAML
		}
		valid++
		c, err := engine.NewCluster(generated(t, doc, "{}"))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		checkFlows(t, c, filepath.Base(path), versionFlows(doc))
	}
	if valid < 20 {
		t.Errorf("only %d data versions parsed", valid)
	}
}

// destinations are the nodes a group's rows are checked on.
var destinations = map[string]engine.Role{
	"MastersToMasters": M, "MastersToNodes": W, "NodesToMasters": M, "NodesToNodes": W,
	"ExternalToMaster": M, "ExternalToFrontends": F,
}

func versionFlows(doc *spec.Document) []flow {
	var flows []flow
	listed := map[engine.Proto]map[uint16]bool{TCP: {}, UDP: {}}
	// Ports the page opens to the outside on a node (6443 on masters is
	// both an internal and an external row): the world may reach those.
	fromOutside := map[flow]bool{}
	for _, g := range doc.Groups {
		node, ok := destinations[g.ID]
		if !ok || !strings.HasPrefix(g.ID, "External") {
			continue
		}
		for _, r := range g.Rules {
			for _, pr := range r.Ports {
				for _, port := range []uint16{pr.First, pr.Last} {
					fromOutside[flow{node: node, proto: protoOf(r.Protocol), port: port}] = true
				}
			}
		}
	}
	for _, g := range doc.Groups {
		node, ok := destinations[g.ID]
		for _, r := range g.Rules {
			if r.Protocol == spec.ICMP || !ok {
				continue
			}
			proto := protoOf(r.Protocol)
			purpose := strings.ToLower(r.PurposeIn("en").Text)
			for _, pr := range r.Ports {
				for p := pr.First; ; p++ {
					listed[proto][p] = true
					if p == pr.Last {
						break
					}
				}
				for _, port := range []uint16{pr.First, pr.Last} {
					for _, f := range rowFlows(g.ID, node, proto, port, purpose) {
						if f.from == World && !f.want && fromOutside[flow{node: node, proto: proto, port: port}] {
							continue // also an external row of the page
						}
						flows = append(flows, f)
					}
				}
			}
		}
	}
	for _, port := range []uint16{31337, 12345, 9999} {
		for _, proto := range []engine.Proto{TCP, UDP} {
			if listed[proto][port] {
				continue
			}
			for _, node := range []engine.Role{M, W} {
				for _, from := range []engine.Peer{RN, RM, World, Pod, Prom} {
					flows = append(flows, flow{node, from, H, proto, port, deny, "a port this version does not list"})
				}
			}
		}
	}
	return flows
}

// rowFlows are the facts about one port of one row.
func rowFlows(group string, node engine.Role, proto engine.Proto, port uint16, purpose string) []flow {
	var fs []flow
	add := func(from engine.Peer, want bool, why string) {
		fs = append(fs, flow{node, from, H, proto, port, want, why + " (" + group + ")"})
	}
	webhook := strings.Contains(purpose, "webhook")
	switch {
	case strings.HasPrefix(group, "External"):
		add(World, allow, "the page opens it to the outside")
	case strings.HasPrefix(group, "Masters") || webhook:
		add(RM, allow, "a master is its client")
	default:
		add(RN, allow, "a node is its client")
	}
	if proto == TCP && strings.Contains(purpose, "metric") {
		add(Prom, allow, "Prometheus scrapes every metrics port")
	}
	podAllowed := (group == "NodesToMasters" && port == 6443) || (group == "ExternalToFrontends" && (port == 80 || port == 443))
	if !strings.HasPrefix(group, "External") {
		if !podAllowed {
			add(Pod, deny, "an application pod is no client of a node port")
		}
		joining := group == "NodesToMasters" && (port == 4219 || (proto == UDP && strings.Contains(purpose, "ntp")))
		if !joining {
			add(World, deny, "an internal row is closed to the outside")
		}
	}
	return fs
}

func protoOf(p spec.Protocol) engine.Proto {
	if p == spec.UDP {
		return UDP
	}
	return TCP
}
