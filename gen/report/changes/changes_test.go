package changes

import (
	"bytes"
	"encoding/csv"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// upstreamDoc parses an upstream data version under its name in the
// upstream folder, prose redacted, for the golden file.
func upstreamDoc(t *testing.T, rel string) *spec.Document {
	t.Helper()
	src, err := os.ReadFile(upstream.Path(t, rel))
	if err != nil {
		upstream.Missing(t, err.Error())
	}
	doc, err := parser.Parse(rel, src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upstream.RedactProse(doc)
	return doc
}

// TestGolden pins the page (each language) and the table of the July 2024
// renumbering of the 4200-4299 ports: moves within and between firewalls,
// ports opened and closed, purposes in both languages.
func TestGolden(t *testing.T) {
	old := upstreamDoc(t, "data/2024-06-01_28d10e1297.yml")
	new := upstreamDoc(t, "data/2024-07-02_5408b90b2f.yml")
	r := compare.Documents(old, new)
	files := []gen.File{{Path: "changes.csv", Data: CSV(r, old, new)}}
	for _, l := range text.Langs() {
		files = append(files, gen.File{Path: "changes." + string(l) + ".html", Data: HTML(r, old, new, l)})
	}
	gentest.Golden(t, "testdata/renumbering.txtar", files)
}

// pair is two small documents: NTP moved from node→node to node→master (a
// move on the masters, a close on the nodes), a port opened and one
// closed, a purpose reworded in Russian; purposes given by text.
func pair(purpose func(i int) string) (old, new *spec.Document) {
	doc := func(src string, rules map[string][]spec.Rule) *spec.Document {
		d := &spec.Document{Source: src, Kind: "data", SHA256: "00", Languages: []string{"en", "ru"}}
		line := 1
		for _, id := range []string{"NodesToMasters", "NodesToNodes"} {
			k, _ := spec.LookupGroup(id)
			g := spec.Group{ID: id, Known: true, From: k.From, To: k.To, Direction: k.Direction, Titles: map[string]string{"en": id}}
			for _, r := range rules[id] {
				line++
				r.Pos = token.Position{Filename: src, Line: line, Column: 1}
				g.Rules = append(g.Rules, r)
			}
			d.Groups = append(d.Groups, g)
		}
		return d
	}
	rule := func(p spec.Protocol, port uint16, en, ru string) spec.Rule {
		return spec.Rule{Protocol: p, Ports: []spec.PortRange{{First: port, Last: port}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: en}, "ru": {Text: ru}})}
	}
	old = doc("old.yml", map[string][]spec.Rule{
		"NodesToMasters": {rule(spec.TCP, 6443, purpose(0), purpose(1))},
		"NodesToNodes":   {rule(spec.UDP, 123, purpose(2), purpose(3)), rule(spec.TCP, 4300, purpose(4), purpose(5))},
	})
	new = doc("new.yml", map[string][]spec.Rule{
		"NodesToMasters": {rule(spec.TCP, 6443, purpose(0), purpose(6)), rule(spec.UDP, 4234, purpose(2), purpose(3))},
		"NodesToNodes":   {rule(spec.TCP, 4301, purpose(7), purpose(8))},
	})
	return old, new
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	first, rest, _ := bytes.Cut(data, []byte("\r\n"))
	if !bytes.HasPrefix(first, []byte("# portspec changes from ")) {
		t.Fatalf("first line %q", first)
	}
	recs, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestPerFirewall(t *testing.T) {
	names := []string{"kube-apiserver", "kube-apiserver", "NTP", "НТП", "old thing", "старое", "kube-apiserver (новое)", "new thing", "новое"}
	old, new := pair(func(i int) string { return names[i] })
	recs := readCSV(t, CSV(compare.Documents(old, new), old, new))
	var got []string
	for _, r := range recs[1:] {
		got = append(got, strings.Join([]string{r[0], r[2], r[5], r[6], r[7], r[8], r[10], r[11], r[12], r[14]}, " | "))
	}
	want := []string{
		"master | move | UDP | 4234 | 123 | NodesToMasters | node | NTP | НТП | ",
		"master | purpose | TCP | 6443 |  | NodesToMasters | node | kube-apiserver | kube-apiserver (новое) | kube-apiserver",
		"node | open | TCP | 4301 |  | NodesToNodes | node | new thing | новое | ",
		"node | close | UDP | 123 |  | NodesToNodes | node | NTP | НТП | ",
		"node | close | TCP | 4300 |  | NodesToNodes | node | old thing | старое | ",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("changes per firewall (-want +got):\n%s", d)
	}
}

func skeleton(t *testing.T, page []byte) []string {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			var attrs []string
			for _, a := range n.Attr {
				attrs = append(attrs, a.Key+"="+a.Val)
			}
			sort.Strings(attrs)
			out = append(out, n.Data+" "+strings.Join(attrs, " "))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

// TestHostile: hostile purposes change neither the page's structure nor
// the table's records, and no cell of the table starts a formula.
func TestHostile(t *testing.T) {
	hostile := append(gentest.Hostile(), "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "</bdi></td></tr></table><img src=x onerror=alert(2)>", "\u202Eevil", "@SUM(1)")
	po, pn := pair(func(i int) string { return "purpose " + string(rune('a'+i)) })
	// Reworded alike on both sides, so that the same changes come out.
	ho, hn := pair(func(i int) string { return hostile[i%len(hostile)] })
	for _, l := range text.Langs() {
		plain, bad := skeleton(t, HTML(compare.Documents(po, pn), po, pn, l)), skeleton(t, HTML(compare.Documents(ho, hn), ho, hn, l))
		if d := cmp.Diff(plain, bad); d != "" {
			t.Errorf("%s: hostile purposes changed the page (-plain +hostile):\n%s", l, d)
		}
	}
	plain, bad := readCSV(t, CSV(compare.Documents(po, pn), po, pn)), readCSV(t, CSV(compare.Documents(ho, hn), ho, hn))
	if len(plain) != len(bad) {
		t.Fatalf("%d records, plain %d", len(bad), len(plain))
	}
	for i, rec := range bad {
		if len(rec) != len(plain[i]) {
			t.Errorf("record %d: %d fields, plain %d", i, len(rec), len(plain[i]))
		}
		for _, f := range rec {
			if strings.IndexAny(f, "=+-@") == 0 || strings.ContainsAny(f, "\n\r\u202E") {
				t.Errorf("record %d: unsafe field %q", i, f)
			}
		}
	}
}
