package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/portspec/portspec/verify"
	"github.com/portspec/portspec/verify/cluster"
	"github.com/portspec/portspec/verify/sockets"
)

const verifyUsage = `usage: portspec verify [--role ROLES] [flags] [DOCUMENT]
       portspec verify --cluster [flags] [DOCUMENT]

Compares what is really there with the document (DOCUMENT, else the
embedded default), as the generated host firewalls of each role accept it.

On a node (no cluster access needed) it reads the listening sockets (TCP in
LISTEN and bound UDP, IPv4 and IPv6, from /proc/net) and, as root, the
processes holding them. Every listener on a non-loopback address whose port
the firewall of the node's roles (--role master,frontend; a node is always
a node) does not accept is a finding: its traffic will be dropped, or the
document lacks it. Documented ports nothing listens on are information.

With --cluster it asks the Kubernetes API (--kubeconfig, $KUBECONFIG,
~/.kube/config, or the in-cluster account) for the nodes and their roles
(from labels), hostNetwork pods' ports, host ports, and Services' node ports
and health-check node ports; every port served on a node whose roles'
firewall does not accept it is a finding, with the workload.

Each finding names the document entry that would document it (group,
protocol, port). --ignore takes keys (TCP/8080) or ports (8080, 9999/udp,
30000-32767): those findings are listed as ignored and do not fail.

Exit 0: every listener (served port) is documented; 1: some are not, or the
document is invalid; 2: no answer (a usage error; the document, /proc or the
kubeconfig cannot be read; the API server refuses). Exit codes: portspec --help.

flags:
`

// listFlag is a flag that may be given many times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func runVerify(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(std.err)
	role := fs.String("role", "", "the node's roles besides node: master, frontend (comma-separated)")
	proc := fs.String("proc", sockets.DefaultProc, "the proc file system to read (the host's /proc mounted elsewhere in a container)")
	onCluster := fs.Bool("cluster", false, "compare the cluster's served ports (Kubernetes API) instead of this node's sockets")
	kubeconfig := fs.String("kubeconfig", "", "with --cluster: kubeconfig file (default $KUBECONFIG, ~/.kube/config, in-cluster)")
	kubeContext := fs.String("context", "", "with --cluster: the kubeconfig context (default its current one)")
	reqTimeout := fs.Duration("request-timeout", 30*time.Second, "with --cluster: time limit of each API request")
	var ignore, roleLabels listFlag
	fs.Var(&ignore, "ignore", "a finding to accept: key (TCP/8080) or port (8080, 9999/udp, 30000-32767); repeatable")
	fs.Var(&roleLabels, "role-label", "with --cluster: ROLE=LABEL[=VALUE] marks nodes of role master or frontend (replaces the defaults); repeatable")
	format := fs.String("format", "text", "report format: text, markdown or json")
	configPath := fs.String("config", "", "portspec.yaml whose input, overlay and clients to use (default: ./portspec.yaml when present)")
	var df docFlags
	df.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), verifyUsage)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, std)
	}
	usageErr := func(err error) int {
		fmt.Fprintf(std.err, "portspec verify: %v\n", err)
		return exitUsage
	}
	in, err := df.document(fs, pos, "")
	if err != nil {
		return usageErr(err)
	}
	if !checkFormat("verify", *format, std) {
		return exitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"kubeconfig", "context", "request-timeout", "role-label"} {
		if set[name] && !*onCluster {
			return usageErr(fmt.Errorf("--%s is for --cluster", name))
		}
	}
	for _, name := range []string{"role", "proc"} {
		if set[name] && *onCluster {
			return usageErr(fmt.Errorf("--%s is for a node; with --cluster the nodes' roles come from their labels (--role-label)", name))
		}
	}
	ig, err := verify.ParseIgnore(ignore)
	if err != nil {
		return usageErr(err)
	}

	var report *verify.Report
	if *onCluster {
		labels := cluster.DefaultRoleLabels()
		if len(roleLabels) > 0 {
			labels = nil
			for _, s := range roleLabels {
				l, err := cluster.ParseRoleLabel(s)
				if err != nil {
					return usageErr(err)
				}
				labels = append(labels, l)
			}
		}
		client, host, err := cluster.Connect(cluster.ConfigOptions{Kubeconfig: *kubeconfig, Context: *kubeContext, Timeout: *reqTimeout})
		if err != nil {
			return usageErr(err)
		}
		doc, _, code := liveDocument(ctx, "verify", *configPath, in, &df, std)
		if doc == nil {
			return code
		}
		facts, err := cluster.Collect(ctx, client, labels)
		if err != nil {
			fmt.Fprintf(std.err, "portspec verify --cluster: %s: %v\nNOT verified: no report (exit 2)\n", host, err)
			return exitUsage
		}
		report = verify.Cluster(doc, facts.Nodes, facts.Served, verify.ClusterOptions{Name: host, Ignore: ig})
		report.Notes = append(report.Notes, facts.Notes...)
	} else {
		roles, err := verify.ParseRoles(*role)
		if err != nil {
			return usageErr(err)
		}
		doc, _, code := liveDocument(ctx, "verify", *configPath, in, &df, std)
		if doc == nil {
			return code
		}
		table, err := sockets.Read(*proc)
		if err != nil {
			fmt.Fprintf(std.err, "portspec verify: %v\nNOT verified: no report (exit 2)\n", err)
			return exitUsage
		}
		host, _ := os.Hostname()
		report = verify.Node(doc, table, verify.NodeOptions{Name: host, Roles: roles, Ignore: ig})
	}
	return writeVerdict("verify", report, *format, std)
}

// writeVerdict writes a live check's report and returns its exit code: 2
// when it is no verdict (its errors go to stderr too), 1 when something
// fails, else 0.
func writeVerdict(cmd string, r *verify.Report, format string, std stdio) int {
	if err := r.Write(std.out, format); err != nil {
		fmt.Fprintf(std.err, "portspec %s: %v\n", cmd, err)
		return exitUsage
	}
	switch {
	case !r.Verdict():
		for _, e := range r.Errors {
			fmt.Fprintf(std.err, "portspec %s: %s\n", cmd, e)
		}
		return exitUsage
	case len(r.Failing()) > 0:
		return exitInvalid
	}
	return exitOK
}
