package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// Kind is what a finding says.
type Kind string

const (
	// Undocumented: a port served on a node (a listening socket, a
	// workload's port) that the document does not open for the node's
	// roles. The generated firewall drops its traffic, or the document is
	// stale, or the site must add it.
	Undocumented Kind = "undocumented"
	// Dropped: a documented flow the network drops (probe: no answer).
	Dropped Kind = "dropped"
	// Passes: a port the document does not open that the network lets
	// through (probe: connected, refused or answered).
	Passes Kind = "passes"
	// Idle: a documented port nothing listens on (information: the module
	// may be off).
	Idle Kind = "idle"
	// Inconclusive: a probe whose outcome cannot say open or filtered (a
	// silent UDP port, ICMP the kernel does not let this user send).
	Inconclusive Kind = "inconclusive"
	// OK: a probe that came back as the document says (listed with probe
	// --all).
	OK Kind = "ok"
)

// kindOrder is the order of kinds in reports: failing ones first.
var kindOrder = [...]Kind{Undocumented, Dropped, Passes, Inconclusive, Idle, OK}

// Failing reports whether a finding of kind k makes the check fail (exit 1).
func (k Kind) Failing() bool { return k == Undocumented || k == Dropped || k == Passes }

// Entry is the document entry that would document a finding: a group, a
// protocol and ports, with a purpose suggested from what was found. It is
// the form a site's own additions to the document can take. Group is a
// suggestion from the roles of the nodes involved; who really connects
// decides it.
type Entry struct {
	Group    string `json:"group"`
	Protocol string `json:"protocol"`
	Ports    string `json:"ports"`
	Purpose  string `json:"purpose,omitempty"`
}

func (e Entry) String() string { return e.Group + " " + e.Protocol + " " + e.Ports }

// RuleRef names the document's rule a finding is about (idle, dropped).
type RuleRef struct {
	Name    string `json:"name"` // "NodesToMasters/tcp/6443"
	Group   string `json:"group"`
	Ports   string `json:"ports"`
	Purpose string `json:"purpose"`
	From    string `json:"from"`
	To      string `json:"to"`
}

// RuleOf names a rule of the host-firewall plan in a finding.
func RuleOf(r hostfw.Rule) *RuleRef {
	ports := spec.FormatPorts(r.Ports)
	if r.Protocol == spec.ICMP {
		ports = "-"
	}
	return &RuleRef{Name: r.Name, Group: r.Group, Ports: ports, Purpose: r.Purpose, From: r.From.String(), To: r.To.String()}
}

// Finding is one thing a check found.
type Finding struct {
	Kind Kind `json:"kind"`
	// Protocol is TCP, UDP or ICMP, or what the cluster names (SCTP, which
	// the document never opens).
	Protocol string `json:"protocol"`
	// Ports is one port or a range; "" for ICMP.
	Ports string `json:"ports,omitempty"`
	// Where: the local addresses (a node), the nodes with their roles (a
	// cluster), the peer (a probe).
	Where []string `json:"where,omitempty"`
	// Who serves it: processes ("kubelet[812]"), workloads ("DaemonSet
	// kube-system/x").
	Who []string `json:"who,omitempty"`
	// State is how a probe ended: open, closed, filtered, open|filtered,
	// not tried, error ("" for the other checks).
	State string `json:"state,omitempty"`
	// Detail says more: why a probe ended so, where the port is documented.
	Detail string `json:"detail,omitempty"`
	// Rule is the document's rule (idle, dropped, inconclusive).
	Rule *RuleRef `json:"rule,omitempty"`
	// Entry would document it (undocumented, passes).
	Entry *Entry `json:"entry,omitempty"`
	// Ignored is set when --ignore names the finding: listed, not failing.
	Ignored bool `json:"ignored,omitempty"`
}

// Key names a finding for --ignore: protocol and ports, "TCP/8080".
func (f *Finding) Key() string {
	if f.Ports == "" {
		return f.Protocol
	}
	return f.Protocol + "/" + f.Ports
}

// Report is the outcome of one check.
type Report struct {
	// Check is "verify", "verify --cluster" or "probe".
	Check string
	// Document is the source of the document compared with.
	Document string
	// Subject says what was checked ("node db-1 with roles master, node").
	Subject string
	// Checked counts what was compared: listeners, served ports, probes.
	Checked int
	// Unit names what Checked counts ("listeners on non-loopback addresses").
	Unit     string
	Findings []Finding
	Notes    []string
	// Errors say what left the check without an answer (a peer that
	// answered nothing): the report is then no verdict, whatever its
	// findings (exit 2).
	Errors []string
}

// Verdict reports whether the report is an answer: no Errors.
func (r *Report) Verdict() bool { return len(r.Errors) == 0 }

// Clean reports whether the answer is yes: a verdict, and nothing failing.
func (r *Report) Clean() bool { return r.Verdict() && len(r.Failing()) == 0 }

// Failing returns the findings that fail the check: not information, not
// ignored.
func (r *Report) Failing() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Kind.Failing() && !f.Ignored {
			out = append(out, f)
		}
	}
	return out
}

// Summary is one line: what was compared and what failed.
func (r *Report) Summary() string {
	counts := map[Kind]int{}
	ignored := 0
	for _, f := range r.Findings {
		if f.Ignored {
			ignored++
			continue
		}
		counts[f.Kind]++
	}
	var parts []string
	for _, k := range kindOrder {
		if n := counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
	}
	if ignored > 0 {
		parts = append(parts, fmt.Sprintf("%d ignored", ignored))
	}
	s := fmt.Sprintf("%d %s", r.Checked, r.Unit)
	switch {
	case !r.Verdict():
		s = fmt.Sprintf("NO VERDICT (%d errors); %s", len(r.Errors), s)
	case len(r.Failing()) == 0:
		s += ": all as documented"
	}
	if len(parts) > 0 {
		s += "; " + strings.Join(parts, ", ")
	}
	return s
}

// SortFindings orders findings as reports list them: failing kinds first,
// then by protocol, first port and where.
func SortFindings(fs []Finding) {
	rank := func(f Finding) int { return slices.Index(kindOrder[:], f.Kind) }
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		if c := strings.Compare(a.Protocol, b.Protocol); c != 0 {
			return c
		}
		if c := firstPort(a.Ports) - firstPort(b.Ports); c != 0 {
			return c
		}
		return strings.Compare(strings.Join(a.Where, ","), strings.Join(b.Where, ","))
	})
}

func firstPort(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
