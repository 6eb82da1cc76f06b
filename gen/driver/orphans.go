package driver

import (
	"errors"
	"io/fs"
	"os"

	"github.com/portspec/portspec/gen"
)

// findOrphans decides which files of the targets' folders are orphans: they
// carry the portspec header and no target generated them. Files without
// the header are not ours and are left alone; symbolic links are never
// followed.
func findOrphans(r *os.Root, p *Plan) ([]pending, error) {
	var out []pending
	seen := map[string]bool{}
	fsys := r.FS()
	for _, dir := range p.Dirs {
		err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && name == dir {
				return fs.SkipDir
			}
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() || seen[name] {
				return nil
			}
			seen[name] = true
			if _, ok := p.Files[name]; ok {
				return nil
			}
			data, err := r.ReadFile(name)
			if err != nil {
				return err
			}
			if gen.IsGenerated(data) {
				out = append(out, pending{path: name, status: Orphaned, have: data})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
