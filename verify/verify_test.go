package verify

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
	"github.com/portspec/portspec/verify/sockets"
)

func sock(proto spec.Protocol, addr string, port uint16, procs ...string) sockets.Socket {
	s := sockets.Socket{Protocol: proto, Addr: netip.MustParseAddr(addr), Port: port}
	for i, p := range procs {
		s.Processes = append(s.Processes, sockets.Process{PID: 100 + i, Name: p})
	}
	return s
}

// keys lists the findings of kinds as "kind key".
func keys(r *Report, kinds ...Kind) []string {
	var out []string
	for _, f := range r.Findings {
		for _, k := range kinds {
			if f.Kind == k {
				s := string(f.Kind) + " " + f.Key()
				if f.Ignored {
					s += " ignored"
				}
				out = append(out, s)
			}
		}
	}
	return out
}

func TestNode(t *testing.T) {
	doc := gentest.Default(t)
	tb := &sockets.Table{Sockets: []sockets.Socket{
		sock(spec.TCP, "0.0.0.0", 10250, "kubelet"),       // MastersToNodes
		sock(spec.TCP, "::", 10250, "kubelet"),            // the same, IPv6
		sock(spec.TCP, "0.0.0.0", 8080, "app"),            // undocumented
		sock(spec.TCP, "::", 8080, "app"),                 // one finding for both families
		sock(spec.UDP, "10.0.0.5", 8472),                  // VXLAN, NodesToNodes
		sock(spec.UDP, "0.0.0.0", 9999, "agent"),          // undocumented
		sock(spec.TCP, "127.0.0.1", 7777, "local"),        // loopback: not a finding
		sock(spec.TCP, "::ffff:127.0.0.1", 7778, "local"), // mapped loopback
		sock(spec.TCP, "0.0.0.0", 6443, "kube-apiserver"), // a master's port, not a plain node's
		sock(spec.TCP, "0.0.0.0", 2379, "etcd"),           // the same
		sock(spec.TCP, "0.0.0.0", 31000, "kube-proxy"),    // node ports: frontends only
		sock(spec.UDP, "0.0.0.0", 8080, "app"),            // UDP 8080: its own finding
	}}

	node := Node(doc, tb, NodeOptions{Name: "n1", Roles: []spec.Role{spec.RoleNode}})
	want := []string{"undocumented TCP/2379", "undocumented TCP/6443", "undocumented TCP/8080", "undocumented TCP/31000", "undocumented UDP/8080", "undocumented UDP/9999"}
	if d := cmp.Diff(want, keys(node, Undocumented)); d != "" {
		t.Errorf("plain node (-want +got):\n%s", d)
	}
	if node.Checked != 8 {
		t.Errorf("checked %d listeners, want 8 (12 sockets, two loopback, two ports in both families)", node.Checked)
	}

	master := Node(doc, tb, NodeOptions{Roles: []spec.Role{spec.RoleMaster, spec.RoleNode}})
	want = []string{"undocumented TCP/8080", "undocumented TCP/31000", "undocumented UDP/8080", "undocumented UDP/9999"}
	if d := cmp.Diff(want, keys(master, Undocumented)); d != "" {
		t.Errorf("master (-want +got):\n%s", d)
	}
	for _, f := range master.Findings {
		if f.Key() == "TCP/8080" {
			if d := cmp.Diff([]string{"0.0.0.0", "::"}, f.Where); d != "" {
				t.Errorf("TCP/8080 addresses (-want +got):\n%s", d)
			}
			if d := cmp.Diff([]string{"app[100]"}, f.Who); d != "" {
				t.Errorf("TCP/8080 processes (-want +got):\n%s", d)
			}
			if got := f.Entry.String(); got != "NodesToMasters TCP 8080" {
				t.Errorf("a master's entry: %q", got)
			}
		}
	}
	idle := strings.Join(keys(node, Idle), "\n") + "\n"
	for _, k := range []string{"idle TCP/10250\n", "idle UDP/8472\n"} {
		if strings.Contains(idle, k) {
			t.Errorf("%q: something listens on it", k)
		}
	}
	for _, k := range []string{"idle UDP/8469\n", "idle TCP/7000-7999\n", "idle TCP/22\n"} {
		if !strings.Contains(idle, k) {
			t.Errorf("%q is not idle:\n%s", k, idle)
		}
	}
	if strings.Contains(idle, "ICMP") || strings.Contains(idle, "TCP/6443") {
		t.Errorf("a plain node's idle list holds ICMP or a master's port:\n%s", idle)
	}

	ig, err := ParseIgnore([]string{"9999/udp", "TCP/2379,6443"})
	if err != nil {
		t.Fatal(err)
	}
	frontend := Node(doc, tb, NodeOptions{Roles: []spec.Role{spec.RoleFrontend, spec.RoleNode}, Ignore: ig})
	want = []string{"undocumented TCP/2379 ignored", "undocumented TCP/6443 ignored", "undocumented TCP/8080", "undocumented UDP/8080", "undocumented UDP/9999 ignored"}
	if d := cmp.Diff(want, keys(frontend, Undocumented)); d != "" {
		t.Errorf("frontend with --ignore (-want +got):\n%s", d)
	}
	if n := len(frontend.Failing()); n != 2 {
		t.Errorf("%d failing, want 2", n)
	}

	clean := Node(doc, &sockets.Table{Sockets: []sockets.Socket{sock(spec.TCP, "0.0.0.0", 10250)}}, NodeOptions{Roles: []spec.Role{spec.RoleNode}})
	if len(clean.Failing()) != 0 || !strings.Contains(clean.Summary(), "all as documented") {
		t.Errorf("clean node: %s", clean.Summary())
	}
	if strings.Contains(node.Summary(), "all as documented") {
		t.Errorf("a node with findings says %q", node.Summary())
	}
}

func TestCluster(t *testing.T) {
	doc := gentest.Default(t)
	nodes := []ClusterNode{
		{"m0", []spec.Role{spec.RoleMaster}},
		{"f0", []spec.Role{spec.RoleFrontend, spec.RoleNode}},
		{"n0", []spec.Role{spec.RoleNode}},
	}
	served := []Served{
		{Protocol: "TCP", Port: 4206, Nodes: []string{"m0", "f0", "n0"}, Workload: "DaemonSet d8-monitoring/node-exporter", How: "hostNetwork container port"},
		{Protocol: "TCP", Port: 9100, Nodes: []string{"n0", "f0"}, Workload: "DaemonSet mon/exporter", How: "hostNetwork container port"},
		{Protocol: "TCP", Port: 6443, Nodes: []string{"m0"}, Workload: "Pod kube-system/kube-apiserver-m0", How: "hostNetwork container port"},
		{Protocol: "TCP", Port: 9443, Nodes: []string{"m0"}, Workload: "Pod kube-system/webhook", How: "hostNetwork container port"},
		{Protocol: "TCP", Port: 30080, Workload: "Service default/web", How: "nodePort of 80/TCP"},
		{Protocol: "UDP", Port: 30053, Workload: "Service default/dns", How: "nodePort of 53/UDP"},
		{Protocol: "SCTP", Port: 4206, Nodes: []string{"n0"}, Workload: "Pod x/sctp", How: "hostPort"},
		{Protocol: "TCP", Port: 12345, Nodes: []string{"gone"}, Workload: "Pod x/stray", How: "hostPort"},
	}
	r := Cluster(doc, nodes, served, ClusterOptions{Name: "https://api"})
	type row struct{ Key, Where, Entry, Detail string }
	var got []row
	for _, f := range r.Findings {
		got = append(got, row{f.Key(), strings.Join(f.Where, "; "), f.Entry.String(), f.Detail})
	}
	want := []row{
		{"SCTP/4206", "n0 (node)", "NodesToNodes SCTP 4206", "hostPort"},
		{"TCP/9100", "f0 (node, frontend); n0 (node)", "NodesToNodes TCP 9100", "hostNetwork container port"},
		{"TCP/9443", "m0 (master, node)", "NodesToMasters TCP 9443", "hostNetwork container port"},
		{"TCP/12345", "gone (node)", "NodesToNodes TCP 12345", "hostPort"},
		{"TCP/30080", "m0 (master, node); n0 (node)", "NodesToNodes TCP 30080", "nodePort of 80/TCP; documented on frontend (ExternalToFrontends)"},
		{"UDP/30053", "f0 (node, frontend); m0 (master, node); n0 (node)", "NodesToNodes UDP 30053", "nodePort of 53/UDP"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if !strings.Contains(r.Subject, "3 nodes (1 master, 1 frontend, 1 other)") {
		t.Errorf("subject %q", r.Subject)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "gone") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestParseRoles(t *testing.T) {
	for in, want := range map[string]string{"": "node", "master": "master, node", "Frontend,master,master": "master, node, frontend", " node ": "node"} {
		rs, err := ParseRoles(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := roleNames(rs); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"masters", "external", "master,worker"} {
		if _, err := ParseRoles(in); err == nil || !strings.Contains(err.Error(), "unknown node role") {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestParseIgnore(t *testing.T) {
	ig, err := ParseIgnore([]string{"8080", "udp/53", "9000/TCP", "30000-30010", "sctp/7"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		proto string
		port  uint16
		want  bool
	}{{"TCP", 8080, true}, {"UDP", 8080, true}, {"UDP", 53, true}, {"TCP", 53, false}, {"TCP", 9000, true}, {"UDP", 9000, false}, {"UDP", 30005, true}, {"SCTP", 7, true}, {"TCP", 7, false}} {
		if got := ig.matches(c.proto, c.port); got != c.want {
			t.Errorf("%s/%d: %v, want %v", c.proto, c.port, got, c.want)
		}
	}
	for _, bad := range []string{"x", "tcp/x", "0", "10-5", "http/80", "70000"} {
		if _, err := ParseIgnore([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestGroupFor(t *testing.T) {
	for _, c := range []struct {
		from, to spec.Role
		want     string
	}{
		{spec.RoleNode, spec.RoleMaster, "NodesToMasters"},
		{spec.RoleMaster, spec.RoleMaster, "MastersToMasters"},
		{spec.RoleMaster, spec.RoleNode, "MastersToNodes"},
		{spec.RoleMaster, spec.RoleFrontend, "MastersToNodes"},
		{spec.RoleNode, spec.RoleFrontend, "NodesToNodes"},
		{spec.RoleExternal, spec.RoleFrontend, "ExternalToFrontends"},
		{spec.RoleFrontend, spec.RoleMaster, "NodesToMasters"},
		{spec.RoleExternal, spec.RoleNode, "NodesToNodes"},
	} {
		if got := GroupFor(c.from, c.to); got != c.want {
			t.Errorf("%s→%s: %s, want %s", c.from, c.to, got, c.want)
		}
	}
}

// TestReportForms: the three forms say the same, and the JSON form says
// clean only when nothing fails.
func TestReportForms(t *testing.T) {
	doc := gentest.Default(t)
	r := Node(doc, &sockets.Table{Sockets: []sockets.Socket{sock(spec.TCP, "0.0.0.0", 8080, "app|x")}, Notes: []string{"a note"}}, NodeOptions{Name: "n1", Roles: []spec.Role{spec.RoleNode}})
	var text, md, js bytes.Buffer
	for f, b := range map[string]*bytes.Buffer{"text": &text, "markdown": &md, "json": &js} {
		if err := r.Write(b, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, frag := range []string{"portspec verify: node n1 with roles node", "1 listeners on non-loopback addresses; 1 undocumented", "note: a note",
		"undocumented:  TCP/8080 on 0.0.0.0 by app|x[100]", "to document it: NodesToNodes TCP 8080 (app|x)", "information:", "idle:"} {
		if !strings.Contains(text.String(), frag) {
			t.Errorf("text lacks %q:\n%s", frag, text.String())
		}
	}
	if !strings.Contains(md.String(), "| undocumented | `TCP/8080` | 0.0.0.0 | app\\|x[100] |") {
		t.Errorf("markdown:\n%s", md.String())
	}
	var got struct {
		Clean    bool `json:"clean"`
		Findings []struct {
			Key   string `json:"key"`
			Kind  string `json:"kind"`
			Entry *Entry `json:"entry"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Clean || got.Findings[0].Key != "TCP/8080" || got.Findings[0].Entry.Group != "NodesToNodes" {
		t.Errorf("json: %s", js.String())
	}
	if err := r.Write(&text, "yaml"); err == nil {
		t.Error("format yaml accepted")
	}
}
