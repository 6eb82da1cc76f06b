package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen/report"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
)

// TestReportIsWhatGenerateWrites: `portspec report` on the embedded default
// document prints the bytes of generated/report/ (which the repository's
// portspec.yaml generates from it with the default options), in every
// format.
func TestReportIsWhatGenerateWrites(t *testing.T) {
	root := upstream.RepoRoot()
	for _, f := range report.Formats() {
		want, err := os.ReadFile(filepath.Join(root, "generated", report.DefaultDir, report.FileName(f)))
		if err != nil {
			t.Fatal(err)
		}
		args := []string{"report", "--format", string(f)}
		if report.Binary(f) {
			args = append(args, "--out", "-")
		}
		code, out, errs := runCmd(t, "", args...)
		if code != exitOK || out != string(want) {
			t.Errorf("portspec %s: exit %d, %d bytes, want generated/report/%s's %d\n%s", strings.Join(args, " "), code, len(out), report.FileName(f), len(want), errs)
		}
	}
}

func TestReportFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ports.xlsx")
	if code, _, errs := runCmd(t, "", "report", "--format", "xlsx", "--out", out, "--lang", "ru"); code != exitOK {
		t.Fatalf("report --format xlsx --out: exit %d\n%s", code, errs)
	}
	data, _ := os.ReadFile(out)
	want, _ := report.Render(gentest.Default(t), report.XLSX, report.Russian)
	if !bytes.Equal(data, want) {
		t.Errorf("--out wrote %d bytes, want the Russian workbook's %d", len(data), len(want))
	}
	code, page, _ := runCmd(t, "", "report", "--lang", "en")
	if code != exitOK || !strings.Contains(page, `<html lang="en">`) || strings.Contains(page, `class="l-ru"`) {
		t.Errorf("report (html by default) --lang en: exit %d, not an English page", code)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--format", "xlsx"}, "the xlsx workbook is binary: give --out FILE (or --out - for standard output)"},
		{[]string{"report", "--format", "pdf"}, `unknown format "pdf": use csv, xlsx, html, mermaid`},
		{[]string{"report", "--lang", "de"}, `unknown language "de": use en, ru or both`},
		{[]string{"report", "a.md", "b.md"}, "one document at most"},
		{[]string{"changes", "", "", "--lang", "ru"}, "--lang is for --format html (and csv, which holds both); the text report is in English"},
		{[]string{"changes", "", "", "--format", "pdf"}, `unknown format "pdf": use text, markdown, json, html, csv`},
	} {
		code, _, errs := runCmd(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("portspec %s: exit %d, stderr %q, want exit 2 and %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
}

// TestChangesPageAndTable: `changes --format html|csv` on the 4200-4299
// renumbering of July 2024: the moves per firewall, highlighted, in the
// language asked for; the table with both purposes.
func TestChangesPageAndTable(t *testing.T) {
	data := func(v string) string { return upstream.Path(t, filepath.Join("data", v+".yml")) }
	old, new := data("2024-06-01_28d10e1297"), data("2024-07-02_5408b90b2f")
	code, page, errs := runCmd(t, "", "changes", old, new, "--format", "html", "--lang", "ru")
	if code != exitOK {
		t.Fatalf("changes --format html: exit %d\n%s", code, errs)
	}
	for _, want := range []string{
		`<html lang="ru">`,
		`<section class="firewall" data-role="master" data-direction="ingress"><h2>Межсетевой экран: master-узлы, входящий</h2>`,
		`<tr class="move" data-action="move"><td class="badge">→ перенести</td><td class="ports">9443/TCP → 4200/TCP</td>`,
		`<bdi lang="ru">Webhook-обработчик Cluster API</bdi>`,
		`<tr class="open" data-action="open"><td class="badge">+ открыть</td><td class="ports">4223/TCP</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the changes page lacks %q", want)
		}
	}
	file := filepath.Join(t.TempDir(), "changes.csv")
	if code, _, errs := runCmd(t, "", "changes", old, new, "--format", "csv", "--out", file); code != exitOK {
		t.Fatalf("changes --format csv: exit %d\n%s", code, errs)
	}
	table, _ := os.ReadFile(file)
	if !strings.Contains(string(table), "master,ingress,move,drift,false,TCP,4200,9443,MastersToMasters,,master,Cluster API webhook handler,Webhook-обработчик Cluster API,") {
		t.Errorf("the changes table lacks the 9443 → 4200 move with both purposes:\n%.1500s", table)
	}
}
