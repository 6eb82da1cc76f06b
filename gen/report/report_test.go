package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// newestData is the newest upstream data version (92 rows, English and
// Russian), under a stable name; newestDataGolden without upstream's prose.
func newestData(t testing.TB) *spec.Document       { return gentest.NewestData(t) }
func newestDataGolden(t testing.TB) *spec.Document { return gentest.NewestDataRedacted(t) }

func defaultDoc(t testing.TB) *spec.Document {
	t.Helper()
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func render(t testing.TB, doc *spec.Document, f Format, lang Lang) []byte {
	t.Helper()
	data, err := Render(doc, f, lang)
	if err != nil {
		t.Fatalf("%s %s: %v", f, lang, err)
	}
	return data
}

// goldenFiles are the text formats in every language: the CSV once (it is
// the same in each), the page and the diagram per language.
func goldenFiles(t testing.TB, doc *spec.Document) []gen.File {
	files := []gen.File{{Path: "ports.csv", Data: render(t, doc, CSV, Both)}}
	for _, f := range []Format{HTML, Mermaid} {
		for _, l := range []Lang{English, Russian, Both} {
			name := strings.Replace(FileName(f), ".", "."+string(l)+".", 1)
			files = append(files, gen.File{Path: name, Data: render(t, doc, f, l)})
		}
	}
	return files
}

// TestGolden pins every text format, in every language, for the embedded
// default document (English only: the Russian labels with English
// purposes) and for the newest upstream data version (both languages).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  func(testing.TB) *spec.Document
	}{{"default", defaultDoc}, {"newest-data", newestDataGolden}} {
		t.Run(tc.name, func(t *testing.T) {
			gentest.Golden(t, "testdata/"+tc.name+".txtar", goldenFiles(t, tc.doc(t)))
		})
	}
}

// TestCSVSameInEveryLanguage: the CSV's columns are for programs; its
// purposes are in both languages whatever the labels' language.
func TestCSVSameInEveryLanguage(t *testing.T) {
	doc := newestData(t)
	en := render(t, doc, CSV, English)
	for _, l := range []Lang{Russian, Both} {
		if !bytes.Equal(en, render(t, doc, CSV, l)) {
			t.Errorf("the CSV in %s differs from the English one", l)
		}
	}
}

func generate(t *testing.T, doc *spec.Document, opts string) (*gen.Output, error) {
	t.Helper()
	req := gen.Request{Doc: doc, Dir: DefaultDir}
	if opts != "" {
		req.Options = json.RawMessage(opts)
	}
	return New().Generate(req)
}

func paths(out *gen.Output) []string {
	var p []string
	for _, f := range out.Files {
		p = append(p, f.Path)
	}
	return p
}

func TestOptions(t *testing.T) {
	doc := defaultDoc(t)
	for _, tc := range []struct {
		opts  string
		files []string
		err   string
	}{
		{"", []string{"ports.csv", "ports.xlsx", "ports.html", "ports.mmd"}, ""},
		{`{"formats":["mermaid","csv"],"lang":"ru"}`, []string{"ports.mmd", "ports.csv"}, ""},
		{`{"lang":"en"}`, []string{"ports.csv", "ports.xlsx", "ports.html", "ports.mmd"}, ""},
		{`{"formats":["pdf"]}`, nil, `targets.report.formats: unknown format "pdf": use csv, xlsx, html, mermaid`},
		{`{"formats":["csv","csv"]}`, nil, "targets.report.formats: csv is listed twice"},
		{`{"formats":[]}`, nil, "targets.report.formats is empty: list at least one of csv, xlsx, html, mermaid, or set enabled: false"},
		{`{"lang":"de"}`, nil, `targets.report.lang: unknown language "de": use en, ru or both`},
		{`{"langs":"en"}`, nil, `targets.report.langs: unknown field "langs"`},
	} {
		out, err := generate(t, doc, tc.opts)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("options %s: error %v, want %q", tc.opts, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("options %s: %v", tc.opts, err)
			continue
		}
		if d := cmp.Diff(tc.files, paths(out)); d != "" {
			t.Errorf("options %s: files (-want +got):\n%s", tc.opts, d)
		}
		for _, f := range out.Files {
			if !gen.IsGenerated(f.Data) {
				t.Errorf("options %s: %s lacks the generated-file header", tc.opts, f.Path)
			}
		}
	}
	// The options' language reaches the files.
	out, err := generate(t, doc, `{"formats":["html"],"lang":"ru"}`)
	if err != nil || !bytes.Contains(out.Files[0].Data, []byte(`<html lang="ru">`)) {
		t.Errorf("lang ru: the page is not in Russian (%v)", err)
	}
}

// TestDeterministic renders every format in every language several times
// (map iteration differs between runs; excelize keeps its parts in maps)
// and wants the same bytes.
func TestDeterministic(t *testing.T) {
	doc := newestData(t)
	for _, f := range Formats() {
		for _, l := range []Lang{English, Russian, Both} {
			a := render(t, doc, f, l)
			for range 4 {
				if b := render(t, newestData(t), f, l); !bytes.Equal(a, b) {
					t.Fatalf("%s %s differs between two runs", f, l)
				}
			}
		}
	}
}

// TestGeneratedMatchesRender: the target's files are Render's bytes, the
// same that `portspec report` prints.
func TestGeneratedMatchesRender(t *testing.T) {
	doc := defaultDoc(t)
	out, err := generate(t, doc, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range Formats() {
		if !bytes.Equal(out.Files[i].Data, render(t, doc, f, Both)) {
			t.Errorf("%s differs from Render(%s, both)", out.Files[i].Path, f)
		}
	}
	if len(out.Warnings) != 0 {
		t.Errorf("warnings on the default document: %q", out.Warnings)
	}
}

// TestUnknownRoles: a group whose heading no alias covers has unknown
// roles; its flows get their own row and column and a warning says so.
func TestUnknownRoles(t *testing.T) {
	doc := gentest.Small()
	doc.Groups = append(doc.Groups, spec.Group{ID: "SiteTraffic", Titles: map[string]string{"en": "Site traffic"},
		Pos: doc.Groups[0].Pos, Rules: []spec.Rule{{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 636, Last: 636}},
			Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "LDAP"}}), Pos: doc.Groups[0].Pos}}})
	out, err := generate(t, doc, `{"formats":["html","mermaid","xlsx"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "group SiteTraffic has unknown roles") {
		t.Errorf("warnings %q", out.Warnings)
	}
	page := string(out.Files[0].Data)
	if !strings.Contains(page, `<td data-from="unknown" data-to="unknown"><ul class="flows"><li data-protocol="TCP" data-first="636" data-last="636">`) {
		t.Error("the page's matrix lacks the unknown roles' cell")
	}
	if !strings.Contains(string(out.Files[1].Data), `unknown -->|"TCP 636"| unknown`) {
		t.Errorf("the diagram lacks the unknown roles' arrow:\n%s", out.Files[1].Data)
	}
}

// TestDocsDiagram: the diagram docs/reports.md shows is the one generated
// for the embedded default document (with both languages).
func TestDocsDiagram(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(upstream.RepoRoot(), "docs", "reports.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, fence, ok := strings.Cut(string(src), "```mermaid\n")
	fence, _, ok2 := strings.Cut(fence, "```\n")
	if !ok || !ok2 {
		t.Fatal("docs/reports.md has no mermaid block")
	}
	_, want, _ := strings.Cut(string(render(t, defaultDoc(t), Mermaid, Both)), "\n")
	if d := cmp.Diff(want, fence); d != "" {
		t.Errorf("docs/reports.md's diagram is not the generated one (-generated +docs):\n%s", d)
	}
}

// TestManyRangesListedOnce: the ports column lists a rule's ranges in full
// up to 64 of them; a rule of more has its first three, "…" and its last
// on each of its rows, which still carry every range in first_port and
// last_port (one row each).
func TestManyRangesListedOnce(t *testing.T) {
	ranges := func(n int) []spec.PortRange {
		var p []spec.PortRange
		for i := 1; i <= n; i++ {
			p = append(p, spec.PortRange{First: uint16(10 * i), Last: uint16(10 * i)})
		}
		return p
	}
	if got, want := listedPorts(ranges(64)), spec.FormatPorts(ranges(64)); got != want {
		t.Errorf("64 ranges: %q, want them all: %q", got, want)
	}
	if got, want := listedPorts(ranges(65)), "10, 20, 30, …, 650"; got != want {
		t.Errorf("65 ranges: %q, want %q", got, want)
	}
	doc := &spec.Document{Source: "many.yml", SHA256: "00", Languages: []string{"en"}}
	k, _ := spec.LookupGroup("NodesToNodes")
	doc.Groups = []spec.Group{{ID: "NodesToNodes", Known: true, From: k.From, To: k.To, Direction: k.Direction,
		Titles: map[string]string{"en": "n"}, Rules: []spec.Rule{{Protocol: spec.TCP, Ports: ranges(100),
			Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "many"}})}}}}
	recs, err := csv.NewReader(bytes.NewReader(writeCSV(doc)[bytes.IndexByte(writeCSV(doc), '\n')+1:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 101 {
		t.Fatalf("%d records, want the header and 100 rows", len(recs))
	}
	for i, rec := range recs[1:] {
		if want := strconv.Itoa(10 * (i + 1)); rec[4] != want || rec[5] != want || rec[6] != "10, 20, 30, …, 1000" {
			t.Errorf("row %d: first %s last %s ports %q, want %s %s and the elided list", i+1, rec[4], rec[5], rec[6], want, want)
		}
	}
}
