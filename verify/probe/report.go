package probe

import (
	"fmt"
	"strings"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
	"github.com/portspec/portspec/verify"
)

// Report turns results into the check's report: per peer, the documented
// flows the network drops (Dropped), the ports the document does not open
// from this role that it lets through (Passes), and what a probe cannot
// tell (Inconclusive). A peer that answered no probe at all leaves no
// verdict (Report.Errors): a wrong address, a host that is down, and a
// firewall that drops everything look the same from here.
//
// With all, every other probe is listed too, as OK.
func Report(doc *spec.Document, as spec.Role, peers []Peer, results []Result, all bool) *verify.Report {
	var names []string
	for _, p := range peers {
		names = append(names, p.String())
	}
	r := &verify.Report{Check: "probe", Document: doc.Source, Unit: "probes",
		Subject: "as " + as.String() + " to " + strings.Join(names, ", "), Checked: len(results)}
	type tally struct{ n, answered, open, closed, filtered, silent int }
	per := map[Peer]*tally{}
	for _, p := range peers {
		per[p] = &tally{}
	}
	for _, res := range results {
		t := per[res.Peer]
		if t == nil {
			t = &tally{}
			per[res.Peer] = t
		}
		t.n++
		if res.State.answered() {
			t.answered++
		}
		f := verify.Finding{Protocol: res.Protocol.String(), Where: []string{res.Peer.String()}, State: string(res.State), Detail: res.Detail}
		if res.Protocol != spec.ICMP {
			f.Ports = fmt.Sprint(res.Port)
		}
		switch {
		case res.Documented():
			f.Rule = verify.RuleOf(*res.Rule)
			switch res.State {
			case Open:
				t.open++
				f.Kind = verify.OK
			case Closed:
				t.closed++
				f.Kind = verify.OK
			case Filtered:
				f.Kind = verify.Dropped
			default: // open|filtered, not tried, error
				f.Kind = verify.Inconclusive
			}
		case res.Narrowed != nil:
			f.Rule = verify.RuleOf(*res.Narrowed)
			f.Kind = verify.OK
			f.Detail += "; the document opens it from " + res.Narrowed.From.String() + ", the generated rulesets to its real clients only (" + sets(res.Narrowed.Sources) + ")"
		default:
			switch res.State {
			case Open, Closed:
				f.Kind = verify.Passes
				f.Entry = &verify.Entry{Group: verify.GroupFor(as, res.Peer.Role), Protocol: f.Protocol, Ports: f.Ports}
				if res.OnlyFor != nil {
					f.Rule = verify.RuleOf(*res.OnlyFor)
					f.Detail += fmt.Sprintf("; the document opens it from %s only", res.OnlyFor.From)
				}
			case Filtered:
				t.filtered++
				f.Kind = verify.OK
			case OpenFiltered:
				t.silent++
				f.Kind = verify.OK
			default:
				f.Kind = verify.Inconclusive
			}
		}
		if f.Kind != verify.OK || all {
			r.Findings = append(r.Findings, f)
		}
	}
	for _, p := range peers {
		t := per[p]
		if t.n > 0 && t.answered == 0 {
			r.Errors = append(r.Errors, fmt.Sprintf("%s answered none of %d probes (no connection, no refusal, no echo reply): is the address right and the host up? A firewall that drops everything looks the same; no verdict for it", p, t.n))
			continue
		}
		r.Notes = append(r.Notes, fmt.Sprintf("%s: %d probes; documented and reachable: %d open, %d closed; not documented and filtered: %d, silent UDP: %d",
			p, t.n, t.open, t.closed, t.filtered, t.silent))
	}
	verify.SortFindings(r.Findings)
	return r
}

func sets(ss []hostfw.Set) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}
