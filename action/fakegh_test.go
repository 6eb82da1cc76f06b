package action

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// envFakeGH names the folder of the fake gh's state. The fake is this test
// binary, linked as "gh" into a folder put first on the action's PATH.
const envFakeGH = "PORTSPEC_FAKE_GH"

func TestMain(m *testing.M) {
	if dir := os.Getenv(envFakeGH); dir != "" && filepath.Base(os.Args[0]) == "gh" {
		os.Exit(fakeGH(dir, os.Args[1:]))
	}
	code := m.Run()
	cleanupBuilt()
	os.Exit(code)
}

// ghItem is an issue or a pull request of the fake.
type ghItem struct {
	Number   int      `json:"number"`
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	State    string   `json:"state"` // open, closed
	Labels   []string `json:"labels"`
	Head     string   `json:"head,omitempty"`
	Base     string   `json:"base,omitempty"`
	Comments []string `json:"comments"`
}

// ghState is what the fake keeps between calls.
type ghState struct {
	Next   int       `json:"next"`
	Labels []string  `json:"labels"`
	Issues []*ghItem `json:"issues"`
	PRs    []*ghItem `json:"prs"`
}

// ghCall is one recorded call: its arguments and, for --body-file, the
// file's contents.
type ghCall struct {
	Args []string `json:"args"`
	Body string   `json:"body,omitempty"`
}

func (c ghCall) String() string { return "gh " + strings.Join(c.Args, " ") }

// fakeGH answers the gh subcommands the action uses, as gh 2.x does, and
// fails on anything else, so that a call the tests do not expect shows.
func fakeGH(dir string, args []string) int {
	fail := func(format string, a ...any) int {
		fmt.Fprintf(os.Stderr, "fake gh: "+format+"\n", a...)
		return 1
	}
	if os.Getenv("GH_TOKEN") == "" {
		return fail("GH_TOKEN is not set")
	}
	flags := map[string]string{}
	bools := map[string]bool{}
	var pos []string
	valued := []string{"--title", "--label", "--body-file", "--body", "--comment", "--state", "--json", "--limit", "--head", "--base", "--color", "--description"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case slices.Contains(valued, a):
			if i+1 >= len(args) {
				return fail("flag %s needs a value", a)
			}
			flags[a] = args[i+1]
			i++
		case a == "--force" || a == "--delete-branch":
			bools[a] = true
		case strings.HasPrefix(a, "-"):
			return fail("unknown flag %s in %q", a, args)
		default:
			pos = append(pos, a)
		}
	}
	call := ghCall{Args: args}
	if f := flags["--body-file"]; f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return fail("--body-file: %v", err)
		}
		call.Body = string(b)
	}
	if err := appendJSON(filepath.Join(dir, "calls.jsonl"), call); err != nil {
		return fail("%v", err)
	}
	var st ghState
	statePath := filepath.Join(dir, "state.json")
	if data, err := os.ReadFile(statePath); err == nil {
		if err := json.Unmarshal(data, &st); err != nil {
			return fail("state: %v", err)
		}
	}
	if len(pos) < 2 {
		return fail("want a command and a subcommand: %q", args)
	}
	body := call.Body
	if b, ok := flags["--body"]; ok {
		body = b
	}
	find := func(items []*ghItem) (*ghItem, error) {
		if len(pos) < 3 {
			return nil, fmt.Errorf("%s %s: want a number", pos[0], pos[1])
		}
		n, err := strconv.Atoi(pos[2])
		if err != nil {
			return nil, fmt.Errorf("%s %s: %q is not a number", pos[0], pos[1], pos[2])
		}
		for _, it := range items {
			if it.Number == n {
				return it, nil
			}
		}
		return nil, fmt.Errorf("%s %s: no #%d", pos[0], pos[1], n)
	}
	list := func(items []*ghItem, allowed []string, keep func(*ghItem) bool) int {
		fields := strings.Split(flags["--json"], ",")
		for _, f := range fields {
			if !slices.Contains(allowed, f) {
				return fail("unknown JSON field %q (gh %s list supports %v)", f, pos[0], allowed)
			}
		}
		out := []map[string]any{}
		for _, it := range items {
			if flags["--state"] != "" && it.State != flags["--state"] || !keep(it) {
				continue
			}
			m := map[string]any{}
			for _, f := range fields {
				switch f {
				case "number":
					m[f] = it.Number
				case "title":
					m[f] = it.Title
				case "headRefName":
					m[f] = it.Head
				}
			}
			out = append(out, m)
		}
		json.NewEncoder(os.Stdout).Encode(out)
		return 0
	}
	save := func() int {
		data, _ := json.MarshalIndent(st, "", "  ")
		if err := os.WriteFile(statePath, data, 0o644); err != nil {
			return fail("%v", err)
		}
		return 0
	}
	needLabel := func() error {
		if l := flags["--label"]; l != "" && !slices.Contains(st.Labels, l) {
			return fmt.Errorf("could not add label: '%s' not found", l)
		}
		return nil
	}

	switch pos[0] + " " + pos[1] {
	case "label create":
		if len(pos) != 3 {
			return fail("label create: want a name")
		}
		if slices.Contains(st.Labels, pos[2]) && !bools["--force"] {
			return fail("label %q already exists", pos[2])
		}
		if !slices.Contains(st.Labels, pos[2]) {
			st.Labels = append(st.Labels, pos[2])
		}
		return save()
	case "issue list":
		return list(st.Issues, []string{"number", "title"}, func(it *ghItem) bool {
			return flags["--label"] == "" || slices.Contains(it.Labels, flags["--label"])
		})
	case "pr list":
		return list(st.PRs, []string{"number", "title", "headRefName"}, func(it *ghItem) bool {
			return flags["--head"] == "" || it.Head == flags["--head"]
		})
	case "issue create":
		if err := needLabel(); err != nil {
			return fail("%v", err)
		}
		st.Next++
		st.Issues = append(st.Issues, &ghItem{Number: st.Next, Title: flags["--title"], Body: body, State: "open", Labels: []string{flags["--label"]}})
		fmt.Printf("https://github.com/example/downstream/issues/%d\n", st.Next)
		return save()
	case "pr create":
		if err := needLabel(); err != nil {
			return fail("%v", err)
		}
		head := flags["--head"]
		// Like GitHub: the branch must have been pushed.
		if out, err := exec.Command("git", "ls-remote", "--exit-code", "origin", "refs/heads/"+head).CombinedOutput(); err != nil {
			return fail("pull request create failed: head %s not on the remote: %v %s", head, err, out)
		}
		st.Next++
		st.PRs = append(st.PRs, &ghItem{Number: st.Next, Title: flags["--title"], Body: body, State: "open", Labels: []string{flags["--label"]}, Head: head, Base: flags["--base"]})
		fmt.Printf("https://github.com/example/downstream/pull/%d\n", st.Next)
		return save()
	case "issue edit", "pr edit":
		it, err := find(map[string][]*ghItem{"issue": st.Issues, "pr": st.PRs}[pos[0]])
		if err != nil {
			return fail("%v", err)
		}
		if _, ok := flags["--body-file"]; ok {
			it.Body = body
		}
		if t, ok := flags["--title"]; ok {
			it.Title = t
		}
		return save()
	case "issue comment", "pr comment":
		it, err := find(map[string][]*ghItem{"issue": st.Issues, "pr": st.PRs}[pos[0]])
		if err != nil {
			return fail("%v", err)
		}
		it.Comments = append(it.Comments, body)
		return save()
	case "issue close", "pr close":
		it, err := find(map[string][]*ghItem{"issue": st.Issues, "pr": st.PRs}[pos[0]])
		if err != nil {
			return fail("%v", err)
		}
		if it.State != "open" {
			return fail("#%d is already closed", it.Number)
		}
		it.State = "closed"
		if c := flags["--comment"]; c != "" {
			it.Comments = append(it.Comments, c)
		}
		if bools["--delete-branch"] {
			if out, err := exec.Command("git", "push", "-q", "origin", "--delete", it.Head).CombinedOutput(); err != nil {
				return fail("delete branch %s: %v %s", it.Head, err, out)
			}
		}
		return save()
	}
	return fail("unsupported command %q", args)
}

func appendJSON(path string, v any) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewEncoder(f).Encode(v)
}

// fakeHub is the test's side of the fake: its folder, state and calls.
type fakeHub struct {
	t   *testing.T
	dir string
	bin string // the folder holding the gh link
}

func newFakeHub(t *testing.T) *fakeHub {
	t.Helper()
	h := &fakeHub{t: t, dir: t.TempDir(), bin: t.TempDir()}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(h.bin, "gh")); err != nil {
		t.Fatal(err)
	}
	return h
}

// state returns what the fake keeps now.
func (h *fakeHub) state() ghState {
	h.t.Helper()
	var st ghState
	data, err := os.ReadFile(filepath.Join(h.dir, "state.json"))
	if os.IsNotExist(err) {
		return st
	}
	if err != nil {
		h.t.Fatal(err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		h.t.Fatal(err)
	}
	return st
}

// seed replaces the fake's state.
func (h *fakeHub) seed(st ghState) {
	h.t.Helper()
	data, _ := json.Marshal(st)
	if err := os.WriteFile(filepath.Join(h.dir, "state.json"), data, 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// calls returns every call recorded so far and forgets them.
func (h *fakeHub) calls() []ghCall {
	h.t.Helper()
	p := filepath.Join(h.dir, "calls.jsonl")
	data, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		h.t.Fatal(err)
	}
	os.Remove(p)
	var out []ghCall
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c ghCall
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// commands returns "command subcommand" of each call, in order.
func commands(calls []ghCall) []string {
	var out []string
	for _, c := range calls {
		if len(c.Args) >= 2 {
			out = append(out, c.Args[0]+" "+c.Args[1])
		}
	}
	return out
}
