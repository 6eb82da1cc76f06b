package driver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// writeAtomic writes data to name through a temporary file in the same
// folder, so that a reader sees the old or the new file, never a part.
func writeAtomic(r *os.Root, name string, data []byte) error {
	dir := path.Dir(name)
	if err := r.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var f *os.File
	var tmp string
	for i := 0; ; i++ {
		tmp = path.Join(dir, tempName(path.Base(name), os.Getpid(), i))
		var err error
		f, err = r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) || i > 100 {
			return err
		}
	}
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.Rename(tmp, name)
	}
	if err != nil {
		r.Remove(tmp)
		return err
	}
	return syncDir(r, dir)
}

// syncDir makes a rename durable. Some systems cannot fsync a folder; that
// is not worth failing the run for.
func syncDir(r *os.Root, dir string) error {
	d, err := r.Open(dir)
	if err != nil {
		return err
	}
	d.Sync()
	return d.Close()
}

// Temporary files are named ".<file>.portspec-<pid>-<n>.tmp": hidden, and
// recognisable, so that no run takes another's in-flight file (it carries
// the header) for an orphan, and a file left by a run that was killed can
// be told from a user's.
const (
	tempPrefix = "."
	tempInfix  = ".portspec-"
	tempSuffix = ".tmp"
)

func tempName(base string, pid, n int) string {
	return fmt.Sprintf("%s%s%s%d-%d%s", tempPrefix, base, tempInfix, pid, n, tempSuffix)
}

// tempPID returns the process id in a temporary file's name, or false when
// base is not the name of one.
func tempPID(base string) (int, bool) {
	if !strings.HasPrefix(base, tempPrefix) || !strings.HasSuffix(base, tempSuffix) {
		return 0, false
	}
	i := strings.LastIndex(base, tempInfix)
	if i < 0 {
		return 0, false
	}
	pid, n, ok := strings.Cut(strings.TrimSuffix(base[i+len(tempInfix):], tempSuffix), "-")
	p, err := strconv.Atoi(pid)
	if !ok || err != nil || p <= 0 {
		return 0, false
	}
	if _, err := strconv.Atoi(n); err != nil {
		return 0, false
	}
	return p, true
}
