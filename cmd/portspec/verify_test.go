package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// procLine is one row of a /proc/net table: a socket of addr:port in state
// st (0A LISTEN, 07 a bound UDP socket) with inode.
func procLine(addr string, port int, st string, inode int) string {
	a := netip.MustParseAddr(addr)
	raw := a.AsSlice()
	for i := 0; i < len(raw); i += 4 { // network order to the host's, as the kernel prints it
		binary.NativeEndian.PutUint32(raw[i:], binary.BigEndian.Uint32(raw[i:]))
	}
	zero := strings.Repeat("0", len(raw)*2)
	return fmt.Sprintf("   0: %s:%04X %s:0000 %s 00000000:00000000 00:00000000 00000000 0 0 %d 1\n", strings.ToUpper(hex.EncodeToString(raw)), port, zero, st, inode)
}

const procHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

// fakeProc writes a proc folder whose tables hold the given rows (nil: the
// file is absent) and one process "srv" (pid 7) holding every inode.
func fakeProc(t *testing.T, tcp, udp, tcp6, udp6 []string, inodes ...int) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "net"), 0o755)
	for name, rows := range map[string][]string{"tcp": tcp, "udp": udp, "tcp6": tcp6, "udp6": udp6} {
		if rows != nil {
			os.WriteFile(filepath.Join(dir, "net", name), []byte(procHeader+strings.Join(rows, "")), 0o644)
		}
	}
	os.MkdirAll(filepath.Join(dir, "7", "fd"), 0o755)
	os.WriteFile(filepath.Join(dir, "7", "comm"), []byte("srv\n"), 0o644)
	for i, ino := range inodes {
		os.Symlink(fmt.Sprintf("socket:[%d]", ino), filepath.Join(dir, "7", "fd", fmt.Sprint(i+3)))
	}
	return dir
}

type verifyJSON struct {
	Clean    bool `json:"clean"`
	Verdict  bool `json:"verdict"`
	Findings []struct {
		Key   string   `json:"key"`
		Kind  string   `json:"kind"`
		Who   []string `json:"who"`
		Entry *struct {
			Group, Protocol, Ports string
		} `json:"entry"`
	} `json:"findings"`
}

func TestVerifyNode(t *testing.T) {
	proc := fakeProc(t,
		[]string{procLine("0.0.0.0", 10250, "0A", 11), procLine("0.0.0.0", 8080, "0A", 12), procLine("127.0.0.1", 7777, "0A", 13)},
		[]string{procLine("0.0.0.0", 8472, "07", 21), procLine("0.0.0.0", 9999, "07", 22)},
		[]string{procLine("::", 6443, "0A", 31)},
		nil, 11, 12, 13, 21, 22, 31)

	code, out, errOut := runCmd(t, "", "verify", "--proc", proc, "--format", "json")
	if code != exitInvalid {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	var r verifyJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, f := range r.Findings {
		if f.Kind == "undocumented" {
			got = append(got, f.Key+" "+strings.Join(f.Who, ",")+" "+f.Entry.Group)
		}
	}
	want := []string{"TCP/6443 srv[7] NodesToNodes", "TCP/8080 srv[7] NodesToNodes", "UDP/9999 srv[7] NodesToNodes"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || r.Clean || !r.Verdict {
		t.Errorf("a plain node: clean %v, undocumented:\n%s\nwant:\n%s", r.Clean, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// As a master 6443 is documented; the rest can be ignored.
	code, out, _ = runCmd(t, "", "verify", "--role", "master", "--ignore", "TCP/8080", "--ignore", "9999/udp", "--proc", proc)
	if code != exitOK || !strings.Contains(out, "all as documented") || !strings.Contains(out, "undocumented, ignored: TCP/8080 on 0.0.0.0 by srv[7]") {
		t.Errorf("a master with --ignore: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "", "verify", filepath.Join("..", "..", "spec", "default", "network-interaction.md"), "--role", "master", "--proc", proc, "--format", "markdown")
	if code != exitInvalid || !strings.Contains(out, "| undocumented | `TCP/8080` | 0.0.0.0 | srv[7] |") {
		t.Errorf("markdown, document named: exit %d\n%s", code, out)
	}
}

// TestVerifyNoAnswer: every input the check cannot read or understand is
// exit 2 with a reason, and never a report that says all is documented.
func TestVerifyNoAnswer(t *testing.T) {
	good := []string{procLine("0.0.0.0", 10250, "0A", 11)}
	noTCP := fakeProc(t, nil, good, nil, nil)
	garbled := fakeProc(t, []string{"   0: nonsense\n"}, good, nil, nil)
	badV6 := fakeProc(t, good, good, []string{procLine("10.0.0.1", 1, "0A", 1)}, nil)
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}`))
	}))
	defer refuse.Close()
	kubeconfig := func(server string) string {
		p := filepath.Join(t.TempDir(), "kubeconfig")
		os.WriteFile(p, []byte("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \""+server+"\"}}]\nusers: [{name: u, user: {token: wrong}}]\ncontexts: [{name: a, context: {cluster: c, user: u}}]\ncurrent-context: a\n"), 0o600)
		return p
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no tcp table", []string{"verify", "--proc", noTCP}, "cannot read the tcp sockets"},
		{"garbled table", []string{"verify", "--proc", garbled}, "net/tcp:2:4: 2 fields"},
		{"IPv4 row in tcp6", []string{"verify", "--proc", badV6}, "net/tcp6:2:7: local address"},
		{"no proc", []string{"verify", "--proc", filepath.Join(t.TempDir(), "none")}, "cannot read the tcp sockets"},
		{"unknown role", []string{"verify", "--role", "master,worker"}, `unknown node role "worker"`},
		{"external is no node", []string{"verify", "--role", "external"}, `unknown node role "external"`},
		{"bad ignore", []string{"verify", "--ignore", "http/80"}, `--ignore "http/80"`},
		{"role with --cluster", []string{"verify", "--cluster", "--role", "master"}, "--role is for a node"},
		{"kubeconfig without --cluster", []string{"verify", "--kubeconfig", "x"}, "--kubeconfig is for --cluster"},
		{"unknown role label", []string{"verify", "--cluster", "--kubeconfig", kubeconfig(refuse.URL), "--role-label", "worker=x"}, `unknown role "worker"`},
		{"missing kubeconfig", []string{"verify", "--cluster", "--kubeconfig", filepath.Join(t.TempDir(), "none")}, "kubeconfig"},
		{"API refuses", []string{"verify", "--cluster", "--kubeconfig", kubeconfig(refuse.URL)}, "401 Unauthorized"},
		{"API unreachable", []string{"verify", "--cluster", "--kubeconfig", kubeconfig("https://127.0.0.1:1"), "--request-timeout", "5s"}, "connection refused"},
		{"bad format", []string{"verify", "--format", "yaml"}, "unknown format"},
		{"two documents", []string{"verify", "a.md", "b.md"}, "one document at most"},
	} {
		code, out, errOut := runCmd(t, "", c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, want 2 with %q on stderr\nstderr: %s", c.name, code, c.want, errOut)
		}
		if strings.Contains(out, "all as documented") {
			t.Errorf("%s: no answer, yet the report says all is documented:\n%s", c.name, out)
		}
	}
	// An invalid document is exit 1, as on every command.
	bad := filepath.Join(t.TempDir(), "bad.md")
	os.WriteFile(bad, []byte("Nodes to nodes traffic\nPort | Protocol | Purpose |\n---|---|---|\n65536 | TCP | too high |\n"), 0o644)
	if code, out, _ := runCmd(t, "", "verify", bad, "--proc", fakeProc(t, good, good, nil, nil)); code != exitInvalid || out != "" {
		t.Errorf("invalid document: exit %d, stdout %q", code, out)
	}
}

// TestProbeUsage: every mistake is caught before a single probe is sent.
func TestProbeUsage(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no --as", []string{"probe", "--peer", "master=127.0.0.1"}, "--as ROLE is required"},
		{"unknown --as", []string{"probe", "--as", "worker", "--peer", "master=127.0.0.1"}, `--as "worker": unknown role`},
		{"no peer", []string{"probe", "--as", "node"}, "no --peer"},
		{"unknown peer role", []string{"probe", "--as", "node", "--peer", "masters=127.0.0.1"}, `unknown peer role "masters"`},
		{"host name", []string{"probe", "--as", "node", "--peer", "master=localhost"}, "not an IP address"},
		{"timeout", []string{"probe", "--as", "node", "--peer", "master=127.0.0.1", "--probe-timeout", "1h"}, "--probe-timeout 1h0m0s"},
		{"tries", []string{"probe", "--as", "node", "--peer", "master=127.0.0.1", "--tries", "0"}, "--tries 0"},
		{"concurrency", []string{"probe", "--as", "node", "--peer", "master=127.0.0.1", "--concurrency", "10000"}, "--concurrency 10000"},
		{"sample", []string{"probe", "--as", "node", "--peer", "master=127.0.0.1", "--undocumented", "80,x"}, `"x" is not a port`},
		{"unreadable document", []string{"probe", filepath.Join(t.TempDir(), "none.md"), "--as", "node", "--peer", "master=127.0.0.1"}, "no such file"},
	} {
		code, out, errOut := runCmd(t, "", c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%s: exit %d, want 2 with %q on stderr, nothing on stdout\nstdout: %s\nstderr: %s", c.name, code, c.want, out, errOut)
		}
	}
}

// TestProbeLoopback probes this host's loopback as a node peer: nothing
// filters it, so the ports the document does not open come back closed
// (they pass) and the exit is 1. Loopback only: nothing leaves the host.
func TestProbeLoopback(t *testing.T) {
	code, out, errOut := runCmd(t, "", "probe", "--as", "node", "--peer", "node=127.0.0.1", "--undocumented", "1234", "--probe-timeout", "300ms", "--tries", "1", "--format", "json")
	if code != exitInvalid {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	var r verifyJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	passes := map[string]bool{}
	for _, f := range r.Findings {
		if f.Kind == "dropped" {
			t.Errorf("loopback drops %s", f.Key)
		}
		if f.Kind == "passes" {
			passes[f.Key] = true
		}
	}
	for _, k := range []string{"TCP/1234", "UDP/1234", "TCP/10250"} { // 10250: MastersToNodes, from masters only
		if !passes[k] {
			t.Errorf("%s does not pass on an unfiltered loopback: %v", k, passes)
		}
	}
}

// TestVerifyAfterOverlay: the live checks compare with the document after
// the config's overlay, so a row the site adds is documented.
func TestVerifyAfterOverlay(t *testing.T) {
	proc := fakeProc(t,
		[]string{procLine("0.0.0.0", 8080, "0A", 12)},
		[]string{}, []string{}, []string{}, 12)
	cfg := filepath.Join(t.TempDir(), "portspec.yaml")
	os.WriteFile(cfg, []byte(`version: 1
overlay:
  add:
    - from: node
      to: node
      protocol: TCP
      ports: ["8080"]
      purpose: our agent's API
      reason: every node runs our agent
`), 0o644)
	if code, out, errOut := runCmd(t, "", "verify", "--proc", proc); code != exitInvalid || !strings.Contains(out, "TCP/8080") {
		t.Errorf("without the overlay: exit %d, want 1 naming TCP/8080\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "", "verify", "--config", cfg, "--proc", proc); code != exitOK || !strings.Contains(out, "all as documented") {
		t.Errorf("with the overlay's row: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
}
