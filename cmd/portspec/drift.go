package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/targets"
)

const driftUsage = `usage: portspec drift [flags] [DOCUMENT]

Compares the current document with the model behind generated/: the snapshot
the drifttest target keeps in <out>/<go dir>/drift_test.go. The current
document is DOCUMENT (or --source, its older name), else the config's input
(the embedded default without a config). The report lists, per group, ports, protocols and groups added or
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
its errors are on stderr and in the report); 2: the source, the snapshot,
the config or the acknowledge file could not be read, or the current
document looks cut short. Exit codes: portspec --help.

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
		fmt.Fprintf(std.err, "portspec drift: %v\n", err)
		return exitUsage
	}
	if !checkFormat("drift", *format, std) {
		return exitUsage
	}

	cfg, err := findConfig(*configPath, *configPath != "")
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %v\n", err)
		return exitUsage
	}
	where, err := resolveDrift(cfg)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %v\n", err)
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
	if current.given {
		where.source = current.source
	}

	snap, err := os.ReadFile(where.snapshot)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: no model snapshot: %v\n(run portspec generate with the drifttest target enabled, or name the file with --snapshot)\n", err)
		return exitUsage
	}
	old, err := drifttest.ReadSnapshot(where.snapshot, snap)
	if err != nil {
		fmt.Fprintf(std.err, "portspec drift: %v\n", err)
		return exitUsage
	}
	var acks []string
	if where.ack != "" {
		if acks, err = compare.ReadAckFile(where.ack); err != nil {
			fmt.Fprintf(std.err, "portspec drift: acknowledge file: %v\n", err)
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
		fmt.Fprintf(std.err, "portspec drift: %v\n", err)
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
	for _, j := range jobs { // enabled or not: its folder is resolved all the same
		if j.Gen.Name() != drifttest.Name {
			continue
		}
		p.snapshot = filepath.Join(cfg.OutRoot(), filepath.FromSlash(j.Dir), drifttest.FileName)
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
