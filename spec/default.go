package spec

import _ "embed"

// DefaultName is the name under which the embedded default document is
// reported in errors, positions and generated headers.
const DefaultName = "spec/default/network-interaction.md"

// defaultDoc is the embedded default document (see Default). A string, so
// that no importer can change it.
//
//go:embed default/network-interaction.md
var defaultDoc string

// Default returns the embedded default document, in a slice of the caller's
// own: the port tables (section titles and rows) of the Deckhouse network
// interaction page (main, 2024-08-23 to 2024-11-22) as captured from the
// rendered site, in the capture's own format (bare title lines, tables
// without a leading pipe, the ICMP row shifted one column left), without the
// page's prose. portspec reads it when no input is given.
func Default() []byte { return []byte(defaultDoc) }
