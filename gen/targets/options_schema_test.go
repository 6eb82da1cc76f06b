package targets

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/gen/report"
)

// TestOptionsSchemaAgrees checks that the published config schema lists
// exactly the options the cilium, kubernetes and report targets decode, so
// that an editor's completion and the decoder never disagree.
func TestOptionsSchemaAgrees(t *testing.T) {
	data := config.Schema()
	var s struct {
		Defs map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	for def, opts := range map[string]any{"ciliumTarget": cilium.Options{}, "kubernetesTarget": kubernetes.Options{}, "reportTarget": report.Options{}} {
		var inSchema, inGo []string
		for k := range s.Defs[def].Properties {
			inSchema = append(inSchema, k)
		}
		rt := reflect.TypeOf(opts)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			inGo = append(inGo, name)
		}
		sort.Strings(inSchema)
		sort.Strings(inGo)
		if diff := cmp.Diff(inGo, inSchema); diff != "" {
			t.Errorf("%s in the schema vs the Go options (-go +schema):\n%s", def, diff)
		}
	}
}
