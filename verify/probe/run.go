package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"

	"github.com/portspec/portspec/spec"
)

// State is how one probe ended.
type State string

const (
	Open     State = "open"     // TCP connected, UDP answered, ICMP echo replied
	Closed   State = "closed"   // refused (TCP RST, ICMP port unreachable): reachable, nothing listening
	Filtered State = "filtered" // no answer, or an ICMP unreachable other than port unreachable
	// OpenFiltered: a UDP port that said nothing: open and silent, or
	// filtered; a probe cannot tell.
	OpenFiltered State = "open|filtered"
	// NotTried: the kernel did not let this user send the probe (ICMP
	// without a ping socket or root).
	NotTried State = "not tried"
	Failed   State = "error" // the probe itself failed (no route, …)
)

// answered reports whether the peer's host said anything.
func (s State) answered() bool { return s == Open || s == Closed }

// Result is a probe and how it ended.
type Result struct {
	Probe
	State State
	// Detail says why: "connection refused", "no answer in 1s (2 tries)".
	Detail string
}

// Options bound the probing.
type Options struct {
	// Timeout is how long one try waits for an answer (default 1s).
	Timeout time.Duration
	// Tries is how often a probe without an answer is tried (default 2):
	// a peer's kernel answers a burst of closed UDP ports, then about one
	// a second (net.ipv4.icmp_ratelimit), and a busy network loses a SYN.
	Tries int
	// Concurrency is how many probes are in flight at once (default 16).
	Concurrency int
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Tries <= 0 {
		o.Tries = 2
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	return o
}

// Run tries every probe, at most opt.Concurrency at once, and returns
// the results in the order of probes. It sends traffic to the probes'
// peers only.
func Run(ctx context.Context, probes []Probe, opt Options) []Result {
	opt = opt.withDefaults()
	out := make([]Result, len(probes))
	sem := make(chan struct{}, opt.Concurrency)
	var wg sync.WaitGroup
	for i, p := range probes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i] = try(ctx, p, opt, i)
		}()
	}
	wg.Wait()
	return out
}

// try runs one probe, again while it gets no answer, up to opt.Tries.
func try(ctx context.Context, p Probe, opt Options, seq int) Result {
	var st State
	var detail string
	for n := 1; n <= opt.Tries; n++ {
		if ctx.Err() != nil {
			return Result{p, Failed, "stopped: " + ctx.Err().Error()}
		}
		switch p.Protocol {
		case spec.TCP:
			st, detail = tryTCP(ctx, p.Peer.Addr, p.Port, opt.Timeout)
		case spec.UDP:
			st, detail = tryUDP(ctx, p.Peer.Addr, p.Port, opt.Timeout)
		case spec.ICMP:
			st, detail = tryEcho(ctx, p.Peer.Addr, opt.Timeout, seq)
		default:
			return Result{p, Failed, "protocol " + p.Protocol.String() + " cannot be probed"}
		}
		if st != Filtered && st != OpenFiltered {
			break
		}
		if n == opt.Tries && n > 1 {
			detail += fmt.Sprintf(" (%d tries)", n)
		}
	}
	return Result{p, st, detail}
}

func endpoint(a netip.Addr, port uint16) string {
	return net.JoinHostPort(a.String(), strconv.Itoa(int(port)))
}

func tryTCP(ctx context.Context, a netip.Addr, port uint16, timeout time.Duration) (State, string) {
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", endpoint(a, port))
	if err == nil {
		c.Close()
		return Open, "connected"
	}
	return classify(err, timeout, Filtered)
}

func tryUDP(ctx context.Context, a netip.Addr, port uint16, timeout time.Duration) (State, string) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", endpoint(a, port))
	if err != nil {
		return classify(err, timeout, Filtered)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return Failed, err.Error()
	}
	// An empty datagram: the least a service can misread. A closed port's
	// ICMP port unreachable comes back on this connected socket as
	// ECONNREFUSED on the read.
	if _, err := c.Write(nil); err != nil {
		return classify(err, timeout, OpenFiltered)
	}
	buf := make([]byte, 512)
	if _, err := c.Read(buf); err != nil {
		return classify(err, timeout, OpenFiltered)
	}
	return Open, "answered"
}

// classify maps a probe's error to its state; silent is the state of no
// answer (filtered for TCP, open|filtered for UDP).
func classify(err error, timeout time.Duration, silent State) (State, string) {
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return Closed, "refused: reachable, nothing listening"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return silent, fmt.Sprintf("no answer in %s", timeout)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Filtered, "unreachable (ICMP unreachable, or no neighbour answers): " + errno(err)
	case errors.Is(err, syscall.EPERM), errors.Is(err, syscall.EACCES):
		return Filtered, "refused by this host's own firewall (output chain): " + errno(err)
	}
	return Failed, err.Error()
}

func errno(err error) string {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e.Error()
	}
	return err.Error()
}

// tryEcho sends one ICMP echo request and waits for its reply: through a
// ping socket (no privileges where net.ipv4.ping_group_range allows this
// user's group), else a raw socket (root).
func tryEcho(ctx context.Context, a netip.Addr, timeout time.Duration, seq int) (State, string) {
	v6 := a.Is6()
	nets := [][2]string{{"udp4", "0.0.0.0"}, {"ip4:icmp", "0.0.0.0"}}
	var typ, reply icmp.Type = ipv4.ICMPTypeEcho, ipv4.ICMPTypeEchoReply
	proto := 1
	if v6 {
		nets = [][2]string{{"udp6", "::"}, {"ip6:ipv6-icmp", "::"}}
		typ, reply, proto = ipv6.ICMPTypeEchoRequest, ipv6.ICMPTypeEchoReply, 58
	}
	var c *icmp.PacketConn
	var errs []string
	for _, n := range nets {
		var err error
		if c, err = icmp.ListenPacket(n[0], n[1]); err == nil {
			break
		}
		errs = append(errs, n[0]+": "+errno(err))
	}
	if c == nil {
		return NotTried, fmt.Sprintf("no ICMP socket: %v (allow a ping socket with sysctl net.ipv4.ping_group_range, or run as root)", errs)
	}
	defer c.Close()
	raw := c.LocalAddr().Network() != "udp"
	id := (os.Getpid() + seq) & 0xffff
	msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: id, Seq: seq & 0xffff, Data: []byte("portspec probe")}}
	b, err := msg.Marshal(nil) // ICMPv6: the kernel fills in the checksum
	if err != nil {
		return Failed, err.Error()
	}
	var dst net.Addr = &net.UDPAddr{IP: a.AsSlice()}
	if raw {
		dst = &net.IPAddr{IP: a.AsSlice()}
	}
	if _, err := c.WriteTo(b, dst); err != nil {
		return classify(err, timeout, Filtered)
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.SetReadDeadline(deadline)
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			return classify(err, timeout, Filtered)
		}
		if addrOf(from) != a {
			continue
		}
		m, err := icmp.ParseMessage(proto, buf[:n])
		if err != nil || m.Type != reply {
			continue
		}
		if e, ok := m.Body.(*icmp.Echo); ok && (!raw || e.ID == id) && e.Seq == seq&0xffff {
			return Open, "echo reply"
		}
	}
}

func addrOf(a net.Addr) netip.Addr {
	var ip net.IP
	switch a := a.(type) {
	case *net.UDPAddr:
		ip = a.IP
	case *net.IPAddr:
		ip = a.IP
	}
	addr, _ := netip.AddrFromSlice(ip)
	return addr.Unmap()
}
