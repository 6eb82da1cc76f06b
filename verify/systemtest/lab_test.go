package systemtest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
)

// The test binary is also the listener: started again (under another
// name, so that its processes are told apart) with envListen set to a list
// of "NETWORK ADDR:PORT" items (tcp, tcp4, tcp6, udp, udp4, udp6; "tcp
// :80" is both families on one socket, as Go listens). It prints "ready" once all
// are bound and serves until its standard input closes: TCP accepts and
// closes, UDP answers every datagram.
const envListen = "PORTSPEC_VERIFY_LISTEN"

func TestMain(m *testing.M) {
	if spec := os.Getenv(envListen); spec != "" {
		os.Exit(listenMain(spec))
	}
	code := m.Run()
	if built != "" {
		os.RemoveAll(filepath.Dir(built))
	}
	os.Exit(code)
}

func listenMain(spec string) int {
	for _, item := range strings.Split(spec, ",") {
		network, addr, _ := strings.Cut(strings.TrimSpace(item), " ")
		switch network {
		case "tcp", "tcp4", "tcp6":
			l, err := net.Listen(network, addr)
			if err != nil {
				fmt.Println("error:", err)
				return 1
			}
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
		case "udp", "udp4", "udp6":
			c, err := net.ListenPacket(network, addr)
			if err != nil {
				fmt.Println("error:", err)
				return 1
			}
			go gentest.EchoUDP(c)
		default:
			fmt.Println("error: bad item", item)
			return 1
		}
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// lab is the namespaces and processes of one test, removed at its end.
type lab struct {
	t      *testing.T
	prefix string
	made   []string
	procs  []*exec.Cmd
	stdins []io.Closer
}

func newLab(t *testing.T) *lab {
	l := &lab{t: t, prefix: fmt.Sprintf("psvf%d-", os.Getpid())}
	t.Cleanup(l.close)
	return l
}

func (l *lab) ns(name string) string { return l.prefix + name }

// run runs a command and fails the test when it fails.
func (l *lab) run(name string, args ...string) {
	l.t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		l.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// add makes a namespace with its loopback up.
func (l *lab) add(name string) {
	l.t.Helper()
	if out, err := exec.Command("ip", "netns", "add", l.ns(name)).CombinedOutput(); err != nil {
		upstream.Missing(l.t, fmt.Sprintf("cannot make a network namespace: %v %s", err, bytes.TrimSpace(out)))
	}
	l.made = append(l.made, l.ns(name))
	l.run("ip", "-n", l.ns(name), "link", "set", "lo", "up")
}

// link joins two namespaces with a veth pair, with an IPv4 and an IPv6
// address at each end.
func (l *lab) link(a, devA, addrA, addr6A, b, devB, addrB, addr6B string) {
	l.t.Helper()
	l.run("ip", "-n", l.ns(a), "link", "add", devA, "type", "veth", "peer", "name", devB, "netns", l.ns(b))
	for _, end := range [][4]string{{a, devA, addrA, addr6A}, {b, devB, addrB, addr6B}} {
		l.run("ip", "-n", l.ns(end[0]), "addr", "add", end[2]+"/24", "dev", end[1])
		l.run("ip", "-n", l.ns(end[0]), "addr", "add", end[3]+"/64", "dev", end[1], "nodad")
		l.run("ip", "-n", l.ns(end[0]), "link", "set", end[1], "up")
	}
}

// listen starts a listener named name in a namespace and returns its pid.
func (l *lab) listen(ns, name string, items ...string) int {
	l.t.Helper()
	self, err := os.Executable()
	if err != nil {
		l.t.Fatal(err)
	}
	bin := filepath.Join(l.t.TempDir(), name)
	copyFile(l.t, self, bin)
	cmd := exec.Command("ip", "netns", "exec", l.ns(ns), bin)
	cmd.Env = append(os.Environ(), envListen+"="+strings.Join(items, ","))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	l.procs = append(l.procs, cmd)
	l.stdins = append(l.stdins, stdin)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		l.t.Fatalf("listener %s in %s: %q %v", name, ns, line, err)
	}
	return cmd.Process.Pid // ip netns exec execs the program: the same pid
}

// close stops the listeners and deletes the namespaces.
func (l *lab) close() {
	for _, c := range l.stdins {
		c.Close()
	}
	for _, c := range l.procs {
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			c.Process.Kill()
			<-done
		}
	}
	for _, n := range slices.Backward(l.made) {
		if out, err := exec.Command("ip", "netns", "del", n).CombinedOutput(); err != nil {
			l.t.Errorf("cleanup: ip netns del %s: %v %s", n, err, out)
		}
	}
}

// portspec runs the built binary inside a namespace and returns its exit
// code and output.
func (l *lab) portspec(ctx context.Context, ns string, args ...string) (int, string, string) {
	l.t.Helper()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", l.ns(ns), binary(l.t)}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			l.t.Fatalf("portspec %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return code, out.String(), errb.String()
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// binary builds cmd/portspec once for the whole test binary.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portspec-verify-bin")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "portspec")
		cmd := exec.Command("go", "build", "-o", built, "./cmd/portspec")
		cmd.Dir = upstream.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/portspec: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
