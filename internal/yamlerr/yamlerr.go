// Package yamlerr reads the position out of a yaml.v3 error. yaml.v3 reports
// syntax errors as text ("yaml: line 3: did not find expected key") with a
// line and no column; both of portspec's YAML readers (the data file and
// portspec.yaml) turn that into a file:line:col error through this one
// function.
package yamlerr

import (
	"strconv"
	"strings"

	"github.com/portspec/portspec/internal/lazyre"
)

var lineRE = lazyre.New(`^yaml: line (\d+): (.*)$`)

// Split returns the 1-based line an error of yaml.v3 points at (0 when it
// names none) and its message without the "yaml: line N: " prefix. For the
// parser's errors ("did not find expected …") yaml.v3 gives the 0-based line
// where the enclosing block starts: it is made 1-based here, so that it
// names the block's first line.
func Split(err error) (line int, msg string) {
	text := err.Error()
	m := lineRE().FindStringSubmatch(text)
	if m == nil {
		return 0, strings.TrimPrefix(text, "yaml: ")
	}
	line, _ = strconv.Atoi(m[1])
	msg = m[2]
	if strings.HasPrefix(msg, "did not find expected") {
		line++
	}
	return line, msg
}
