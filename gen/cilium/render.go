package cilium

import (
	"bytes"
	"fmt"

	"github.com/portspec/portspec/internal/k8syaml"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/spec"
)

// render writes one policy file: the generated-code header, then for each
// policy comment lines saying what each rule is for (text from the
// document is made one line first, so it cannot leave the comment) and the
// object marshalled from its typed struct.
func render(doc *spec.Document, pols []ccnp.Policy, comments [][]string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(gen.Header("#", doc))
	b.WriteString("\n")
	for i, pol := range pols {
		b.WriteString("#\n# Cilium host-firewall policy " + pol.Metadata.Name + ". Roll out in audit mode first (docs/cilium.md).\n#\n")
		for _, c := range comments[i] {
			fmt.Fprintf(&b, "# %s\n", gen.OneLine(c))
		}
		data, err := k8syaml.Marshal(pol)
		if err != nil {
			return nil, fmt.Errorf("cilium: marshal %s: %w", pol.Metadata.Name, err)
		}
		b.WriteString("---\n")
		b.Write(data)
	}
	return b.Bytes(), nil
}
