package action

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/internal/upstream"
)

// actionFile is the part of action.yml the runner reads.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
}

func repoRoot(t testing.TB) string {
	root := upstream.RepoRoot()
	if root == "" {
		t.Fatal("cannot find the repository root")
	}
	return root
}

func readAction(t *testing.T) actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// The github context of every run: the values the action's expressions
// read. The token is a value no report may ever contain.
var githubContext = map[string]string{
	"server_url": "https://github.com",
	"repository": "example/downstream",
	"run_id":     "4242",
	"token":      "fake-token-never-printed",
}

// result is what one run of the action gave.
type result struct {
	code    int               // the exit status of the failing step, or 0
	outputs map[string]string // the action's outputs
	summary string            // the job summary
	log     string            // the steps' output
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// runAction runs action.yml's steps as the runner does for a composite
// action: each input (given, else its default) and context is put into
// the expressions of the steps' env, working-directory and outputs, never
// into a script (a run: with an expression fails the test); each run:
// goes to bash the way `shell: bash` runs it (bash --noprofile --norc -eo
// pipefail FILE) in the workspace ws, with GITHUB_ACTION_PATH, the
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files and RUNNER_TEMP, and the
// fake gh first on PATH.
func runAction(t *testing.T, ws string, hub *fakeHub, inputs map[string]string) result {
	t.Helper()
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", a.Runs.Using)
	}
	for name := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
	}
	temp := t.TempDir()
	summary := filepath.Join(temp, "summary.md")
	stepOutputs := map[string]map[string]string{}
	var eval func(s string) string
	eval = func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(m string) string {
			e := expression.FindStringSubmatch(m)[1]
			parts := strings.Split(e, ".")
			switch {
			case len(parts) == 2 && parts[0] == "inputs":
				in, ok := a.Inputs[parts[1]]
				if !ok {
					t.Fatalf("action.yml: expression %q names no input", m)
				}
				if v, given := inputs[parts[1]]; given {
					return v
				}
				return eval(in.Default)
			case len(parts) == 2 && parts[0] == "github":
				if v, ok := githubContext[parts[1]]; ok {
					return v
				}
			case e == "runner.temp":
				return temp
			case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
				return stepOutputs[parts[1]][parts[3]]
			}
			t.Fatalf("action.yml: the test runner does not know expression %q", m)
			return ""
		})
	}
	res := result{outputs: map[string]string{}}
	var log bytes.Buffer
	for i, st := range a.Runs.Steps {
		if st.Uses != "" || st.If != "" {
			t.Fatalf("step %d: the runner runs only unconditional run: steps (uses %q, if %q)", i, st.Uses, st.If)
		}
		if st.Shell != "bash" {
			t.Fatalf("step %d: shell %q, want bash", i, st.Shell)
		}
		if expression.MatchString(st.Run) {
			t.Fatalf("step %d: its run: has an expression, which GitHub would splice into the script:\n%s", i, st.Run)
		}
		script := filepath.Join(temp, "step.sh")
		if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		outFile := filepath.Join(temp, "output")
		os.WriteFile(outFile, nil, 0o644)
		dir := ws
		if st.WorkingDirectory != "" {
			dir = filepath.Join(ws, eval(st.WorkingDirectory))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = dir
		cmd.Env = append(runEnv(t, hub),
			"GITHUB_ACTION_PATH="+repoRoot(t),
			"GITHUB_WORKSPACE="+ws,
			"GITHUB_OUTPUT="+outFile,
			"GITHUB_STEP_SUMMARY="+summary,
			"RUNNER_TEMP="+temp,
		)
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		cmd.Stdout, cmd.Stderr = &log, &log
		err := cmd.Run()
		timedOut := ctx.Err() == context.DeadlineExceeded
		cancel()
		if timedOut {
			t.Fatalf("step %d timed out:\n%s", i, log.String())
		}
		stepOutputs[st.ID] = readOutputs(t, outFile)
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("step %d: %v", i, err)
			}
			res.code = ee.ExitCode()
			break
		}
	}
	for name, o := range a.Outputs {
		res.outputs[name] = eval(o.Value)
	}
	res.log = log.String()
	if data, err := os.ReadFile(summary); err == nil {
		res.summary = string(data)
	}
	return res
}

// readOutputs reads a GITHUB_OUTPUT file: NAME=VALUE lines and
// NAME<<DELIMITER blocks; a later line for a name wins, as on GitHub.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT: line %q is neither NAME=VALUE nor NAME<<DELIMITER", line)
		}
		out[name] = val
	}
	return out
}

var goEnv struct {
	once sync.Once
	vars []string
	err  error
}

// runEnv is the environment of the action's steps: this process's, less
// what the runner sets itself, with a home of its own (no git identity
// of this machine's user: the action must set one), the go command
// offline on this machine's module and build caches, and the fake gh
// first on PATH.
func runEnv(t *testing.T, hub *fakeHub) []string {
	t.Helper()
	goEnv.once.Do(func() {
		out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE", "GOPATH").Output()
		if err != nil {
			goEnv.err = err
			return
		}
		f := strings.Split(strings.TrimSpace(string(out)), "\n")
		goEnv.vars = []string{"GOMODCACHE=" + f[0], "GOCACHE=" + f[1], "GOPATH=" + f[2]}
	})
	if goEnv.err != nil {
		t.Fatalf("go env: %v", goEnv.err)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "GIT_") ||
			k == "HOME" || k == "PATH" || k == "GH_TOKEN" || k == "GOFLAGS" || k == "GOPROXY" {
			continue
		}
		env = append(env, kv)
	}
	home := t.TempDir()
	env = append(env, goEnv.vars...)
	return append(env,
		"HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false",
		"PATH="+hub.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		envFakeGH+"="+hub.dir,
	)
}
