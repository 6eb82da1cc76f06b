package parser

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// detectKind tells the kinds apart: content that starts as HTML does
// (looksLikeHTML), or an .html/.htm name, means HTML; a .yml/.yaml name,
// or a line `groups:` at the start of a line (the data file's only
// top-level key), means data; a text copy's port table header without any
// pipe table (looksLikeText) means text; anything else is markdown.
func detectKind(name string, src []byte) Kind {
	if looksLikeHTML(src) {
		return KindHTML // whatever the name: a page saved as page.yml is still a page
	}
	switch strings.ToLower(path.Ext(nameOnly(name))) {
	case ".yml", ".yaml":
		return KindData
	case ".html", ".htm":
		return KindHTML
	}
	for line := range eachLine(bytes.TrimPrefix(src, utf8BOM)) {
		if bytes.HasPrefix(line, []byte("groups:")) {
			tail := bytes.TrimSpace(line[len("groups:"):])
			if len(tail) == 0 || tail[0] == '#' || tail[0] == '[' {
				return KindData
			}
		}
	}
	if looksLikeText(src) {
		return KindText
	}
	return KindMarkdown
}

// checkText rejects inputs that are not text at all: empty (or blank)
// documents, invalid UTF-8 and NUL bytes. It reports whether reading should
// go on.
func checkText(r *reader) bool {
	src := r.src.src
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, utf8BOM))) == 0 {
		r.errorf(r.src.lineCol(1, 1), "document is empty: expected markdown port tables (Port | Protocol | Purpose) or a deckhouse-ports.yml data file")
		return false
	}
	if loneCR := bytes.Count(src, []byte("\r")) - bytes.Count(src, []byte("\r\n")); loneCR > bytes.Count(src, []byte("\n")) {
		r.errorf(r.src.lineCol(1, 1), "the line ends are CR only (\\r without \\n, as old Mac editors wrote them): the document reads as one line; convert the line ends to LF (or CRLF)")
		return false
	}
	// Report whichever comes first: a NUL byte or a byte that is not UTF-8.
	nul := bytes.IndexByte(src, 0)
	bad := -1
	if !utf8.Valid(src) {
		for i := 0; i < len(src); {
			c, w := utf8.DecodeRune(src[i:])
			if c == utf8.RuneError && w <= 1 {
				bad = i
				break
			}
			i += w
		}
	}
	switch {
	case bad >= 0 && (nul < 0 || bad < nul):
		r.errorf(r.src.pos(bad), "invalid UTF-8 (byte 0x%02x): the document must be UTF-8 text", src[bad])
		return false
	case nul >= 0:
		r.errorf(r.src.pos(nul), "NUL byte: this is a binary file, not a markdown or YAML document")
		return false
	}
	return true
}
