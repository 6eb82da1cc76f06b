package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/targets"
	"github.com/portspec/portspec/internal/regfile"
	"github.com/portspec/portspec/spec"
)

const driftUsage = `usage: portspec drift [flags] [DOCUMENT]

Compares the current document with the model behind generated/: the snapshot
the drifttest target keeps in <out>/<go dir>/drift_test.go. The current
document is DOCUMENT (or --source, its older name), else the document the
snapshot was generated from: the config's input when the snapshot names it,
the snapshot's own source when the config names no input; when the config
names another document, name the one to compare with. The report lists, per group, ports, protocols and groups added or
removed, moves, roles changed, and purposes reworded, each with the current
document's line and a key for the acknowledge file. Both sides are the
upstream document: the config's overlay is not drift, but an overlay entry
that no longer matches the current document is reported, and fails.

A current document that looks cut short (only the page's first groups, a
last row that stops mid-way) is not compared: exit 2, unless
--allow-partial.

A purpose-only change is a warning: printed, exit 0, unless --strict.
Changes listed in the acknowledge file (targets.drifttest.acknowledge in
portspec.yaml, or --acknowledge) are printed as acknowledged and do not fail.

Exit 0: no (unacknowledged) drift; 1: drift, an overlay entry that no
longer matches, or the current document is not valid (drift NOT checked;
its errors are on stderr and in the report); 2: the source, the snapshot
(or a valid model in it), the config or the acknowledge file could not be
read, or the current document looks cut short. Exit codes: portspec --help.

flags:
`

func runDrift(ctx context.Context, args []string, std stdio) int {
	fset := flag.NewFlagSet("drift", flag.ContinueOnError)
	fset.SetOutput(std.err)
	configPath := fset.String("config", "", "portspec.yaml to read (default: ./"+config.ConfigFile+" when present)")
	fset.String("source", "", "the current document, as the positional DOCUMENT (kept for older scripts)")
	format := fset.String("format", "text", "report format: text, markdown or json")
	strict := fset.Bool("strict", false, "purpose-only changes fail too")
	ackPath := fset.String("acknowledge", "", "acknowledge file (default: the config's targets.drifttest.acknowledge)")
	snapPath := fset.String("snapshot", "", "drift_test.go holding the model (default: <out>/<drifttest dir>/"+drifttest.FileName+")")
	allowPartial := fset.Bool("allow-partial", false, "compare a current document that looks cut short (its missing rows are then reported as removed)")
	var df docFlags
	df.register(fset)
	fset.Usage = func() {
		fmt.Fprint(fset.Output(), driftUsage)
		fset.PrintDefaults()
	}
	pos, err := parseArgs(fset, args)
	if err != nil {
		return helpOrUsage(fset, err, std)
	}
	current, err := df.document(fset, pos, "source")
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	if !checkFormat("drift", *format, std) {
		return exitUsage
	}

	cfg, err := findConfig(*configPath, *configPath != "")
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	where, err := resolveDrift(cfg)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	ov, ok := df.siteOf(cfg, std)
	if !ok {
		return exitUsage
	}
	if *snapPath != "" {
		where.snapshot = *snapPath
	}
	if *ackPath != "" {
		where.ack = *ackPath
	}

	snap, err := regfile.Read(where.snapshot, 0)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: no model snapshot: %v\n(run portspec generate with the drifttest target enabled, or name the file with --snapshot)\n", err)
		return exitUsage
	}
	old, err := drifttest.ReadSnapshot(where.snapshot, snap)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	if current.given {
		where.source = current.source
	} else if where.source, err = snapshotSource(cfg, where, old, std); err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	var acks []string
	if where.ack != "" {
		if acks, err = compare.ReadAckFile(where.ack); err != nil {
			fmt.Fprintf(std.err, "portspec drift: acknowledge file: %s\n", spec.Escape(err.Error()))
			return exitUsage
		}
	}
	cur, code := loadCompared(ctx, "drift", where.source, &df, std)
	if cur == nil {
		fmt.Fprintf(std.err, "portspec drift: drift NOT checked (exit %d): the current document could not be %s\n", code, map[bool]string{true: "parsed", false: "read"}[code == exitInvalid])
		if code == exitInvalid {
			writeNotChecked(std.out, *format, where.source, "is not a valid document (its errors are on stderr)")
		}
		return code
	}

	if partialRefused(cur, old, *allowPartial, std) {
		writeNotChecked(std.out, *format, where.source, "looks cut short (its reasons are on stderr)")
		return exitUsage
	}

	d := compare.Documents(old, cur)
	d.Overlay = staleOverlay(ov, cur)
	for _, k := range d.Acknowledge(acks) {
		fmt.Fprintf(std.err, "warning: %s: acknowledged change %q no longer occurs: remove it\n", where.ack, k)
	}
	if err := writeReport(std.out, d, *format, compare.ByGroup); err != nil {
		fmt.Fprintf(std.err, "portspec drift: %s\n", spec.Escape(err.Error()))
		return exitUsage
	}
	if len(d.Failing(*strict)) > 0 || len(d.Overlay) > 0 {
		return exitInvalid
	}
	return exitOK
}

// driftPaths are the files drift reads, resolved from the config.
type driftPaths struct {
	source   string // "" = the embedded default
	snapshot string
	ack      string
}

// resolveDrift finds, from the config, the current document (its input),
// the snapshot (the drifttest target's file under the output root) and the
// acknowledge file, where generate reads and writes them.
func resolveDrift(cfg *config.Config) (driftPaths, error) {
	jobs, err := cfg.Jobs(targets.All())
	if err != nil {
		return driftPaths{}, err
	}
	var p driftPaths
	p.source = cfg.Path(cfg.Input)
	p.snapshot = snapshotFile(jobs, cfg.OutRoot())
	for _, j := range jobs {
		if j.Gen.Name() != drifttest.Name {
			continue
		}
		o, err := drifttest.DecodeOptions(j.Options)
		if err != nil {
			return driftPaths{}, err
		}
		if o.Acknowledge != "" {
			p.ack = cfg.Path(o.Acknowledge)
		}
	}
	if p.snapshot == "" {
		return driftPaths{}, fmt.Errorf("no %s target to find the snapshot by (name it with --snapshot)", drifttest.Name)
	}
	return p, nil
}

// snapshotSource decides the current document when the command names none.
// The config's input when the snapshot names it (the same name, or the
// same file). When the config names no input, the snapshot's own source:
// generated/ made with `generate DOCUMENT` is compared with that document,
// not with the embedded default. When the config names another document
// (a pinned version moved to the next release, the dependency bot's bump),
// the config's input: that is what generate reads next, so the drift is
// what regenerating would change; a note on stderr says which two
// documents are compared.
func snapshotSource(cfg *config.Config, where driftPaths, old *spec.Document, std stdio) (string, error) {
	if sourceName(where.source) == old.Source || sameFile(where.source, old.Source, cfg.Dir) {
		return where.source, nil // the config's, credentials and all
	}
	if cfg.Input == "" {
		if old.Source == "-" {
			return "", fmt.Errorf("%s was generated from standard input: name the document to compare with (portspec drift DOCUMENT, or - for standard input)", where.snapshot)
		}
		return old.Source, nil
	}
	fmt.Fprintf(std.err, "portspec drift: note: %s was generated from %s; comparing with the config's input %s, which generate reads (name another with portspec drift DOCUMENT)\n", where.snapshot, spec.Escape(old.Source), spec.Escape(sourceName(where.source)))
	return where.source, nil
}

// sameFile reports whether the file path, and the file name recorded in a
// snapshot (relative to wherever generate ran: here, or the config's
// folder), are one file.
func sameFile(path, recorded, configDir string) bool {
	if path == "" || path == "-" || recorded == "-" || recorded == spec.DefaultName || strings.Contains(path, "://") || strings.Contains(recorded, "://") {
		return false
	}
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, p := range []string{recorded, filepath.Join(configDir, recorded)} {
		if other, err := os.Stat(p); err == nil && os.SameFile(fi, other) {
			return true
		}
	}
	return false
}

// snapshotFile is where the drifttest target keeps the model of the outputs
// under root, or "" when there is no such target. Enabled or not, its
// folder is resolved all the same.
func snapshotFile(jobs []config.Job, root string) string {
	for _, j := range jobs {
		if j.Gen.Name() == drifttest.Name {
			return filepath.Join(root, filepath.FromSlash(j.Dir), drifttest.FileName)
		}
	}
	return ""
}
