package driver

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
)

// maxLinks bounds the symbolic links followed to resolve one path, as the
// kernel does (ELOOP).
const maxLinks = 40

// resolve returns where name (slash-separated, relative to the root) really
// is inside the root: every symbolic link on the way followed, as os.Root
// follows it. The part of the path that does not exist yet is kept as it
// is (the driver will create it as folders). A link that is absolute or
// leads out of the root is an error, as it is for os.Root.
func resolve(r *os.Root, name string) (string, error) {
	var done []string
	todo := strings.Split(name, "/")
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", fmt.Errorf("%s: a symbolic link on the way leads out of the output root", name)
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(path.Join(done...), c)
		fi, err := r.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			done = append(append(done, c), todo...)
			break
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, c)
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("%s: more than %d symbolic links on the way", name, maxLinks)
		}
		target, err := r.Readlink(cur)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			return "", fmt.Errorf("%s: %s is a symbolic link to the absolute path %s: only relative links inside the output root are followed", name, cur, target)
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// within reports whether name is dir or inside it ("." holds everything).
func within(name, dir string) bool {
	return dir == "." || name == dir || strings.HasPrefix(name, dir+"/")
}

// folders is where the plan's folders really are: each folder of Plan.Dirs
// resolved.
type folders map[string]string

// checkFolders resolves the plan's folders and refuses a plan whose
// targets would share a folder they do not share on purpose: two folders
// that resolve to one place (a symbolic link to another target's folder),
// or one inside another ("a" and "a/b", or "." and anything). Each
// target's orphan scan would then see the other's files as its own
// orphans, and the runs would delete each other's files forever. A folder
// the plan names once (the Go package's, which the drift test shares by
// design) is one folder. It also refuses a planned file that a symbolic
// link inside its folder takes out of it, or onto another planned file.
func checkFolders(r *os.Root, root string, p *Plan) (folders, error) {
	real := folders{}
	var errs []string
	for _, d := range p.Dirs {
		rd, err := resolve(r, d)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		real[d] = rd
	}
	dirs := slices.Sorted(maps.Keys(real))
	for i, a := range dirs {
		for _, b := range dirs[i+1:] {
			ra, rb := real[a], real[b]
			switch {
			case ra == rb:
				errs = append(errs, fmt.Sprintf("%s and %s are one folder (both are %s): %s; give each target a folder of its own", p.describe(a), p.describe(b), display(root, ra), linkNote(a, b, ra)))
			case within(rb, ra) || within(ra, rb):
				outer, inner := a, b
				if within(ra, rb) {
					outer, inner = b, a
				}
				errs = append(errs, fmt.Sprintf("%s is inside %s (%s in %s): each would take the other's files for orphans; give each target a folder of its own, side by side", p.describe(inner), p.describe(outer), display(root, real[inner]), display(root, real[outer])))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	seen := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(p.Files)) {
		rf, err := resolve(r, name)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if prev, ok := seen[rf]; ok {
			errs = append(errs, fmt.Sprintf("%s and %s are one file (%s): a symbolic link joins them; remove it", display(root, prev), display(root, name), display(root, rf)))
			continue
		}
		seen[rf] = name
		for _, d := range p.Dirs {
			if within(name, d) && !within(rf, real[d]) {
				errs = append(errs, fmt.Sprintf("%s is %s, outside its target's folder %s (a symbolic link on the way): remove the link", display(root, name), display(root, rf), display(root, real[d])))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return real, nil
}

// linkNote says which of two folders that are one is the link.
func linkNote(a, b, real string) string {
	switch real {
	case a:
		return b + " is a symbolic link to " + a
	case b:
		return a + " is a symbolic link to " + b
	}
	return "symbolic links make them one"
}

// describe names a folder of the plan by its targets when the plan knows
// them: `folder "kubernetes" (target kubernetes)`.
func (p *Plan) describe(dir string) string {
	if names := p.Owners[dir]; len(names) > 0 {
		t := "target"
		if len(names) > 1 {
			t = "targets"
		}
		return fmt.Sprintf("folder %q (%s %s)", dir, t, strings.Join(names, ", "))
	}
	return fmt.Sprintf("folder %q", dir)
}
