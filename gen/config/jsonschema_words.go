package config

// How the schema's failures are worded: as the reference library words
// them in English (values single-quoted, numbers grouped by thousands),
// since validateSchema's errors have always read so.

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// isComposite: an array or an object, which the errors do not show.
func isComposite(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

func enumMessage(want []any) string {
	if slices.ContainsFunc(want, isComposite) {
		return "'enum' failed"
	}
	if len(want) == 1 {
		return "value must be " + display(want[0])
	}
	parts := make([]string, len(want))
	for i, v := range want {
		parts[i] = display(v)
	}
	return "value must be one of " + strings.Join(parts, ", ")
}

// quote single-quotes s the way the errors have always shown values.
func quote(s string) string {
	s = strconv.Quote(s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

func joinQuoted(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = quote(s)
	}
	return strings.Join(parts, ", ")
}

// display is a primitive value as the errors show it.
func display(v any) string {
	if s, ok := v.(string); ok {
		return quote(s)
	}
	return fmt.Sprint(v)
}

// localInt writes an integer in English with thousands separators
// (65,535), as the errors have always done.
func localInt(i int) string {
	s := strconv.Itoa(i)
	if digits, neg := strings.CutPrefix(s, "-"); neg {
		return "-" + groupThousands(digits)
	}
	return groupThousands(s)
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// localRat writes a number as English %v writes its float64: the shortest
// digits, grouped (65,535, 1.5) or, from 10⁶ and below 10⁻⁴, scientific
// (1.234567×10⁰⁶, 1×10⁻⁰⁵).
func localRat(r *big.Rat) string {
	f, _ := r.Float64()
	return localFloat(f)
}

func localFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	case f == 0:
		return "0" // -0 too
	}
	sign := ""
	if math.Signbit(f) {
		sign, f = "-", -f
	}
	// Shortest digits and exponent: d.ddde±XX.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	digits := strings.Replace(mant, ".", "", 1)
	if exp < -4 || exp >= 6 {
		var b strings.Builder
		b.WriteString(sign + mant + "×10")
		if exp < 0 {
			b.WriteString("⁻")
			exp = -exp
		}
		es := strconv.Itoa(exp)
		if len(es) < 2 {
			es = "0" + es
		}
		for _, d := range es {
			b.WriteRune([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[d-'0'])
		}
		return b.String()
	}
	var intPart, frac string
	if exp < 0 {
		intPart, frac = "0", strings.Repeat("0", -exp-1)+digits
	} else if len(digits) <= exp+1 {
		intPart = digits + strings.Repeat("0", exp+1-len(digits))
	} else {
		intPart, frac = digits[:exp+1], digits[exp+1:]
	}
	s := sign + groupThousands(intPart)
	if frac != "" {
		s += "." + frac
	}
	return s
}
