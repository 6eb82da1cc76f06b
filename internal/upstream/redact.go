package upstream

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/portspec/portspec/spec"
)

// RedactProse replaces, in place, every purpose of doc that is prose rather
// than a label (longer than MaxLabel bytes, or more than one line) with a
// fingerprint of it: its length and the start of its sha256. Golden files of
// upstream documents pin the model exactly this way without carrying
// upstream's sentences into this repository; labels (port names such as
// "etcd replication") are facts and stay readable.
func RedactProse(doc *spec.Document) {
	for gi := range doc.Groups {
		for ri := range doc.Groups[gi].Rules {
			r := &doc.Groups[gi].Rules[ri]
			for lang, p := range r.Purposes.All() {
				if len(p.Markdown) <= MaxLabel && !strings.Contains(p.Markdown, "\n") {
					continue
				}
				r.Purposes.Set(lang, spec.Purpose{Text: fingerprint(p.Text), Markdown: fingerprint(p.Markdown)})
			}
		}
	}
}

// MaxLabel is the longest purpose, in bytes, that RedactProse keeps.
const MaxLabel = 120

func fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("upstream prose, %d bytes, sha256 %x", len(s), sum[:8])
}
