package spec

import (
	"fmt"
	"go/scanner"
	"go/token"
	"sort"
)

// Diagnostic is a finding at a position of the input: a warning in
// Document.Warnings, or an error inside an ErrorList.
type Diagnostic struct {
	Pos token.Position
	Msg string
}

func (d Diagnostic) String() string {
	if d.Pos.IsValid() || d.Pos.Filename != "" {
		return fmt.Sprintf("%s: %s", d.Pos, d.Msg)
	}
	return d.Msg
}

// ErrorList collects errors of one document. It is go/scanner's list so that
// every error prints as "file:line:col: message" and sorts by position.
type ErrorList = scanner.ErrorList

// Errors accumulates diagnostics while a document is read or checked.
type Errors struct {
	list scanner.ErrorList
}

// Add records an error at pos.
func (e *Errors) Add(pos token.Position, format string, args ...any) {
	e.list.Add(pos, fmt.Sprintf(format, args...))
}

// Len returns the number of errors recorded.
func (e *Errors) Len() int { return len(e.list) }

// Err returns the errors sorted by position and message, exact repeats
// removed, or nil. Unlike scanner.ErrorList.RemoveMultiples it keeps two
// different errors of one line (two bad values of a flow list) and errors
// without a position (which RemoveMultiples would all take for one).
func (e *Errors) Err() error {
	if len(e.list) == 0 {
		return nil
	}
	e.list.Sort()
	out := e.list[:1]
	for _, x := range e.list[1:] {
		if last := out[len(out)-1]; x.Pos == last.Pos && x.Msg == last.Msg {
			continue
		}
		out = append(out, x)
	}
	e.list = out
	return e.list
}

// SortDiagnostics sorts warnings by position, then message.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return ds[i].Msg < ds[j].Msg
	})
}
