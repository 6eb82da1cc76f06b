package gentest

import "github.com/portspec/portspec/gen"

// Fake is a target for the tests of gen/config and gen/driver: it records
// the request it gets in Got and writes one file, named after it, with the
// portspec header and one warning.
type Fake struct {
	Key, Dir string
	Got      *gen.Request
}

func (f *Fake) Name() string       { return f.Key }
func (f *Fake) DefaultDir() string { return f.Dir }
func (f *Fake) Generate(req gen.Request) (*gen.Output, error) {
	*f.Got = req
	return &gen.Output{
		Files:    []gen.File{{Path: f.Key + ".txt", Data: []byte("# " + gen.HeaderPrefix[1:] + "from x (sha256 0). DO NOT EDIT.\n")}},
		Warnings: []string{"a warning"},
	}, nil
}
