// Package sockets reads the sockets a Linux host listens on from the proc
// file system: TCP sockets in LISTEN and bound, unconnected UDP sockets,
// IPv4 and IPv6 (/proc/net/tcp, tcp6, udp, udp6), and, where the reader may
// look (root), the processes that hold them (/proc/PID/fd).
//
// It reads the tables of the network namespace of the process that reads
// them (/proc/net is /proc/self/net): run it inside the namespace to see
// that namespace's sockets, on the host (or in a hostNetwork pod with the
// host's /proc) to see the node's.
package sockets

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/portspec/portspec/spec"
)

// DefaultProc is where the proc file system is mounted.
const DefaultProc = "/proc"

// Socket is one listening socket.
type Socket struct {
	Protocol spec.Protocol // TCP or UDP
	Addr     netip.Addr    // the local address; unspecified (0.0.0.0, ::) for every address
	Port     uint16
	UID      int
	Inode    uint64
	// Processes hold the socket (one socket may be shared after fork);
	// empty when no process could be seen holding it.
	Processes []Process
}

// Loopback reports whether the socket can be reached only from the host
// itself (127.0.0.0/8, ::1, and their IPv4-mapped forms).
func (s Socket) Loopback() bool { return s.Addr.Unmap().IsLoopback() }

// Process is a process holding a socket.
type Process struct {
	PID  int
	Name string // /proc/PID/comm: the executable's name, at most 15 bytes
}

func (p Process) String() string { return fmt.Sprintf("%s[%d]", p.Name, p.PID) }

// Table is what Read found.
type Table struct {
	Sockets []Socket
	// Notes say what the reader could not see: an absent IPv6 table (IPv6
	// disabled), processes it may not look into (not root).
	Notes []string
	// OwnersHidden counts processes whose open files the reader could not
	// read: their sockets show no process.
	OwnersHidden int
}

// table is one /proc/net file and what it holds.
type table struct {
	name     string
	protocol spec.Protocol
	ipv6     bool
}

var tables = [...]table{
	{"tcp", spec.TCP, false},
	{"tcp6", spec.TCP, true},
	{"udp", spec.UDP, false},
	{"udp6", spec.UDP, true},
}

// Kernel socket states (include/net/tcp_states.h) as /proc/net writes them.
const (
	stateListen = 0x0A // TCP_LISTEN
	stateClose  = 0x07 // TCP_CLOSE: an unconnected UDP socket
)

// Read reads the listening sockets under proc (DefaultProc when "") and
// the processes that hold them. The IPv4 tables must be there and every
// table present must read and parse: an error names the file, line and
// column. An absent IPv6 table means IPv6 is off; Table.Notes says so.
func Read(proc string) (*Table, error) {
	if proc == "" {
		proc = DefaultProc
	}
	t := &Table{}
	for _, tb := range tables {
		path := filepath.Join(proc, "net", tb.name)
		src, err := os.ReadFile(path)
		if err != nil {
			if tb.ipv6 && errors.Is(err, fs.ErrNotExist) {
				t.Notes = append(t.Notes, fmt.Sprintf("%s is absent: no IPv6 %s sockets (IPv6 is off)", path, tb.protocol))
				continue
			}
			return nil, fmt.Errorf("cannot read the %s sockets: %w", tb.name, err)
		}
		socks, err := Parse(path, src, tb.protocol, tb.ipv6)
		if err != nil {
			return nil, err
		}
		t.Sockets = append(t.Sockets, socks...)
	}
	if err := t.owners(proc); err != nil {
		return nil, err
	}
	return t, nil
}

// Parse reads one /proc/net table of protocol (tcp, tcp6, udp or udp6, as
// ipv6 says) and returns its listening sockets: TCP in LISTEN, UDP bound
// and not connected. name is the file's name in errors.
func Parse(name string, src []byte, protocol spec.Protocol, ipv6 bool) ([]Socket, error) {
	var out []Socket
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if !strings.Contains(text, "local_address") {
				return nil, fmt.Errorf("%s:1:1: not a /proc/net socket table (no header with local_address)", name)
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		f := fields(text)
		bad := func(i int, format string, args ...any) error {
			col := 1
			if i < len(f) {
				col = f[i].col
			}
			return fmt.Errorf("%s:%d:%d: %s", name, line, col, fmt.Sprintf(format, args...))
		}
		// sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
		if len(f) < 10 {
			return nil, bad(0, "%d fields, want at least 10 (sl, local_address, rem_address, st, …, uid, timeout, inode)", len(f))
		}
		st, err := strconv.ParseUint(f[3].s, 16, 8)
		if err != nil {
			return nil, bad(3, "state %q is not a hex number", f[3].s)
		}
		local, port, err := parseEndpoint(f[1].s, ipv6)
		if err != nil {
			return nil, bad(1, "local address %q: %v", f[1].s, err)
		}
		remote, rport, err := parseEndpoint(f[2].s, ipv6)
		if err != nil {
			return nil, bad(2, "remote address %q: %v", f[2].s, err)
		}
		uid, err := strconv.Atoi(f[7].s)
		if err != nil {
			return nil, bad(7, "uid %q is not a number", f[7].s)
		}
		inode, err := strconv.ParseUint(f[9].s, 10, 64)
		if err != nil {
			return nil, bad(9, "inode %q is not a number", f[9].s)
		}
		switch {
		case protocol == spec.TCP && st == stateListen:
		case protocol == spec.UDP && st == stateClose && port != 0 && remote.IsUnspecified() && rport == 0:
		default:
			continue
		}
		out = append(out, Socket{Protocol: protocol, Addr: local, Port: port, UID: uid, Inode: inode})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d:1: %v", name, line+1, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s:1:1: empty: a socket table has at least its header line", name)
	}
	return out, nil
}

type field struct {
	s   string
	col int
}

// fields splits a line at runs of spaces, keeping each field's column.
func fields(line string) []field {
	var out []field
	start := -1
	for i := 0; i <= len(line); i++ {
		if i == len(line) || line[i] == ' ' || line[i] == '\t' {
			if start >= 0 {
				out = append(out, field{line[start:i], start + 1})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// parseEndpoint reads "0100007F:1F90" (IPv4) or 32 hex digits and a port
// (IPv6). The kernel prints the address as 32-bit words in host byte order
// and the port as a big-endian number.
func parseEndpoint(s string, ipv6 bool) (netip.Addr, uint16, error) {
	a, p, ok := strings.Cut(s, ":")
	if !ok {
		return netip.Addr{}, 0, errors.New("want ADDRESS:PORT in hex")
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.Addr{}, 0, fmt.Errorf("port %q is not a 16-bit hex number", p)
	}
	want := 8
	if ipv6 {
		want = 32
	}
	raw, err := hex.DecodeString(a)
	if err != nil || len(a) != want {
		return netip.Addr{}, 0, fmt.Errorf("address %q is not %d hex digits", a, want)
	}
	for i := 0; i < len(raw); i += 4 { // each 32-bit word from host order to network order
		binary.BigEndian.PutUint32(raw[i:], binary.NativeEndian.Uint32(raw[i:]))
	}
	if ipv6 {
		return netip.AddrFrom16([16]byte(raw)), uint16(port), nil
	}
	return netip.AddrFrom4([4]byte(raw)), uint16(port), nil
}

// owners finds the processes holding the sockets: every /proc/PID/fd entry
// that is a link to "socket:[INODE]". Processes that exit meanwhile are
// skipped; those whose fd folder cannot be read are counted in
// OwnersHidden.
func (t *Table) owners(proc string) error {
	if len(t.Sockets) == 0 {
		return nil
	}
	byInode := map[uint64][]int{}
	for i, s := range t.Sockets {
		byInode[s.Inode] = append(byInode[s.Inode], i)
	}
	entries, err := os.ReadDir(proc)
	if err != nil {
		return fmt.Errorf("cannot list the processes: %w", err)
	}
	seenPID := false
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 {
			continue
		}
		seenPID = true
		fdDir := filepath.Join(proc, e.Name(), "fd")
		fds, err := os.ReadDir(fdDir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				t.OwnersHidden++
			}
			continue
		}
		var name string
		hidden := false
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
			if err != nil {
				// A closed descriptor is gone; any other error hides what
				// the process holds (no ptrace access to it).
				if !hidden && !errors.Is(err, fs.ErrNotExist) {
					hidden = true
					t.OwnersHidden++
				}
				continue
			}
			ino, ok := socketInode(link)
			if !ok {
				continue
			}
			idx, ok := byInode[ino]
			if !ok {
				continue
			}
			if name == "" {
				name = comm(proc, e.Name())
			}
			p := Process{PID: pid, Name: name}
			for _, i := range idx {
				if !slices.Contains(t.Sockets[i].Processes, p) {
					t.Sockets[i].Processes = append(t.Sockets[i].Processes, p)
				}
			}
		}
	}
	switch {
	case !seenPID:
		t.Notes = append(t.Notes, fmt.Sprintf("%s holds no process folders: the processes holding the sockets are unknown", proc))
	case t.OwnersHidden > 0:
		t.Notes = append(t.Notes, fmt.Sprintf("the open files of %d processes could not be read: sockets they hold show no process (run as root; in a container, with CAP_SYS_PTRACE and the host's PID namespace)", t.OwnersHidden))
	}
	for i := range t.Sockets {
		slices.SortFunc(t.Sockets[i].Processes, func(a, b Process) int { return a.PID - b.PID })
	}
	return nil
}

// socketInode reads the inode of a "socket:[12345]" link.
func socketInode(link string) (uint64, bool) {
	s, ok := strings.CutPrefix(link, "socket:[")
	if !ok {
		return 0, false
	}
	s, ok = strings.CutSuffix(s, "]")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// comm returns a process's name, or "?" when it cannot be read.
func comm(proc, pid string) string {
	b, err := os.ReadFile(filepath.Join(proc, pid, "comm"))
	if err != nil {
		return "?"
	}
	// A process names itself (prctl PR_SET_NAME): keep its name on one
	// line of a report.
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, strings.TrimSuffix(string(b), "\n"))
	if strings.TrimSpace(s) == "" {
		return "?"
	}
	return s
}
