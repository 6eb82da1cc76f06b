package probe

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

func TestParsePeer(t *testing.T) {
	p, err := ParsePeer("master=10.0.0.1")
	if err != nil || p.Role != spec.RoleMaster || p.Addr != netip.MustParseAddr("10.0.0.1") {
		t.Errorf("%v %v", p, err)
	}
	if p, err := ParsePeer("Frontend=[fd00::3]"); err != nil || p.String() != "frontend fd00::3" {
		t.Errorf("%v %v", p, err)
	}
	for in, want := range map[string]string{
		"10.0.0.1":            "want ROLE=ADDRESS",
		"masters=10.0.0.1":    `unknown peer role "masters"`,
		"external=1.2.3.4":    `unknown peer role "external"`,
		"node=db.example.org": "not an IP address",
		"node=0.0.0.0":        "not a unicast address",
		"node=fe80::1%eth0":   "not a unicast address",
		"node=224.0.0.1":      "not a unicast address",
	} {
		if _, err := ParsePeer(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	if _, err := ParseAs("worker"); err == nil {
		t.Error("--as worker accepted")
	}
	if r, err := ParseAs("external"); err != nil || r != spec.RoleExternal {
		t.Errorf("--as external: %v %v", r, err)
	}
	if s, err := ParseSample(" 80, 80,9 "); err != nil || !slices.Equal(s, []uint16{80, 9}) {
		t.Errorf("sample: %v %v", s, err)
	}
	for _, bad := range []string{"0", "x", "70000"} {
		if _, err := ParseSample(bad); err == nil {
			t.Errorf("sample %q accepted", bad)
		}
	}
}

// planned lists a plan as "proto/port kind".
func planned(ps []Probe) []string {
	var out []string
	for _, p := range ps {
		s := p.Protocol.String()
		if p.Protocol != spec.ICMP {
			s += fmt.Sprintf("/%d", p.Port)
		}
		switch {
		case p.Documented():
			s += " " + p.Rule.Group
		case p.OnlyFor != nil:
			s += " only " + p.OnlyFor.Group
		case p.Narrowed != nil:
			s += " narrowed " + p.Narrowed.Group
		default:
			s += " sample"
		}
		out = append(out, s)
	}
	return out
}

func TestPlan(t *testing.T) {
	doc := gentest.Default(t)
	m := Peer{spec.RoleMaster, netip.MustParseAddr("10.0.0.1")}
	got := planned(Plan(hostfw.Build(doc), spec.RoleNode, []Peer{m}, []uint16{8080, 4234}))
	for _, want := range []string{
		"TCP/6443 NodesToMasters", "UDP/4234 NodesToMasters", "TCP/4219 NodesToMasters",
		"ICMP NodesToNodes", "TCP/7000 NodesToNodes", "TCP/7999 NodesToNodes", "TCP/7499 NodesToNodes",
		"TCP/22 ExternalToMaster",    // external is anybody
		"TCP/22322 ExternalToMaster", // the second port of the row
		"TCP/2379 only MastersToMasters", "TCP/10250 only MastersToNodes",
		"TCP/8080 sample", "UDP/8080 sample", "TCP/4234 sample",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("node → master: %q not planned:\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, never := range []string{"UDP/4234 sample", "TCP/2380 only MastersToMasters", "TCP/30000 ExternalToFrontends"} {
		if slices.Contains(got, never) {
			t.Errorf("node → master: %q planned", never)
		}
	}
	seen := map[string]bool{}
	for _, p := range Plan(hostfw.Build(doc), spec.RoleNode, []Peer{m}, DefaultSample()) {
		if k := p.String(); seen[k] {
			t.Errorf("%s planned twice", k)
		} else {
			seen[k] = true
		}
		if p.Peer != m {
			t.Errorf("%s: a probe to an address nobody named", p)
		}
	}

	// A site whose clients table narrows kubelet-metrics-like rows: the
	// document opens 4206 from nodes, the plan from pods only.
	plan := hostfw.Build(doc)
	for i, r := range plan.Rules[spec.RoleNode] {
		if r.Name == "NodesToNodes/tcp/4206" {
			plan.Rules[spec.RoleNode][i].Sources = []hostfw.Set{hostfw.SetPod}
		}
	}
	got = planned(Plan(plan, spec.RoleNode, []Peer{m}, nil))
	if !slices.Contains(got, "TCP/4206 narrowed NodesToNodes") || !slices.Contains(got, "TCP/6443 NodesToMasters") {
		t.Errorf("narrowed row:\n%s", strings.Join(got, "\n"))
	}

	got = planned(Plan(hostfw.Build(doc), spec.RoleMaster, []Peer{m}, nil))
	if !slices.Contains(got, "TCP/2379 MastersToMasters") || !slices.Contains(got, "TCP/10250 MastersToNodes") {
		t.Errorf("master → master lacks etcd or kubelet:\n%s", strings.Join(got, "\n"))
	}
	got = planned(Plan(hostfw.Build(doc), spec.RoleExternal, []Peer{{spec.RoleFrontend, netip.MustParseAddr("10.0.0.3")}}, nil))
	for _, want := range []string{"TCP/30000 ExternalToFrontends", "TCP/32767 ExternalToFrontends", "TCP/31383 ExternalToFrontends", "TCP/10250 only MastersToNodes"} {
		if !slices.Contains(got, want) {
			t.Errorf("external → frontend: %q not planned:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if slices.Contains(got, "ICMP NodesToNodes") {
		t.Error("external → frontend: ICMP is a node-to-node flow")
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want State
	}{
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, Closed},
		{&net.OpError{Op: "read", Err: os.ErrDeadlineExceeded}, OpenFiltered},
		{context.DeadlineExceeded, OpenFiltered},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, Filtered},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EPERM)}, Filtered},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("socket", syscall.EMFILE)}, Failed},
	} {
		if got, detail := classify(c.err, time.Second, OpenFiltered); got != c.want {
			t.Errorf("%v: %s (%s), want %s", c.err, got, detail, c.want)
		}
	}
}

// TestRunLoopback probes this host's loopback: a TCP listener (open), a
// port nothing listens on (closed), a UDP echo (open), a silent UDP
// socket (open|filtered) and a closed UDP port. Loopback only: nothing
// leaves the host.
func TestRunLoopback(t *testing.T) {
	lo := netip.MustParseAddr("127.0.0.1")
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	echo, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		buf := make([]byte, 64)
		for {
			n, from, err := echo.ReadFrom(buf)
			if err != nil {
				return
			}
			echo.WriteTo(buf[:n], from)
		}
	}()
	silent, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	port := func(a net.Addr) uint16 {
		if u, ok := a.(*net.UDPAddr); ok {
			return uint16(u.Port)
		}
		return uint16(a.(*net.TCPAddr).Port)
	}
	// free returns a port nothing listens on: one just closed.
	free := func(network string) uint16 {
		if network == "tcp" {
			l, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			return port(l.Addr())
		}
		c, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return port(c.LocalAddr())
	}
	peer := Peer{spec.RoleNode, lo}
	probes := []Probe{
		{Peer: peer, Protocol: spec.TCP, Port: port(l.Addr())},
		{Peer: peer, Protocol: spec.TCP, Port: free("tcp")},
		{Peer: peer, Protocol: spec.UDP, Port: port(echo.LocalAddr())},
		{Peer: peer, Protocol: spec.UDP, Port: port(silent.LocalAddr())},
		{Peer: peer, Protocol: spec.UDP, Port: free("udp")},
		{Peer: peer, Protocol: spec.ICMP},
	}
	res := Run(context.Background(), probes, Options{Timeout: 300 * time.Millisecond, Tries: 1, Concurrency: 2})
	var got []State
	for _, r := range res {
		got = append(got, r.State)
	}
	want := []State{Open, Closed, Open, OpenFiltered, Closed, Open}
	if got[5] == NotTried { // no ping socket and not root: said so, not a failure
		t.Logf("ICMP: %s", res[5].Detail)
		want[5] = NotTried
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("states (-want +got):\n%s", d)
		for _, r := range res {
			t.Logf("%s: %s %s", r.Probe, r.State, r.Detail)
		}
	}
}

func TestReport(t *testing.T) {
	doc := gentest.Default(t)
	m := Peer{spec.RoleMaster, netip.MustParseAddr("10.0.0.1")}
	dead := Peer{spec.RoleNode, netip.MustParseAddr("10.0.0.9")}
	api := &hostfw.Rule{Name: "NodesToMasters/tcp/6443", Group: "NodesToMasters", Protocol: spec.TCP, Ports: []spec.PortRange{{First: 6443, Last: 6443}}, From: spec.RoleNode, To: spec.RoleMaster}
	ntp := &hostfw.Rule{Name: "NodesToMasters/udp/4234", Group: "NodesToMasters", Protocol: spec.UDP, From: spec.RoleNode, To: spec.RoleMaster}
	etcd := &hostfw.Rule{Name: "MastersToMasters/tcp/2379", Group: "MastersToMasters", Protocol: spec.TCP, From: spec.RoleMaster, To: spec.RoleMaster}
	results := []Result{
		{Probe{Peer: m, Protocol: spec.TCP, Port: 6443, Rule: api}, Filtered, "no answer in 1s (2 tries)"},
		{Probe{Peer: m, Protocol: spec.TCP, Port: 4219, Rule: api}, Closed, "refused"},
		{Probe{Peer: m, Protocol: spec.UDP, Port: 4234, Rule: ntp}, OpenFiltered, "no answer in 1s"},
		{Probe{Peer: m, Protocol: spec.TCP, Port: 2379, OnlyFor: etcd}, Open, "connected"},
		{Probe{Peer: m, Protocol: spec.TCP, Port: 8080}, Closed, "refused"},
		{Probe{Peer: m, Protocol: spec.UDP, Port: 8080}, OpenFiltered, "no answer"},
		{Probe{Peer: m, Protocol: spec.TCP, Port: 1234}, Filtered, "no answer"},
		{Probe{Peer: m, Protocol: spec.TCP, Port: 4206, Narrowed: &hostfw.Rule{Group: "NodesToNodes", Protocol: spec.TCP, From: spec.RoleNode, To: spec.RoleNode, Sources: []hostfw.Set{hostfw.SetPod}}}, Filtered, "no answer"},
		{Probe{Peer: dead, Protocol: spec.TCP, Port: 10250}, Filtered, "no answer"},
		{Probe{Peer: dead, Protocol: spec.UDP, Port: 8472}, OpenFiltered, "no answer"},
	}
	r := Report(doc, spec.RoleNode, []Peer{m, dead}, results, false)
	var got []string
	for _, f := range r.Findings {
		s := string(f.Kind) + " " + f.Key()
		if f.Entry != nil {
			s += " -> " + f.Entry.String()
		}
		got = append(got, s)
	}
	want := []string{"dropped TCP/6443", "passes TCP/2379 -> NodesToMasters TCP 2379", "passes TCP/8080 -> NodesToMasters TCP 8080", "inconclusive UDP/4234"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0], "node 10.0.0.9 answered none of 2 probes") {
		t.Errorf("errors: %q", r.Errors)
	}
	if r.Verdict() || r.Clean() || !strings.HasPrefix(r.Summary(), "NO VERDICT") {
		t.Errorf("a silent peer leaves no verdict: %s", r.Summary())
	}
	if n := len(Report(doc, spec.RoleNode, []Peer{m, dead}, results, true).Findings); n != len(results) {
		t.Errorf("with all: %d findings for %d probes", n, len(results))
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "master 10.0.0.1: 8 probes; documented and reachable: 0 open, 1 closed; not documented and filtered: 1, silent UDP: 1") {
		t.Errorf("notes: %q", r.Notes)
	}
}
