package verify

import (
	"fmt"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Ignore is the --ignore list: findings a site knows about and accepts.
type Ignore struct {
	entries []ignoreEntry
}

type ignoreEntry struct {
	protocol string // "" for any
	ports    spec.PortRange
}

// ParseIgnore reads --ignore values: a finding's key ("TCP/8080"), a port
// or range with or without a protocol ("8080", "8080/udp", "30000-32767",
// "udp/9999"). Each value may hold several, comma-separated.
func ParseIgnore(values []string) (Ignore, error) {
	var ig Ignore
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			e, err := parseIgnoreEntry(item)
			if err != nil {
				return Ignore{}, err
			}
			ig.entries = append(ig.entries, e)
		}
	}
	return ig, nil
}

func parseIgnoreEntry(item string) (ignoreEntry, error) {
	proto, ports := "", item
	if a, b, ok := strings.Cut(item, "/"); ok {
		switch {
		case isProtocolName(a):
			proto, ports = a, b
		case isProtocolName(b):
			proto, ports = b, a
		default:
			return ignoreEntry{}, fmt.Errorf("--ignore %q: want a port, a range or PROTOCOL/PORT (TCP/8080, 8080/udp, 30000-32767)", item)
		}
	}
	r, err := spec.ParsePortRange(ports)
	if err != nil {
		return ignoreEntry{}, fmt.Errorf("--ignore %q: %v", item, err)
	}
	return ignoreEntry{strings.ToUpper(proto), r}, nil
}

// isProtocolName: the document's protocols and SCTP, which a cluster's
// workloads may serve.
func isProtocolName(s string) bool {
	_, ok := spec.ParseProtocol(s)
	return ok || strings.EqualFold(s, "SCTP")
}

// matches reports whether the list names protocol/ports.
func (ig Ignore) matches(protocol string, port uint16) bool {
	for _, e := range ig.entries {
		if (e.protocol == "" || strings.EqualFold(e.protocol, protocol)) && e.ports.Contains(port) {
			return true
		}
	}
	return false
}
