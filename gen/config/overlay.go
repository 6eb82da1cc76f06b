package config

import (
	"go/token"
	"regexp"
	"strconv"

	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// OverlaySection is portspec.yaml's `overlay` section: the site's own
// changes on top of the document (package overlay). The schema checks its
// shape; SiteOverlay checks the rest and places each entry.
//
//	overlay:
//	  remove:
//	    - key: NodesToNodes/TCP/7000-7999
//	      reason: sds-replicated-volume is not enabled
//	    - purpose: live migration
//	      reason: the virtualization module is not enabled
//	  replace:
//	    - key: ExternalToFrontends/TCP/80
//	      ports: ["8080"]
//	      reason: our ingress inlet listens on 8080
//	  add:
//	    - from: node
//	      to: external
//	      protocol: TCP
//	      ports: ["636"]
//	      purpose: LDAPS to the corporate directory
//	      reason: user authentication (the page asks to allow external systems)
type OverlaySection struct {
	Remove []struct {
		Key      string   `json:"key,omitempty"`
		Purpose  string   `json:"purpose,omitempty"`
		Groups   []string `json:"groups,omitempty"`
		Protocol string   `json:"protocol,omitempty"`
		Reason   string   `json:"reason"`
	} `json:"remove,omitempty"`
	Replace []struct {
		Key    string   `json:"key"`
		Ports  []string `json:"ports"`
		Reason string   `json:"reason"`
	} `json:"replace,omitempty"`
	Add []struct {
		Group     string   `json:"group,omitempty"`
		From      string   `json:"from,omitempty"`
		To        string   `json:"to,omitempty"`
		Protocol  string   `json:"protocol"`
		Ports     []string `json:"ports,omitempty"`
		Purpose   string   `json:"purpose"`
		PurposeRU string   `json:"purposeRU,omitempty"`
		Reason    string   `json:"reason"`
	} `json:"add,omitempty"`
}

// SiteOverlay returns the config's overlay (an empty one when it has
// none), every entry with its position in portspec.yaml. Errors point at
// the entry, or at its key or value.
func (c *Config) SiteOverlay() (*overlay.Overlay, error) {
	o := &overlay.Overlay{}
	if c.Overlay == nil {
		return o, nil
	}
	var errs spec.Errors
	at := func(kind string, i int, key ...string) token.Position {
		return c.pos.at(append([]string{"overlay", kind, strconv.Itoa(i)}, key...))
	}
	for i, e := range c.Overlay.Remove {
		r := overlay.Remove{Groups: e.Groups, Reason: e.Reason, Pos: at("remove", i)}
		switch {
		case (e.Key == "") == (e.Purpose == ""):
			errs.Add(r.Pos, "overlay.remove[%d]: give the rows to remove as a key or as a purpose, one of the two", i)
		case e.Key != "":
			k, err := overlay.ParseKey(e.Key)
			if err != nil {
				errs.Add(at("remove", i, "key"), "overlay.remove[%d].key: %v", i, err)
			}
			r.Key = &k
			if len(e.Groups) > 0 || e.Protocol != "" {
				errs.Add(r.Pos, "overlay.remove[%d]: groups and protocol narrow a purpose; a key names its group and protocol itself", i)
			}
		default:
			re, err := regexp.Compile("(?i)" + e.Purpose)
			if err != nil {
				errs.Add(at("remove", i, "purpose"), "overlay.remove[%d].purpose: %v", i, err)
			}
			r.Purpose = re
		}
		if e.Protocol != "" {
			r.Protocol, _ = spec.ParseProtocol(e.Protocol) // the schema allows only TCP, UDP, ICMP
		}
		o.Remove = append(o.Remove, r)
	}
	for i, e := range c.Overlay.Replace {
		r := overlay.Replace{Reason: e.Reason, Pos: at("replace", i)}
		k, err := overlay.ParseKey(e.Key)
		if err != nil {
			errs.Add(at("replace", i, "key"), "overlay.replace[%d].key: %v", i, err)
		} else if k.Protocol == spec.ICMP {
			errs.Add(at("replace", i, "key"), "overlay.replace[%d].key: ICMP has no ports to replace", i)
		}
		r.Key = k
		if r.Ports, err = overlay.ParsePorts(e.Ports); err != nil {
			errs.Add(at("replace", i, "ports"), "overlay.replace[%d].ports: %v", i, err)
		}
		o.Replace = append(o.Replace, r)
	}
	for i, e := range c.Overlay.Add {
		a := overlay.Add{Group: e.Group, Reason: e.Reason, Pos: at("add", i), Purposes: map[string]string{"en": e.Purpose}}
		if e.PurposeRU != "" {
			a.Purposes["ru"] = e.PurposeRU
		}
		switch {
		case e.Group != "" && (e.From != "" || e.To != ""):
			errs.Add(a.Pos, "overlay.add[%d]: give the group or the roles (from and to), not both", i)
		case e.Group == "" && (e.From == "" || e.To == ""):
			errs.Add(a.Pos, "overlay.add[%d]: give the group (group: ExternalToMaster) or both roles (from: node, to: external)", i)
		case e.Group == "":
			a.From, _ = spec.ParseRole(e.From) // the schema allows only the roles
			a.To, _ = spec.ParseRole(e.To)
			if a.From == a.To && a.From == spec.RoleExternal {
				errs.Add(a.Pos, "overlay.add[%d]: traffic from external to external does not cross a node", i)
			}
		}
		a.Protocol, _ = spec.ParseProtocol(e.Protocol)
		var err error
		if a.Ports, err = overlay.ParsePorts(e.Ports); err != nil {
			errs.Add(at("add", i, "ports"), "overlay.add[%d].ports: %v", i, err)
		}
		switch {
		case a.Protocol == spec.ICMP && len(a.Ports) > 0:
			errs.Add(at("add", i, "ports"), "overlay.add[%d].ports: ICMP has no ports", i)
		case a.Protocol != spec.ICMP && len(e.Ports) == 0:
			errs.Add(a.Pos, "overlay.add[%d]: a %s row needs ports (ports: [\"636\"])", i, a.Protocol)
		}
		o.Add = append(o.Add, a)
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	return o, nil
}
