package compare

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/portspec/portspec/internal/golden"
	"golang.org/x/tools/txtar"
)

// TestReportGolden pins the three report formats and both views of one diff
// that holds every kind of change.
func TestReportGolden(t *testing.T) {
	old := tdoc("old.yml", enru,
		tgroup{"MastersToNodes", []string{"TCP 9680 | runtime-audit-engine webhook | вебхук", "TCP 8443 | ingress | x|y"}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver | kube-apiserver"}},
		tgroup{"NodesToNodes", []string{"UDP 123 | NTP | NTP", "TCP 4205 | ebpf-exporter `x` | метрики", "ICMP | ICMP monitoring | ICMP"}},
		tgroup{"ExternalToMaster", []string{"TCP 22322 | SSH | SSH"}},
	)
	new := tdoc("new.yml", enru,
		tgroup{"MastersToNodes", []string{"TCP 4227 | runtime-audit-engine webhook handler | вебхук", "UDP 8443 | ingress | x|y"}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver | kube-apiserver", "UDP 4234 | NTP | NTP"}},
		tgroup{"NodesToNodes", []string{"TCP 4205 | oom-kills-exporter | метрики", "TCP 4207,4208 | new <thing> | новое"}},
		tgroup{"NodesToExternal", []string{"UDP 53 | DNS | DNS"}},
	)
	d := Documents(old, new)
	d.Acknowledge([]string{"group-added NodesToExternal"})
	got := map[string][]byte{}
	for _, v := range []struct {
		name string
		view View
	}{{"group", ByGroup}, {"role", ByRole}} {
		var tb, mb bytes.Buffer
		if err := d.WriteText(&tb, v.view); err != nil {
			t.Fatal(err)
		}
		if err := d.WriteMarkdown(&mb, v.view); err != nil {
			t.Fatal(err)
		}
		got["text-"+v.name] = tb.Bytes()
		got["markdown-"+v.name] = mb.Bytes()
	}
	js, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	got["json"] = append(js, '\n')

	var files []txtar.File
	for _, name := range []string{"text-group", "text-role", "markdown-group", "markdown-role", "json"} {
		files = append(files, txtar.File{Name: name, Data: got[name]})
	}
	golden.Check(t, filepath.Join("testdata", "report.txtar"),
		"Reports of compare.Documents; regenerate with go test ./compare -run TestReportGolden -update\n", files)
}
