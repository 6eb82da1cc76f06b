package report

// System tests with real consumers of the reports: headless Chromium opens
// the page (its DOM must hold the model's flows; it must make no request),
// openpyxl reads the workbook and Python's csv module the CSV. They run
// under CI=true or PORTSPEC_SYSTEM_TESTS=1 (scripts/deps.sh installs
// chromium and python3-openpyxl); a missing program skips them elsewhere
// and fails them under CI.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/spec"
)

var screenshotOut = flag.String("screenshot", "", "TestChromiumScreenshot also writes the screenshot to this `file` (docs/report.png)")

// chromiumFlags start a headless Chromium that keeps to itself: no GPU,
// no QUIC, no first-run, background, component-update or sync traffic,
// and every host name resolving to nothing, so that a request the page
// made could not leave the machine (the net log still records it).
func chromiumFlags(t *testing.T) []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), `--host-resolver-rules=MAP * ~NOTFOUND`, "--hide-scrollbars"}
}

// chromium opens page (a file) with args (--dump-dom, --screenshot=…) and
// returns its standard output and the URLs of the requests the page made
// (net log events whose request belongs to the page: its initiator or
// network isolation key is the file's origin, or another file).
func chromium(t *testing.T, page string, args ...string) ([]byte, []string) {
	t.Helper()
	gentest.RequirePrograms(t, "chromium", "chromium")
	netlog := filepath.Join(t.TempDir(), "netlog.json")
	pageURL := (&url.URL{Scheme: "file", Path: page}).String()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", append(append(chromiumFlags(t), "--log-net-log="+netlog), append(args, pageURL)...)...)
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), pageRequests(t, netlog, pageURL)
}

// pageRequests reads a Chromium net log and returns the URLs requested on
// behalf of a page loaded from a file: Chromium's own requests (its
// updater's, its account service's; they fail to resolve) have no origin
// and are not the page's.
func pageRequests(t *testing.T, path, pageURL string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("net log: %v", err)
	}
	var log struct {
		Events []struct {
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("net log %s: %v", path, err)
	}
	if len(log.Events) == 0 {
		t.Fatalf("net log %s has no events: is it a net log?", path)
	}
	var out []string
	for _, e := range log.Events {
		u, _ := e.Params["url"].(string)
		if u == "" || u == pageURL {
			continue
		}
		str := func(k string) string { s, _ := e.Params[k].(string); return s }
		byPage := str("initiator") == "null" || strings.Contains(str("initiator"), "file://") ||
			strings.Contains(str("network_isolation_key"), "file://") || strings.Contains(str("site_for_cookies"), "site=file://")
		if (byPage || strings.HasPrefix(u, "file:")) && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

func writePage(t *testing.T, data []byte) string {
	t.Helper()
	page := filepath.Join(t.TempDir(), "ports.html")
	if err := os.WriteFile(page, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

// TestChromiumNetLogSeesRequests is the test of the tests below: a page
// that does load things (a style sheet, a font, an image) must show each
// of them as the page's request in the net log; otherwise "no request"
// would prove nothing. (Files are read without the network stack, so the
// net log does not show them: that the page names no file, nor anything
// else to load, TestPageLoadsNothing checks on its markup, and its policy
// forbids it.)
func TestChromiumNetLogSeesRequests(t *testing.T) {
	page := writePage(t, []byte(`<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.portspec.invalid/a.css">
<style>@font-face{font-family:x;src:url(https://fonts.portspec.invalid/x.woff2)}body{font-family:x}</style></head>
<body><img src="http://canary.portspec.invalid/x.png">text</body></html>`))
	_, reqs := chromium(t, page, "--dump-dom")
	for _, want := range []string{"https://cdn.portspec.invalid/a.css", "http://canary.portspec.invalid/x.png", "https://fonts.portspec.invalid/x.woff2"} {
		if !slices.Contains(reqs, want) {
			t.Errorf("the net log does not show the page's request of %s: %q", want, reqs)
		}
	}
}

// TestChromiumMatrix: headless Chromium's DOM of the page holds, in every
// matrix cell, exactly the model's flows, and the page requested nothing.
func TestChromiumMatrix(t *testing.T) {
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t)} {
		for _, l := range []Lang{English, Both} {
			t.Run(name+"/"+string(l), func(t *testing.T) {
				dom, reqs := chromium(t, writePage(t, render(t, doc, HTML, l)), "--dump-dom")
				if len(reqs) != 0 {
					t.Errorf("the page made requests: %q", reqs)
				}
				if !bytes.Contains(dom, []byte(`<td data-from="node" data-to="master">`)) {
					t.Fatalf("the DOM has no matrix:\n%.2000s", dom)
				}
				checkMatrix(t, doc, dom, true)
			})
		}
	}
}

// TestChromiumHostile: in the browser, the hostile document's page has the
// plain one's structure (no script, image or handler appeared, nothing
// ran: the title is still the page's), and requested nothing.
func TestChromiumHostile(t *testing.T) {
	plainDoc, hostileDoc := hostilePair()
	plainDOM, _ := chromium(t, writePage(t, render(t, plainDoc, HTML, Both)), "--dump-dom")
	dom, reqs := chromium(t, writePage(t, render(t, hostileDoc, HTML, Both)), "--dump-dom")
	if len(reqs) != 0 {
		t.Errorf("the hostile page made requests: %q", reqs)
	}
	if d := cmp.Diff(skeleton(parseHTML(t, plainDOM)), skeleton(parseHTML(t, dom))); d != "" {
		t.Errorf("in Chromium, hostile purposes changed the page's structure (-plain +hostile):\n%s", d)
	}
	if !bytes.Contains(dom, []byte("<title>Network interaction: the ports between the cluster's nodes / ")) || bytes.Contains(dom, []byte("pwned</title>")) {
		t.Errorf("the title changed: a hostile script ran?\n%.600s", dom)
	}
}

// TestChromiumScreenshot: Chromium renders the page (newest upstream
// document, both languages) to a PNG; with -screenshot FILE the test
// writes it there too, recompressed (docs/report.png is made this way).
func TestChromiumScreenshot(t *testing.T) {
	dir := t.TempDir()
	shot := filepath.Join(dir, "screenshot.png")
	_, reqs := chromium(t, writePage(t, render(t, newestData(t), HTML, Both)), "--screenshot="+shot, "--window-size=1200,1040")
	if len(reqs) != 0 {
		t.Errorf("the page made requests: %q", reqs)
	}
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 1040 {
		t.Errorf("screenshot is %v, want 1200×1040", b)
	}
	if *screenshotOut != "" {
		var out bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&out, paletted(img)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshotOut, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// paletted maps an image onto its 256 most frequent colours (each pixel
// to the nearest): a page is mostly a few flat colours, and a paletted
// PNG of it is a third of the size of the true-colour one.
func paletted(img image.Image) *image.Paletted {
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	colors := slices.Collect(maps.Keys(count))
	slices.SortFunc(colors, func(a, b color.RGBA) int {
		if d := count[b] - count[a]; d != 0 {
			return d
		}
		return int(uint32(a.R)<<24|uint32(a.G)<<16|uint32(a.B)<<8|uint32(a.A)) - int(uint32(b.R)<<24|uint32(b.G)<<16|uint32(b.B)<<8|uint32(b.A))
	})
	var pal color.Palette
	for _, c := range colors[:min(256, len(colors))] {
		pal = append(pal, c)
	}
	out := image.NewPaletted(b, pal)
	draw.Draw(out, b, img, b.Min, draw.Src)
	return out
}

// python returns a python3 that can import module: the one on PATH, or
// the system's (Debian's python3-openpyxl installs for /usr/bin/python3).
func python(t *testing.T, module string) string {
	t.Helper()
	gentest.RequirePrograms(t, "python3-openpyxl")
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	upstream.Missing(t, "no python3 that imports "+module+": run scripts/deps.sh (apt-get install python3-openpyxl)")
	return ""
}

// runPython runs a script of testdata on a file written with data and
// decodes its JSON output into v.
func runPython(t *testing.T, module, script string, data []byte, v any) {
	t.Helper()
	py := python(t, module)
	// openpyxl goes by the name: the file is in.xlsx for read_xlsx.py.
	file := filepath.Join(t.TempDir(), "in."+strings.TrimSuffix(strings.TrimPrefix(script, "read_"), ".py"))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, filepath.Join("testdata", script), file).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %s: %v\n%s", py, script, err, stderr)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("%s output: %v\n%.500s", script, err, out)
	}
}

// TestOpenpyxlReadsWorkbook: openpyxl reads the workbook; its sheets,
// frozen panes, filters, widths and cells agree with the model.
func TestOpenpyxlReadsWorkbook(t *testing.T) {
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t)} {
		for _, l := range []Lang{English, Russian, Both} {
			t.Run(name+"/"+string(l), func(t *testing.T) {
				var book bookView
				runPython(t, "openpyxl", "read_xlsx.py", render(t, doc, XLSX, l), &book)
				checkWorkbook(t, doc, l, book)
			})
		}
	}
}

// TestOpenpyxlHostile: read by openpyxl, the hostile workbook has the
// plain one's shape, no formula, and its purposes as CSV cells are.
func TestOpenpyxlHostile(t *testing.T) {
	plainDoc, hostileDoc := hostilePair()
	var plain, hostile bookView
	runPython(t, "openpyxl", "read_xlsx.py", render(t, plainDoc, XLSX, Both), &plain)
	runPython(t, "openpyxl", "read_xlsx.py", render(t, hostileDoc, XLSX, Both), &hostile)
	shape := func(ss []sheetView) []string {
		var out []string
		for _, s := range ss {
			for ri, row := range s.Rows {
				var types []string
				for _, c := range row {
					types = append(types, c.T)
				}
				out = append(out, fmt.Sprintf("%s row %d: %s", s.Title, ri+1, strings.Join(types, ",")))
			}
		}
		return out
	}
	if d := cmp.Diff(shape(plain.Sheets), shape(hostile.Sheets)); d != "" {
		t.Errorf("hostile purposes changed the workbook's shape (-plain +hostile):\n%s", d)
	}
	checkIngressPurposes(t, hostileDoc, hostile.Sheets[1].Rows)
}

// TestOpenpyxlXMLText: read by openpyxl, xmlHostileDoc's texts are what a
// spreadsheet must show (but those with SpreadsheetML's "_xHHHH_"
// escapes, which openpyxl does not decode), with the rows intact.
func TestOpenpyxlXMLText(t *testing.T) {
	doc := xmlHostileDoc()
	var book bookView
	runPython(t, "openpyxl", "read_xlsx.py", render(t, doc, XLSX, Both), &book)
	checkXMLHostile(t, doc, book, true)
}

// TestPythonReadsCSV: Python's csv module reads the CSV (strictly); its
// records are the model's rows.
func TestPythonReadsCSV(t *testing.T) {
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t)} {
		t.Run(name, func(t *testing.T) {
			var got [][]string
			runPython(t, "csv", "read_csv.py", render(t, doc, CSV, Both), &got)
			want := [][]string{{"from", "to", "direction", "protocol", "first_port", "last_port", "ports", "group", "purpose_en", "purpose_ru", "source", "origin"}}
			for _, m := range modelRows(doc) {
				first, last := m.firstLast()
				want = append(want, []string{m.g.From.String(), m.g.To.String(), m.g.Direction.String(), m.r.Protocol.String(), first, last,
					spec.FormatPorts(m.r.Ports), m.g.ID, wantCell(m.r.Purposes.In("en").Text), wantCell(m.r.Purposes.In("ru").Text), m.r.Pos.String(), "document"})
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("the CSV read by Python vs the model (-model +csv):\n%s", d)
			}
		})
	}
	t.Run("hostile", func(t *testing.T) {
		plainDoc, hostileDoc := hostilePair()
		var plain, hostile [][]string
		runPython(t, "csv", "read_csv.py", render(t, plainDoc, CSV, Both), &plain)
		runPython(t, "csv", "read_csv.py", render(t, hostileDoc, CSV, Both), &hostile)
		if len(plain) != len(hostile) {
			t.Fatalf("%d records, plain %d", len(hostile), len(plain))
		}
		for i := range hostile {
			if len(hostile[i]) != 12 {
				t.Errorf("record %d has %d fields", i, len(hostile[i]))
			}
			for _, f := range hostile[i] {
				checkCell(t, "hostile CSV", f, "")
			}
		}
	})
}
