package parser

import "strings"

// htmlText gathers the text of an element as HTML shows it (white space
// collapsed, blocks apart) twice: as plain text and as markdown. Links are
// kept as their text.
type htmlText struct {
	md, plain strings.Builder
	space     bool   // white space is pending
	breaks    int    // pending break: 1 a line (<br>), 2 a paragraph
	pendingMD string // markdown to write before the next text: openers, a list marker
	code      *strings.Builder
	markers   []string // open emphasis
}

// write adds text, collapsing white space as HTML does.
func (t *htmlText) write(s string) {
	if t.code != nil {
		t.code.WriteString(s)
		return
	}
	for len(s) > 0 {
		i := strings.IndexFunc(s, isHTMLSpace)
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			t.flush()
			t.md.WriteString(escapeMarkdown(s[:i]))
			t.plain.WriteString(s[:i])
		}
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isHTMLSpace(r) })
		if j < 0 {
			j = len(s)
		}
		if j > 0 {
			t.space = true
		}
		s = s[j:]
	}
}

// isHTMLSpace is the white space HTML collapses (not the non-breaking
// space, which a browser keeps).
func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// separate writes the pending break or space, when text came before it.
func (t *htmlText) separate() {
	if t.plain.Len() > 0 {
		switch {
		case t.breaks > 0:
			t.md.WriteString(strings.Repeat("\n", t.breaks))
			t.plain.WriteByte(' ')
		case t.space:
			t.md.WriteByte(' ')
			t.plain.WriteByte(' ')
		}
	}
	t.breaks, t.space = 0, false
}

// flush writes what is pending before the next text: the separator, then
// the openers.
func (t *htmlText) flush() {
	t.separate()
	t.md.WriteString(t.pendingMD)
	t.pendingMD = ""
}

// block ends a paragraph: what follows starts a new one.
func (t *htmlText) block() {
	t.closeAll()
	t.breaks, t.space = 2, false
	t.pendingMD = ""
}

// lineBreak is a <br>: a line break in markdown, a space in text.
func (t *htmlText) lineBreak() {
	if t.plain.Len() > 0 {
		t.breaks = max(t.breaks, 1)
	}
}

// open and close write emphasis around the text between them. The opener
// waits for the first text (emphasis must not start with a space), the
// closer comes right after the last; an element without text writes
// nothing.
func (t *htmlText) open(marker string) {
	if t.code != nil {
		return
	}
	if t.pendingMD == "" {
		t.separate() // the pending space goes before the opener
	}
	t.markers = append(t.markers, marker)
	t.pendingMD += marker
}

func (t *htmlText) close(marker string) {
	n := len(t.markers)
	if n == 0 || t.markers[n-1] != marker || t.code != nil {
		return
	}
	t.markers = t.markers[:n-1]
	if strings.HasSuffix(t.pendingMD, marker) {
		t.pendingMD = strings.TrimSuffix(t.pendingMD, marker) // nothing inside
		return
	}
	t.md.WriteString(marker)
}

// closeAll closes the code span and the emphasis still open.
func (t *htmlText) closeAll() {
	t.closeCode()
	for len(t.markers) > 0 {
		t.close(t.markers[len(t.markers)-1])
	}
}

func (t *htmlText) openCode() {
	if t.code == nil {
		t.code = &strings.Builder{}
	}
}

// closeCode writes the code span gathered since openCode, fenced with more
// backticks than it holds.
func (t *htmlText) closeCode() {
	if t.code == nil {
		return
	}
	raw := t.code.String()
	t.code = nil
	s := strings.Join(strings.FieldsFunc(raw, isHTMLSpace), " ")
	lead := raw != "" && isHTMLSpace(rune(raw[0]))
	trail := raw != "" && isHTMLSpace(rune(raw[len(raw)-1]))
	if s == "" {
		t.space = t.space || lead
		return
	}
	t.space = t.space || lead
	t.flush()
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	t.md.WriteString(fence + pad + s + pad + fence)
	t.plain.WriteString(s)
	t.space = trail
}

// plainText is the element's text as a reader sees it.
func (t *htmlText) plainText() string {
	t.closeCode()
	return strings.TrimSpace(t.plain.String())
}

// markdown is the element's text as markdown.
func (t *htmlText) markdown() string {
	t.closeAll()
	return strings.TrimSpace(t.md.String())
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
