package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats are the values of --format, in a slice of the caller's own.
func Formats() []string { return []string{"text", "markdown", "json"} }

// Write writes the report in format (text, markdown or json).
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		return r.WriteText(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "json":
		b, err := r.MarshalJSON()
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats(), ", "))
}

// line is a finding in one line, without the kind.
func (f *Finding) line() string {
	var b strings.Builder
	b.WriteString(f.Key())
	if len(f.Where) > 0 {
		b.WriteString(" on " + strings.Join(f.Where, ", "))
	}
	if len(f.Who) > 0 {
		b.WriteString(" by " + strings.Join(f.Who, ", "))
	}
	if f.Rule != nil {
		fmt.Fprintf(&b, " [%s %s→%s] %q", f.Rule.Group, f.Rule.From, f.Rule.To, f.Rule.Purpose)
	}
	return b.String()
}

// stateDetail is a probe's state and why, or the detail alone.
func (f *Finding) stateDetail() string {
	switch {
	case f.State == "":
		return f.Detail
	case f.Detail == "":
		return f.State
	}
	return f.State + ": " + f.Detail
}

func (f *Finding) tag() string {
	if f.Ignored {
		return string(f.Kind) + ", ignored"
	}
	return string(f.Kind)
}

// WriteText writes the report for a terminal or a job's log.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "portspec %s: %s\ndocument: %s\n%s\n", r.Check, r.Subject, r.Document, r.Summary())
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error: %s\n", e)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	info := false
	for i := range r.Findings {
		f := &r.Findings[i]
		if !f.Kind.Failing() && !info {
			info = true
			b.WriteString("\ninformation:\n")
		} else if i == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  %-14s %s\n", f.tag()+":", f.line())
		if d := f.stateDetail(); d != "" {
			fmt.Fprintf(&b, "  %-14s %s\n", "", d)
		}
		if f.Entry != nil {
			fmt.Fprintf(&b, "  %-14s to document it: %s", "", f.Entry)
			if f.Entry.Purpose != "" {
				fmt.Fprintf(&b, " (%s)", f.Entry.Purpose)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the report fit for an issue or a job summary.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**portspec %s:** %s  \n**Document:** `%s`  \n**%s**\n", mdCell(r.Check), mdCell(r.Subject), mdCode(r.Document), mdCell(r.Summary()))
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "\n> **Error:** %s\n", mdCell(e))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n> %s\n", mdCell(n))
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n| Finding | Port | Where | Who | Detail | To document it |\n| --- | --- | --- | --- | --- | --- |\n")
		for i := range r.Findings {
			f := &r.Findings[i]
			detail := f.stateDetail()
			if f.Rule != nil {
				detail = strings.TrimSuffix(fmt.Sprintf("%s %s→%s %q; %s", f.Rule.Group, f.Rule.From, f.Rule.To, f.Rule.Purpose, detail), "; ")
			}
			entry := ""
			if f.Entry != nil {
				entry = "`" + mdCode(f.Entry.String()) + "`"
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", f.tag(), mdCode(f.Key()), mdCell(strings.Join(f.Where, ", ")),
				mdCell(strings.Join(f.Who, ", ")), mdCell(detail), entry)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}

func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "\n", " ", "|", `\|`).Replace(s)
}

type jsonFinding struct {
	Key string `json:"key"`
	Finding
}

// MarshalJSON is the report's published form: what was checked, whether it
// is an answer (verdict) and a yes (clean), and every finding with its key and the entry that would
// document it.
func (r *Report) MarshalJSON() ([]byte, error) {
	fs := make([]jsonFinding, 0, len(r.Findings))
	for _, f := range r.Findings {
		fs = append(fs, jsonFinding{f.Key(), f})
	}
	notes, errs := r.Notes, r.Errors
	if notes == nil {
		notes = []string{}
	}
	if errs == nil {
		errs = []string{}
	}
	return json.MarshalIndent(struct {
		Check    string        `json:"check"`
		Document string        `json:"document"`
		Subject  string        `json:"subject"`
		Checked  int           `json:"checked"`
		Unit     string        `json:"unit"`
		Clean    bool          `json:"clean"`
		Verdict  bool          `json:"verdict"`
		Summary  string        `json:"summary"`
		Errors   []string      `json:"errors"`
		Notes    []string      `json:"notes"`
		Findings []jsonFinding `json:"findings"`
	}{r.Check, r.Document, r.Subject, r.Checked, r.Unit, r.Clean(), r.Verdict(), r.Summary(), errs, notes, fs}, "", "  ")
}
