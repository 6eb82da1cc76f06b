package driver

import (
	"fmt"
	"strings"

	"github.com/portspec/portspec/gen"
)

// Limits of the diffs that `generate --check` prints: enough to see what
// changed, never a wall of text.
const (
	diffContext  = 3   // lines of context around a change
	diffMaxLines = 40  // lines printed per file before "… more"
	diffMaxCells = 4e6 // largest LCS table; beyond it the changed middle is shown whole
)

// unifiedDiff returns a short unified diff from old to new, with diffContext
// lines of context and at most diffMaxLines lines of body.
func unifiedDiff(name string, old, new []byte) string {
	if (old != nil && !gen.IsText(old)) || !gen.IsText(new) {
		// A workbook (a ZIP archive) has no lines to show.
		return fmt.Sprintf("binary file %s differs: %d bytes on disk, %d generated\n", name, len(old), len(new))
	}
	a, b := splitLines(old), splitLines(new)
	ops := lineDiff(a, b)
	var body []string
	for _, h := range hunks(ops, diffContext) {
		body = append(body, fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.aStart, h.aLen), hunkRange(h.bStart, h.bLen)))
		for _, o := range ops[h.first:h.last] {
			body = append(body, string(o.kind)+o.text)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s (on disk)\n+++ %s (generated)\n", name, name)
	for i, l := range body {
		if i == diffMaxLines {
			fmt.Fprintf(&sb, "… %d more diff lines\n", len(body)-i)
			break
		}
		sb.WriteString(l)
		sb.WriteByte('\n')
	}
	return sb.String()
}

func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	s := strings.TrimSuffix(string(b), "\n")
	return strings.Split(s, "\n")
}

type diffOp struct {
	kind byte // ' ', '-' or '+'
	text string
}

// lineDiff is a longest-common-subsequence diff of the lines that differ
// after the common prefix and suffix are set aside. Generated files change
// in few places, so the middle is small; when it is not, it is shown as
// removed and added whole rather than spending quadratic memory.
func lineDiff(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	for _, l := range a[:pre] {
		ops = append(ops, diffOp{' ', l})
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if float64(len(ma)+1)*float64(len(mb)+1) > diffMaxCells {
		for _, l := range ma {
			ops = append(ops, diffOp{'-', l})
		}
		for _, l := range mb {
			ops = append(ops, diffOp{'+', l})
		}
	} else {
		ops = append(ops, lcsDiff(ma, mb)...)
	}
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, diffOp{' ', l})
	}
	return ops
}

func lcsDiff(a, b []string) []diffOp {
	n, m := len(a), len(b)
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			ops = append(ops, diffOp{' ', a[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', a[i]})
			i++
		default:
			ops = append(ops, diffOp{'+', b[j]})
			j++
		}
	}
	return ops
}

type hunk struct {
	first, last  int // ops[first:last]
	aStart, aLen int
	bStart, bLen int
}

// hunks groups changed lines with ctx lines of context, merging hunks whose
// context would overlap.
func hunks(ops []diffOp, ctx int) []hunk {
	var hs []hunk
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-ctx)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*ctx {
				end = min(len(ops), end+ctx)
				break
			}
			end = run
		}
		hs = append(hs, hunk{first: start, last: end})
		i = end
	}
	// Line numbers: count a- and b-lines before and inside each hunk.
	ai, bi, k := 0, 0, 0
	for hi := range hs {
		h := &hs[hi]
		for ; k < h.first; k++ {
			ai, bi = advance(ops[k].kind, ai, bi)
		}
		h.aStart, h.bStart = ai, bi
		for ; k < h.last; k++ {
			ai, bi = advance(ops[k].kind, ai, bi)
		}
		h.aLen, h.bLen = ai-h.aStart, bi-h.bStart
	}
	return hs
}

func advance(kind byte, a, b int) (int, int) {
	switch kind {
	case ' ':
		return a + 1, b + 1
	case '-':
		return a + 1, b
	}
	return a, b + 1
}

// hunkRange formats a hunk's line range as unified diffs do: an empty range
// names the line before it.
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
