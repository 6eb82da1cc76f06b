package report

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// csvColumns are the CSV's columns: names for programs, the same in every
// language (the purposes are in both).
func csvColumns() []string {
	return []string{"from", "to", "direction", "protocol", "first_port", "last_port", "ports", "group", "purpose_en", "purpose_ru", "source", "origin"}
}

// writeCSV writes one record per row, in document order, after a first
// line that is the generated-file header as a "#" comment (skip one line
// to read the records; see docs/reports.md). RFC 4180: CRLF line ends,
// fields quoted when they hold a comma, a quote or a line end (document
// text never does: it is folded to one line), UTF-8 without a byte-order
// mark. Every text field goes through text.Cell: a purpose that a
// spreadsheet would run as a formula starts with an apostrophe.
func writeCSV(doc *spec.Document) []byte {
	var b bytes.Buffer
	b.Grow(csvSizeHint(doc))
	b.WriteString(text.CSVComment(gen.Header("#", doc)))
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(csvColumns())
	var rule *spec.Rule
	var ports string
	for r := range eachRow(doc) {
		if r.rule != rule {
			rule, ports = r.rule, listedPorts(r.rule.Ports) // once per rule
		}
		first, last := "", ""
		if r.ports != (spec.PortRange{}) {
			first, last = strconv.Itoa(int(r.ports.First)), strconv.Itoa(int(r.ports.Last))
		}
		en, ru := r.rule.Purposes.In("en").Text, r.rule.Purposes.In("ru").Text
		w.Write([]string{
			r.group.From.String(), r.group.To.String(), r.group.Direction.String(), r.rule.Protocol.String(),
			first, last, ports, text.Cell(r.group.ID),
			text.Cell(en), text.Cell(ru), text.Cell(spec.FormatPosition(r.rule.Pos)), r.origin(doc).In("en"),
		})
	}
	w.Flush()
	return b.Bytes()
}

// csvSizeHint guesses the CSV's size, so that its buffer grows once or not
// at all: about 64 bytes a record and its texts.
func csvSizeHint(doc *spec.Document) int {
	n := 4 << 10
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			rec := 64 + len(g.ID) + len(r.Purposes.In("en").Text) + len(r.Purposes.In("ru").Text) + len(r.Pos.Filename) + 8*min(len(r.Ports), 64)
			n += max(1, len(r.Ports)) * rec
		}
	}
	return n
}
