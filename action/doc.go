// Package action holds the tests of the composite GitHub Action: action.yml
// at the repository root and its script, run.sh in this folder. The tests
// run the action's steps as the runner does (inputs and contexts put into
// the steps' env, the script under bash) in temporary git repositories,
// with a fake gh that records its calls and keeps issues and pull requests,
// and lint the workflows, the action and the scripts with actionlint and
// shellcheck. They run real programs: under CI=true or with
// PORTSPEC_SYSTEM_TESTS=1 (docs/downstream.md, "Tests").
package action
