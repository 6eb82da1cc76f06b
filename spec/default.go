package spec

import _ "embed"

// DefaultName is the name under which the embedded default document is
// reported in errors, positions and generated headers.
const DefaultName = "spec/default/network-interaction.md"

// DefaultSource describes where the embedded document's facts come from.
const DefaultSource = "Deckhouse Kubernetes Platform network interaction page (main, 2024-08-23 to 2024-11-22), port tables only"

// Default is the embedded default document: the port tables (section titles
// and rows) of the Deckhouse network interaction page as captured from the
// rendered site, in the capture's own format (bare title lines, tables
// without a leading pipe, the ICMP row shifted one column left), without the
// page's prose. portspec reads it when no input is given.
//
//go:embed default/network-interaction.md
var Default []byte
