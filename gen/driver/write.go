package driver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
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
		tmp = path.Join(dir, fmt.Sprintf(".%s.portspec-%d-%d.tmp", path.Base(name), os.Getpid(), i))
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
