// Package regfile reads the files portspec is given by name (the document,
// portspec.yaml, the acknowledge file, the drift snapshot): regular files
// only, and at most a given size. A named pipe, a device or a socket would
// block the run forever or never end; standard input is "-" on the command
// line, read by the parser itself.
package regfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultLimit is the largest file Read takes when told 0: portspec's own
// files are kilobytes.
const DefaultLimit = 32 << 20

// Read returns the bytes of the regular file at path, refusing anything
// else (checked before the file is opened, so that a named pipe is never
// waited on) and a file of more than limit bytes (0: DefaultLimit), rather
// than reading it in part.
func Read(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(path, fi); err != nil { // replaced since the first look
		return nil, err
	}
	if fi.Size() > limit {
		return nil, TooLarge(path, limit)
	}
	// Read into one buffer of the file's size (and the byte that sees the
	// end): io.ReadAll would grow one from 512 bytes, allocating about
	// five times a large document's size on the way.
	return readLimited(f, limit, path, fi.Size()+1)
}

// ReadLimited reads r to its end, refusing more than limit bytes (what
// names r in the errors): the one bounded read of every input, files,
// standard input and downloads alike.
func ReadLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	return readLimited(r, limit, what, 512)
}

// readLimited is ReadLimited into a buffer of size bytes at first (grown
// as io.ReadAll grows its own when r holds more).
func readLimited(r io.Reader, limit int64, what string, size int64) ([]byte, error) {
	lr := io.LimitReader(r, limit+1)
	b := make([]byte, 0, max(512, min(size, limit+1)))
	for {
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", what, err)
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // as io.ReadAll: let append pick the growth
		}
	}
	if int64(len(b)) > limit {
		return nil, TooLarge(what, limit)
	}
	return b, nil
}

func regular(path string, fi fs.FileInfo) error {
	switch m := fi.Mode(); {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%s is a directory, not a file", path)
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%s is a named pipe, not a regular file: refused (it could block forever); for standard input use -", path)
	default:
		return fmt.Errorf("%s is not a regular file (%s): refused; for standard input use -", path, m.Type())
	}
}

// TooLarge is the error of an input over its limit.
func TooLarge(what string, limit int64) error {
	return fmt.Errorf("%s is larger than %d bytes: refused rather than read in part (raise the limit if the document really is that big)", what, limit)
}
