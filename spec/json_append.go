package spec

import (
	"bytes"
	"go/token"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the document's published JSON form to b (MarshalJSON
// returns it), written straight from the model: no copy of the model, no
// re-scan by encoding/json, which for a document of 100,000 rows would be
// most of the cost of `portspec parse --format json`. The bytes are those
// encoding/json gives for the wire structs UnmarshalJSON reads
// (TestAppendJSONMatchesWire and FuzzAppendJSON hold the two together).
func (d *Document) AppendJSON(b []byte) []byte {
	b = append(b, `{"source":`...)
	b = appendJSONString(b, d.Source)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, d.Kind)
	b = append(b, `,"sha256":`...)
	b = appendJSONString(b, d.SHA256)
	b = append(b, `,"languages":[`...)
	for i, l := range d.Languages {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, l)
	}
	b = append(b, `],"groups":[`...)
	var fc fileJSON
	for gi := range d.Groups {
		if gi > 0 {
			b = append(b, ',')
		}
		b = d.appendGroupJSON(b, &d.Groups[gi], nil, &fc)
	}
	b = append(b, `],"warnings":`...)
	b = appendDiagnosticsJSON(b, d.Warnings)
	if len(d.Partial) > 0 {
		b = append(b, `,"partial":`...)
		b = appendDiagnosticsJSON(b, d.Partial)
	}
	return append(b, '}')
}

// appendDiagnosticsJSON appends a list of warnings as a JSON array.
func appendDiagnosticsJSON(b []byte, ds []Diagnostic) []byte {
	b = append(b, '[')
	for i, w := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"pos":`...)
		b = appendPosJSON(b, w.Pos)
		b = append(b, `,"message":`...)
		b = appendJSONString(b, w.Msg)
		b = append(b, '}')
	}
	return append(b, ']')
}

// WriteJSON writes the JSON form (AppendJSON) to w, group by group, so that
// the whole output never sits in memory at once. It adds no newline.
func (d *Document) WriteJSON(w io.Writer) error {
	// The document without groups, split where the groups go.
	head := *d
	head.Groups = nil
	shell := head.AppendJSON(nil)
	const marker = `"groups":[`
	cut := bytes.Index(shell, []byte(marker)) + len(marker)
	// Flushed at 32 KiB; the slack holds the rule that crosses the mark.
	buf := append(make([]byte, 0, 40<<10), shell[:cut]...)
	var werr error
	flush := func(b []byte) []byte {
		if len(b) < 32<<10 || werr != nil {
			return b
		}
		_, werr = w.Write(b)
		return b[:0]
	}
	var fc fileJSON
	for gi := range d.Groups {
		if gi > 0 {
			buf = append(buf, ',')
		}
		buf = d.appendGroupJSON(buf, &d.Groups[gi], flush, &fc)
	}
	buf = append(buf, shell[cut:]...)
	if werr != nil {
		return werr
	}
	_, err := w.Write(buf)
	return err
}

// appendGroupJSON appends one group; flush, when not nil, is called after
// each rule and may write out and empty the buffer. fc encodes the rules'
// file names.
func (d *Document) appendGroupJSON(b []byte, g *Group, flush func([]byte) []byte, fc *fileJSON) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, g.ID)
	b = append(b, `,"known":`...)
	b = strconv.AppendBool(b, g.Known)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, g.Title(d.Languages...))
	b = append(b, `,"titles":{`...)
	for i, l := range sortedKeys(g.Titles) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, l)
		b = append(b, ':')
		b = appendJSONString(b, g.Titles[l])
	}
	b = append(b, `},"from":`...)
	b = appendJSONString(b, g.From.String())
	b = append(b, `,"to":`...)
	b = appendJSONString(b, g.To.String())
	b = append(b, `,"direction":`...)
	b = appendJSONString(b, g.Direction.String())
	b = append(b, `,"pos":`...)
	b = appendPosJSON(b, g.Pos)
	b = append(b, `,"rules":[`...)
	for ri := range g.Rules {
		if ri > 0 {
			b = append(b, ',')
		}
		b = d.appendRuleJSON(b, &g.Rules[ri], fc)
		if flush != nil {
			b = flush(b)
		}
	}
	return append(b, "]}"...)
}

func (d *Document) appendRuleJSON(b []byte, r *Rule, fc *fileJSON) []byte {
	p := r.PurposeIn(d.Languages...)
	b = append(b, `{"protocol":`...)
	b = appendJSONString(b, r.Protocol.String())
	b = append(b, `,"ports":`...)
	b = appendPortsJSON(b, r.Ports)
	// A rule's texts repeat: "purpose" is one of "purposes", and a plain
	// purpose's text is its markdown. Each is encoded once and copied.
	b = append(b, `,"purpose":`...)
	t := jsonSpan{s: p.Text, from: len(b)}
	b = appendJSONString(b, p.Text)
	t.to = len(b)
	b = append(b, `,"purposeMarkdown":`...)
	m := jsonSpan{s: p.Markdown, from: len(b)}
	b = appendJSONStringOf(b, p.Markdown, t, t)
	m.to = len(b)
	b = append(b, `,"purposes":{`...)
	i := 0
	for l, pp := range r.Purposes.All() { // ordered by language, as encoding/json orders a map's keys
		if i > 0 {
			b = append(b, ',')
		}
		i++
		b = appendJSONString(b, l)
		b = append(b, `:{"text":`...)
		b = appendJSONStringOf(b, pp.Text, t, m)
		b = append(b, `,"markdown":`...)
		b = appendJSONStringOf(b, pp.Markdown, m, t)
		b = append(b, '}')
	}
	b = append(b, `},"pos":`...)
	b = fc.appendPos(b, r.Pos)
	if s := r.Site; s != nil {
		b = append(b, `,"site":{"action":`...)
		b = appendJSONString(b, string(s.Action))
		b = append(b, `,"pos":`...)
		b = appendPosJSON(b, s.Pos)
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, s.Reason)
		if len(s.DocumentPorts) > 0 {
			b = append(b, `,"documentPorts":`...)
			b = appendPortsJSON(b, s.DocumentPorts)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// jsonSpan is a string s whose JSON form is b[from:to] of the buffer being
// written.
type jsonSpan struct {
	s        string
	from, to int
}

// appendJSONStringOf appends s as a JSON string, copying its form from the
// buffer when it is the string of x or of y.
func appendJSONStringOf(b []byte, s string, x, y jsonSpan) []byte {
	switch s {
	case x.s:
		return append(b, b[x.from:x.to]...)
	case y.s:
		return append(b, b[y.from:y.to]...)
	}
	return appendJSONString(b, s)
}

// fileJSON is appendPosJSON for the positions of the rules, which nearly
// all name one file: its name is encoded once.
type fileJSON struct {
	name string
	enc  []byte // the JSON string of name without its closing quote
	set  bool
}

func (fc *fileJSON) appendPos(b []byte, p token.Position) []byte {
	if p.Filename == "" || !p.IsValid() {
		return appendPosJSON(b, p)
	}
	if !fc.set || p.Filename != fc.name {
		fc.name, fc.set = p.Filename, true
		fc.enc = appendJSONString(fc.enc[:0], p.Filename)
		fc.enc = fc.enc[:len(fc.enc)-1]
	}
	return appendLineCol(append(b, fc.enc...), p)
}

// appendPortsJSON appends port ranges as a JSON array of {first, last}.
func appendPortsJSON(b []byte, rs []PortRange) []byte {
	b = append(b, '[')
	for i, pr := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"first":`...)
		b = strconv.AppendUint(b, uint64(pr.First), 10)
		b = append(b, `,"last":`...)
		b = strconv.AppendUint(b, uint64(pr.Last), 10)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendPosJSON appends FormatPosition(p) as a JSON string without building it.
func appendPosJSON(b []byte, p token.Position) []byte {
	if p.Filename == "" && p.Line == 0 {
		return append(b, `""`...)
	}
	if !p.IsValid() || p.Filename == "" {
		return appendJSONString(b, p.String()) // rare: keep token's own rules
	}
	b = appendJSONString(b, p.Filename)
	return appendLineCol(b[:len(b)-1], p) // the string reopened
}

// appendLineCol ends the JSON string of a position: ":line:col" (":line"
// without a column) and the closing quote.
func appendLineCol(b []byte, p token.Position) []byte {
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(p.Line), 10)
	if p.Column != 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(p.Column), 10)
	}
	return append(b, '"')
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes encoding/json writes as they are: ASCII but
// control characters, the quote, the backslash and the HTML characters.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString quotes s exactly as encoding/json does by default (HTML
// characters escaped, invalid UTF-8 replaced, U+2028 and U+2029 escaped).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	// valid is whether s is valid UTF-8, then only U+2028/9 need a look
	// among multi-byte runes; checked at the first one (an ASCII prefix is
	// valid), so that ASCII text is read once.
	valid, checked := false, false
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		if !checked {
			valid, checked = utf8.ValidString(s[i:]), true
		}
		if valid && c != 0xE2 {
			i++ // a byte of a valid rune that is not U+2028/9
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
