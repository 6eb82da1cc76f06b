package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	driftWorkflow = "../../.github/workflows/doc-drift.yml"
	// actionScript is the script of the composite action (action.yml) that
	// the workflow uses: it runs portspec.
	actionScript = "../../action/run.sh"
)

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Env  map[string]string
	Jobs map[string]struct {
		Steps []struct {
			Name string
			Run  string
			If   string
			Uses string
			With map[string]string
		}
	}
}

// invocation matches a run of the portspec binary and its command in a
// workflow's step, scriptInvocation one in the action's script, which runs
// the command it settled on as "${portspec[@]}".
var (
	invocation       = regexp.MustCompile(`portspec"?[ \t]+([a-z][a-z-]*)([^\n]*)`)
	scriptInvocation = regexp.MustCompile(`"\$\{portspec\[@\]\}"[ \t]+([a-z][a-z-]*)([^\n]*)`)
)

// TestDriftWorkflow: the nightly workflow parses as YAML, runs nightly and
// on demand, checks the data file and the rendered page through the action
// (action.yml, `uses: ./`), and every `portspec <command>` that it and the
// action's script run is a command of this binary with flags the command
// has.
func TestDriftWorkflow(t *testing.T) {
	src, err := os.ReadFile(driftWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatalf("%s is not YAML: %v", driftWorkflow, err)
	}
	sched, _ := wf.On["schedule"].([]any)
	if len(sched) == 0 {
		t.Error("no schedule: the job must run nightly")
	}
	for _, s := range sched {
		if m, _ := s.(map[string]any); m == nil || m["cron"] == nil {
			t.Errorf("schedule entry without cron: %v", s)
		}
	}
	if _, ok := wf.On["workflow_dispatch"]; !ok {
		t.Error("no workflow_dispatch: the job must run on demand")
	}
	if !strings.HasPrefix(wf.Env["DATA_URL"], "https://") || !strings.HasSuffix(wf.Env["DATA_URL"], "/deckhouse-ports.yml") {
		t.Errorf("DATA_URL %q is not the upstream data file over https", wf.Env["DATA_URL"])
	}
	if !strings.HasPrefix(wf.Env["PAGE_URL"], "https://") {
		t.Errorf("PAGE_URL %q is not https", wf.Env["PAGE_URL"])
	}

	known := map[string]bool{}
	for _, c := range commands {
		known[c.name] = true
	}
	script, err := os.ReadFile(actionScript)
	if err != nil {
		t.Fatal(err)
	}
	type runStep struct {
		Name, Run string
		re        *regexp.Regexp
	}
	// The values GitHub puts in for the expressions of the action's inputs.
	expr := strings.NewReplacer("${{ env.DATA_URL }}", wf.Env["DATA_URL"], "${{ env.PAGE_URL }}", wf.Env["PAGE_URL"], "${{ runner.temp }}", "/runner/temp")
	var steps []runStep
	sources := 0
	for _, job := range wf.Jobs {
		for _, st := range job.Steps {
			if st.Uses == "./" {
				if st.With["mode"] != "issue" {
					t.Errorf("step %q uses the action in mode %q, want issue", st.Name, st.With["mode"])
				}
				for _, line := range strings.Split(expr.Replace(st.With["source"]), "\n") {
					if f := strings.Fields(line); len(f) > 0 {
						sources++
						if f[0] != wf.Env["DATA_URL"] && f[0] != wf.Env["PAGE_URL"] {
							t.Errorf("step %q: source %q is neither the data file nor the page", st.Name, f[0])
						}
					}
				}
			}
			if st.Run != "" {
				steps = append(steps, runStep{st.Name, st.Run, invocation})
			}
		}
	}
	if sources != 2 {
		t.Errorf("want the action to check the data file and the page (2 sources), found %d", sources)
	}
	steps = append(steps, runStep{"action/run.sh", string(script), scriptInvocation})
	var runs []string
	markdownDrift := 0
	for _, st := range steps {
		runs = append(runs, st.Run)
		for _, m := range st.re.FindAllStringSubmatch(st.Run, -1) {
			cmd, rest := m[1], m[2]
			if !known[cmd] {
				t.Errorf("step %q runs `portspec %s`, which is not a command (have %v)", st.Name, cmd, commandNames())
				continue
			}
			if strings.HasPrefix(strings.TrimSpace(rest), "could not") {
				continue // a message about portspec, not a run of it
			}
			_, help, _ := runCmd(t, "", cmd, "--help")
			for _, f := range regexp.MustCompile(`(?:^|\s)--([a-z][a-z-]*)`).FindAllStringSubmatch(rest, -1) {
				if !strings.Contains(help, "  -"+f[1]+" ") && !strings.Contains(help, "  -"+f[1]+"\n") {
					t.Errorf("step %q: `portspec %s` has no flag --%s", st.Name, cmd, f[1])
				}
			}
			if cmd == "drift" && strings.Contains(rest, "--format markdown") {
				markdownDrift++
			}
		}
	}
	if markdownDrift < 1 {
		t.Errorf("want the action's script to run `portspec drift --format markdown` for each source, found %d", markdownDrift)
	}
	// The flags the script adds to every drift run exist too.
	_, driftHelp, _ := runCmd(t, "", "drift", "--help")
	added := regexp.MustCompile(`common\+=\(--([a-z][a-z-]*)`).FindAllStringSubmatch(string(script), -1)
	if len(added) < 2 {
		t.Errorf("action/run.sh: want --config and --acknowledge added to drift's flags, found %v", added)
	}
	for _, f := range added {
		if !strings.Contains(driftHelp, "  -"+f[1]+" ") {
			t.Errorf("action/run.sh: `portspec drift` has no flag --%s", f[1])
		}
	}
	// Every script is valid bash (with the ${{ }} expressions stubbed).
	if bash, err := exec.LookPath("bash"); err == nil {
		expr := regexp.MustCompile(`\$\{\{[^}]*\}\}`)
		for i, r := range runs {
			script := filepath.Join(t.TempDir(), "step.sh")
			os.WriteFile(script, []byte(expr.ReplaceAllString(r, "x")), 0o644)
			if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
				t.Errorf("run script %d is not valid bash: %v\n%s\n%s", i, err, out, r)
			}
		}
	}
	// The workflow reaches only the upstream project and its documentation
	// sites: every host it names is on this list (tools come through the
	// runner's own set-up actions, never from a host the workflow names).
	allowed := map[string]bool{
		"raw.githubusercontent.com": true, "github.com": true, "api.github.com": true,
		"deckhouse.io": true, "deckhouse.ru": true,
	}
	for _, m := range regexp.MustCompile(`https?://([^/\s"']+)`).FindAllStringSubmatch(string(src), -1) {
		if !allowed[m[1]] {
			t.Errorf("the workflow names host %s, which is not one of the upstream project's", m[1])
		}
	}
}

func commandNames() []string {
	var n []string
	for _, c := range commands {
		n = append(n, c.name)
	}
	return n
}
