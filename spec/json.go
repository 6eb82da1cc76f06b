package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"strings"
)

// The JSON form of the model is published as a JSON Schema in
// schema/document.schema.json; TestJSONMatchesSchema keeps the two in step.

type jsonDocument struct {
	Source    string        `json:"source"`
	Kind      string        `json:"kind"`
	SHA256    string        `json:"sha256"`
	Languages []string      `json:"languages"`
	Groups    []jsonGroup   `json:"groups"`
	Warnings  []jsonWarning `json:"warnings"`
	Partial   []jsonWarning `json:"partial,omitempty"`
}

type jsonGroup struct {
	ID        string            `json:"id"`
	Known     bool              `json:"known"`
	Title     string            `json:"title"`
	Titles    map[string]string `json:"titles"`
	From      string            `json:"from"`
	To        string            `json:"to"`
	Direction string            `json:"direction"`
	Pos       string            `json:"pos"`
	Rules     []jsonRule        `json:"rules"`
}

type jsonRule struct {
	Protocol        string                 `json:"protocol"`
	Ports           []jsonPorts            `json:"ports"`
	Purpose         string                 `json:"purpose"`
	PurposeMarkdown string                 `json:"purposeMarkdown"`
	Purposes        map[string]jsonPurpose `json:"purposes"`
	Pos             string                 `json:"pos"`
	Site            *jsonSite              `json:"site,omitempty"`
}

type jsonSite struct {
	Action        string      `json:"action"`
	Pos           string      `json:"pos"`
	Reason        string      `json:"reason"`
	DocumentPorts []jsonPorts `json:"documentPorts,omitempty"`
}

type jsonPorts struct {
	First uint16 `json:"first"`
	Last  uint16 `json:"last"`
}

type jsonPurpose struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type jsonWarning struct {
	Pos     string `json:"pos"`
	Message string `json:"message"`
}

// MarshalJSON writes the document in its published JSON form. Enumerations
// are strings, positions are "file:line:col", and "purpose" is the plain
// text in the document's first language. It is AppendJSON; the json* wire
// structs above are what UnmarshalJSON reads.
func (d *Document) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(nil), nil
}

// UnmarshalJSON reads the published JSON form back into the model. It is
// strict: an unknown key (a renamed "groups") is an error, never a model
// that silently lost what the key held. A form that decodes may still be an
// invalid model (no groups at all): Validate says.
func (d *Document) UnmarshalJSON(b []byte) error {
	var jd jsonDocument
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jd); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the document's JSON object")
	}
	*d = Document{Source: jd.Source, Kind: jd.Kind, SHA256: jd.SHA256, Languages: jd.Languages}
	for _, w := range jd.Warnings {
		pos, err := ParsePosition(w.Pos)
		if err != nil {
			return err
		}
		d.Warnings = append(d.Warnings, Diagnostic{pos, w.Message})
	}
	for _, w := range jd.Partial {
		pos, err := ParsePosition(w.Pos)
		if err != nil {
			return err
		}
		d.Partial = append(d.Partial, Diagnostic{pos, w.Message})
	}
	roles, protocols := Roles(), Protocols()
	for _, jg := range jd.Groups {
		g := Group{ID: jg.ID, Known: jg.Known, Titles: jg.Titles}
		var err error
		if g.From, err = parseEnum(jg.From, roles, RoleUnknown); err != nil {
			return err
		}
		if g.To, err = parseEnum(jg.To, roles, RoleUnknown); err != nil {
			return err
		}
		if g.Direction, err = parseEnum(jg.Direction, []Direction{Ingress, Egress}, DirectionUnknown); err != nil {
			return err
		}
		if g.Pos, err = ParsePosition(jg.Pos); err != nil {
			return err
		}
		for _, jr := range jg.Rules {
			var r Rule
			if r.Protocol, err = parseEnum(jr.Protocol, protocols, ProtocolUnknown); err != nil {
				return err
			}
			for _, p := range jr.Ports {
				r.Ports = append(r.Ports, PortRange(p))
			}
			list := make([]LangPurpose, 0, len(jr.Purposes))
			for l, p := range jr.Purposes {
				list = append(list, LangPurpose{l, Purpose(p)})
			}
			r.Purposes = MakePurposes(list)
			if r.Pos, err = ParsePosition(jr.Pos); err != nil {
				return err
			}
			if r.Site, err = jr.Site.site(); err != nil {
				return err
			}
			g.Rules = append(g.Rules, r)
		}
		d.Groups = append(d.Groups, g)
	}
	return nil
}

// site reads a rule's "site" member back (nil when absent).
func (js *jsonSite) site() (*SiteChange, error) {
	if js == nil {
		return nil, nil
	}
	s := &SiteChange{Action: SiteAction(js.Action), Reason: js.Reason}
	if s.Action != SiteAdded && s.Action != SiteReplaced {
		return nil, fmt.Errorf("unknown site action %q (want %s or %s)", js.Action, SiteAdded, SiteReplaced)
	}
	var err error
	if s.Pos, err = ParsePosition(js.Pos); err != nil {
		return nil, err
	}
	for _, p := range js.DocumentPorts {
		s.DocumentPorts = append(s.DocumentPorts, PortRange(p))
	}
	return s, nil
}

func parseEnum[E fmt.Stringer](s string, all []E, unknown E) (E, error) {
	if s == unknown.String() {
		return unknown, nil
	}
	for _, e := range all {
		if e.String() == s {
			return e, nil
		}
	}
	return unknown, fmt.Errorf("unknown value %q (want one of %v)", s, all)
}

// FormatPosition prints a position as "file:line:col", or "" for the zero
// position: the form of positions in the JSON forms, that ParsePosition
// reads back.
func FormatPosition(p token.Position) string {
	if p.Filename == "" && p.Line == 0 {
		return ""
	}
	return p.String()
}

// ParsePosition reads back a position printed as "file:line:col" (the file
// name may itself hold colons, as a URL does).
func ParsePosition(s string) (token.Position, error) {
	if s == "" {
		return token.Position{}, nil
	}
	var p token.Position
	i := strings.LastIndexByte(s, ':')
	j := -1
	if i > 0 {
		j = strings.LastIndexByte(s[:i], ':')
	}
	if i < 0 || j < 0 {
		return p, fmt.Errorf("position %q is not file:line:col", s)
	}
	if _, err := fmt.Sscanf(s[j+1:], "%d:%d", &p.Line, &p.Column); err != nil {
		return p, fmt.Errorf("position %q is not file:line:col", s)
	}
	p.Filename = s[:j]
	return p, nil
}
