// Package doccheck holds the tests that keep the documentation navigable:
// every relative link and #anchor in README.md and docs/ resolves, the
// README links every page of docs/, and the README stays a short front door.
package doccheck

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/portspec/portspec/internal/upstream"
)

// maxReadmeLines caps README.md: it is the front door, the rest is in docs/.
const maxReadmeLines = 200

// markdownFiles returns README.md and every .md file under docs/, relative
// to root, sorted.
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files[1:])
	return files
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root := upstream.RepoRoot()
	if root == "" {
		t.Fatal("cannot find the repository root (go.mod of github.com/portspec/portspec)")
	}
	return root
}

// TestLinks: every relative link of README.md and docs/*.md names a file
// or folder of the repository, and every #anchor a heading of the page it
// points into (GitHub's heading ids).
func TestLinks(t *testing.T) {
	root := repoRoot(t)
	for _, p := range checkLinks(os.DirFS(root), markdownFiles(t, root)) {
		t.Error(p)
	}
}

// TestReadmeLinksEveryPage: a page of docs/ that the README does not link
// is a page nobody finds.
func TestReadmeLinksEveryPage(t *testing.T) {
	root := repoRoot(t)
	src, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for _, l := range scan(string(src)).links {
		path, _, _ := strings.Cut(l.dest, "#")
		linked[filepath.ToSlash(filepath.Clean(path))] = true
	}
	for _, f := range markdownFiles(t, root)[1:] {
		if !linked[f] {
			t.Errorf("README.md does not link %s", f)
		}
	}
}

func TestReadmeLength(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), "\n"); n > maxReadmeLines {
		t.Errorf("README.md has %d lines, at most %d: move the details into a page of docs/", n, maxReadmeLines)
	}
}

// TestCheckLinksFindsBroken runs the checker on a small tree with one good
// and one broken link of each kind.
func TestCheckLinksFindsBroken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("README.md", "# Top\n\n"+
		"[ok](docs/a.md) [ok](docs/a.md#the-portspec-drift-command) [ok](#top) [ok](examples/)\n"+
		"[gone](docs/missing.md) [bad anchor](docs/a.md#nowhere)\n"+
		"`[in code](docs/nothing.md)` [ext](https://example.org/x.md)\n"+
		"```\n[in a fence](docs/fenced.md)\n```\n"+
		"[ref]: docs/also-missing.md\n")
	write("docs/a.md", "# A\n\n## The `portspec drift` command\n\n## Twice\n\n## Twice\n\n"+
		"[ok](#twice-1) [bad](#twice-2) [ok](../README.md#top) [out](../../outside.md) [abs](/README.md)\n")
	write("examples/x.txt", "")
	got := checkLinks(os.DirFS(dir), []string{"README.md", "docs/a.md"})
	want := []string{
		"README.md:4:8: docs/missing.md: no such file or folder",
		"README.md:4:38: docs/a.md#nowhere: docs/a.md has no heading with id \"nowhere\"",
		"README.md:9:8: docs/also-missing.md: no such file or folder",
		"docs/a.md:9:22: #twice-2: docs/a.md has no heading with id \"twice-2\"",
		"docs/a.md:9:61: ../../outside.md: leads out of the repository",
		"docs/a.md:9:85: /README.md: not a relative link (GitHub would resolve it against github.com)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// link is one link destination and where it was written.
type link struct {
	dest      string
	line, col int
}

// page is what the checker reads from one markdown file.
type page struct {
	links   []link
	anchors map[string]bool
}

var (
	fence      = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	inlineLink = regexp.MustCompile(`\]\([ \t]*(<[^>\n]*>|[^)\s]+)`)
	refDef     = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*(<[^>\n]*>|\S+)`)
	scheme     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// scan reads the links and the heading ids of a markdown text. Fenced code
// blocks and code spans hold no links; headings get GitHub's ids.
func scan(src string) page {
	p := page{anchors: map[string]bool{}}
	seen := map[string]int{}
	inFence := ""
	for i, line := range strings.Split(src, "\n") {
		if m := fence.FindStringSubmatch(line); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case m[1][0] == inFence[0] && len(m[1]) >= len(inFence) && strings.TrimSpace(line) == m[1]:
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			continue
		}
		if m := atxHeading.FindStringSubmatch(line); m != nil {
			id := slug(m[1])
			if n := seen[id]; n > 0 {
				seen[id] = n + 1
				id = fmt.Sprintf("%s-%d", id, n)
			} else {
				seen[id] = 1
			}
			p.anchors[id] = true
		}
		// Blank out code spans, keeping the columns of what follows.
		text := blankCodeSpans(line)
		if m := refDef.FindStringSubmatchIndex(text); m != nil {
			p.links = append(p.links, link{strings.Trim(text[m[2]:m[3]], "<>"), i + 1, m[2] + 1})
			continue
		}
		for _, m := range inlineLink.FindAllStringSubmatchIndex(text, -1) {
			p.links = append(p.links, link{strings.Trim(text[m[2]:m[3]], "<>"), i + 1, m[2] + 1})
		}
	}
	return p
}

// blankCodeSpans replaces each code span of line (a run of backticks up
// to the next run of the same length) with spaces.
func blankCodeSpans(line string) string {
	b := []byte(line)
	run := func(i int) int { // length of the backtick run at i
		n := 0
		for i+n < len(b) && b[i+n] == '`' {
			n++
		}
		return n
	}
	for i := 0; i < len(b); {
		n := run(i)
		if n == 0 {
			i++
			continue
		}
		end := -1
		for j := i + n; j < len(b); {
			if m := run(j); m == n {
				end = j + m
				break
			} else if m > 0 {
				j += m
			} else {
				j++
			}
		}
		if end < 0 {
			i += n // no closing run: literal backticks
			continue
		}
		for k := i; k < end; k++ {
			b[k] = ' '
		}
		i = end
	}
	return string(b)
}

// slug is the id GitHub gives a heading: its text lower-cased, markup and
// punctuation other than '-' and '_' dropped, spaces turned into '-'.
func slug(heading string) string {
	heading = inlineLinkText.ReplaceAllString(heading, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var inlineLinkText = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// checkLinks returns every broken relative link of files (slash paths in
// fsys) as "file:line:col: message", in file order.
func checkLinks(fsys fs.FS, files []string) []string {
	pages := map[string]page{}
	read := func(name string) (page, error) {
		if p, ok := pages[name]; ok {
			return p, nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return page{}, err
		}
		pages[name] = scan(string(src))
		return pages[name], nil
	}
	var problems []string
	for _, file := range files {
		p, err := read(file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", file, err))
			continue
		}
		for _, l := range p.links {
			if msg := checkLink(fsys, file, l.dest, read); msg != "" {
				problems = append(problems, fmt.Sprintf("%s:%d:%d: %s: %s", file, l.line, l.col, l.dest, msg))
			}
		}
	}
	return problems
}

// checkLink returns what is wrong with one link of file, or "".
func checkLink(fsys fs.FS, file, dest string, read func(string) (page, error)) string {
	if scheme.MatchString(dest) {
		return "" // another site: not checked offline
	}
	if strings.HasPrefix(dest, "/") {
		return "not a relative link (GitHub would resolve it against github.com)"
	}
	pathPart, frag, _ := strings.Cut(dest, "#")
	target := file
	if pathPart != "" {
		unescaped, err := url.PathUnescape(pathPart)
		if err != nil {
			return err.Error()
		}
		target = filepath.ToSlash(filepath.Join(filepath.Dir(file), unescaped))
		if target == ".." || strings.HasPrefix(target, "../") {
			return "leads out of the repository"
		}
		if _, err := fs.Stat(fsys, target); err != nil {
			return "no such file or folder"
		}
	}
	if frag == "" {
		return ""
	}
	if !strings.HasSuffix(target, ".md") {
		return "an #anchor into " + target + ", which is not a markdown page"
	}
	p, err := read(target)
	if err != nil {
		return err.Error()
	}
	id, err := url.PathUnescape(frag)
	if err != nil {
		return err.Error()
	}
	if !p.anchors[id] {
		return fmt.Sprintf("%s has no heading with id %q", target, id)
	}
	return ""
}
