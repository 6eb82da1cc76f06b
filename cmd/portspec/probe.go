package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/verify/probe"
)

const probeUsage = `usage: portspec probe --as ROLE --peer ROLE=ADDRESS [--peer …] [flags] [DOCUMENT]

Tries, from this host acting as ROLE (master, node, frontend or external),
every flow the document (DOCUMENT, else the embedded default) opens to each
peer, and a sample of ports it does not open from ROLE. It sends traffic
only to the addresses given with --peer (IP addresses, no host names).

TCP: connected = open, refused = reachable but nothing listening, no answer
= filtered. UDP (an empty datagram): ICMP port unreachable = closed, an
answer = open, silence = open|filtered (a probe cannot tell). ICMP: an echo
request through a ping socket (or a raw socket as root). A probe without an
answer is tried again (--tries); at most --concurrency are in flight.

The report says, per peer, which documented flows the network drops and
which undocumented ports it lets through; silent documented UDP ports are
inconclusive. A peer that answers nothing at all leaves no verdict.

Exit 0: every documented flow reachable and every other port filtered; 1: a
documented flow is dropped or an undocumented port passes, or the document
is invalid; 2: no answer (a usage error, an unreadable document, a peer that
answered nothing). Exit codes: portspec --help.

flags:
`

func runProbe(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(std.err)
	as := fs.String("as", "", "the role this host probes as: master, node, frontend or external (required)")
	var peers listFlag
	fs.Var(&peers, "peer", "ROLE=ADDRESS of a host to probe (role master, node or frontend); repeatable, at least one")
	timeout := fs.Duration("probe-timeout", time.Second, "how long one try waits for an answer (10ms to 30s)")
	tries := fs.Int("tries", 2, "tries of a probe without an answer (1 to 5)")
	concurrency := fs.Int("concurrency", 16, "probes in flight at once (1 to 256)")
	sampleFlag := fs.String("undocumented", joinPorts(probe.DefaultSample()), "ports the document does not open to try on every peer, comma-separated (\"\" for none)")
	all := fs.Bool("all", false, "list every probe, also those that came back as documented (as ok)")
	format := fs.String("format", "text", "report format: text, markdown or json")
	configPath := fs.String("config", "", "portspec.yaml whose input, overlay and clients to use (default: ./portspec.yaml when present)")
	var df docFlags
	df.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), probeUsage)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, std)
	}
	usageErr := func(err error) int {
		fmt.Fprintf(std.err, "portspec probe: %v\n", err)
		return exitUsage
	}
	in, err := df.document(fs, pos, "")
	if err != nil {
		return usageErr(err)
	}
	if !checkFormat("probe", *format, std) {
		return exitUsage
	}
	if *as == "" {
		return usageErr(fmt.Errorf("--as ROLE is required: the role this host probes as"))
	}
	role, err := probe.ParseAs(*as)
	if err != nil {
		return usageErr(err)
	}
	if len(peers) == 0 {
		return usageErr(fmt.Errorf("no --peer ROLE=ADDRESS: name the hosts to probe"))
	}
	var targets []probe.Peer
	for _, s := range peers {
		p, err := probe.ParsePeer(s)
		if err != nil {
			return usageErr(err)
		}
		targets = append(targets, p)
	}
	switch {
	case *timeout < 10*time.Millisecond || *timeout > 30*time.Second:
		return usageErr(fmt.Errorf("--probe-timeout %s: use 10ms to 30s", *timeout))
	case *tries < 1 || *tries > 5:
		return usageErr(fmt.Errorf("--tries %d: use 1 to 5", *tries))
	case *concurrency < 1 || *concurrency > 256:
		return usageErr(fmt.Errorf("--concurrency %d: use 1 to 256", *concurrency))
	}
	sample, err := probe.ParseSample(*sampleFlag)
	if err != nil {
		return usageErr(err)
	}
	doc, clientTable, code := liveDocument(ctx, "probe", *configPath, in, &df, std)
	if doc == nil {
		return code
	}
	probes := probe.Plan(hostfw.Input{Doc: doc, Clients: clientTable}.Build(), role, targets, sample)
	results := probe.Run(ctx, probes, probe.Options{Timeout: *timeout, Tries: *tries, Concurrency: *concurrency})
	return writeVerdict("probe", probe.Report(doc, role, targets, results, *all), *format, std)
}

func joinPorts(ps []uint16) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, ",")
}
