package overlay

import (
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/portspec/portspec/spec"
)

// The JSON form of an overlay is what the generated drift test keeps, to
// check that every entry still matches the current upstream document. It
// is the config's entries with their positions, keys and ports written as
// the config writes them.

type jsonOverlay struct {
	Remove  []jsonRemove  `json:"remove,omitempty"`
	Replace []jsonReplace `json:"replace,omitempty"`
	Add     []jsonAdd     `json:"add,omitempty"`
}

type jsonRemove struct {
	Key      string   `json:"key,omitempty"`
	Purpose  string   `json:"purpose,omitempty"`
	Groups   []string `json:"groups,omitempty"`
	Protocol string   `json:"protocol,omitempty"`
	Reason   string   `json:"reason"`
	Pos      string   `json:"pos"`
}

type jsonReplace struct {
	Key    string   `json:"key"`
	Ports  []string `json:"ports"`
	Reason string   `json:"reason"`
	Pos    string   `json:"pos"`
}

type jsonAdd struct {
	Group    string            `json:"group,omitempty"`
	From     string            `json:"from,omitempty"`
	To       string            `json:"to,omitempty"`
	Protocol string            `json:"protocol"`
	Ports    []string          `json:"ports,omitempty"`
	Purposes map[string]string `json:"purposes"`
	Reason   string            `json:"reason"`
	Pos      string            `json:"pos"`
}

func portStrings(rs []spec.PortRange) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// MarshalJSON writes the overlay's JSON form.
func (o *Overlay) MarshalJSON() ([]byte, error) {
	var j jsonOverlay
	for _, e := range o.Remove {
		r := jsonRemove{Groups: e.Groups, Reason: e.Reason, Pos: spec.FormatPosition(e.Pos)}
		if e.Key != nil {
			r.Key = e.Key.String()
		}
		if e.Purpose != nil {
			r.Purpose = e.Purpose.String()
		}
		if e.Protocol != 0 {
			r.Protocol = e.Protocol.String()
		}
		j.Remove = append(j.Remove, r)
	}
	for _, e := range o.Replace {
		j.Replace = append(j.Replace, jsonReplace{Key: e.Key.String(), Ports: portStrings(e.Ports), Reason: e.Reason, Pos: spec.FormatPosition(e.Pos)})
	}
	for _, e := range o.Add {
		a := jsonAdd{Group: e.Group, Protocol: e.Protocol.String(), Ports: portStrings(e.Ports), Purposes: e.Purposes, Reason: e.Reason, Pos: spec.FormatPosition(e.Pos)}
		if e.Group == "" {
			a.From, a.To = e.From.String(), e.To.String()
		}
		j.Add = append(j.Add, a)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the JSON form back.
func (o *Overlay) UnmarshalJSON(b []byte) error {
	var j jsonOverlay
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*o = Overlay{}
	for _, r := range j.Remove {
		e := Remove{Groups: r.Groups, Reason: r.Reason}
		var err error
		if e.Pos, err = spec.ParsePosition(r.Pos); err != nil {
			return err
		}
		switch {
		case r.Key != "" && r.Purpose == "":
			k, err := ParseKey(r.Key)
			if err != nil {
				return err
			}
			e.Key = &k
		case r.Purpose != "" && r.Key == "":
			if e.Purpose, err = regexp.Compile(r.Purpose); err != nil {
				return err
			}
		default:
			return fmt.Errorf("overlay remove at %s: want a key or a purpose", r.Pos)
		}
		if r.Protocol != "" {
			p, ok := spec.ParseProtocol(r.Protocol)
			if !ok {
				return fmt.Errorf("overlay remove at %s: unknown protocol %q", r.Pos, r.Protocol)
			}
			e.Protocol = p
		}
		o.Remove = append(o.Remove, e)
	}
	for _, r := range j.Replace {
		k, err := ParseKey(r.Key)
		if err != nil {
			return err
		}
		ports, err := ParsePorts(r.Ports)
		if err != nil {
			return err
		}
		pos, err := spec.ParsePosition(r.Pos)
		if err != nil {
			return err
		}
		o.Replace = append(o.Replace, Replace{Key: k, Ports: ports, Reason: r.Reason, Pos: pos})
	}
	for _, a := range j.Add {
		e := Add{Group: a.Group, Purposes: a.Purposes, Reason: a.Reason}
		var ok bool
		if e.Protocol, ok = spec.ParseProtocol(a.Protocol); !ok {
			return fmt.Errorf("overlay add at %s: unknown protocol %q", a.Pos, a.Protocol)
		}
		if a.Group == "" {
			if e.From, ok = spec.ParseRole(a.From); !ok {
				return fmt.Errorf("overlay add at %s: unknown role %q", a.Pos, a.From)
			}
			if e.To, ok = spec.ParseRole(a.To); !ok {
				return fmt.Errorf("overlay add at %s: unknown role %q", a.Pos, a.To)
			}
		}
		var err error
		if e.Ports, err = ParsePorts(a.Ports); err != nil {
			return err
		}
		if e.Pos, err = spec.ParsePosition(a.Pos); err != nil {
			return err
		}
		o.Add = append(o.Add, e)
	}
	return nil
}
