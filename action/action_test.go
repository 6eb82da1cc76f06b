package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/tempmod"
)

// The documents upstream says, version after version: docB closes 2380,
// opens 4234/UDP with a hostile purpose; docC opens 8472/UDP as well.
const (
	docA = `groups:
- group: MastersToMasters
  description:
    en: Master to master nodes traffic
  destinations:
  - ports: "2379, 2380"
    protocol: TCP
    description:
      en: etcd replication
- group: NodesToMasters
  description:
    en: Nodes to masters traffic
  destinations:
  - ports: "6443"
    protocol: TCP
    description:
      en: kube-apiserver
`
	docB = `groups:
- group: MastersToMasters
  description:
    en: Master to master nodes traffic
  destinations:
  - ports: "2379"
    protocol: TCP
    description:
      en: etcd replication
- group: NodesToMasters
  description:
    en: Nodes to masters traffic
  destinations:
  - ports: "6443"
    protocol: TCP
    description:
      en: kube-apiserver
  - ports: "4234"
    protocol: UDP
    description:
      en: 'HOSTILE'
`
	docC = docB + `- group: NodesToNodes
  description:
    en: Nodes to nodes traffic
  destinations:
  - ports: "8472"
    protocol: UDP
    description:
      en: VXLAN
`
)

// hostilePurpose is shell and workflow syntax that must reach every report
// as text: command substitutions, backticks (plain and markdown-escaped),
// quotes that would end a quoted word, and a GitHub expression. Each
// command would make a file in dir.
func hostilePurpose(dir string) string {
	return strings.NewReplacer("M/", dir+"/").Replace(
		"ntp `touch M/1` $(touch M/2) ${{ github.token }} ${HOME} ''; touch M/3; '' \"; touch M/4; \" \\`touch M/5\\` $(touch M/6)")
}

// fixture is the upstream of one test: the document file the config's
// input names (outside the repository, as a URL's content would be), and
// the folder the hostile purpose's commands would write to.
type fixture struct {
	t        *testing.T
	upstream string
	marks    string
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, upstream: filepath.Join(t.TempDir(), "deckhouse-ports.yml"), marks: t.TempDir()}
	f.set(docA)
	return f
}

// doc writes a version of the document to a file of its own and returns
// its path.
func (f *fixture) doc(name, text string) string {
	p := filepath.Join(filepath.Dir(f.upstream), name)
	write(f.t, p, strings.Replace(text, "HOSTILE", hostilePurpose(f.marks), 1))
	return p
}

// set makes upstream say text.
func (f *fixture) set(text string) {
	write(f.t, f.upstream, strings.Replace(text, "HOSTILE", hostilePurpose(f.marks), 1))
}

// ranNothing fails the test when any hostile command ran.
func (f *fixture) ranNothing(what string) {
	f.t.Helper()
	if ents, _ := os.ReadDir(f.marks); len(ents) > 0 {
		f.t.Fatalf("%s: the hostile purpose ran commands (made %v)", what, ents)
	}
}

// literal fails the test unless text carries the hostile purpose as text
// and never the token.
func (f *fixture) literal(what, text string) {
	f.t.Helper()
	for _, want := range []string{"$(touch " + f.marks + "/2)", "${{ github.token }}", "${HOME}", "touch " + f.marks + "/1"} {
		if !strings.Contains(text, want) {
			f.t.Errorf("%s does not carry %q as text:\n%s", what, want, text)
		}
	}
	if strings.Contains(text, githubContext["token"]) {
		f.t.Errorf("%s contains the token:\n%s", what, text)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// git runs git in dir and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// initRepo makes dir a git repository on main with everything in it
// committed, and a bare repository beside it as origin; it returns the
// origin's path.
func initRepo(t *testing.T, dir string) string {
	t.Helper()
	origin := filepath.Join(t.TempDir(), "origin.git")
	git(t, dir, "init", "-q", "--bare", "-b", "main", origin)
	git(t, dir, "init", "-q", "-b", "main")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "initial")
	git(t, dir, "remote", "add", "origin", origin)
	git(t, dir, "push", "-q", "origin", "main")
	return origin
}

var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// portspecBinary builds the CLI once for the tests that prepare a
// repository without Go (the action builds its own from its source).
func portspecBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "portspec-action-test")
		if built.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(built.dir, "portspec"), "./cmd/portspec")
		cmd.Dir = repoRoot(t)
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build ./cmd/portspec: %v\n%s", built.err, built.out)
	}
	return filepath.Join(built.dir, "portspec")
}

func cleanupBuilt() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}

// plainRepo is a repository without Go: a portspec.yaml whose input is the
// fixture's upstream, and generated/ from docA. The action builds
// portspec from its own source there.
func plainRepo(t *testing.T, f *fixture) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "portspec.yaml"), "version: 1\ninput: "+f.upstream+"\n")
	cmd := exec.Command(portspecBinary(t), "generate")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("portspec generate: %v\n%s", err, out)
	}
	initRepo(t, dir)
	return dir
}

func requireTools(t *testing.T) {
	gentest.RequireTools(t, "bash", "git", "jq", "go")
}

// TestActionReport: report mode writes the report to the job summary and
// sets the outputs; drift fails the step only with fail-on-drift; a source
// that cannot be read fails it with exit 2; gh is never called.
func TestActionReport(t *testing.T) {
	requireTools(t)
	f := newFixture(t)
	ws := plainRepo(t, f)
	hub := newFakeHub(t)

	res := runAction(t, ws, hub, nil)
	if res.code != 0 || res.outputs["exit-code"] != "0" || !strings.Contains(res.summary, "**no changes**") {
		t.Fatalf("no drift: step exit %d, outputs %v, summary:\n%s\nlog:\n%s", res.code, res.outputs, res.summary, res.log)
	}
	if !strings.Contains(res.log, "building it from the action's source") {
		t.Errorf("a repository without Go: the action did not build portspec from its source:\n%s", res.log)
	}

	f.set(docB)
	res = runAction(t, ws, hub, map[string]string{"mode": "report"})
	if res.code != 0 || res.outputs["exit-code"] != "1" {
		t.Fatalf("drift: step exit %d (want 0), outputs %v\n%s", res.code, res.outputs, res.log)
	}
	report, err := os.ReadFile(res.outputs["report"])
	if err != nil {
		t.Fatalf("the report output: %v", err)
	}
	for _, want := range []string{"4234/UDP", "2380/TCP", "the config's input, exit 1"} {
		if !strings.Contains(res.summary, want) || !strings.Contains(string(report), want) {
			t.Errorf("summary or report lacks %q:\n%s", want, res.summary)
		}
	}
	f.literal("the summary", res.summary)
	f.ranNothing("report mode")

	res = runAction(t, ws, hub, map[string]string{"fail-on-drift": "true"})
	if res.code != 1 || res.outputs["exit-code"] != "1" {
		t.Errorf("fail-on-drift: step exit %d (want 1), outputs %v\n%s", res.code, res.outputs, res.log)
	}
	// Two sources, one missing: both reported, the step fails.
	res = runAction(t, ws, hub, map[string]string{"source": f.doc("a.yml", docA) + " Version A\n" + filepath.Join(ws, "missing.yml") + "\n"})
	if res.code != 2 || res.outputs["exit-code"] != "2" || !strings.Contains(res.summary, "## Version A") || !strings.Contains(res.summary, "Drift NOT checked") {
		t.Errorf("a missing source: step exit %d (want 2), outputs %v, summary:\n%s", res.code, res.outputs, res.summary)
	}
	if c := hub.calls(); len(c) > 0 {
		t.Errorf("report mode called gh: %v", c)
	}
	if res := runAction(t, ws, hub, map[string]string{"mode": "bogus"}); res.code != 2 {
		t.Errorf("mode bogus: step exit %d, want 2", res.code)
	}
}

// TestActionIssue: issue mode opens one labelled issue on drift, updates it
// (body and a comment) while the drift lasts, closes it when none is left,
// and leaves it alone when a source cannot be read; the hostile purpose
// reaches the issue as text.
func TestActionIssue(t *testing.T) {
	requireTools(t)
	f := newFixture(t)
	ws := plainRepo(t, f)
	hub := newFakeHub(t)
	issue := map[string]string{"mode": "issue"}

	if res := runAction(t, ws, hub, issue); res.code != 0 {
		t.Fatalf("no drift: exit %d\n%s", res.code, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"issue list"}) {
		t.Errorf("no drift, no issue: want one look for an open issue, got %v", got)
	}

	f.set(docB)
	if res := runAction(t, ws, hub, issue); res.code != 0 || res.outputs["exit-code"] != "1" {
		t.Fatalf("drift: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	calls := hub.calls()
	if got := commands(calls); !slices.Equal(got, []string{"label create", "issue list", "issue create"}) {
		t.Errorf("drift: want the label made and the issue opened, got %v", got)
	}
	st := hub.state()
	if len(st.Issues) != 1 || st.Issues[0].State != "open" || st.Issues[0].Title != "Doc drift: the upstream port list differs from generated/" ||
		!slices.Equal(st.Issues[0].Labels, []string{"doc-drift"}) {
		t.Fatalf("want one open doc-drift issue, got %+v", st.Issues)
	}
	f.literal("the issue", st.Issues[0].Body)
	if !strings.Contains(st.Issues[0].Body, "4234/UDP") || !strings.Contains(st.Issues[0].Body, "actions/runs/4242") {
		t.Errorf("the issue lacks the report or the run:\n%s", st.Issues[0].Body)
	}

	f.set(docC)
	if res := runAction(t, ws, hub, issue); res.code != 0 {
		t.Fatalf("more drift: exit %d\n%s", res.code, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"label create", "issue list", "issue edit", "issue comment"}) {
		t.Errorf("still drifting: want the issue updated, got %v", got)
	}
	st = hub.state()
	if len(st.Issues) != 1 || !strings.Contains(st.Issues[0].Body, "8472/UDP") || len(st.Issues[0].Comments) != 1 || !strings.Contains(st.Issues[0].Comments[0], "Still drifting") {
		t.Errorf("the issue was not updated with the new report: %+v", st.Issues)
	}

	// The data file drifts, the page cannot be read: reported, not closed,
	// the step fails.
	res := runAction(t, ws, hub, map[string]string{"mode": "issue", "source": f.upstream + " Data file\n" + filepath.Join(ws, "page.md") + " Rendered page\n"})
	if res.code != 2 || hub.state().Issues[0].State != "open" {
		t.Errorf("one source unreadable: exit %d (want 2), issue %+v\n%s", res.code, hub.state().Issues[0], res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"label create", "issue list", "issue edit", "issue comment"}) {
		t.Errorf("one source drifting, one unreadable: want the issue updated, got %v", got)
	}

	f.set(docA)
	if res := runAction(t, ws, hub, issue); res.code != 0 || res.outputs["exit-code"] != "0" {
		t.Fatalf("drift gone: exit %d\n%s", res.code, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"issue list", "issue close"}) {
		t.Errorf("drift gone: want the issue closed, got %v", got)
	}
	if st := hub.state(); st.Issues[0].State != "closed" {
		t.Errorf("the issue is still open: %+v", st.Issues[0])
	}
	f.ranNothing("issue mode")
}

// downstream is a downstream repository as docs/go-package.md sets one up:
// a module that pins portspec as a tool (replaced by this checkout), the
// directive that runs it from go generate, a portspec.yaml whose input is
// the fixture's upstream, and generated/ from docA, committed and pushed
// to a bare origin.
func downstream(t *testing.T, f *fixture) (ws, origin string) {
	t.Helper()
	m := tempmod.New(t, "example.com/downstream")
	m.RequirePortspec()
	m.Go("get", "-tool", "github.com/portspec/portspec/cmd/portspec")
	m.WriteFile("main.go", strings.Replace("package main\n\nDIRECTIVE go tool portspec generate\n\nfunc main() {}\n", "DIRECTIVE", "//go:"+"generate", 1))
	m.WriteFile("portspec.yaml", "version: 1\ninput: "+f.upstream+"\n")
	m.Go("generate", "./...")
	return m.Dir, initRepo(t, m.Dir)
}

// TestActionPullRequest: pull-request mode regenerates with go generate,
// commits the files on the fixed branch, pushes it and opens one pull
// request with the changes report; updates branch and pull request while
// upstream keeps changing; closes it (and deletes the branch) when
// generated/ is current again. The default branch is never pushed to.
func TestActionPullRequest(t *testing.T) {
	requireTools(t)
	f := newFixture(t)
	ws, origin := downstream(t, f)
	hub := newFakeHub(t)
	pr := map[string]string{"mode": "pull-request"}
	mainHead := git(t, origin, "rev-parse", "main")

	res := runAction(t, ws, hub, pr)
	if res.code != 0 || res.outputs["exit-code"] != "0" || res.outputs["pull-request"] != "" {
		t.Fatalf("nothing to regenerate: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	if strings.Contains(res.log, "building it from the action's source") {
		t.Errorf("the module pins portspec as a tool, yet the action built its own:\n%s", res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"pr list"}) {
		t.Errorf("nothing to regenerate: want one look for an open pull request, got %v", got)
	}

	f.set(docB)
	res = runAction(t, ws, hub, pr)
	if res.code != 0 || res.outputs["exit-code"] != "1" || res.outputs["pull-request"] != "1" {
		t.Fatalf("drift: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"pr list", "label create", "pr create", "pr list"}) {
		t.Errorf("drift: want the pull request opened, got %v", got)
	}
	checkBranch := func(port string) {
		t.Helper()
		if got := git(t, origin, "rev-parse", "portspec/regenerate^"); got != mainHead {
			t.Errorf("the branch is not one commit on main: parent %s, main %s", got, mainHead)
		}
		if got := git(t, origin, "rev-parse", "main"); got != mainHead {
			t.Errorf("main was pushed to: %s, was %s", got, mainHead)
		}
		snap := git(t, origin, "show", "portspec/regenerate:generated/ports/drift_test.go")
		if !strings.Contains(snap, port) {
			t.Errorf("the branch's snapshot lacks %s", port)
		}
		if got := git(t, ws, "rev-parse", "--abbrev-ref", "HEAD"); got != "main" {
			t.Errorf("the action left %s checked out, not main", got)
		}
		if got := git(t, ws, "status", "--porcelain", "--untracked-files=all"); got != "" {
			t.Errorf("the action left the working tree changed:\n%s", got)
		}
		if got := git(t, origin, "log", "-1", "--format=%an <%ae>", "portspec/regenerate"); got != "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>" {
			t.Errorf("the regeneration's author is %q", got)
		}
	}
	checkBranch("4234")
	st := hub.state()
	if len(st.PRs) != 1 || st.PRs[0].Head != "portspec/regenerate" || st.PRs[0].Base != "main" || st.PRs[0].State != "open" {
		t.Fatalf("want one open pull request from portspec/regenerate to main, got %+v", st.PRs)
	}
	body := st.PRs[0].Body
	for _, want := range []string{"What the regeneration changes", "open 4234/UDP", "close 2380/TCP", "portspec drift before regenerating", "actions/runs/4242"} {
		if !strings.Contains(body, want) {
			t.Errorf("the pull request's body lacks %q:\n%s", want, body)
		}
	}
	f.literal("the pull request", body)
	f.literal("the summary", res.summary)

	f.set(docC)
	if res := runAction(t, ws, hub, pr); res.code != 0 || res.outputs["pull-request"] != "1" {
		t.Fatalf("more drift: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"pr list", "pr edit"}) {
		t.Errorf("more drift: want the pull request updated, got %v", got)
	}
	checkBranch("8472")
	if st := hub.state(); len(st.PRs) != 1 || !strings.Contains(st.PRs[0].Body, "open 8472/UDP") {
		t.Errorf("the pull request was not updated: %+v", st.PRs)
	}

	f.set(docA)
	if res := runAction(t, ws, hub, pr); res.code != 0 || res.outputs["exit-code"] != "0" {
		t.Fatalf("drift gone: exit %d\n%s", res.code, res.log)
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"pr list", "pr close"}) {
		t.Errorf("drift gone: want the pull request closed, got %v", got)
	}
	if st := hub.state(); st.PRs[0].State != "closed" {
		t.Errorf("the pull request is still open: %+v", st.PRs[0])
	}
	if out, err := exec.Command("git", "-C", origin, "rev-parse", "--verify", "-q", "refs/heads/portspec/regenerate").CombinedOutput(); err == nil {
		t.Errorf("the branch was not deleted: %s", out)
	}
	if res := runAction(t, ws, hub, map[string]string{"mode": "pull-request", "source": f.upstream}); res.code != 2 {
		t.Errorf("pull-request mode with a source: exit %d, want 2", res.code)
	}
	f.ranNothing("pull-request mode")
}

// TestActionPullRequestOnBump: a dependency bot's pull request moves the
// pinned input (portspec.yaml) to a new version; the action, run on that
// branch with branch set to it, regenerates on top of the bump, pushes
// without force and comments with the changes report, and never closes the
// bot's pull request.
func TestActionPullRequestOnBump(t *testing.T) {
	requireTools(t)
	f := newFixture(t)
	ws, origin := downstream(t, f)
	hub := newFakeHub(t)
	v2 := f.doc("v2.yml", docB)

	bot := "renovate/deckhouse-2.x"
	git(t, ws, "checkout", "-q", "-b", bot)
	write(t, filepath.Join(ws, "portspec.yaml"), "version: 1\ninput: "+v2+"\n")
	git(t, ws, "commit", "-q", "-am", "Update deckhouse/deckhouse to v2")
	git(t, ws, "push", "-q", "origin", bot)
	bump := git(t, ws, "rev-parse", "HEAD")
	hub.seed(ghState{Next: 7, PRs: []*ghItem{{Number: 7, Title: "Update deckhouse/deckhouse to v2", State: "open", Head: bot, Base: "main", Body: "the bot's"}}})

	res := runAction(t, ws, hub, map[string]string{"mode": "pull-request", "branch": bot})
	if res.code != 0 || res.outputs["pull-request"] != "7" {
		t.Fatalf("bump: exit %d, outputs %v\n%s", res.code, res.outputs, res.log)
	}
	if got := git(t, origin, "rev-parse", bot+"^"); got != bump {
		t.Errorf("the regeneration is not on top of the bump: parent %s, bump %s", got, bump)
	}
	if snap := git(t, origin, "show", bot+":generated/ports/drift_test.go"); !strings.Contains(snap, "4234") {
		t.Error("the bot's branch lacks the regenerated snapshot")
	}
	if got := commands(hub.calls()); !slices.Equal(got, []string{"pr list", "pr comment"}) {
		t.Errorf("bump: want a comment on the bot's pull request, got %v", got)
	}
	st := hub.state()
	if st.PRs[0].Body != "the bot's" || len(st.PRs[0].Comments) != 1 || !strings.Contains(st.PRs[0].Comments[0], "open 4234/UDP") {
		t.Errorf("the bot's pull request: %+v", st.PRs[0])
	}
	f.literal("the comment", st.PRs[0].Comments[0])

	// Run again on the regenerated branch: nothing to do, nothing closed.
	if res := runAction(t, ws, hub, map[string]string{"mode": "pull-request", "branch": bot}); res.code != 0 {
		t.Fatalf("second run: exit %d\n%s", res.code, res.log)
	}
	if got := commands(hub.calls()); len(got) != 0 {
		t.Errorf("nothing to regenerate on the bot's branch: want no gh call, got %v", got)
	}
	if st := hub.state(); st.PRs[0].State != "open" {
		t.Errorf("the bot's pull request was closed")
	}
	f.ranNothing("the bump")
}
