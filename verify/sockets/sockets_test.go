package sockets

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/spec"
)

const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

// A fake proc folder: what a host with a few listeners shows.
func fakeProc(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(body, "->") {
			if err := os.Symlink(strings.TrimPrefix(body, "->"), p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hex4 is an IPv4 address as the kernel prints it on this host.
func hex4(t *testing.T, s string) string {
	t.Helper()
	a := netip.MustParseAddr(s).As4()
	var b [4]byte
	copy(b[:], a[:])
	// Back from network order to the host's: parseEndpoint's inverse.
	w := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	var out [4]byte
	putNative(out[:], w)
	return strings.ToUpper(hexs(out[:]))
}

func TestReadFakeProc(t *testing.T) {
	l := func(sl, local, remote, st, uid, inode string) string {
		return "   " + sl + ": " + local + " " + remote + " " + st + " 00000000:00000000 00:00000000 00000000 " + uid + " 0 " + inode + " 1 0000000000000000 100 0 0 10 0\n"
	}
	any4 := hex4(t, "0.0.0.0")
	lo4 := hex4(t, "127.0.0.1")
	ten := hex4(t, "10.0.0.5")
	proc := fakeProc(t, map[string]string{
		"net/tcp": header +
			l("0", any4+":1F90", any4+":0000", "0A", "0", "101") + // 0.0.0.0:8080 LISTEN
			l("1", lo4+":1E61", any4+":0000", "0A", "0", "102") + // 127.0.0.1:7777 LISTEN
			l("2", ten+":A0F2", ten+":1F90", "01", "0", "103"), // established: not a listener
		"net/udp": header +
			l("0", any4+":270F", any4+":0000", "07", "0", "201") + // 0.0.0.0:9999 bound
			l("1", ten+":D431", ten+":0035", "01", "0", "202"), // connected: a client
		"net/tcp6": header +
			l("0", "00000000000000000000000000000000:2802", "00000000000000000000000000000000:0000", "0A", "0", "301"), // [::]:10242
		// no udp6: IPv6 UDP off
		"1/comm":   "listener\n",
		"1/fd/3":   "->socket:[101]",
		"1/fd/4":   "->socket:[201]",
		"1/fd/5":   "->/dev/null",
		"22/comm":  "work\ner\x1b\n", // a name with a line break and an escape
		"22/fd/7":  "->socket:[101]",
		"self/x":   "not a pid",
		"33/other": "no fd folder: exited",
	})
	tb, err := Read(proc)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Proto string
		Addr  string
		Port  uint16
		Procs string
		Loop  bool
	}
	var got []row
	for _, s := range tb.Sockets {
		var ps []string
		for _, p := range s.Processes {
			ps = append(ps, p.String())
		}
		got = append(got, row{s.Protocol.String(), s.Addr.String(), s.Port, strings.Join(ps, ","), s.Loopback()})
	}
	want := []row{
		{"TCP", "0.0.0.0", 8080, "listener[1],work?er?[22]", false},
		{"TCP", "127.0.0.1", 7777, "", true},
		{"TCP", "::", 10242, "", false},
		{"UDP", "0.0.0.0", 9999, "listener[1]", false},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("sockets (-want +got):\n%s", d)
	}
	if len(tb.Notes) != 1 || !strings.Contains(tb.Notes[0], "udp6 is absent") {
		t.Errorf("notes: %q", tb.Notes)
	}
}

func TestReadErrors(t *testing.T) {
	good := header + "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 101 1\n"
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"no proc at all":      {map[string]string{"x": ""}, "cannot read the tcp sockets"},
		"udp missing":         {map[string]string{"net/tcp": good}, "cannot read the udp sockets"},
		"a folder for a file": {map[string]string{"net/tcp/x": "", "net/udp": good}, "cannot read the tcp sockets"},
		"empty":               {map[string]string{"net/tcp": "", "net/udp": good}, "net/tcp:1:1: empty"},
		"not a table":         {map[string]string{"net/tcp": "hello\n", "net/udp": good}, "net/tcp:1:1: not a /proc/net socket table"},
		"short line":          {map[string]string{"net/tcp": header + "   0: 00000000:1F90\n", "net/udp": good}, "net/tcp:2:4: 2 fields"},
		"bad address": {map[string]string{"net/tcp": header + "   0: 0000ZZ00:1F90 00000000:0000 0A 0:0 0:0 0 0 0 101\n", "net/udp": good},
			`net/tcp:2:7: local address "0000ZZ00:1F90": address "0000ZZ00" is not 8 hex digits`},
		"bad port": {map[string]string{"net/tcp": good, "net/udp": header + "   0: 00000000:XYZ 00000000:0000 07 0:0 0:0 0 0 0 101\n"},
			`net/udp:2:7: local address "00000000:XYZ": port "XYZ"`},
		"bad v6": {map[string]string{"net/tcp": good, "net/udp": good, "net/tcp6": header + "   0: 00000000:1F90 00000000:0000 0A 0:0 0:0 0 0 0 101\n"},
			`net/tcp6:2:7: local address "00000000:1F90": address "00000000" is not 32 hex digits`},
		"bad inode": {map[string]string{"net/tcp": header + "   0: 00000000:1F90 00000000:0000 0A 0:0 0:0 0 0 0 x\n", "net/udp": good}, `net/tcp:2:52: inode "x"`},
	} {
		t.Run(name, func(t *testing.T) {
			tb, err := Read(fakeProc(t, tc.files))
			if err == nil {
				t.Fatalf("no error; read %+v", tb)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

// TestReadOwnProcess reads the real /proc: a listener this test opens is
// there, with this process holding it.
func TestReadOwnProcess(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skipf("no /proc/net/tcp: %v", err)
	}
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := uint16(l.Addr().(*net.TCPAddr).Port)
	tb, err := Read("")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tb.Sockets {
		if s.Protocol == spec.TCP && s.Port == port && s.Addr == netip.MustParseAddr("127.0.0.1") {
			if !s.Loopback() {
				t.Error("127.0.0.1 is not loopback")
			}
			for _, p := range s.Processes {
				if p.PID == os.Getpid() {
					return
				}
			}
			t.Fatalf("listener found, but not held by this process (%d): %v", os.Getpid(), s.Processes)
		}
	}
	t.Fatalf("listener 127.0.0.1:%d not found among %d sockets", port, len(tb.Sockets))
}

func TestLoopbackMapped(t *testing.T) {
	for addr, want := range map[string]bool{"::ffff:127.0.0.1": true, "::1": true, "127.3.2.1": true, "::": false, "0.0.0.0": false, "10.1.1.1": false} {
		if got := (Socket{Addr: netip.MustParseAddr(addr)}).Loopback(); got != want {
			t.Errorf("%s: loopback %v, want %v", addr, got, want)
		}
	}
}
