// Package outpath checks the paths under the output root: a target's folder
// in portspec.yaml (gen/config) and every file the driver writes
// (gen/driver) obey the same rule, so that neither can leave the root.
package outpath

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// Check rejects a path that is not a clean, relative, slash-separated path
// inside the output root.
func Check(name string) error {
	switch {
	case name == "" || name == ".":
		return fmt.Errorf("%q: empty output path", name)
	case path.IsAbs(name) || filepath.IsAbs(name) || strings.Contains(name, `\`) || (len(name) > 1 && name[1] == ':'):
		return fmt.Errorf("%s: absolute output path: outputs must stay inside the output folder", name)
	case path.Clean(name) != name:
		return fmt.Errorf("%s: output path is not clean (want %s)", name, path.Clean(name))
	case name == ".." || strings.HasPrefix(name, "../"):
		return fmt.Errorf("%s: output path leaves the output folder", name)
	}
	return nil
}
