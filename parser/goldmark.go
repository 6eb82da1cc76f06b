package parser

import (
	"sync"

	"github.com/yuin/goldmark/ast"
	gmparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newBlockParser returns a goldmark parser that does block structure only:
// headings, lists, quotes, code and HTML blocks, paragraphs. It has no inline
// parsers and turns every paragraph into a rawParagraph, which goldmark's
// inline pass skips, because portspec reads table rows itself from the
// paragraph's line segments (exact columns, every cell, see table.go).
// Inline parsing of every cell is most of what a full goldmark parse costs.
// There is no table extension either: its paragraph transformer drops extra
// cells, gives missing cells no position and leaves a table whose header and
// delimiter row disagree as a plain paragraph, all silently.
//
// It is built once: a goldmark parser holds no state between parses (goldmark
// itself shares one for its package-level Convert), and building it costs
// more than parsing the whole default document.
var blockParser = sync.OnceValue(newBlockParser)

func newBlockParser() gmparser.Parser {
	blocks := gmparser.DefaultBlockParsers()
	for i, b := range blocks {
		if b.Value == gmparser.NewParagraphParser() {
			blocks[i].Value = paragraphParser{gmparser.NewParagraphParser()}
		}
	}
	return gmparser.NewParser(
		gmparser.WithBlockParsers(blocks...),
		gmparser.WithParagraphTransformers(util.Prioritized(rawParagraphs{}, 100)),
	)
}

// paragraphParser is goldmark's paragraph parser, which appends each line
// to the paragraph's list of lines, with the list given room in bigger
// steps: a port table is one paragraph of as many lines as rows, and
// append's growth of a large slice (a quarter at a time) allocates about
// five times the final list on the way, most of a large document's
// garbage after the rules'.
type paragraphParser struct{ gmparser.BlockParser }

func (p paragraphParser) Continue(node ast.Node, reader text.Reader, pc gmparser.Context) gmparser.State {
	if lines := node.Lines(); lines.Len() >= 1024 && lines.Len()&(lines.Len()-1) == 0 {
		// At 1024, 2048, 4096, … lines: the lines appended to themselves
		// and cut back leave room for as many again (goldmark's Segments
		// has no other way to reserve room).
		n := lines.Len()
		lines.AppendAll(lines.Sliced(0, n))
		lines.SetSliced(0, n)
	}
	return p.BlockParser.Continue(node, reader, pc)
}

// rawParagraph is a paragraph kept as its source lines.
type rawParagraph struct {
	ast.BaseBlock
}

var kindRawParagraph = ast.NewNodeKind("PortspecRawParagraph")

func (n *rawParagraph) Kind() ast.NodeKind { return kindRawParagraph }
func (n *rawParagraph) IsRaw() bool        { return true }
func (n *rawParagraph) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, nil, nil)
}

// rawParagraphs replaces each paragraph, when goldmark closes it, by a
// rawParagraph with the same lines, except a paragraph that a setext
// underline ("===" or "---") on the current line is about to make a
// heading: goldmark asks the transformers first, and a paragraph they
// replace makes it give the heading up (readMarkdown reads a paragraph
// left as it is like a raw one).
type rawParagraphs struct{}

func (rawParagraphs) Transform(p *ast.Paragraph, reader text.Reader, _ gmparser.Context) {
	if line, _ := reader.PeekLine(); isSetextBar(line) {
		return
	}
	raw := &rawParagraph{}
	raw.SetLines(p.Lines())
	p.Parent().ReplaceChild(p.Parent(), p, raw)
}

// isSetextBar reports whether a line is a setext heading's underline: up to
// three spaces, a run of = or of -, trailing blanks.
func isSetextBar(line []byte) bool {
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] != '=' && line[i] != '-' {
		return false
	}
	c := line[i]
	for i < len(line) && line[i] == c {
		i++
	}
	for ; i < len(line); i++ {
		switch line[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}
