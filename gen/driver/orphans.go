package driver

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen"
)

// maxHeaderLine bounds how much of a file is read to find the portspec
// header on its first line. A header is one line naming the source (a path
// or a URL); a first line longer than this is not one, and a 3 GiB file in
// an output folder costs no more than this to look at.
const maxHeaderLine = 1 << 20

// maxDiffBytes is the largest file on disk whose bytes --check reads to
// show a diff; a bigger one is reported by its size.
const maxDiffBytes = 16 << 20

// hasHeader reports whether the file name starts with the portspec header,
// reading at most its first maxHeaderLine bytes.
func hasHeader(r *os.Root, name string) (bool, error) {
	f, err := r.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	if ok, isZip, err := zipHeader(f); isZip || err != nil {
		return ok, err
	}
	// The first line, read in growing pieces (a header is a few hundred
	// bytes) up to maxHeaderLine.
	first := make([]byte, 0, 1024)
	for {
		n, err := f.Read(first[len(first):cap(first)])
		first = first[:len(first)+n]
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			return gen.IsGenerated(first[:i+1]), nil
		}
		switch {
		case err == io.EOF:
			return gen.IsGenerated(first), nil
		case err != nil:
			return false, err
		case len(first) >= maxHeaderLine:
			return false, nil // no line end within the bound: not a header
		case len(first) == cap(first):
			first = slices.Grow(first, min(cap(first), maxHeaderLine-len(first)))
		}
	}
}

// maxZipTail is how much of a ZIP archive's end holds its comment, where a
// generated workbook carries the header (gen.ZipComment): the 22-byte end
// record and at most 65535 bytes of comment.
const maxZipTail = 22 + 65535

// zipHeader looks for the header of a ZIP archive (a generated workbook)
// in its comment, reading its first bytes and at most maxZipTail bytes of
// its end. isZip is false for any other file, and the file is left at its
// start.
func zipHeader(f *os.File) (ok, isZip bool, err error) {
	head := make([]byte, 4)
	n, err := io.ReadFull(f, head)
	if _, serr := f.Seek(0, io.SeekStart); serr != nil {
		return false, false, serr
	}
	if err != nil || n < 4 || string(head) != "PK\x03\x04" {
		return false, false, nil
	}
	fi, err := f.Stat()
	if err != nil {
		return false, true, err
	}
	// The header is a short comment: the last 4 KiB hold it. Only when
	// they do not (another archive, a long comment) is the whole bound
	// read; the record gen.IsGenerated finds scanning back from the end is
	// the same in both (the nearest to the end).
	for _, bound := range []int64{4 << 10, maxZipTail} {
		from := max(int64(4), fi.Size()-bound)
		tail := make([]byte, fi.Size()-from)
		if _, err := f.ReadAt(tail, from); err != nil {
			return false, true, err
		}
		if gen.IsGenerated(append(head, tail...)) {
			return true, true, nil
		}
		if from == 4 {
			break // the whole file was read
		}
	}
	return false, true, nil
}

// findOrphans decides which files of the targets' folders are orphans: they
// carry the portspec header and no target generated them. Files without
// the header are not ours and are left alone; symbolic links are never
// followed (below the folder itself, which checkFolders resolved); the
// driver's temporary files are never orphans: one may be another run's,
// in flight (those left by a run that died are returned as stale).
func findOrphans(r *os.Root, p *Plan, real folders, planned map[string]bool) (orphans []pending, stale []string, err error) {
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
			if pid, ok := tempPID(path.Base(name)); ok {
				if !alive(pid) {
					stale = append(stale, name)
				}
				return nil
			}
			if _, ok := p.Files[name]; ok {
				return nil
			}
			// The same file under another name (a folder that is a link
			// into another's) is never an orphan of this one.
			if rd, ok := real[dir]; ok && planned[path.Join(rd, relTo(name, dir))] {
				return nil
			}
			ours, err := hasHeader(r, name)
			if err != nil || !ours {
				return err
			}
			orphans = append(orphans, pending{path: name, status: Orphaned})
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return orphans, stale, nil
}

// relTo is name relative to dir, a folder that holds it ("." holds all).
func relTo(name, dir string) string {
	if dir == "." {
		return name
	}
	return strings.TrimPrefix(strings.TrimPrefix(name, dir), "/")
}
