package action

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen/config"
)

// downstreamDir is the sample downstream set-up docs/downstream.md shows.
func downstreamDir(t *testing.T) string { return filepath.Join(repoRoot(t), "examples", "downstream") }

// renovateConfig is the part of renovate.json the test reads.
type renovateConfig struct {
	GitIgnoredAuthors []string `json:"gitIgnoredAuthors"`
	CustomManagers    []struct {
		CustomType          string   `json:"customType"`
		ManagerFilePatterns []string `json:"managerFilePatterns"`
		MatchStrings        []string `json:"matchStrings"`
		DepNameTemplate     string   `json:"depNameTemplate"`
		DatasourceTemplate  string   `json:"datasourceTemplate"`
	} `json:"customManagers"`
	PackageRules []struct {
		MatchDepNames []string `json:"matchDepNames"`
		BranchTopic   string   `json:"branchTopic"`
	} `json:"packageRules"`
}

// bump does what Renovate's regex manager does with the sample's
// matchStrings: find the pinned tag in a file the manager matches, and
// replace it inside the match with newTag. It returns the tag it found and
// the file after the bump.
func bump(t *testing.T, cfg renovateConfig, name, text, newTag string) (string, string) {
	t.Helper()
	if len(cfg.CustomManagers) != 1 {
		t.Fatalf("want one custom manager, got %d", len(cfg.CustomManagers))
	}
	m := cfg.CustomManagers[0]
	if m.CustomType != "regex" || m.DepNameTemplate != "deckhouse/deckhouse" || m.DatasourceTemplate != "github-releases" {
		t.Errorf("the manager does not look up deckhouse/deckhouse's releases: %+v", m)
	}
	matched := false
	for _, p := range m.ManagerFilePatterns {
		// Renovate reads "/…/" as a regular expression.
		if !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
			t.Fatalf("managerFilePatterns %q is not a /regex/", p)
		}
		if regexp.MustCompile(p[1 : len(p)-1]).MatchString(name) {
			matched = true
		}
	}
	if !matched {
		t.Fatalf("no managerFilePatterns matches %s: %v", name, m.ManagerFilePatterns)
	}
	var found []string
	out := text
	for _, ms := range m.MatchStrings {
		re := regexp.MustCompile(ms) // RE2 syntax, as Renovate's regex engine (re2) reads it
		for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
			i := re.SubexpIndex("currentValue")
			cur := text[loc[2*i]:loc[2*i+1]]
			found = append(found, cur)
			match := text[loc[0]:loc[1]]
			out = strings.Replace(out, match, strings.Replace(match, cur, newTag, 1), 1)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: want exactly one pinned tag, found %v", name, found)
	}
	return found[0], out
}

// TestDownstreamRenovateBumps: the sample renovate.json finds the pinned
// Deckhouse tag in the sample portspec.yaml, written as a raw URL of the
// data file at a tag or as a version source (deckhouse@TAG), and a bump
// leaves a valid portspec.yaml pinned to the new tag; the sample workflow
// runs on the bot's branch of that bump, in pull-request mode.
func TestDownstreamRenovateBumps(t *testing.T) {
	dir := downstreamDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "renovate.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg renovateConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("renovate.json: %v", err)
	}
	sample, err := os.ReadFile(filepath.Join(dir, "portspec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const dataPath = "/docs/documentation/_data/deckhouse-ports.yml"
	rawURL := func(tag string) string {
		return "https://raw.githubusercontent.com/deckhouse/deckhouse/" + tag + dataPath
	}
	c, err := config.ParseConfig("portspec.yaml", sample)
	if err != nil {
		t.Fatalf("the sample portspec.yaml: %v", err)
	}
	tag := strings.TrimSuffix(strings.TrimPrefix(c.Input, "https://raw.githubusercontent.com/deckhouse/deckhouse/"), dataPath)
	if c.Input != rawURL(tag) || !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(tag) {
		t.Fatalf("the sample's input %q is not the data file at a release tag", c.Input)
	}
	versionSource := strings.Replace(string(sample), "input: "+rawURL(tag), "input: deckhouse@"+tag, 1)
	quoted := strings.Replace(string(sample), "input: "+rawURL(tag), `input: "deckhouse@`+tag+`"`, 1)
	for name, tc := range map[string]struct{ text, want string }{
		"raw URL":               {string(sample), rawURL("v1.99.0")},
		"version source":        {versionSource, "deckhouse@v1.99.0"},
		"quoted version source": {quoted, "deckhouse@v1.99.0"},
	} {
		t.Run(name, func(t *testing.T) {
			cur, bumped := bump(t, cfg, "deploy/portspec.yaml", tc.text, "v1.99.0")
			if cur != tag {
				t.Errorf("found tag %q, want %q", cur, tag)
			}
			c, err := config.ParseConfig("portspec.yaml", []byte(bumped))
			if err != nil {
				t.Fatalf("after the bump: %v\n%s", err, bumped)
			}
			if c.Input != tc.want {
				t.Errorf("after the bump the input is %q, want %q", c.Input, tc.want)
			}
		})
	}
	// The regeneration's commits must not stop Renovate from rebasing.
	if !slices.Contains(cfg.GitIgnoredAuthors, "41898282+github-actions[bot]@users.noreply.github.com") {
		t.Errorf("gitIgnoredAuthors lacks the action's commit author: %v", cfg.GitIgnoredAuthors)
	}

	// The workflow runs on the bot's branch (branchPrefix renovate/ and the
	// rule's branchTopic) and nightly, in pull-request mode.
	var topic string
	for _, r := range cfg.PackageRules {
		if slices.Contains(r.MatchDepNames, "deckhouse/deckhouse") {
			topic = r.BranchTopic
		}
	}
	wfData, err := os.ReadFile(filepath.Join(dir, ".github", "workflows", "portspec.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Schedule []map[string]string `yaml:"schedule"`
			Push     struct {
				Branches []string `yaml:"branches"`
			} `yaml:"push"`
		} `yaml:"on"`
		Jobs map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []struct {
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(wfData, &wf); err != nil {
		t.Fatal(err)
	}
	if topic == "" || !slices.Contains(wf.On.Push.Branches, "renovate/"+topic) || len(wf.On.Schedule) == 0 {
		t.Errorf("the workflow runs on pushes to %v and on %v; want renovate/%s and a schedule", wf.On.Push.Branches, wf.On.Schedule, topic)
	}
	uses := 0
	for name, job := range wf.Jobs {
		if !maps.Equal(job.Permissions, map[string]string{"contents": "write", "pull-requests": "write"}) {
			t.Errorf("job %s: permissions %v, want contents and pull-requests write only", name, job.Permissions)
		}
		for _, st := range job.Steps {
			if strings.HasPrefix(st.Uses, "portspec/portspec@") {
				uses++
				if st.With["mode"] != "pull-request" || !strings.Contains(st.With["branch"], "renovate/"+topic) {
					t.Errorf("the action runs with %v: want pull-request mode, on the bot's branch when it runs there", st.With)
				}
			} else if st.Uses != "" && !regexp.MustCompile(`@[0-9a-f]{40}$`).MatchString(st.Uses) {
				t.Errorf("%s is not pinned by commit SHA", st.Uses)
			}
		}
	}
	if uses != 1 {
		t.Errorf("want one step using portspec/portspec, found %d", uses)
	}
}
