// Package probe tries the document's flows between nodes: from the host it
// runs on, acting as one role, to peers of named roles at addresses the
// user gives, and nowhere else. TCP is a connect (connected: open; refused:
// reachable, nothing listening; no answer: filtered); UDP an empty datagram
// (an ICMP port unreachable: closed; an answer: open; silence:
// open|filtered, as nmap says); ICMP an echo request through an
// unprivileged ping socket where the kernel allows it (a raw socket as
// root). Timeouts and the number of probes in flight are bounded.
//
// Besides the documented flows it tries a sample of ports the document does
// not open from this role (a few unlisted ports, and the first port of each
// rule open only to other roles): once the generated firewall is on, they
// must come back filtered. What the generated firewall accepts from whom
// is the host-firewall plan's (gen/hostfw: each row's sources are its real
// clients, gen/clients); a row the document opens from this role but whose
// real clients include no host of it is tried and reported as information.
package probe

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// Peer is a host to probe: its role and the one address to send to.
type Peer struct {
	Role spec.Role
	Addr netip.Addr
}

func (p Peer) String() string { return p.Role.String() + " " + p.Addr.String() }

// ParsePeer reads --peer ROLE=ADDRESS: a node role (master, node,
// frontend) and an IP address (no host names: probes go only to the
// addresses the user names).
func ParsePeer(s string) (Peer, error) {
	name, addr, ok := strings.Cut(s, "=")
	if !ok {
		return Peer{}, fmt.Errorf("--peer %q: want ROLE=ADDRESS (master=10.0.0.1)", s)
	}
	r, ok := spec.ParseRole(strings.TrimSpace(name))
	if !ok || r == spec.RoleExternal {
		return Peer{}, fmt.Errorf("--peer %q: unknown peer role %q: use master, node or frontend (probe checks the firewalls of nodes)", s, name)
	}
	a, err := netip.ParseAddr(strings.Trim(strings.TrimSpace(addr), "[]"))
	if err != nil {
		return Peer{}, fmt.Errorf("--peer %q: %q is not an IP address (give the address to probe, not a host name)", s, addr)
	}
	if a.Zone() != "" || a.IsUnspecified() || a.IsMulticast() {
		return Peer{}, fmt.Errorf("--peer %q: %s is not a unicast address of one host", s, a)
	}
	return Peer{r, a.Unmap()}, nil
}

// ParseAs reads --as ROLE: the role this host probes as (master, node,
// frontend, or external for a host outside the cluster).
func ParseAs(s string) (spec.Role, error) {
	r, ok := spec.ParseRole(strings.TrimSpace(s))
	if !ok {
		return spec.RoleUnknown, fmt.Errorf("--as %q: unknown role: use master, node, frontend or external", s)
	}
	return r, nil
}

// DefaultSample are the unlisted ports tried on every peer (those of them
// the document opens from this role are left out).
func DefaultSample() []uint16 { return []uint16{9, 1234, 8080, 20000, 45678, 60001} }

// ParseSample reads --undocumented: comma-separated ports ("" for none).
func ParseSample(s string) ([]uint16, error) {
	var out []uint16
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.ParseUint(f, 10, 16)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("--undocumented %q: %q is not a port (1-65535)", s, f)
		}
		if !slices.Contains(out, uint16(n)) {
			out = append(out, uint16(n))
		}
	}
	return out, nil
}

// Probe is one thing to try.
type Probe struct {
	Peer     Peer
	Protocol spec.Protocol
	Port     uint16 // 0 for ICMP
	// Rule is the documented rule that opens it from this role; nil for a
	// port the document does not open from this role.
	Rule *hostfw.Rule
	// OnlyFor is, for a port the document opens to other roles only, that
	// rule (it must be filtered from this role all the same).
	OnlyFor *hostfw.Rule
	// Narrowed is a rule the document opens from this role whose real
	// clients (gen/clients) include no host of it: the generated rulesets
	// accept it from those clients only, so either outcome is as generated.
	Narrowed *hostfw.Rule
}

// Documented reports whether the document opens the probe's flow from
// this role.
func (p Probe) Documented() bool { return p.Rule != nil }

func (p Probe) String() string {
	if p.Protocol == spec.ICMP {
		return fmt.Sprintf("%s ICMP echo", p.Peer)
	}
	return fmt.Sprintf("%s %s/%d", p.Peer, p.Protocol, p.Port)
}

// sourceRoles are the roles traffic from a host of role as counts as:
// its host roles (masters and frontends are nodes too), and external,
// which is anybody.
func sourceRoles(as spec.Role) []spec.Role {
	return append(hostfw.HostRoles(as), spec.RoleExternal)
}

// hostSets are the address sets of the rulesets a host of role as is in:
// its roles' (the node set holds every cluster role) and external (by
// default anybody); never the pod set.
func hostSets(as spec.Role) []hostfw.Set {
	var out []hostfw.Set
	for _, r := range sourceRoles(as) {
		out = append(out, hostfw.Set(hostfw.RoleName(r)))
	}
	return out
}

// opens reports whether the generated rulesets accept rule r from a host
// of role as: one of its sources is a set the host is in (a plan without
// sources: the document's source role).
func opens(r *hostfw.Rule, as spec.Role) bool {
	if len(r.Sources) == 0 {
		return slices.Contains(sourceRoles(as), r.From)
	}
	sets := hostSets(as)
	return slices.ContainsFunc(r.Sources, func(s hostfw.Set) bool { return slices.Contains(sets, s) })
}

// Plan lists the probes from a host of role as to each peer, from the
// host-firewall plan of the document (hostfw.Build, or hostfw.Input with a
// site's clients table): every documented flow (the ends and the middle of
// a range), the first port of each rule the peer accepts from other roles
// only, and the sample ports the document does not open from this role,
// for TCP and UDP. Each (peer, protocol, port) once.
func Plan(plan *hostfw.Plan, as spec.Role, peers []Peer, sample []uint16) []Probe {
	src := sourceRoles(as)
	var out []Probe
	for _, peer := range peers {
		rules := plan.Ingress(peer.Role)
		seen := map[[2]int]bool{}
		// matching returns the first rule for proto/port that pred holds for.
		matching := func(proto spec.Protocol, port uint16, pred func(*hostfw.Rule) bool) *hostfw.Rule {
			for i := range rules {
				r := &rules[i]
				if r.Protocol == proto && pred(r) && (proto == spec.ICMP || containsPort(r.Ports, port)) {
					return r
				}
			}
			return nil
		}
		open := func(r *hostfw.Rule) bool { return opens(r, as) }
		documented := func(r *hostfw.Rule) bool { return slices.Contains(src, r.From) }
		mine := func(proto spec.Protocol, port uint16) *hostfw.Rule { return matching(proto, port, open) }
		// probeOf is the probe of proto/port: documented when the rulesets
		// open it to this role, narrowed when only the document does.
		probeOf := func(proto spec.Protocol, port uint16) Probe {
			p := Probe{Peer: peer, Protocol: proto, Port: port, Rule: mine(proto, port)}
			if p.Rule == nil {
				p.Narrowed = matching(proto, port, documented)
			}
			return p
		}
		add := func(p Probe) {
			k := [2]int{int(p.Protocol), int(p.Port)}
			if seen[k] {
				return
			}
			seen[k] = true
			out = append(out, p)
		}
		for i := range rules {
			r := &rules[i]
			if !open(r) && !documented(r) {
				continue
			}
			if r.Protocol == spec.ICMP {
				add(probeOf(spec.ICMP, 0))
				continue
			}
			for _, pr := range r.Ports {
				for _, port := range samples(pr) {
					add(probeOf(r.Protocol, port))
				}
			}
		}
		for i := range rules {
			r := &rules[i]
			if r.Protocol == spec.ICMP || open(r) || documented(r) || len(r.Ports) == 0 {
				continue
			}
			if p := probeOf(r.Protocol, r.Ports[0].First); p.Rule == nil && p.Narrowed == nil {
				p.OnlyFor = r
				add(p)
			}
		}
		for _, proto := range []spec.Protocol{spec.TCP, spec.UDP} {
			for _, port := range sample {
				if p := probeOf(proto, port); p.Rule == nil && p.Narrowed == nil {
					add(p)
				}
			}
		}
	}
	return out
}

func containsPort(rs []spec.PortRange, p uint16) bool {
	for _, r := range rs {
		if r.Contains(p) {
			return true
		}
	}
	return false
}

// samples are the ports tried in a range: its ends and its middle.
func samples(r spec.PortRange) []uint16 {
	out := []uint16{r.First}
	if r.Last != r.First {
		out = append(out, r.Last)
	}
	if int(r.Last)-int(r.First) > 1 {
		out = append(out, uint16((int(r.First)+int(r.Last))/2))
	}
	return out
}
