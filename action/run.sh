#!/usr/bin/env bash
# The script of the composite action (action.yml at the repository root;
# docs/downstream.md). It runs `portspec drift` for every source, writes the
# report to the job summary and, by mode, keeps one issue or one pull
# request up to date.
#
# Inputs arrive as environment variables (INPUT_*); nothing from an input,
# a report or a document is ever spliced into a command: reports are
# files, handed to gh with --body-file, and commands given as inputs are
# split into words, never evaluated.
#
# Exit status: 0 done; 1 drift and fail-on-drift; 2 a source could not be
# read or parsed (after reporting what the others found), a bad input, or
# a failed regeneration or push.
set -euo pipefail

die() {
  echo "::error title=portspec::$1" >&2
  exit 2
}

mode=${INPUT_MODE:-report}
case $mode in
report | issue | pull-request) ;;
*) die "mode: want report, issue or pull-request, not '$mode'" ;;
esac
title=${INPUT_TITLE:-"Doc drift: the upstream port list differs from generated/"}
label=${INPUT_LABEL:-doc-drift}
branch=${INPUT_BRANCH:-portspec/regenerate}
run_url=${PORTSPEC_RUN_URL:-}
today=$(date -u +%Y-%m-%d)

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/portspec-action.XXXXXX")
report=$work/report.md
echo "report=$report" >>"${GITHUB_OUTPUT:-/dev/null}"
# exit-code is written once, on the way out: 2 until the checks answered.
code=2
trap 'echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"' EXIT

# The portspec command: the input, else the module's pinned tool, else a
# build of this action's own source.
if [ -n "${INPUT_PORTSPEC:-}" ]; then
  read -ra portspec <<<"$INPUT_PORTSPEC"
elif go tool -n portspec >/dev/null 2>&1; then
  portspec=(go tool portspec)
else
  echo "portspec: building it from the action's source (${GITHUB_ACTION_PATH:?})"
  (cd "$GITHUB_ACTION_PATH" && go build -o "$work/portspec" ./cmd/portspec) || die "could not build portspec from the action's source"
  portspec=("$work/portspec")
fi

common=()
if [ -n "${INPUT_CONFIG:-}" ]; then common+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_ACKNOWLEDGE:-}" ]; then common+=(--acknowledge "$INPUT_ACKNOWLEDGE"); fi

# One source per line: the first word is the document, the rest a heading.
sources=()
while IFS= read -r line; do
  line=${line#"${line%%[![:space:]]*}"}
  if [ -n "$line" ]; then sources+=("$line"); fi
done <<<"${INPUT_SOURCE:-}"
if [ "$mode" = pull-request ] && ((${#sources[@]})); then
  die "pull-request mode regenerates from the config's input: pin the version there (input: in portspec.yaml), not in source"
fi
if ((${#sources[@]} == 0)); then sources=(""); fi

# drift_all runs portspec drift for every source into the report and sets
# drifted (some source drifted), failed (some could not be read or parsed)
# and code: 2 when any failed, else 1 when any drifted, else 0.
drifted=0
failed=0
drift_all() {
  local i line src heading out rc doc input="the config's input"
  {
    echo "# portspec drift"
    echo
    echo "Checked on $today${run_url:+ in $run_url}."
  } >"$report"
  for i in "${!sources[@]}"; do
    line=${sources[$i]}
    src=${line%%[[:space:]]*}
    heading=${line#"$src"}
    heading=${heading#"${heading%%[![:space:]]*}"}
    out=$work/drift-$i
    doc=()
    if [ -n "$src" ]; then doc=("$src"); fi
    set +e
    "${portspec[@]}" drift --format markdown "${common[@]}" "${doc[@]}" >"$out.md" 2>"$out.err"
    rc=$?
    set -e
    cat "$out.err" >&2
    case $rc in
    0) ;;
    1) drifted=1 ;;
    *)
      failed=1
      echo "::error title=portspec::portspec drift could not read ${src:-$input} (exit $rc): drift NOT checked"
      ;;
    esac
    {
      echo
      echo "## ${heading:-${src:-$input}}"
      echo
      if [ -n "$src" ]; then
        echo "Source: \`$src\`, exit $rc."
      else
        echo "Source: $input, exit $rc."
      fi
      echo
      if [ "$rc" -le 1 ]; then
        cat "$out.md"
      else
        echo "Drift NOT checked: the source could not be read."
        echo
        echo '```text'
        head -c 4000 "$out.err"
        echo
        echo '```'
      fi
    } >>"$report"
  done
  if ((failed)); then
    code=2
  elif ((drifted)); then
    code=1
  else
    code=0
  fi
}

# body_file FILE INTRO...: FILE gets the intro lines and the report, cut to
# what an issue or pull request body holds (65536 characters).
body_file() {
  local file=$1
  shift
  {
    printf '%s\n' "$@"
    echo
    cat "$report"
  } >"$file.full"
  head -c 60000 "$file.full" >"$file"
}

ensure_label() {
  gh label create "$label" --color d93f0b --description "the upstream port list differs from generated/" --force >/dev/null
}

# open_issue and open_pr print the number of the open issue (of this label
# and title) or pull request (from this branch), or nothing. The title and
# the branch reach jq as --arg values, never as part of its program.
open_issue() {
  gh issue list --state open --label "$label" --json number,title --limit 100 >"$work/issues.json"
  # shellcheck disable=SC2016 # $title is jq's variable
  jq -r --arg title "$title" '[.[] | select(.title == $title)][0].number // empty' "$work/issues.json"
}

open_pr() {
  gh pr list --state open --head "$branch" --json number,headRefName --limit 100 >"$work/prs.json"
  # shellcheck disable=SC2016 # $branch is jq's variable
  jq -r --arg branch "$branch" '[.[] | select(.headRefName == $branch)][0].number // empty' "$work/prs.json"
}

# issue_mode reports a drift even when another source could not be read
# (the step fails afterwards); it closes the issue only when every source
# was checked and none drifted.
issue_mode() {
  local number
  if ((drifted)); then
    body_file "$work/issue.md" \
      "portspec found changes upstream that generated/ does not have${run_url:+ ([run]($run_url), $today)}." "" \
      "Check them, then regenerate (\`go generate ./...\`), or list the changes you accept in the acknowledge file (docs/drift.md)."
    ensure_label
    number=$(open_issue)
    if [ -n "$number" ]; then
      gh issue edit "$number" --body-file "$work/issue.md" >/dev/null
      gh issue comment "$number" --body "Still drifting on $today${run_url:+: $run_url} (the description holds the latest report)." >/dev/null
      echo "portspec: updated issue #$number"
    else
      gh issue create --title "$title" --label "$label" --body-file "$work/issue.md"
    fi
  elif ((!failed)); then
    number=$(open_issue)
    if [ -n "$number" ]; then
      gh issue close "$number" --comment "No drift on $today${run_url:+ ($run_url)}: closing." >/dev/null
      echo "portspec: closed issue #$number"
    fi
  fi
}

pull_request_mode() {
  local base number old snapshot changes
  if ((code >= 2)); then return; fi
  if [ -n "$(git status --porcelain --untracked-files=all)" ]; then
    git status --short >&2
    die "pull-request mode needs a clean working tree before it regenerates"
  fi
  base=$(git rev-parse --abbrev-ref HEAD)
  if [ "$base" = HEAD ]; then die "pull-request mode needs a branch checked out, not a detached HEAD"; fi
  snapshot=${INPUT_SNAPSHOT:-generated/ports/drift_test.go}
  old=$work/before/drift_test.go
  mkdir -p "${old%/*}"
  git show "HEAD:./$snapshot" >"$old" 2>/dev/null || rm -f "$old"

  read -ra generate <<<"${INPUT_GENERATE:-go generate ./...}"
  echo "portspec: ${generate[*]}"
  "${generate[@]}" || die "the regeneration failed (${generate[*]})"

  if [ -z "$(git status --porcelain --untracked-files=all)" ]; then
    echo "portspec: nothing to regenerate"
    echo "pull-request=" >>"${GITHUB_OUTPUT:-/dev/null}"
    if [ "$branch" != "$base" ]; then
      number=$(open_pr)
      if [ -n "$number" ]; then
        gh pr close "$number" --delete-branch --comment "generated/ is current again on $today${run_url:+ ($run_url)}: closing." >/dev/null
        echo "portspec: closed pull request #$number"
      fi
    fi
    return
  fi

  changes=$work/changes.md
  if [ -f "$old" ] && [ -f "$snapshot" ] && "${portspec[@]}" changes --format markdown "$old" "$snapshot" >"$changes" 2>"$work/changes.err"; then
    :
  else
    cat "$work/changes.err" >&2 2>/dev/null || true
    echo "_No firewall changes listed: the snapshot before or after the regeneration could not be compared (see the log)._" >"$changes"
  fi
  {
    echo "# What the regeneration changes"
    echo
    cat "$changes"
    echo
    echo "<details><summary>portspec drift before regenerating</summary>"
    echo
    cat "$report"
    echo
    echo "</details>"
  } >"$work/pr-report.md"
  cp "$work/pr-report.md" "$report"
  body_file "$work/pr.md" \
    "Regenerated by portspec${run_url:+ ([run]($run_url), $today)} with \`${generate[*]}\` from the config's input." "" \
    "Review the firewall changes below before merging; roll host firewalls out in audit mode first (docs/host-firewalls.md)."

  if [ -z "$(git config user.email || true)" ]; then
    git config user.name "github-actions[bot]"
    git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
  fi
  printf '%s\n\n%s\n' "portspec: regenerate from the upstream port list" "${run_url:+Run: $run_url}" >"$work/commit.txt"
  if [ "$branch" = "$base" ]; then
    # A branch of its own (a dependency bot's pin bump): regenerate on top.
    git add -A
    git commit -q -F "$work/commit.txt"
    git push -q origin "HEAD:refs/heads/$branch" || die "could not push the regeneration to $branch"
    number=$(open_pr)
    if [ -n "$number" ]; then
      gh pr comment "$number" --body-file "$work/pr.md" >/dev/null
      echo "portspec: regenerated on $branch, commented on pull request #$number"
    fi
  else
    git checkout -q -B "$branch"
    git add -A
    git commit -q -F "$work/commit.txt"
    git push -q --force origin "refs/heads/$branch:refs/heads/$branch" || die "could not push $branch"
    git checkout -q "$base"
    number=$(open_pr)
    if [ -n "$number" ]; then
      gh pr edit "$number" --title "$title" --body-file "$work/pr.md" >/dev/null
      echo "portspec: updated pull request #$number"
    else
      ensure_label
      gh pr create --base "$base" --head "$branch" --title "$title" --label "$label" --body-file "$work/pr.md"
      number=$(open_pr)
    fi
  fi
  echo "pull-request=$number" >>"${GITHUB_OUTPUT:-/dev/null}"
}

drift_all
case $mode in
issue) issue_mode ;;
pull-request) pull_request_mode ;;
esac
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then head -c 1000000 "$report" >>"$GITHUB_STEP_SUMMARY"; fi

if ((code >= 2)); then
  echo "::error title=portspec::a source could not be read or parsed: drift NOT checked (see the report)"
  exit 2
fi
if ((code == 1)) && [ "${INPUT_FAIL_ON_DRIFT:-false}" = true ]; then
  echo "::error title=portspec::the upstream port list differs from generated/"
  exit 1
fi
