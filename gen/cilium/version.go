package cilium

import (
	"fmt"
	"strconv"
	"strings"
)

// DefaultCiliumVersion is the Cilium release assumed when the config names
// none: the newest on the Go module proxy when this was written
// (`go list -m -versions github.com/cilium/cilium`). The e2e suite validates
// against this release's CRDs unless the config or PORTSPEC_CILIUM_VERSION
// names another; e2e/scripts/build-servers.sh reads this line.
const DefaultCiliumVersion = "v1.20.2"

// endPortSince is the first minor release of Cilium 1 whose port rules
// have endPort.
const endPortSince = 16

// nodeSelectorsSince is the first minor release assumed to have fromNodes
// and toNodes: they are absent from the v1.15.19 CRD and present in the
// v1.20.2 one (the only releases on the module proxy besides v1.15.6).
const nodeSelectorsSince = 16

// parseVersion reads "v1.20.2", "1.16" or "v1.15.19" into its minor number
// (Cilium 1.x only).
func parseVersion(v string) (minor int, err error) {
	s := strings.TrimPrefix(v, "v")
	parts := strings.Split(s, ".")
	if len(parts) < 2 || parts[0] != "1" {
		return 0, fmt.Errorf("%q is not a Cilium 1.x version like v1.20.2", v)
	}
	minor, err = strconv.Atoi(parts[1])
	if err != nil || minor < 0 {
		return 0, fmt.Errorf("%q is not a Cilium 1.x version like v1.20.2", v)
	}
	return minor, nil
}

// Version returns the Cilium version the options name, or the default.
func (o Options) Version() string {
	if o.CiliumVersion != "" {
		return o.CiliumVersion
	}
	return DefaultCiliumVersion
}
