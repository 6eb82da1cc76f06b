package parser

import (
	"html"
	"strconv"
	"strings"

	"github.com/portspec/portspec/spec"
)

// rangeDashes are the characters accepted between the two ends of a port
// range. The 2025 data writes U+2011 (as the entity &#8209;) so that a browser
// never breaks "7000‑7999" across lines; people also type en dashes.
const rangeDashes = "-\u2010\u2011\u2012\u2013"

// parsePorts reads a port cell: "" (no ports), "4200", "2379, 2380",
// "7000-7999" or a list of those. Every problem is returned as a message; a
// port that is 0 or a reversed range is left to spec.Validate, which owns
// those rules, so that the two never report the same thing twice.
func parsePorts(cell string) ([]spec.PortRange, []string) {
	// Callers with a []byte cell try singlePort on it first, without a copy.
	if p, ok := singlePort(cell); ok {
		return []spec.PortRange{{First: p, Last: p}}, nil // the common case, fast
	}
	s := strings.TrimSpace(cell)
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	if s == "" || isNoPort(s) {
		return nil, nil
	}
	var out []spec.PortRange
	var errs []string
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			errs = append(errs, "empty entry in port list "+strconv.Quote(s)+": remove the extra comma")
			continue
		}
		first, last, isRange := item, item, false
		if i := strings.IndexAny(item, rangeDashes); i >= 0 {
			isRange = true
			first = strings.TrimSpace(item[:i])
			_, w := firstRune(item[i:])
			last = strings.TrimSpace(item[i+w:])
		}
		f, ok1, msg1 := parsePort(first, item)
		l, ok2, msg2 := parsePort(last, item)
		if !ok1 || !ok2 {
			if msg1 != "" {
				errs = append(errs, msg1)
			}
			if msg2 != "" && (msg2 != msg1 || isRange) {
				errs = append(errs, msg2)
			}
			continue
		}
		out = append(out, spec.PortRange{First: f, Last: l})
	}
	return out, errs
}

// isNoPort reports whether a port cell is a placeholder for "no port",
// as ICMP rows have: the 2025 site prints an em dash, other pages an en
// dash or a hyphen (kubespray's `ICMP | -`).
func isNoPort(s string) bool {
	switch s {
	case "-", "\u2013", "\u2014", "\u2012", "\u2212":
		return true
	}
	return false
}

// singlePort reads a cell that is one port number and nothing else.
func singlePort[T string | []byte](s T) (uint16, bool) {
	if len(s) == 0 || len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return uint16(n), n <= 65535
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// parsePort reads one decimal port number of item.
func parsePort(s, item string) (uint16, bool, string) {
	if s == "" {
		return 0, false, "port range " + strconv.Quote(item) + " lacks a number on one side: write it as 7000-7999"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false, strconv.Quote(s) + " is not a port number: write ports as 443, 80, 443 or 7000-7999"
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n > 65535 {
		return 0, false, "port " + s + " is out of range: ports are 1-65535"
	}
	return uint16(n), true, ""
}

// parseProtocol reads a protocol cell: TCP, UDP, ICMP, or a slash list such
// as TCP/UDP, which becomes one rule per protocol. Case is ignored.
func parseProtocol(cell string) ([]spec.Protocol, string) {
	if ps, ok := oneProtocol(cell); ok {
		return ps, ""
	}
	s := strings.TrimSpace(cell)
	if s == "" {
		return nil, "protocol is empty: use TCP, UDP, ICMP or TCP/UDP"
	}
	var out []spec.Protocol
	for part := range strings.SplitSeq(s, "/") {
		p, ok := spec.ParseProtocol(strings.TrimSpace(part))
		if !ok {
			return nil, "unknown protocol " + strconv.Quote(s) + ": use TCP, UDP, ICMP or TCP/UDP"
		}
		for _, q := range out {
			if q == p {
				return nil, "protocol " + strconv.Quote(s) + " names " + p.String() + " twice"
			}
		}
		out = append(out, p)
	}
	return out, ""
}

// parseProtocolCell is parseProtocol of a cell's bytes, copied only when
// the cell is not one protocol name.
func parseProtocolCell(cell []byte) ([]spec.Protocol, string) {
	if ps, ok := oneProtocol(cell); ok {
		return ps, ""
	}
	return parseProtocol(string(cell))
}

// protocols backs the slices oneProtocol returns: one array for every row,
// each slice capped at its one element (callers only read them).
var protocols = [...]spec.Protocol{spec.TCP, spec.UDP, spec.ICMP}

// oneProtocol reads a cell that is exactly TCP, UDP or ICMP, the common
// case, without allocating.
func oneProtocol[T string | []byte](cell T) ([]spec.Protocol, bool) {
	switch string(cell) {
	case "TCP":
		return protocols[0:1:1], true
	case "UDP":
		return protocols[1:2:2], true
	case "ICMP":
		return protocols[2:3:3], true
	}
	return nil, false
}
