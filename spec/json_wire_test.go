package spec

import "encoding/json"

// MarshalWire is the reference encoding AppendJSON is held to: the model
// copied into the wire structs UnmarshalJSON reads, then encoding/json.
// (This was MarshalJSON before MarshalJSON became AppendJSON.)
func MarshalWire(d *Document) ([]byte, error) {
	jd := jsonDocument{
		Source: d.Source, Kind: d.Kind, SHA256: d.SHA256,
		Languages: nonNil(d.Languages),
		Groups:    make([]jsonGroup, 0, len(d.Groups)),
		Warnings:  make([]jsonWarning, 0, len(d.Warnings)),
	}
	for _, w := range d.Warnings {
		jd.Warnings = append(jd.Warnings, jsonWarning{FormatPosition(w.Pos), w.Msg})
	}
	for _, w := range d.Partial {
		jd.Partial = append(jd.Partial, jsonWarning{FormatPosition(w.Pos), w.Msg})
	}
	for _, g := range d.Groups {
		titles := g.Titles
		if titles == nil {
			titles = map[string]string{}
		}
		jg := jsonGroup{
			ID: g.ID, Known: g.Known, Title: g.Title(d.Languages...),
			Titles: titles,
			From:   g.From.String(), To: g.To.String(), Direction: g.Direction.String(),
			Pos:   FormatPosition(g.Pos),
			Rules: make([]jsonRule, 0, len(g.Rules)),
		}
		for _, r := range g.Rules {
			p := r.PurposeIn(d.Languages...)
			jr := jsonRule{
				Protocol: r.Protocol.String(), Purpose: p.Text, PurposeMarkdown: p.Markdown,
				Ports:    make([]jsonPorts, 0, len(r.Ports)),
				Purposes: make(map[string]jsonPurpose, r.Purposes.Len()),
				Pos:      FormatPosition(r.Pos),
			}
			for _, pr := range r.Ports {
				jr.Ports = append(jr.Ports, jsonPorts(pr))
			}
			for l, pp := range r.Purposes.All() {
				jr.Purposes[l] = jsonPurpose(pp)
			}
			if s := r.Site; s != nil {
				jr.Site = &jsonSite{Action: string(s.Action), Pos: FormatPosition(s.Pos), Reason: s.Reason}
				for _, pr := range s.DocumentPorts {
					jr.Site.DocumentPorts = append(jr.Site.DocumentPorts, jsonPorts(pr))
				}
			}
			jg.Rules = append(jg.Rules, jr)
		}
		jd.Groups = append(jd.Groups, jg)
	}
	return json.Marshal(jd)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
