package golang

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"unicode"

	"github.com/portspec/portspec/spec"
)

// The identifier rules (the override table, names derived from the English
// purpose, the order names are claimed in, the suffix a taken name gets)
// are stated in one place, docs/go-package.md, "Identifiers"; this file
// implements them.

// maxWords caps derived names: the leading words of a purpose are what
// tells rules apart, and short names survive edits to a purpose's tail.
const maxWords = 5

// initialism returns the spelling of a word that Go's naming convention
// writes in capitals (API, SSH, …) or that a project spells its own way.
// A switch, not a map: no package state.
func initialism(lower string) (string, bool) {
	switch lower {
	case "api", "ssh", "dns", "ntp", "vxlan", "icmp", "http", "https", "tcp", "udp",
		"id", "url", "cni", "drbd", "vm", "ip", "bgp", "csi", "rbd", "nfs", "sds",
		"vpn", "tls", "ebpf", "oom", "dvp", "hpe", "s3", "ldap", "smtp", "grpc":
		return strings.ToUpper(lower), true
	case "apiserver":
		return "APIServer", true
	case "metallb":
		return "MetalLB", true
	case "wireguard":
		return "WireGuard", true
	}
	return "", false
}

// filler reports the words dropped from derived names.
func filler(lower string) bool {
	switch lower {
	case "a", "an", "the", "for", "of", "to", "in", "on", "by", "via", "with",
		"and", "or", "over", "from", "between", "at", "its", "is", "are", "used":
		return true
	}
	return false
}

// deriveName turns a purpose into an exported identifier, or "" when the
// purpose has no ASCII letters or digits.
func deriveName(purpose string) string {
	purpose = firstSentence(purpose)
	var words []string
	for _, tok := range strings.Fields(purpose) {
		tok = strings.Trim(tok, "*`_~[](){}\"'.,:;!?")
		if tok == "" || filler(strings.ToLower(tok)) {
			continue
		}
		// Within a token ("kube-apiserver", "node-to-node") every part
		// counts, fillers included, so the compound stays readable.
		for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return r >= unicode.MaxASCII || !isAlnum(r) }) {
			words = append(words, titleWord(part))
		}
		if len(words) >= maxWords {
			words = words[:maxWords]
			break
		}
	}
	name := strings.Join(words, "")
	if name == "" {
		return ""
	}
	if name[0] >= '0' && name[0] <= '9' {
		name = "Port" + name
	}
	for _, p := range []string{"Test", "Example", "Benchmark", "Fuzz"} {
		// A constant must not look like a test function of the package.
		if strings.HasPrefix(name, p) {
			name = "Port" + name
		}
	}
	return name
}

// firstSentence cuts a purpose at its first sentence end, so that a note
// after it ("Note that these ports are configurable…") does not name it.
func firstSentence(s string) string {
	for _, sep := range []string{". ", "; ", ": ", " (", "\n"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return s
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

func titleWord(w string) string {
	if up, ok := initialism(strings.ToLower(w)); ok {
		return up
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// sanitizeIdent makes an exported ASCII identifier from a group id.
func sanitizeIdent(s, fallbackPrefix string) string {
	var b strings.Builder
	for _, r := range s {
		if isAlnum(r) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" || out[0] < 'A' || out[0] > 'Z' {
		out = fallbackPrefix + strings.ToUpper(out[:min(1, len(out))]) + out[min(1, len(out)):]
	}
	return out
}

// isExportedIdent reports whether s is an exported Go identifier in ASCII.
func isExportedIdent(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' || token.IsKeyword(s) {
		return false
	}
	for _, r := range s {
		if !isAlnum(r) && r != '_' {
			return false
		}
	}
	return true
}

// IdentKey is the override key of one port range of a rule:
// "Group/PROTOCOL/port" or "Group/PROTOCOL/first-last".
func IdentKey(groupID string, p spec.Protocol, r spec.PortRange) string {
	b := make([]byte, 0, len(groupID)+16)
	b = append(b, groupID...)
	b = append(b, '/')
	b = append(b, p.String()...)
	b = append(b, '/')
	b = strconv.AppendUint(b, uint64(r.First), 10)
	if !r.Single() {
		b = append(b, '-')
		b = strconv.AppendUint(b, uint64(r.Last), 10)
	}
	return string(b)
}

// names hands out identifiers and remembers who holds each.
type names struct {
	taken map[string]holder
	// suffix is, per base name and kind (a single port, or a range's
	// First/Last pair), the lowest n ≥ 2 for which base_n may be free:
	// every lower one was taken when resolve last looked, and names are
	// never released. Without it, k rules that all need a numbered suffix
	// for one base (rows of one purpose whose ranges start at the same
	// port) would try 2, 3, … k each: k² lookups.
	suffix map[string]int
}

func newNames() *names {
	return &names{taken: map[string]holder{}, suffix: map[string]int{}}
}

// holder is what an identifier names, to choose a telling suffix.
type holder struct {
	group string
	proto spec.Protocol
	port  spec.PortRange
	what  string // for error messages: an override key or "package"
}

func (n *names) free(ids ...string) bool {
	for _, id := range ids {
		if _, ok := n.taken[id]; ok {
			return false
		}
	}
	return true
}

func (n *names) claim(h holder, ids ...string) {
	for _, id := range ids {
		n.taken[id] = h
	}
}

// emitted are the identifiers a base name produces for a port range.
func emitted(base string, r spec.PortRange) []string {
	if r.Single() {
		return []string{base}
	}
	return []string{base + "First", base + "Last"}
}

// resolve returns base, or base with the suffix that tells its rule apart
// from the current holder (see the rules at the top of this file).
func (n *names) resolve(base string, h holder) string {
	if n.free(emitted(base, h.port)...) {
		return base
	}
	var prev holder
	for _, id := range emitted(base, h.port) {
		if p, ok := n.taken[id]; ok {
			prev = p
			break
		}
	}
	var cands []string
	if prev.proto != h.proto {
		cands = append(cands, base+h.proto.String())
	}
	if prev.port != h.port {
		cands = append(cands, fmt.Sprintf("%s%d", base, h.port.First))
	}
	if prev.group != h.group {
		cands = append(cands, base+sanitizeIdent(h.group, "G"))
	}
	if prev.proto != h.proto && prev.port != h.port {
		cands = append(cands, fmt.Sprintf("%s%d%s", base, h.port.First, h.proto))
	}
	for _, c := range cands {
		if n.free(emitted(c, h.port)...) {
			return c
		}
	}
	kind := base
	if !h.port.Single() {
		kind += "\x00range"
	}
	for i := max(2, n.suffix[kind]); ; i++ {
		c := base + "_" + strconv.Itoa(i)
		if n.free(emitted(c, h.port)...) {
			n.suffix[kind] = i
			return c
		}
	}
}
