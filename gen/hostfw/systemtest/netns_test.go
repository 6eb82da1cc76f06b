package systemtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/spec"
)

// The enforcement lab: one network namespace per party, each with one veth
// into a bridge that lives in a namespace of its own. Addresses are on a
// private range (10.201.0.0/24 and fd00:201::/64) inside these namespaces
// only; no namespace has a route anywhere else, so no probe can leave them.
//
// The outsider (10.201.0.4) is a private address in no role set: it stands
// for anybody, and for the private addresses the old default sets (every
// private range) let in. Two more parties only send: "pod" has an address
// of the pod subnet (a pod's packet reaches a node with its pod address)
// and "svc" one of the service subnet, which no packet should carry as its
// source (Service IPs are destinations; after translation a packet carries
// the pod's or the node's address). Both are IPv4, like Deckhouse's subnets.
var (
	parties    = []string{"master", "node", "frontend", "outsider"}
	sourceOnly = []string{"pod", "svc"}
	partyIP    = map[string]string{"master": "10.201.0.1", "node": "10.201.0.2", "frontend": "10.201.0.3", "outsider": "10.201.0.4", "pod": "10.111.0.5", "svc": "10.222.0.5"}
	partyIP6   = map[string]string{"master": "fd00:201::1", "node": "fd00:201::2", "frontend": "fd00:201::3", "outsider": "fd00:201::4"}
	partyNet   = map[string]string{"pod": "10.111.0.0/16", "svc": "10.222.0.0/16"}
	partyOf    = map[string]spec.Role{"master": spec.RoleMaster, "node": spec.RoleNode, "frontend": spec.RoleFrontend}
	labCIDRs   = `"cidrs":{"master":["10.201.0.1","fd00:201::1"],"node":["10.201.0.2","fd00:201::2"],"frontend":["10.201.0.3","fd00:201::3"]},"podCIDRs":["10.111.0.0/16"],"trusted":[]`
)

// sources are the parties probes are sent from.
func sources() []string { return append(slices.Clone(parties), sourceOnly...) }

// hostsOf are the parties a role stands for, read from the model's
// meaning, not from the generators: every master and frontend is a node,
// and "external" is anybody.
var hostsOf = map[spec.Role][]string{
	spec.RoleMaster:   {"master"},
	spec.RoleNode:     {"master", "node", "frontend"},
	spec.RoleFrontend: {"frontend"},
	spec.RoleExternal: {"master", "node", "frontend", "outsider"},
}

// Who really connects, written out here by hand from the facts (the
// sources are named in docs/host-firewalls.md and gen/clients), not read
// from gen/clients. All are TCP ports, by group; they cover the default
// document, the seed and the newest upstream version.
var (
	// podRows are the rows whose clients include pods: caps-controller-manager
	// bootstraps static nodes over SSH (22) and Prometheus scrapes the kubelet
	// (10250); every pod reaches kube-apiserver through the kubernetes Service
	// (6443); hubble-relay reads the hubble API (4244); Prometheus scrapes
	// every metrics port and registry-packages-proxy's /metrics (4219).
	podRows = map[string][]int{
		"MastersToNodes": {22, 10250},
		"NodesToMasters": {6443, 4203, 4219, 4222},
		"NodesToNodes": {4244,
			4202, 4205, 4206, 4207, 4208, 4209, 4210, 4211, 4212, 4213, 4215, 4216, 4220, 4224, 4226,
			4241, 4242, 4245, 4256, 4260, 4263, 4270, 4272, 4286, 4288, 4289, 9695, 9942},
	}
	// mastersOnly are rows the page lists from every node whose only client
	// is kube-apiserver on the masters: webhooks (csi-huawei's, newest).
	mastersOnly = map[string][]int{"NodesToNodes": {4258}}
)

type lab struct {
	t      *testing.T
	prefix string
	made   []string
	procs  []*exec.Cmd
}

func (l *lab) ns(party string) string { return l.prefix + party }

func (l *lab) ip(args ...string) {
	l.t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		l.t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func newLab(t *testing.T) *lab {
	l := &lab{t: t, prefix: fmt.Sprintf("psfw%d-", os.Getpid())}
	t.Cleanup(l.close)
	if out, err := exec.Command("ip", "netns", "add", l.ns("sw")).CombinedOutput(); err != nil {
		upstream.Missing(t, fmt.Sprintf("cannot make a network namespace: %v %s", err, bytes.TrimSpace(out)))
	}
	l.made = append(l.made, l.ns("sw"))
	l.ip("-n", l.ns("sw"), "link", "add", "br0", "type", "bridge")
	l.ip("-n", l.ns("sw"), "link", "set", "br0", "up")
	for _, p := range sources() {
		l.ip("netns", "add", l.ns(p))
		l.made = append(l.made, l.ns(p))
		l.ip("-n", l.ns("sw"), "link", "add", "v-"+p, "type", "veth", "peer", "name", "eth0", "netns", l.ns(p))
		l.ip("-n", l.ns("sw"), "link", "set", "v-"+p, "master", "br0", "up")
		if net, ok := partyNet[p]; ok {
			// A sender from another subnet on the same link: it reaches the
			// lab subnet directly, and every party routes its subnet back.
			bits := strings.SplitN(net, "/", 2)[1]
			l.ip("-n", l.ns(p), "addr", "add", partyIP[p]+"/"+bits, "dev", "eth0")
			l.ip("-n", l.ns(p), "link", "set", "eth0", "up")
			l.ip("-n", l.ns(p), "route", "add", "10.201.0.0/24", "dev", "eth0")
		} else {
			l.ip("-n", l.ns(p), "addr", "add", partyIP[p]+"/24", "dev", "eth0")
			l.ip("-n", l.ns(p), "addr", "add", partyIP6[p]+"/64", "dev", "eth0", "nodad")
			l.ip("-n", l.ns(p), "link", "set", "eth0", "up")
			for _, net := range partyNet {
				l.ip("-n", l.ns(p), "route", "add", net, "dev", "eth0")
			}
		}
		l.ip("-n", l.ns(p), "link", "set", "lo", "up")
	}
	return l
}

// close stops every helper and deletes every namespace the lab made.
func (l *lab) close() {
	for _, c := range l.procs {
		c.Process.Kill()
		c.Wait()
	}
	for _, n := range slices.Backward(l.made) {
		if out, err := exec.Command("ip", "netns", "del", n).CombinedOutput(); err != nil {
			l.t.Errorf("cleanup: ip netns del %s: %v %s", n, err, out)
		}
	}
}

// listen starts a listener helper in a party's namespace.
func (l *lab) listen(party string, tcp, udp []int) {
	l.t.Helper()
	self, err := os.Executable()
	if err != nil {
		l.t.Fatal(err)
	}
	join := func(ps []int) string {
		var s []string
		for _, p := range ps {
			s = append(s, fmt.Sprint(p))
		}
		return strings.Join(s, ",")
	}
	cmd := exec.Command("ip", "netns", "exec", l.ns(party), self)
	cmd.Env = append(os.Environ(), envHelper+"=listen", envTCP+"="+join(tcp), envUDP+"="+join(udp))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	l.procs = append(l.procs, cmd)
	_ = stdin // closed by Kill in close
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		l.t.Fatalf("listener in %s: %q %v", party, line, err)
	}
}

// probeFrom runs probes from a party's namespace.
func (l *lab) probeFrom(ctx context.Context, party string, ps []probe, timeout time.Duration) ([]bool, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	in, _ := json.Marshal(ps)
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.ns(party), self)
	cmd.Env = append(os.Environ(), envHelper+"=probe", envTimeout+"="+timeout.String())
	cmd.Stdin = bytes.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("prober in %s: %v %s", party, err, errb.String())
	}
	var res []bool
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res) != len(ps) {
		return nil, fmt.Errorf("prober in %s: bad output %q", party, out.String())
	}
	return res, nil
}

// load loads each cluster party's generated ruleset into its namespace
// (the outsider has none: it is the world).
func (l *lab) load(files []gen.File) {
	l.t.Helper()
	dir := l.t.TempDir()
	for _, f := range files {
		path := filepath.Join(dir, f.Path)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			l.t.Fatal(err)
		}
		for party, role := range partyOf {
			if f.Path == nftables.FileName(role) {
				if out, err := exec.Command("ip", "netns", "exec", l.ns(party), "nft", "-f", path).CombinedOutput(); err != nil {
					l.t.Fatalf("nft -f %s in %s: %v\n%s", f.Path, party, err, out)
				}
			}
		}
	}
	// Forget the neighbours learnt so far, so that IPv6 must get neighbour
	// discovery through the rulesets again.
	for _, p := range sources() {
		l.ip("-n", l.ns(p), "neigh", "flush", "all")
	}
}

// check is one probe with where it runs and the expected outcome.
type check struct {
	from, to string
	probe
	want bool
}

func (c check) String() string {
	port := fmt.Sprintf("/%d", c.Port)
	if c.Proto == "icmp" {
		port = " echo"
	}
	return fmt.Sprintf("%s -> %s (%s) %s%s", c.from, c.to, c.Addr, c.Proto, port)
}

// samples are the ports probed in a range: its ends and its middle.
func samples(r spec.PortRange) []int {
	out := []int{int(r.First)}
	if r.Last != r.First {
		out = append(out, int(r.Last))
	}
	if int(r.Last)-int(r.First) > 1 {
		out = append(out, (int(r.First)+int(r.Last))/2)
	}
	return out
}

// expectation says, from the document's flows alone, whether traffic from
// party a to party b on proto/port must pass, given the output policy.
type expectation struct {
	flows      []spec.Flow
	outputDrop bool
}

func (e expectation) allowed(from, to, proto string, port int) bool {
	in := func(p string, r spec.Role) bool { return slices.Contains(hostsOf[r], p) }
	matches := func(f spec.Flow) bool {
		if strings.ToLower(f.Protocol.String()) != proto {
			return false
		}
		return proto == "icmp" || f.Ports.Contains(uint16(port))
	}
	listed := func(rows map[string][]int, group string) bool {
		return proto == "tcp" && slices.Contains(rows[group], port)
	}
	if to == "outsider" { // no ruleset there: only the sender's output chain
		if !e.outputDrop {
			return true
		}
		for _, f := range e.flows {
			if f.To == spec.RoleExternal && in(from, f.From) && matches(f) {
				return true
			}
		}
		return false
	}
	for _, f := range e.flows {
		if f.To == spec.RoleExternal || !in(to, f.To) || !matches(f) {
			continue
		}
		switch {
		case f.From == spec.RoleExternal: // the world: any address at all
			return true
		case from == "pod": // only where pods are clients
			if listed(podRows, f.Group) {
				return true
			}
		case in(from, f.From): // host processes of the source role
			if !listed(mastersOnly, f.Group) || from == "master" {
				return true
			}
		}
	}
	return false
}

// unlisted returns n ports of proto that no flow opens.
func unlisted(flows []spec.Flow, proto string, n int) []int {
	var out []int
	for _, p := range []int{9, 1234, 8080, 20000, 33333, 45678, 60001, 61234} {
		open := false
		for _, f := range flows {
			if strings.ToLower(f.Protocol.String()) == proto && f.Ports.Contains(uint16(p)) {
				open = true
			}
		}
		if !open && len(out) < n {
			out = append(out, p)
		}
	}
	return out
}

// plan lists the probes: every sampled port of every flow, from every
// party to every party of the destination role (and, for egress, to the
// outsider), plus unlisted ports everywhere and ICMP echo between all.
func (e expectation) plan() []check {
	seen := map[check]bool{}
	var out []check
	add := func(from, to, proto string, port int) {
		if from == to {
			return
		}
		addrs := []string{partyIP[to], partyIP6[to]}
		if slices.Contains(sourceOnly, from) {
			if to == "outsider" { // no ruleset on either end: nothing to learn
				return
			}
			addrs = addrs[:1] // IPv4 only
		}
		for _, addr := range addrs {
			c := check{from: from, to: to, probe: probe{Proto: proto, Addr: addr, Port: port}}
			if seen[c] {
				continue
			}
			seen[c] = true
			c.want = e.allowed(from, to, proto, port)
			out = append(out, c)
		}
	}
	for _, f := range e.flows {
		proto := strings.ToLower(f.Protocol.String())
		dsts := hostsOf[f.To]
		if f.To == spec.RoleExternal {
			dsts = []string{"outsider"}
		}
		ports := []int{0}
		if proto != "icmp" {
			ports = samples(f.Ports)
		}
		for _, to := range dsts {
			for _, from := range sources() {
				for _, p := range ports {
					add(from, to, proto, p)
				}
			}
		}
	}
	for _, to := range parties {
		for _, from := range sources() {
			for _, proto := range []string{"tcp", "udp"} {
				for _, p := range unlisted(e.flows, proto, 2) {
					add(from, to, proto, p)
				}
			}
			add(from, to, "icmp", 0)
		}
	}
	return out
}

// run executes checks from all parties at once and returns the ones whose
// outcome is not want (with allOpen: not passed). Probes that should have
// passed and did not are tried once more with a longer timeout.
func (l *lab) run(ctx context.Context, checks []check, allOpen bool) []string {
	l.t.Helper()
	passed := l.runOnce(ctx, checks, probeTimeout)
	var again []check
	for i, c := range checks {
		if !passed[i] && (c.want || allOpen) {
			again = append(again, c)
		}
	}
	if len(again) > 0 {
		retried := l.runOnce(ctx, again, retryTimeout)
		j := 0
		for i, c := range checks {
			if !passed[i] && (c.want || allOpen) {
				passed[i] = retried[j]
				j++
			}
		}
	}
	var bad []string
	for i, c := range checks {
		want := c.want || allOpen
		if passed[i] != want {
			bad = append(bad, fmt.Sprintf("%s: passed=%v, want %v", c, passed[i], want))
		}
	}
	slices.Sort(bad)
	return bad
}

// runOnce runs checks, one prober per source party, all at once, and
// returns whether each passed, in the order of checks.
func (l *lab) runOnce(ctx context.Context, checks []check, timeout time.Duration) []bool {
	l.t.Helper()
	type result struct {
		from string
		res  []bool
		err  error
	}
	byFrom := map[string][]int{}
	for i, c := range checks {
		byFrom[c.from] = append(byFrom[c.from], i)
	}
	results := make(chan result, len(byFrom))
	for from, idx := range byFrom {
		go func() {
			var ps []probe
			for _, i := range idx {
				ps = append(ps, checks[i].probe)
			}
			res, err := l.probeFrom(ctx, from, ps, timeout)
			results <- result{from, res, err}
		}()
	}
	passed := make([]bool, len(checks))
	for range byFrom {
		r := <-results
		if r.err != nil {
			l.t.Fatal(r.err)
		}
		for k, i := range byFrom[r.from] {
			passed[i] = r.res[k]
		}
	}
	return passed
}

func listenAll(l *lab, checks []check) {
	tcp, udp := map[string][]int{}, map[string][]int{}
	for _, c := range checks {
		switch c.Proto {
		case "tcp":
			if !slices.Contains(tcp[c.to], c.Port) {
				tcp[c.to] = append(tcp[c.to], c.Port)
			}
		case "udp":
			if !slices.Contains(udp[c.to], c.Port) {
				udp[c.to] = append(udp[c.to], c.Port)
			}
		}
	}
	for _, p := range parties {
		l.listen(p, tcp[p], udp[p])
	}
}

// TestEnforcement loads the generated rulesets into namespaces and checks
// that the kernel lets through exactly what the facts allow: every
// documented flow from a party that is one of its row's real clients
// passes (TCP connects and gets an answer, UDP gets its datagram echoed,
// ICMP echo is answered); documented ports from other parties, pod
// addresses where pods are not clients, service addresses and unlisted
// ports are blocked. It first checks every probe without rulesets, so that
// a blocked probe means the firewall. Then it does it again with
// output_policy drop (and the drop log), where the nodes may reach the
// outside world only on the NodesToExternal ports, and once in audit mode,
// where everything passes and the would-be drops are counted.
func TestEnforcement(t *testing.T) {
	gentest.RequireSystem(t, "ip", "nft")
	for name, load := range map[string]func(testing.TB) *spec.Document{
		"default": gentest.Default,
		"seed":    gentest.Seed,
		"newest":  gentest.Newest,
	} {
		t.Run(name, func(t *testing.T) {
			doc := load(t)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			l := newLab(t)
			e := expectation{flows: doc.Flows()}
			checks := e.plan()
			listenAll(l, checks)
			start := time.Now()
			if bad := l.run(ctx, checks, true); len(bad) > 0 {
				t.Fatalf("without rulesets %d of %d probes fail (lab broken):\n%s", len(bad), len(checks), strings.Join(bad[:min(len(bad), 20)], "\n"))
			}
			for _, run := range []struct{ name, opts string }{
				{"output policy accept", `"output_policy":"accept"`},
				{"output policy drop, log", `"output_policy":"drop","log":true`},
			} {
				e.outputDrop = strings.Contains(run.opts, `"drop"`)
				checks := e.plan()
				l.generateAndLoad(doc, run.opts)
				bad := l.run(ctx, checks, false)
				pass, from, fromPass := 0, map[string]int{}, map[string]int{}
				for _, c := range checks {
					from[c.from]++
					if c.want {
						pass++
						fromPass[c.from]++
					}
				}
				t.Logf("%s: %d probes (%d must pass, %d must be blocked; from the pod subnet %d, %d must pass; from the service subnet %d, %d must pass; from the outsider %d, %d must pass), %d wrong",
					run.name, len(checks), pass, len(checks)-pass, from["pod"], fromPass["pod"], from["svc"], fromPass["svc"], from["outsider"], fromPass["outsider"], len(bad))
				if len(bad) > 0 {
					t.Errorf("%s: %d probes wrong:\n%s", run.name, len(bad), strings.Join(bad[:min(len(bad), 40)], "\n"))
				}
				if strings.Contains(run.opts, `"log"`) {
					for party := range partyOf {
						if n := l.logged(party, hostfw.DropLogPrefix); n == 0 {
							t.Errorf("%s: the drop log of %s counted nothing", run.name, party)
						}
					}
				}
			}
			// Audit mode: nothing is dropped, what would be is counted.
			l.generateAndLoad(doc, `"output_policy":"drop","mode":"audit"`)
			if bad := l.run(ctx, e.plan(), true); len(bad) > 0 {
				t.Errorf("audit mode blocks %d probes:\n%s", len(bad), strings.Join(bad[:min(len(bad), 20)], "\n"))
			}
			for party := range partyOf {
				if n := l.logged(party, hostfw.AuditLogPrefix); n == 0 {
					t.Errorf("audit mode: %s counted no would-be drop", party)
				}
			}
			t.Logf("probing took %v", time.Since(start).Round(time.Millisecond))
		})
	}
}

// generateAndLoad generates the rulesets for the lab's addresses with
// more options and loads them.
func (l *lab) generateAndLoad(doc *spec.Document, opts string) {
	l.t.Helper()
	out, err := nftables.New().Generate(gen.Request{Doc: doc, Options: []byte(`{` + labCIDRs + `,` + opts + `}`)})
	if err != nil {
		l.t.Fatal(err)
	}
	l.load(out.Files)
}

// logged returns the packets counted by the log rule of prefix in party's
// table, summed over its chains.
func (l *lab) logged(party, prefix string) int {
	l.t.Helper()
	out, err := exec.Command("ip", "netns", "exec", l.ns(party), "nft", "list", "table", "inet", hostfw.DefaultTable).CombinedOutput()
	if err != nil {
		l.t.Fatalf("nft list table in %s: %v\n%s", party, err, out)
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, fmt.Sprintf("log prefix %q", prefix)) {
			continue
		}
		var packets int
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "counter packets %d", &packets); err != nil {
			l.t.Fatalf("%s: unexpected log rule %q", party, line)
		}
		n += packets
	}
	return n
}
