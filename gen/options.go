package gen

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/portspec/portspec/internal/lazyre"
)

// OptionError is an error of one value of portspec.yaml that a target
// checks itself (a CIDR, a node selector, an identifier override). Path is
// where the value is, from the config's root: "targets", the target's
// name, then the option's keys and list indexes ("nodeCIDRs", "0"); or
// "idents" and a key. The config places it at that value's file:line:col
// (gen/driver does, with config.Config.Position); Error prints the path as
// a person reads it: targets.cilium.nodeCIDRs[0]: message.
type OptionError struct {
	Path []string
	Msg  string
}

func (e *OptionError) Error() string { return FormatPath(e.Path) + ": " + e.Msg }

// OptionErrorf makes an OptionError at path.
func OptionErrorf(path []string, format string, args ...any) *OptionError {
	return &OptionError{Path: slices.Clone(path), Msg: fmt.Sprintf(format, args...)}
}

// Option is the path of an option of target: targets.<target>.<keys…>.
func Option(target string, keys ...string) []string {
	return append([]string{"targets", target}, keys...)
}

// JoinOptionErrors returns the errors sorted by path (then message), as
// one error that errors.As and the driver see through, or nil.
func JoinOptionErrors(errs []*OptionError) error {
	if len(errs) == 0 {
		return nil
	}
	errs = slices.Clone(errs)
	slices.SortStableFunc(errs, func(a, b *OptionError) int {
		return strings.Compare(FormatPath(a.Path)+"\x00"+a.Msg, FormatPath(b.Path)+"\x00"+b.Msg)
	})
	list := make([]error, len(errs))
	for i, e := range errs {
		list[i] = e
	}
	return errors.Join(list...)
}

var plainKey = lazyre.New(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// FormatPath writes a path of keys as portspec's messages name them:
// targets.cilium.nodeCIDRs[0], idents["G/TCP/1"].
func FormatPath(path []string) string {
	var b strings.Builder
	for i, k := range path {
		switch {
		case isIndex(k):
			b.WriteString("[" + k + "]")
		case plainKey().MatchString(k):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		default:
			b.WriteString("[" + strconv.Quote(k) + "]")
		}
	}
	return b.String()
}

func isIndex(k string) bool {
	_, err := strconv.Atoi(k)
	return err == nil && k != "" && k[0] != '-' && k[0] != '+'
}

// DecodeOptions decodes a target's options strictly (unknown fields are an
// error naming the target), leaving v unchanged when raw is empty. A value
// of the wrong type is an OptionError at its field.
func DecodeOptions(target string, raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return OptionErrorf(Option(target, strings.Split(te.Field, ".")...), "%s is not a %s", te.Value, te.Type)
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			if field, err := strconv.Unquote(name); err == nil {
				return OptionErrorf(Option(target, field), "unknown field %q", field)
			}
		}
		return OptionErrorf(Option(target), "%v", err)
	}
	return nil
}
