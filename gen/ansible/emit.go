package ansible

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The rules under portspec_rules are most of the vars file and the only
// part that grows with the document. yaml.v3 encodes them through
// reflection and its emitter's state machine, a third of the Ansible
// target's time on the real document; ruleWriter writes them directly, in
// the bytes yaml.v3 writes (TestMarshalMatchesWholeDocument and the fuzz
// targets compare both). What it writes itself is the layout, which is
// fixed by the types: keys, indents, flow lists, !unsafe "…" scalars with
// the emitter's escapes (doubleQuoted). Every other string's form, plain or
// quoted, is asked of yaml.v3 once per distinct string (scalars); a form
// that is not one line makes the rule fall back to yaml.v3 (chunker).

// ruleWriter writes rules, remembering yaml.v3's form of each plain string.
type ruleWriter struct {
	block map[string]string // a string as a block mapping value or list item
	flow  map[string]string // a string as an item of a flow list
	c     *chunker
	// fallbacks counts the rules written through yaml.v3 (tests).
	fallbacks int
}

func newRuleWriter(c *chunker) *ruleWriter {
	return &ruleWriter{block: map[string]string{}, flow: map[string]string{}, c: c}
}

// write appends rule r as an item of a block list whose dash is at indent
// (yaml.v3's bytes), through yaml.v3 when ruleWriter cannot.
func (w *ruleWriter) write(b *bytes.Buffer, indent string, r *Rule) error {
	start := b.Len()
	if w.direct(b, indent, r) {
		return nil
	}
	b.Truncate(start)
	w.fallbacks++
	return w.c.encode(b, indent, []Rule{*r})
}

// direct writes r, or reports false when a string of it has no one-line
// form (the caller then drops what was written).
func (w *ruleWriter) direct(b *bytes.Buffer, indent string, r *Rule) bool {
	in := indent + "  " // the keys of the item
	b.WriteString(indent)
	b.WriteString("- name: ")
	doubleQuoted(b, string(r.Name))
	w.unsafe(b, in, "group", r.Group)
	ok := w.plain(b, in, "direction", r.Direction)
	w.unsafe(b, in, "purpose", r.Purpose)
	ok = ok && w.plain(b, in, "protocol", r.Protocol)
	b.WriteString(in)
	b.WriteString("ports: [")
	for i, p := range r.Ports {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{first: ")
		b.WriteString(strconv.Itoa(int(p.First)))
		b.WriteString(", last: ")
		b.WriteString(strconv.Itoa(int(p.Last)))
		b.WriteByte('}')
	}
	b.WriteString("]\n")
	ok = ok && w.plain(b, in, "from", r.From) && w.plain(b, in, "to", r.To) &&
		w.flowList(b, in, "sources", r.Sources)
	b.WriteString(in)
	if len(r.Clients) == 0 {
		b.WriteString("clients: []\n")
	} else {
		b.WriteString("clients:\n")
		for _, c := range r.Clients {
			b.WriteString(in)
			b.WriteString("  - ")
			doubleQuoted(b, string(c))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString(in)
		b.WriteString("notes:\n")
		for _, n := range r.Notes {
			s, one := w.scalar(n, false)
			if !one {
				return false
			}
			b.WriteString(in)
			b.WriteString("  - ")
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	if r.Site != "" {
		w.unsafe(b, in, "site", r.Site)
	}
	ok = ok && w.flowList(b, in, "firewalld", r.Firewalld) && w.flowList(b, in, "ufw", r.Ufw) &&
		w.flowList(b, in, "iptables", r.Iptables) && w.flowList(b, in, "nftables", r.Nftables)
	if !ok {
		return false
	}
	if r.ICMP == nil {
		return true
	}
	i := r.ICMP
	b.WriteString(in)
	b.WriteString("icmp:\n")
	in2, in3, in4 := in+"  ", in+"    ", in+"      "
	ok = w.plain(b, in2, "firewalld", i.Firewalld) && w.plain(b, in2, "ufw", i.Ufw)
	b.WriteString(in2)
	b.WriteString("iptables:\n")
	for _, f := range []struct {
		key string
		p   IptablesParams
	}{{"ipv4", i.Iptables.IPv4}, {"ipv6", i.Iptables.IPv6}} {
		b.WriteString(in3)
		b.WriteString(f.key)
		b.WriteString(":\n")
		ok = ok && w.plain(b, in4, "protocol", f.p.Protocol) && w.plain(b, in4, "icmp_type", f.p.ICMPType)
	}
	b.WriteString(in2)
	b.WriteString("nftables:\n")
	return ok && w.plain(b, in3, "ipv4", i.Nftables.IPv4) && w.plain(b, in3, "ipv6", i.Nftables.IPv6)
}

// unsafe writes `key: !unsafe "…"` at indent.
func (w *ruleWriter) unsafe(b *bytes.Buffer, indent, key string, u Unsafe) {
	b.WriteString(indent)
	b.WriteString(key)
	b.WriteString(": ")
	doubleQuoted(b, string(u))
}

// plain writes `key: value` at indent, value in yaml.v3's form.
func (w *ruleWriter) plain(b *bytes.Buffer, indent, key, v string) bool {
	s, ok := w.scalar(v, false)
	if !ok {
		return false
	}
	b.WriteString(indent)
	b.WriteString(key)
	b.WriteString(": ")
	b.WriteString(s)
	b.WriteByte('\n')
	return true
}

// flowList writes `key: [a, b]` at indent.
func (w *ruleWriter) flowList(b *bytes.Buffer, indent, key string, vs []string) bool {
	b.WriteString(indent)
	b.WriteString(key)
	b.WriteString(": [")
	for i, v := range vs {
		s, ok := w.scalar(v, true)
		if !ok {
			return false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	b.WriteString("]\n")
	return true
}

// scalar is yaml.v3's form of the string v in a flow list or as a block
// value, or false when that form is not one line.
func (w *ruleWriter) scalar(v string, flow bool) (string, bool) {
	memo := w.block
	if flow {
		memo = w.flow
	}
	if s, ok := memo[v]; ok {
		return s, s != ""
	}
	s, known := knownForm(v)
	if !known {
		s = askYAML(v, flow)
	}
	memo[v] = s
	return s, s != ""
}

// knownForm is yaml.v3's form of the two kinds of string most of the
// vars are, without asking it (FuzzKnownForm compares with askYAML): a
// lower-case word (with digits and dashes) that YAML reads as a string is
// plain; up to 18 digits alone, which YAML reads as a number, are
// double-quoted. Neither holds a character that changes in a flow list.
func knownForm(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	digits, word := true, v[0] >= 'a' && v[0] <= 'z'
	for i := 0; i < len(v); i++ {
		c := v[i]
		digits = digits && c >= '0' && c <= '9'
		word = word && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')
	}
	switch {
	case digits && len(v) <= 18:
		// An int64 to YAML (more digits may be too large for any number
		// type, and then yaml.v3 writes them plain).
		return `"` + v + `"`, true
	case word:
		switch v {
		case "y", "n", "yes", "no", "on", "off", "true", "false", "null":
			return "", false // booleans and null to YAML
		}
		return v, true
	}
	return "", false
}

// prepare asks yaml.v3 the form of every string of rules that knownForm
// does not know, in one document per context instead of one encoder per
// string (each yaml.v3 encoder costs some kilobytes to set up).
func (w *ruleWriter) prepare(rules map[string][]Rule) {
	var block, flow []string
	add := func(list *[]string, memo map[string]string, vs ...string) {
		for _, v := range vs {
			if _, ok := memo[v]; ok {
				continue
			}
			if f, ok := knownForm(v); ok {
				memo[v] = f
				continue
			}
			memo[v] = "" // not one line until asked
			*list = append(*list, v)
		}
	}
	for _, rs := range rules {
		for i := range rs {
			r := &rs[i]
			add(&block, w.block, r.Direction, r.Protocol, r.From, r.To)
			add(&block, w.block, r.Notes...)
			if r.ICMP != nil {
				add(&block, w.block, r.ICMP.Firewalld, r.ICMP.Ufw, r.ICMP.Iptables.IPv4.Protocol, r.ICMP.Iptables.IPv4.ICMPType,
					r.ICMP.Iptables.IPv6.Protocol, r.ICMP.Iptables.IPv6.ICMPType, r.ICMP.Nftables.IPv4, r.ICMP.Nftables.IPv6)
			}
			for _, l := range [][]string{r.Sources, r.Firewalld, r.Ufw, r.Iptables, r.Nftables} {
				add(&flow, w.flow, l...)
			}
		}
	}
	for _, c := range []struct {
		list []string
		memo map[string]string
		flow bool
	}{{block, w.block, false}, {flow, w.flow, true}} {
		forms := askBatch(c.list, c.flow)
		for i, v := range c.list {
			if forms == nil {
				delete(c.memo, v) // scalar asks for it alone
			} else {
				c.memo[v] = forms[i]
			}
		}
	}
}

// flowItem holds one string in a flow list, as the rules' lists are.
type flowItem struct {
	K []string `yaml:"k,flow"`
}

// askBatch is askYAML for many strings in one document: a block list of
// them ("- X" per item), or of one-item flow lists ("- k: [X]"). An item
// of more than one line has no one-line form (""); nil when the document
// is not read as expected (the caller then asks string by string).
func askBatch(vs []string, flow bool) []string {
	if len(vs) == 0 {
		return nil
	}
	var doc any = vs
	prefix, suffix := "- ", ""
	if flow {
		items := make([]flowItem, len(vs))
		for i, v := range vs {
			items[i] = flowItem{[]string{v}}
		}
		doc, prefix, suffix = items, "- k: [", "]"
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil
	}
	var forms []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasPrefix(line, "- ") {
			if len(forms) == 0 {
				return nil
			}
			forms[len(forms)-1] = "" // a continuation: more than one line
			continue
		}
		f, ok := strings.CutPrefix(line, prefix)
		if ok {
			f, ok = strings.CutSuffix(f, suffix)
		}
		if !ok || f == "" {
			return nil
		}
		if multiLine(f) {
			f = "" // a line break of its own: more than one line
		}
		forms = append(forms, f)
	}
	if len(forms) != len(vs) {
		return nil
	}
	return forms
}

// askYAML encodes v where scalar needs it and cuts its form out of the
// result; "" when it is not one line.
func askYAML(v string, flow bool) string {
	var doc any = map[string]string{"k": v}
	prefix, suffix := "k: ", "\n"
	if flow {
		doc = struct {
			K []string `yaml:"k,flow"`
		}{[]string{v}}
		prefix, suffix = "k: [", "]\n"
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return ""
	}
	s, ok := strings.CutPrefix(string(out), prefix)
	if !ok {
		return ""
	}
	if s, ok = strings.CutSuffix(s, suffix); !ok || s == "" || multiLine(s) {
		return ""
	}
	return s
}

// multiLine reports whether a form holds a line break as YAML knows them
// (LF, CR, NEL, LS, PS): its indentation then depends on where it is.
func multiLine(s string) bool { return strings.ContainsAny(s, "\n\r\u0085\u2028\u2029") }

// doubleQuoted writes !unsafe "v" and a line break as yaml.v3 writes
// Unsafe(v) (gopkg.in/yaml.v3 emitterc.go,
// yaml_emitter_write_double_quoted_scalar, with unicode output and no line
// width): v made valid UTF-8 first, as Unsafe.MarshalYAML does; then every
// rune that is not printable, a line break, '"', '\\' or, when v begins
// with a byte order mark, every rune at all (the emitter tests the mark at
// the start of the value, not at the rune) escaped.
func doubleQuoted(b *bytes.Buffer, v string) {
	v = validText(v)
	b.WriteString(`!unsafe "`)
	bom := strings.HasPrefix(v, "\uFEFF")
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		if !bom && printable(r) && !lineBreak(r) && r != '"' && r != '\\' {
			b.WriteString(v[i : i+n])
			i += n
			continue
		}
		i += n
		b.WriteByte('\\')
		switch r {
		case 0x00:
			b.WriteByte('0')
		case 0x07:
			b.WriteByte('a')
		case 0x08:
			b.WriteByte('b')
		case 0x09:
			b.WriteByte('t')
		case 0x0A:
			b.WriteByte('n')
		case 0x0B:
			b.WriteByte('v')
		case 0x0C:
			b.WriteByte('f')
		case 0x0D:
			b.WriteByte('r')
		case 0x1B:
			b.WriteByte('e')
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 0x85:
			b.WriteByte('N')
		case 0xA0:
			b.WriteByte('_')
		case 0x2028:
			b.WriteByte('L')
		case 0x2029:
			b.WriteByte('P')
		default:
			digits := 8
			switch {
			case r <= 0xFF:
				b.WriteByte('x')
				digits = 2
			case r <= 0xFFFF:
				b.WriteByte('u')
				digits = 4
			default:
				b.WriteByte('U')
			}
			for k := (digits - 1) * 4; k >= 0; k -= 4 {
				b.WriteByte("0123456789ABCDEF"[(r>>uint(k))&0xF])
			}
		}
	}
	b.WriteString("\"\n")
}

// printable is the emitter's is_printable on a valid rune: LF, ASCII
// 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD without U+FEFF. Runes above
// U+FFFF are not printable for it (it escapes them).
func printable(r rune) bool {
	switch {
	case r == 0x0A, r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	}
	return false
}

// lineBreak is the emitter's is_break: CR, LF, NEL, LS, PS.
func lineBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}
