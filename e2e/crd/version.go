package crd

// DefaultCiliumVersion is the Cilium release whose CRDs the suite validates
// against when PORTSPEC_CILIUM_VERSION is unset: the newest on the module
// proxy when this was written (`go list -m -versions github.com/cilium/cilium`).
const DefaultCiliumVersion = "v1.20.2"
