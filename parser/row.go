package parser

import (
	"go/token"
	"strconv"

	"github.com/portspec/portspec/spec"
)

// row reads one table row into rules of g and reports whether it was read
// without errors. n is the number of columns of the header; prev is the
// line above the row (the delimiter row for the first).
func (m *mdReader) row(g *spec.Group, l, prev mdLine, n int, c tableColumns) bool {
	m.cells = splitRow(l, m.cells)
	if len(m.cells) < n && !endsWithPipe(prev.text) && (len(l.text) == 0 || l.text[0] != '|') {
		// "| 2379 | TCP | etcd clients and" then "peers |": the upper
		// line is a whole row, this one the rest of its last cell.
		m.errorf(m.src.pos(l.off), "row has %s but the header has %d: this line seems to continue the last cell of line %d, which does not end with |: a cell cannot span lines, join the two lines", cellCount(len(m.cells)), n, m.src.pos(prev.off).Line)
		return false
	}
	return m.rowCells(g, m.cells, m.src.pos(l.off), n, c)
}

// rowCells reads the cells of one table row, whatever the form that held
// them (a pipe row, an HTML <tr>, a line of a text copy): each cell's text
// is markdown. pos is the row's position.
func (m *mdReader) rowCells(g *spec.Group, cells []cell, pos token.Position, n int, c tableColumns) bool {
	if len(cells) > n {
		// GFM drops extra cells without a word; a shifted row would lose data.
		x := cells[n]
		m.errorf(m.src.pos(x.off), "row has %s but the header has %d: extra cell %q (remove it, or add a column to the header)", cellCount(len(cells)), n, string(x.text))
		return false
	}
	if len(cells) < n {
		m.errorf(pos, "row has %s but the header has %d: a cell is missing (write an empty cell as %s)", cellCount(len(cells)), n, m.emptyCell())
		return false
	}
	portCell, protoCell, purposeCell := cells[c.port], cells[c.protocol], cells[c.purpose]
	if shifted(c, portCell, protoCell, purposeCell) {
		// The text capture of the rendered page dropped the empty Port cell
		// of the ICMP row and padded the end: "ICMP | ICMP for … | |". The
		// protocol sits in the Port column and the purpose in the Protocol
		// column. This exact shape is read as what it was.
		portCell, protoCell, purposeCell = cell{off: portCell.off}, portCell, protoCell
	}
	if swapped(portCell, protoCell) {
		m.errorf(m.src.pos(portCell.off), "the Port and Protocol cells look swapped (Port %q, Protocol %q): write | %s | %s |", string(portCell.text), string(protoCell.text), string(protoCell.text), string(portCell.text))
		return false
	}
	ok := true
	var ports []spec.PortRange
	if p, single := singlePort(portCell.text); single { // the common case, without a copy of the cell
		ports = m.ports.take(1)
		ports[0] = spec.PortRange{First: p, Last: p}
	} else {
		var msgs []string
		ports, msgs = parsePorts(string(portCell.text))
		for _, msg := range msgs {
			m.errorf(m.src.pos(portCell.off), "%s", msg)
			ok = false
		}
	}
	protos, msg := parseProtocolCell(protoCell.text)
	if msg != "" {
		m.errorf(m.src.pos(protoCell.off), "%s", msg)
		ok = false
	}
	if !ok {
		return false
	}
	md := m.unescapePipes(purposeCell) // trimmed by splitRow
	purpose := spec.Purpose{Text: plainText(md), Markdown: md}
	purposes := m.onePurpose(c.lang, purpose)
	for i, p := range protos {
		r := spec.Rule{
			Protocol: p,
			Ports:    ports,
			Purposes: purposes,
			Pos:      pos,
		}
		if i > 0 {
			r.Ports = m.copyPorts(ports)
		}
		g.Rules = append(g.Rules, r)
	}
	return true
}

// shifted reports whether a row has the capture's column shift: in the
// standard column order, a protocol name in the Port column, something that
// is neither a protocol nor ports in the Protocol column (a purpose), and an
// empty last cell.
func shifted(c tableColumns, port, proto, purpose cell) bool {
	if c.port != 0 || c.protocol != 1 || c.purpose != 2 || len(purpose.text) != 0 {
		return false
	}
	if _, msg := parseProtocol(string(port.text)); msg != "" {
		return false
	}
	_, msg := parseProtocol(string(proto.text))
	return msg != "" && !isPorts(proto)
}

// swapped reports whether the Port cell holds a protocol and the Protocol
// cell ports: the two columns written the wrong way round.
func swapped(port, proto cell) bool {
	if len(port.text) == 0 || port.text[0] < 'A' { // ports, the common case: not a protocol name
		return false
	}
	if _, msg := parseProtocol(string(port.text)); msg != "" {
		return false
	}
	return isPorts(proto)
}

// isPorts reports whether a cell is a valid port list.
func isPorts(c cell) bool {
	ports, msgs := parsePorts(string(c.text))
	return len(msgs) == 0 && len(ports) > 0
}

func cellCount(n int) string {
	if n == 1 {
		return "1 cell"
	}
	return strconv.Itoa(n) + " cells"
}
