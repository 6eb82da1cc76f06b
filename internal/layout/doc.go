// Package layout holds the tests of the repository's own shape: the rules
// that keep the layout readable (which files list what), checked so that
// they cannot drift. It has no code of its own.
package layout
