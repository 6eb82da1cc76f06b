package golang

import (
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/portspec/portspec/internal/golden"
)

// TestAPIBodyIsJennifers: the fixed body of ports.go that the target
// writes (api_body.txtar) is what jennifer renders from emitAPIBody; after
// a change to emitAPIBody, go test -update ./gen/golang rewrites the file.
func TestAPIBodyIsJennifers(t *testing.T) {
	body, err := renderAPIBody()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "api_body.txtar", "The fixed body of generated/ports/ports.go, as jennifer renders it (gen/golang emitAPIBody); rewrite with go test -update.\n",
		[]txtar.File{{Name: apiBodyName, Data: []byte(body)}})
}
