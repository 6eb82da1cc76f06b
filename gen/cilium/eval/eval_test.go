package eval_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/gen/cilium/eval"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

var cluster = eval.Cluster{Masters: cilium.DefaultMastersSelector, Frontends: cilium.DefaultFrontendsSelector}

// The test's own reading of roles and entities: what the document means by
// a role, and what a Cilium entity stands for seen from node self. It is
// written out here again on purpose, as an oracle independent of the
// evaluator's.
func roleParties(r spec.Role) []eval.Party {
	switch r {
	case spec.RoleMaster:
		return []eval.Party{eval.Master}
	case spec.RoleFrontend:
		return []eval.Party{eval.Frontend}
	case spec.RoleNode:
		return []eval.Party{eval.Master, eval.Frontend, eval.Worker}
	case spec.RoleExternal:
		return []eval.Party{eval.External}
	}
	return nil
}

func entityParties(e string, self eval.Party) []eval.Party {
	switch e {
	case "host":
		return []eval.Party{self}
	case "remote-node":
		return roleParties(spec.RoleNode)
	case "kube-apiserver":
		return roleParties(spec.RoleMaster)
	case "world":
		return []eval.Party{eval.External}
	case "health":
		return []eval.Party{eval.Health}
	case "cluster":
		return append(roleParties(spec.RoleNode), eval.Pods, eval.Health)
	}
	panic("test oracle: unknown entity " + e)
}

var subjectRole = map[cilium.Subject]spec.Role{cilium.Masters: spec.RoleMaster, cilium.Nodes: spec.RoleNode, cilium.Frontends: spec.RoleFrontend}

// services expands a protocol and ports the way the configuration says:
// ICMP is echo request in both families (the default).
func services(proto spec.Protocol, pr spec.PortRange) []eval.Flow {
	if proto == spec.ICMP {
		return []eval.Flow{{Protocol: "ICMPv4", Ports: spec.PortRange{First: 8, Last: 8}}, {Protocol: "ICMPv6", Ports: spec.PortRange{First: 128, Last: 128}}}
	}
	return []eval.Flow{{Protocol: proto.String(), Ports: pr}}
}

// expected is what the policies must allow: the document's flows (without
// NodePort-range ingress, which a host policy cannot enforce) plus the
// baseline, with roles made concrete.
func expected(doc *spec.Document, egressPolicy bool) []eval.Flow {
	var want []eval.Flow
	for _, f := range doc.Flows() {
		g := doc.Group(f.Group)
		if g.Direction == spec.Ingress && f.Protocol != spec.ICMP && f.Ports.First >= 30000 && f.Ports.Last <= 32767 {
			continue
		}
		for _, from := range roleParties(f.From) {
			for _, to := range roleParties(f.To) {
				for _, s := range services(f.Protocol, f.Ports) {
					s.From, s.To = from, to
					want = append(want, s)
				}
			}
		}
	}
	for _, b := range cilium.Baseline {
		if b.Egress && !egressPolicy {
			continue
		}
		for _, self := range roleParties(subjectRole[b.Subject]) {
			for _, e := range b.Peers {
				for _, peer := range entityParties(e, self) {
					var svcs []eval.Flow
					switch b.Protocol {
					case "ANY":
						svcs = []eval.Flow{{Protocol: "ANY", Ports: spec.PortRange{First: 0, Last: 65535}}}
					case "ICMP":
						svcs = services(spec.ICMP, spec.PortRange{})
					default:
						for _, pr := range b.Ports {
							svcs = append(svcs, eval.Flow{Protocol: b.Protocol, Ports: pr})
						}
					}
					for _, s := range svcs {
						s.From, s.To = peer, self
						if b.Egress {
							s.From, s.To = self, peer
						}
						want = append(want, s)
					}
				}
			}
		}
	}
	return eval.Normalize(want)
}

// allowed generates the policies and evaluates the YAML they were written as.
func allowed(t *testing.T, doc *spec.Document, opts string) ([]eval.Flow, *gen.Output) {
	t.Helper()
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: "cilium", Options: json.RawMessage(opts)})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	var pols []ccnp.Policy
	for _, f := range out.Files {
		ps, err := ccnp.Parse(f.Path, f.Data)
		if err != nil {
			t.Fatalf("parse back: %v", err)
		}
		pols = append(pols, ps...)
	}
	got, err := eval.Evaluate(pols, cluster)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return got, out
}

func hasEgress(out *gen.Output) bool {
	for _, f := range out.Files {
		if f.Path == "nodes-egress.yaml" {
			return true
		}
	}
	return false
}

// checkDocument asserts, with node-selector labels on (the configuration
// in which a host policy can tell master sources from other nodes), that
// the policies allow exactly the document's flows plus the baseline; and,
// with the defaults (entities only), that they allow at least that and
// only widen sources, never opening a port the document (or baseline) does
// not open to the same destination.
func checkDocument(t *testing.T, doc *spec.Document) {
	t.Run("exact", func(t *testing.T) { checkExact(t, doc) })
	t.Run("defaults", func(t *testing.T) { checkDefaults(t, doc) })
}

func checkExact(t *testing.T, doc *spec.Document) {
	got, out := allowed(t, doc, `{"nodeSelectorLabels": true, "podPeerKeywords": []}`)
	want := expected(doc, hasEgress(out))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("allowed flows differ from document + baseline (-want +got):\n%s", diff)
	}
}

func checkDefaults(t *testing.T, doc *spec.Document) {
	got, out := allowed(t, doc, ``)
	want := expected(doc, hasEgress(out))
	// Both sides are normalized: merged ranges, so a range is covered
	// by a set exactly when one range of the set contains it.
	var opened []eval.Flow
	for _, w := range want {
		w.From = ""
		opened = append(opened, w)
	}
	opened = eval.Normalize(opened)
	for _, g := range got {
		if !covered(opened, eval.Flow{To: g.To, Protocol: g.Protocol, Ports: g.Ports}) {
			t.Errorf("%v opens ports to %s that neither the document nor the baseline opens to it", g, g.To)
		}
		// Entities cannot tell node roles apart, so a source may widen
		// to other nodes or pods, but never to the outside world.
		if (g.From == eval.External || g.To == eval.External) && !covered(want, g) {
			t.Errorf("%v: traffic with the outside world that the document does not allow", g)
		}
	}
	for _, w := range want {
		if !covered(got, w) {
			t.Errorf("%v is in the document or baseline but not allowed", w)
		}
	}
}

func TestDefaultDocument(t *testing.T) {
	checkDocument(t, gentest.Default(t))
}

func TestSeed(t *testing.T) {
	checkDocument(t, gentest.Seed(t))
}

func TestDataVersions(t *testing.T) {
	parsed := 0
	for _, path := range upstream.Glob(t, "data/*.yml") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			if checkFile(t, path) {
				parsed++
			}
		})
	}
	// Two of the stored versions are invalid YAML; every other one must be
	// checked.
	if parsed < 20 {
		t.Errorf("only %d data versions parsed", parsed)
	}
}

func checkFile(t *testing.T, path string) bool {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.Parse(path, src, parser.Options{})
	if err != nil {
		t.Logf("not a valid document, nothing to check: %v", err)
		return false
	}
	checkDocument(t, doc)
	return true
}

func covered(set []eval.Flow, f eval.Flow) bool {
	for _, s := range set {
		if s.From == f.From && s.To == f.To && s.Protocol == f.Protocol && s.Ports.First <= f.Ports.First && f.Ports.Last <= s.Ports.Last {
			return true
		}
	}
	return false
}
