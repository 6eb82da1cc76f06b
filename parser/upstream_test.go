package parser_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// These tests read the real inputs straight from ../shared/upstream (see
// internal/upstream): they skip without it, and fail under CI=true.

func parseFile(t *testing.T, path string) (*spec.Document, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parser.Parse(path, b, parser.Options{})
}

func mustParse(t *testing.T, path string) *spec.Document {
	t.Helper()
	doc, err := parseFile(t, path)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return doc
}

// invalidData are the two data versions that are not valid YAML, with the
// line:col of the mistake that the errors must point at.
var invalidData = map[string][]string{
	"2024-04-12_c744d58bd4.yml": {":187:4: ", ":192:4: ", ":197:4: "}, // 3-space indented list items
	"2024-04-15_09c9152a74.yml": {":85:11: "},                         // unterminated quote
}

// upstreamCounts are the groups and rows of every valid data version, as
// the upstream README's table lists them.
var upstreamCounts = map[string][2]int{
	"2024-04-12_bc7d9a1940.yml": {7, 35}, "2024-04-12_da79c3c73f.yml": {7, 35},
	"2024-04-15_0442bac9ef.yml": {7, 33}, "2024-04-15_f493bfa33f.yml": {7, 33},
	"2024-04-15_1708be6ac6.yml": {7, 36}, "2024-04-15_b9b51c6124.yml": {7, 37},
	"2024-04-16_67ffe225b3.yml": {7, 40}, "2024-04-16_600390f03f.yml": {7, 40},
	"2024-04-16_c8cab90200.yml": {7, 43}, "2024-04-17_650048353a.yml": {7, 43},
	"2024-04-17_04a7419db2.yml": {7, 43}, "2024-05-27_a5cbfde9e4.yml": {7, 44},
	"2024-06-01_28d10e1297.yml": {7, 45}, "2024-07-02_5408b90b2f.yml": {7, 48},
	"2024-07-10_ae202cad67.yml": {7, 48}, "2024-07-25_2370e3b03c.yml": {7, 48},
	"2024-07-26_b79ea808ba.yml": {7, 48}, "2024-08-13_416d97f292.yml": {7, 48},
	"2024-10-03_4c65bc8f37.yml": {7, 48}, "2024-10-22_f0466f2aba.yml": {7, 48},
	"undated_6e01cad3cf.yml": {7, 92},
}

// oracleRoles is the oracle's own copy of who talks to whom in each group.
var oracleRoles = map[string][2]spec.Role{
	"MastersToMasters":    {spec.RoleMaster, spec.RoleMaster},
	"MastersToNodes":      {spec.RoleMaster, spec.RoleNode},
	"NodesToMasters":      {spec.RoleNode, spec.RoleMaster},
	"NodesToNodes":        {spec.RoleNode, spec.RoleNode},
	"ExternalToMaster":    {spec.RoleExternal, spec.RoleMaster},
	"ExternalToFrontends": {spec.RoleExternal, spec.RoleFrontend},
	"NodesToExternal":     {spec.RoleNode, spec.RoleExternal},
}

type oracleFile struct {
	Groups []struct {
		Group        string
		Description  map[string]string
		Destinations []struct {
			Ports       string
			Protocol    string
			Description map[string]string
		}
	}
}

// oracleFlows reads a data file the simple way (yaml.Unmarshal into structs,
// string splitting) and returns its flows and its group and row counts.
func oracleFlows(t *testing.T, path string) (flows []spec.Flow, groups, rows int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f oracleFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("oracle: %s: %v", path, err)
	}
	protos := map[string]spec.Protocol{"TCP": spec.TCP, "UDP": spec.UDP, "ICMP": spec.ICMP}
	for _, g := range f.Groups {
		groups++
		roles, ok := oracleRoles[g.Group]
		if !ok {
			t.Fatalf("oracle: unknown group %q in %s", g.Group, path)
		}
		for _, d := range g.Destinations {
			rows++
			var ranges []spec.PortRange
			ports := strings.ReplaceAll(d.Ports, "&#8209;", "-")
			for _, item := range strings.Split(ports, ",") {
				item = strings.TrimSpace(item)
				if item == "" {
					continue
				}
				lo, hi, isRange := strings.Cut(item, "-")
				if !isRange {
					hi = lo
				}
				a, err1 := strconv.Atoi(strings.TrimSpace(lo))
				z, err2 := strconv.Atoi(strings.TrimSpace(hi))
				if err1 != nil || err2 != nil {
					t.Fatalf("oracle: ports %q in %s", d.Ports, path)
				}
				ranges = append(ranges, spec.PortRange{First: uint16(a), Last: uint16(z)})
			}
			for _, p := range strings.Split(d.Protocol, "/") {
				proto, ok := protos[p]
				if !ok {
					t.Fatalf("oracle: protocol %q in %s", d.Protocol, path)
				}
				if len(ranges) == 0 {
					flows = append(flows, spec.Flow{Group: g.Group, From: roles[0], To: roles[1], Protocol: proto})
				}
				for _, r := range ranges {
					flows = append(flows, spec.Flow{Group: g.Group, From: roles[0], To: roles[1], Protocol: proto, Ports: r})
				}
			}
		}
	}
	spec.SortFlows(flows)
	out := flows[:0]
	for i, fl := range flows {
		if i == 0 || fl != flows[i-1] {
			out = append(out, fl)
		}
	}
	return out, groups, rows
}

func TestDataVersionsMatchOracle(t *testing.T) {
	files := upstream.Glob(t, "data/*.yml")
	if len(files) != len(upstreamCounts)+len(invalidData) {
		t.Errorf("%d data files, want %d: update the tables in this test", len(files), len(upstreamCounts)+len(invalidData))
	}
	for _, path := range files {
		base := filepath.Base(path)
		if _, bad := invalidData[base]; bad {
			continue
		}
		t.Run(base, func(t *testing.T) {
			doc := mustParse(t, path)
			want, groups, rows := oracleFlows(t, path)
			if diff := cmp.Diff(want, doc.Flows()); diff != "" {
				t.Errorf("flows differ from the oracle (-want +got):\n%s", diff)
			}
			c, ok := upstreamCounts[base]
			if !ok {
				t.Fatalf("no expected counts for %s", base)
			}
			if groups != c[0] || rows != c[1] {
				t.Errorf("oracle counts %d/%d, upstream README says %d/%d", groups, rows, c[0], c[1])
			}
			if len(doc.Groups) != c[0] {
				t.Errorf("%d groups, want %d", len(doc.Groups), c[0])
			}
			if got := distinctRows(doc); got != c[1] {
				t.Errorf("%d rows, want %d", got, c[1])
			}
			if diff := cmp.Diff([]string{"en", "ru"}, doc.Languages); diff != "" {
				t.Errorf("languages (-want +got):\n%s", diff)
			}
			if doc.Kind != "data" {
				t.Errorf("kind %q, want data", doc.Kind)
			}
		})
	}
}

// distinctRows counts table rows: the rules of a TCP/UDP row share a position.
func distinctRows(doc *spec.Document) int {
	seen := map[string]bool{}
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			seen[r.Pos.String()] = true
		}
	}
	return len(seen)
}

func TestInvalidDataVersionsFail(t *testing.T) {
	for base, wantPos := range invalidData {
		t.Run(base, func(t *testing.T) {
			path := upstream.Path(t, "data/"+base)
			_, err := parseFile(t, path)
			var list spec.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want a spec.ErrorList", err)
			}
			text := err.Error()
			for _, e := range list {
				text += "\n" + e.Error()
			}
			for _, w := range wantPos {
				if !strings.Contains(text, path+w) {
					t.Errorf("errors do not point at %s%s:\n%s", path, w, text)
				}
			}
			if !strings.Contains(text, "invalid YAML") {
				t.Errorf("errors do not say the YAML is invalid:\n%s", text)
			}
		})
	}
}

// dataOfPage names the data version behind a rendered page whose commit
// changed only the page: the data file then is main's latest before it
// (the upstream README: b79ea808ba is main's state until 2024-11-28).
var dataOfPage = map[string]string{
	"2024-08-23_224965580d": "2024-07-26_b79ea808ba",
	"2024-10-17_5d75763f41": "2024-07-26_b79ea808ba",
	"2024-11-22_02d00dc14e": "2024-07-26_b79ea808ba",
}

// TestRenderedMatchesData: the page as kramdown saw it, EN and RU, opens
// exactly the flows of the data file of the same commit, and its headings
// and purposes are the data's, in the page's language.
func TestRenderedMatchesData(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		for _, path := range upstream.Glob(t, "rendered/"+lang+"/*.md") {
			base := strings.TrimSuffix(filepath.Base(path), ".md")
			t.Run(lang+"/"+base, func(t *testing.T) {
				doc := mustParse(t, path)
				dataBase := base
				if b, ok := dataOfPage[base]; ok {
					dataBase = b
				}
				data := mustParse(t, upstream.Path(t, "data/"+dataBase+".yml"))
				if diff := cmp.Diff(data.Flows(), doc.Flows()); diff != "" {
					t.Errorf("flows differ from data/%s.yml (-want +got):\n%s", dataBase, diff)
				}
				if diff := cmp.Diff([]string{lang}, doc.Languages); diff != "" {
					t.Errorf("languages (-want +got):\n%s", diff)
				}
				comparePurposes(t, data, doc, lang, func(s string) string { return s })
			})
		}
	}
}

// comparePurposes checks that doc has data's groups and rules in data's
// order, with data's titles and purposes in lang (plain text and markdown
// after norm, which undoes what a capture changed).
func comparePurposes(t *testing.T, data, doc *spec.Document, lang string, norm func(string) string) {
	t.Helper()
	type row struct{ Title, Ports, Protocol, Text, Markdown string }
	collect := func(d *spec.Document, n func(string) string) []row {
		var rows []row
		for _, g := range d.Groups {
			for _, r := range g.Rules {
				p := r.Purposes.In(lang)
				rows = append(rows, row{n(g.Titles[lang]), spec.FormatPorts(r.Ports), r.Protocol.String(), n(p.Text), n(p.Markdown)})
			}
		}
		return rows
	}
	want := collect(data, func(s string) string { return s })
	got := collect(doc, norm)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("titles and purposes in %s differ from the data (-want +got):\n%s", lang, diff)
	}
}

// TestSeedMatchesData: the seed (a text capture of the rendered page) and
// the embedded default typed from it hold the flows of the data file behind
// the page, and its purposes are the data's EN purposes as plain text, up to
// kramdown's smart quote (' became ’).
func TestSeedMatchesData(t *testing.T) {
	data := mustParse(t, upstream.Path(t, "data/2024-07-26_b79ea808ba.yml"))
	seedPath := upstream.Path(t, "seed/000_9b596b334cd8af9c.txt")
	seed := mustParse(t, seedPath)
	embedded, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatalf("embedded default: %v", err)
	}
	unsmart := strings.NewReplacer("’", "'").Replace
	for name, doc := range map[string]*spec.Document{"seed": seed, "embedded": embedded} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(data.Flows(), doc.Flows()); diff != "" {
				t.Errorf("flows differ from the data (-want +got):\n%s", diff)
			}
			if len(doc.Groups) != 7 || doc.RuleCount() != 48 {
				t.Errorf("%d groups, %d rules; want 7, 48", len(doc.Groups), doc.RuleCount())
			}
			// The capture dropped the markdown: compare plain texts only.
			type row struct{ Title, Text string }
			var want, got []row
			for _, g := range data.Groups {
				for _, r := range g.Rules {
					want = append(want, row{g.Titles["en"], r.Purposes.In("en").Text})
				}
			}
			for _, g := range doc.Groups {
				for _, r := range g.Rules {
					got = append(got, row{g.Titles["en"], unsmart(r.Purposes.In("en").Text)})
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("titles and purposes differ from the data (-want +got):\n%s", diff)
			}
			if len(doc.Warnings) != 0 {
				t.Errorf("warnings: %v", doc.Warnings)
			}
		})
	}
}

var includeLine = regexp.MustCompile(`(?m)^\{% include network_security_setup\.liquid %\}`)

// TestRawPagesFail: the page source holds no tables, only the include that
// inserts them; parsing it says so at the include and names the data file.
func TestRawPagesFail(t *testing.T) {
	for _, dir := range []string{"en", "ru"} {
		for _, path := range upstream.Glob(t, dir+"/*.md") {
			t.Run(dir+"/"+filepath.Base(path), func(t *testing.T) {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				loc := includeLine.FindIndex(b)
				if loc == nil {
					t.Fatal("test input has no include line")
				}
				line := bytes.Count(b[:loc[0]], []byte("\n")) + 1
				_, perr := parser.Parse(path, b, parser.Options{})
				var list spec.ErrorList
				if !errors.As(perr, &list) || len(list) != 1 {
					t.Fatalf("err = %v, want exactly one error", perr)
				}
				e := list[0]
				if e.Pos.Line != line || e.Pos.Column != 1 || e.Pos.Filename != path {
					t.Errorf("error at %s, want %s:%d:1", e.Pos, path, line)
				}
				for _, want := range []string{"no port tables", "deckhouse-ports.yml", "network_security_setup.liquid"} {
					if !strings.Contains(e.Msg, want) {
						t.Errorf("error %q does not mention %q", e.Msg, want)
					}
				}
			})
		}
	}
}

// TestHeadingAliasesCoverData: every heading wording the data files carry,
// in English and Russian, maps to its group id through spec.GroupForHeading,
// so that a page rendered from any version reads into known groups.
func TestHeadingAliasesCoverData(t *testing.T) {
	seen := map[string]bool{}
	for _, path := range upstream.Glob(t, "data/*.yml") {
		if _, bad := invalidData[filepath.Base(path)]; bad {
			continue
		}
		doc := mustParse(t, path)
		for _, g := range doc.Groups {
			for lang, title := range g.Titles {
				if seen[lang+title] {
					continue
				}
				seen[lang+title] = true
				if id, ok := spec.GroupForHeading(title); !ok || id != g.ID {
					t.Errorf("%s: %s heading %q maps to %q (%v), want %s", filepath.Base(path), lang, title, id, ok, g.ID)
				}
			}
		}
	}
	if len(seen) < 28 {
		t.Errorf("only %d wordings seen, want at least 28 (7 groups × 2 languages × 2 eras)", len(seen))
	}
}
