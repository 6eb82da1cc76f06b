// Package verify is the live check: does a node, a network or a cluster
// match the document? It compares what is really there (the sockets a node
// listens on, the flows a network lets through, the ports a cluster's
// workloads serve on its nodes) with what the document opens for each
// role, as the generated host firewalls accept it (gen/hostfw's plan), and
// writes one kind of report for all three.
//
// The facts come from its subpackages: sockets reads a node's listening
// sockets from /proc, probe tries flows between nodes, cluster asks the
// Kubernetes API (the only package of portspec that imports client-go).
// This package only compares; it opens no socket and calls no API.
//
// Every finding carries the document entry that would document it (group,
// protocol, ports; see Entry), in the form a site's own additions to the
// document can take.
package verify
