package systemtest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/gentest"
)

// The enforcement test runs this test binary again inside a network
// namespace (`ip netns exec NS <binary>`) as a helper: a listener on many
// ports, or a prober that connects to many. TestMain picks the mode.
const (
	envHelper = "PORTSPEC_NETNS_HELPER"
	envTCP    = "PORTSPEC_NETNS_TCP"
	envUDP    = "PORTSPEC_NETNS_UDP"
)

// probeTimeout bounds one probe; on the namespaces' bridge an allowed
// connection answers in well under a millisecond. A probe that should have
// passed and did not is tried again with retryTimeout, so that a loaded
// machine does not pass for a firewall (a blocked probe that passes needs
// no second look).
const (
	probeTimeout = 700 * time.Millisecond
	retryTimeout = 3 * time.Second
	envTimeout   = "PORTSPEC_NETNS_TIMEOUT"
)

func TestMain(m *testing.M) {
	switch os.Getenv(envHelper) {
	case "listen":
		os.Exit(listenMain())
	case "probe":
		os.Exit(probeMain())
	}
	os.Exit(m.Run())
}

func ports(env string) []int {
	var out []int
	for _, f := range strings.Split(os.Getenv(env), ",") {
		if p, err := strconv.Atoi(f); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// listenMain listens on every TCP port of envTCP (answers "ok" and closes)
// and every UDP port of envUDP (echoes each datagram), prints "ready", and
// serves until its standard input closes.
func listenMain() int {
	for _, p := range ports(envTCP) {
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", p)) // both families
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
				c.Write([]byte("ok"))
				c.Close()
			}
		}()
	}
	for _, p := range ports(envUDP) {
		c, err := net.ListenPacket("udp", fmt.Sprintf(":%d", p))
		if err != nil {
			fmt.Println("error:", err)
			return 1
		}
		go gentest.EchoUDP(c)
	}
	fmt.Println("ready")
	bufio.NewReader(os.Stdin).ReadString(0) // until the parent closes stdin
	return 0
}

// probe is one connection attempt; Port is 0 for ICMP echo.
type probe struct {
	Proto string `json:"proto"`
	Addr  string `json:"addr"`
	Port  int    `json:"port"`
}

// probeMain reads probes as JSON from stdin and writes, as JSON, whether
// each got its answer.
func probeMain() int {
	var ps []probe
	if err := json.NewDecoder(os.Stdin).Decode(&ps); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	res := make([]bool, len(ps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i, p := range ps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			res[i] = try(p, i)
		}()
	}
	wg.Wait()
	json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

func try(p probe, i int) bool {
	timeout := probeTimeout
	if d, err := time.ParseDuration(os.Getenv(envTimeout)); err == nil {
		timeout = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	addr := net.JoinHostPort(p.Addr, strconv.Itoa(p.Port))
	switch p.Proto {
	case "tcp":
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(deadline)
		buf := make([]byte, 2)
		n, _ := c.Read(buf)
		return string(buf[:n]) == "ok"
	case "udp":
		c, err := net.Dial("udp", addr)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(deadline)
		msg := fmt.Sprintf("portspec %d", i)
		if _, err := c.Write([]byte(msg)); err != nil {
			return false
		}
		buf := make([]byte, 64)
		n, err := c.Read(buf)
		return err == nil && string(buf[:n]) == msg
	case "icmp":
		return ping(p.Addr, i, deadline)
	}
	return false
}

// ping sends one ICMP (or ICMPv6) echo request and waits for its reply.
// For ICMPv6 the kernel computes the checksum.
func ping(addr string, i int, deadline time.Time) bool {
	ip := net.ParseIP(addr)
	network, laddr, request, reply := "ip4:icmp", "0.0.0.0", byte(8), byte(0)
	if ip.To4() == nil {
		network, laddr, request, reply = "ip6:ipv6-icmp", "::", 128, 129
	}
	c, err := net.ListenPacket(network, laddr)
	if err != nil {
		return false
	}
	defer c.Close()
	id := (os.Getpid() + i) & 0xffff
	msg := []byte{request, 0, 0, 0, byte(id >> 8), byte(id), 0, 1, 'p', 's'}
	if request == 8 {
		sum := 0
		for j := 0; j < len(msg); j += 2 {
			sum += int(msg[j])<<8 | int(msg[j+1])
		}
		sum = (sum >> 16) + (sum & 0xffff)
		sum = ^(sum + (sum >> 16)) & 0xffff
		msg[2], msg[3] = byte(sum>>8), byte(sum)
	}
	if _, err := c.WriteTo(msg, &net.IPAddr{IP: ip}); err != nil {
		return false
	}
	c.SetDeadline(deadline)
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			return false
		}
		src, _ := from.(*net.IPAddr)
		if n >= 8 && buf[0] == reply && src != nil && src.IP.Equal(ip) && int(buf[4])<<8|int(buf[5]) == id {
			return true
		}
	}
}
