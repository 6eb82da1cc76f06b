package compare_test

// Documents on the real history in ../shared/upstream. The expected lists are
// computed here straight from the data YAML (a plain yaml.v3 read and set
// differences), not from compare.Documents or the parser.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// mainVersions are the main-branch versions of deckhouse-ports.yml (the
// upstream README's table), oldest first.
var mainVersions = []string{
	"2024-04-17_04a7419db2",
	"2024-05-27_a5cbfde9e4",
	"2024-06-01_28d10e1297",
	"2024-07-02_5408b90b2f",
	"2024-07-10_ae202cad67",
	"2024-07-25_2370e3b03c",
	"2024-07-26_b79ea808ba",
}

func load(t *testing.T, path string) *spec.Document {
	t.Helper()
	d, err := parser.Load(context.Background(), path, parser.LoadOptions{})
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return d
}

// rawFlows reads a data file the simple way: flow "Group PROTO port" →
// purpose per language (markdown as written).
func rawFlows(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Group        string `yaml:"group"`
			Destinations []struct {
				Ports       string            `yaml:"ports"`
				Protocol    string            `yaml:"protocol"`
				Description map[string]string `yaml:"description"`
			} `yaml:"destinations"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := map[string]map[string]string{}
	for _, g := range f.Groups {
		for _, d := range g.Destinations {
			for _, proto := range strings.Split(d.Protocol, "/") {
				ports := []string{"-"}
				if strings.TrimSpace(d.Ports) != "" {
					ports = nil
					for _, p := range strings.Split(d.Ports, ",") {
						p = strings.ReplaceAll(strings.TrimSpace(p), "&#8209;", "-")
						ports = append(ports, p)
					}
				}
				for _, p := range ports {
					k := g.Group + " " + proto + " " + p
					if _, dup := out[k]; !dup {
						out[k] = d.Description
					}
				}
			}
		}
	}
	return out
}

func minus(a, b map[string]map[string]string) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func flowNames(group string, p spec.Protocol, rs []spec.PortRange) []string {
	if len(rs) == 0 {
		return []string{group + " " + p.String() + " -"}
	}
	var out []string
	for _, r := range rs {
		out = append(out, group+" "+p.String()+" "+r.String())
	}
	return out
}

// changedFlows names, sorted, the flows a diff removes and adds; a moved
// port is removed from its old group and added to its new one.
func changedFlows(d *compare.Report) (removed, added []string) {
	for _, c := range d.Changes {
		switch c.Kind {
		case compare.PortRemoved, compare.ProtocolRemoved:
			removed = append(removed, flowNames(c.Group, c.Protocol, c.Ports)...)
		case compare.PortAdded, compare.ProtocolAdded:
			added = append(added, flowNames(c.Group, c.Protocol, c.Ports)...)
		case compare.PortMoved:
			removed = append(removed, flowNames(c.OldGroup, c.Protocol, c.OldPorts)...)
			added = append(added, flowNames(c.Group, c.Protocol, c.Ports)...)
		}
	}
	sort.Strings(removed)
	sort.Strings(added)
	return removed, added
}

func TestCompareUpstreamHistory(t *testing.T) {
	dir := upstream.Dir(t)
	for i := 1; i < len(mainVersions); i++ {
		oldPath := filepath.Join(dir, "data", mainVersions[i-1]+".yml")
		newPath := filepath.Join(dir, "data", mainVersions[i]+".yml")
		t.Run(mainVersions[i-1]+"→"+mainVersions[i], func(t *testing.T) {
			oldRaw, newRaw := rawFlows(t, oldPath), rawFlows(t, newPath)
			d := compare.Documents(load(t, oldPath), load(t, newPath))

			removed, added := changedFlows(d)
			var purposes []string
			for _, c := range d.Changes {
				if c.Kind == compare.PurposeChanged {
					for _, f := range flowNames(c.Group, c.Protocol, c.Ports) {
						purposes = append(purposes, f+" "+c.Lang)
					}
				}
				if c.Severity == compare.Warning && c.Kind != compare.PurposeChanged {
					t.Errorf("%s is only a warning", c.Key())
				}
			}
			sort.Strings(purposes)

			wantPurposes := []string{}
			for k, od := range oldRaw {
				nd, ok := newRaw[k]
				if !ok {
					continue
				}
				for _, l := range []string{"en", "ru"} {
					if spec.NormalizePurpose(od[l]) != spec.NormalizePurpose(nd[l]) {
						wantPurposes = append(wantPurposes, k+" "+l)
					}
				}
			}
			sort.Strings(wantPurposes)
			if diff := cmp.Diff(minus(oldRaw, newRaw), removed); diff != "" {
				t.Errorf("removed flows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(minus(newRaw, oldRaw), added); diff != "" {
				t.Errorf("added flows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantPurposes, purposes, cmpEmpty); diff != "" {
				t.Errorf("purpose changes (-want +got):\n%s", diff)
			}
			if len(minus(oldRaw, newRaw))+len(minus(newRaw, oldRaw)) > 0 && len(d.Failing(false)) == 0 {
				t.Errorf("flows changed but nothing is drift: %q", keys(d))
			}
		})
	}
}

var cmpEmpty = cmp.Transformer("nilToEmpty", func(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
})

// TestCompareUpstreamSameStateDifferentForms: the data YAML and the page
// rendered from it (EN and RU), the seed and the data behind it, and the
// embedded default and that data, all compare equal.
func TestCompareUpstreamSameStateDifferentForms(t *testing.T) {
	dir := upstream.Dir(t)
	type pair struct{ a, b string }
	var pairs []pair
	for _, v := range mainVersions {
		for _, lang := range []string{"en", "ru"} {
			pairs = append(pairs, pair{filepath.Join(dir, "rendered", lang, v+".md"), filepath.Join(dir, "data", v+".yml")})
		}
	}
	pairs = append(pairs,
		pair{filepath.Join(dir, "seed", "000_9b596b334cd8af9c.txt"), filepath.Join(dir, "data", "2024-07-26_b79ea808ba.yml")},
		pair{"", filepath.Join(dir, "data", "2024-07-26_b79ea808ba.yml")},
	)
	for _, p := range pairs {
		name := filepath.Base(filepath.Dir(p.a)) + "/" + filepath.Base(p.a)
		if p.a == "" {
			name = "embedded default"
		}
		t.Run(name+" vs "+filepath.Base(p.b), func(t *testing.T) {
			a, b := load(t, p.a), load(t, p.b)
			for _, d := range []*compare.Report{compare.Documents(a, b), compare.Documents(b, a)} {
				if !d.Empty() {
					var s strings.Builder
					d.WriteText(&s, compare.ByGroup)
					t.Errorf("want no changes:\n%s", s.String())
				}
				if len(d.Languages) == 0 {
					t.Errorf("no language compared: purposes were not checked")
				}
			}
		})
	}
}

// TestCompareUpstreamMoves pins the moves the upstream history is known
// for (the release notes of July 2024 and the upstream README).
func TestCompareUpstreamMoves(t *testing.T) {
	dir := upstream.Dir(t)
	data := func(v string) *spec.Document { return load(t, filepath.Join(dir, "data", v+".yml")) }
	moves := func(d *compare.Report) map[string]bool {
		m := map[string]bool{}
		for _, c := range d.Changes {
			if c.Kind == compare.PortMoved {
				m[fmt.Sprintf("%s %s %s -> %s %s", c.OldGroup, spec.FormatPorts(c.OldPorts), c.Protocol, c.Group, spec.FormatPorts(c.Ports))] = true
			}
		}
		return m
	}
	renumbering := moves(compare.Documents(data("2024-06-01_28d10e1297"), data("2024-07-02_5408b90b2f")))
	for _, want := range []string{
		"MastersToMasters 9443 TCP -> MastersToMasters 4200",
		"MastersToMasters 9444 TCP -> MastersToMasters 4201",
		"MastersToNodes 10423 TCP -> MastersToNodes 4221",
		"NodesToMasters 8443 TCP -> NodesToMasters 4203",
		"NodesToNodes 10354, 10355 TCP -> NodesToNodes 4207, 4208",
	} {
		if !renumbering[want] {
			t.Errorf("2024-06-01 → 2024-07-02: no move %q in %v", want, renumbering)
		}
	}
	d := compare.Documents(data("2024-07-25_2370e3b03c"), data("2024-07-26_b79ea808ba"))
	if len(d.Changes) != 1 || !moves(d)["MastersToNodes 9680 TCP -> MastersToNodes 4227"] {
		t.Errorf("2024-07-25 → 2024-07-26: want exactly the move 9680 → 4227, got %q", keys(d))
	}
	d = compare.Documents(data("2024-07-10_ae202cad67"), data("2024-07-25_2370e3b03c"))
	if len(d.Changes) != 1 || !moves(d)["NodesToNodes 123 UDP -> NodesToMasters 4234"] {
		t.Errorf("2024-07-10 → 2024-07-25: want exactly the NTP move, got %q", keys(d))
	}
}

func keys(d *compare.Report) []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, c.Key())
	}
	return out
}
