package changes

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// CSV writes the comparison as gen/report writes a document's CSV (RFC
// 4180, CRLF, UTF-8, every text through text.Cell): a first "#" line
// naming the two documents, then one record per change per firewall it
// concerns, in the order of `portspec changes`.
func CSV(r *compare.Report, old, new *spec.Document) []byte {
	var b bytes.Buffer
	b.WriteString(commentLine(old, new))
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write([]string{"firewall", "direction", "action", "severity", "acknowledged", "protocol", "ports", "old_ports",
		"group", "old_group", "peer", "purpose_en", "purpose_ru", "was_en", "was_ru", "source", "old_source", "key"})
	for _, e := range entries(r, old, new) {
		proto, ports, oldPorts := "", "", ""
		if !e.isGroups {
			proto, ports = e.protocol.String(), spec.FormatPorts(e.ports)
			oldPorts = spec.FormatPorts(e.oldPorts)
		}
		var purposes, was [2]string
		for i, code := range []string{"en", "ru"} {
			if e.isGroups {
				break
			}
			if s, in := e.purpose(code); in == code {
				purposes[i] = s
			}
			if s, in, ok := e.was(code); ok && in == code {
				was[i] = s
			}
		}
		if e.isGroups {
			purposes[0] = e.c.Describe()
		}
		w.Write([]string{
			e.role.String(), e.direction.String(), string(e.action), e.severity, strconv.FormatBool(e.acknowledged),
			proto, ports, oldPorts, text.Cell(e.group), text.Cell(e.oldGroup), e.peer.String(),
			text.Cell(purposes[0]), text.Cell(purposes[1]), text.Cell(was[0]), text.Cell(was[1]),
			text.Cell(spec.FormatPosition(e.pos)), text.Cell(spec.FormatPosition(e.oldPos)), text.Cell(e.key),
		})
	}
	w.Flush()
	return b.Bytes()
}

// commentLine is the first line of the CSV: which documents were
// compared.
func commentLine(old, new *spec.Document) string {
	return text.CSVComment(fmt.Sprintf("# portspec changes from %s (sha256 %s) to %s (sha256 %s)", old.Source, old.SHA256, new.Source, new.SHA256))
}
