#!/usr/bin/env bash
# The GitHub Action's work (action.yml passes its inputs as environment variables, never as script text).
# Runs the bundled CLI that ships with the action: no install step.
set -uo pipefail

cli="${WXCONF_ACTION_PATH:?}/dist/bin/wxconf.cjs"
if [ ! -f "$cli" ]; then
  echo "::error::this ref of the wxconf action has no bundled CLI (dist/bin): use a release tag such as @v0"
  exit 1
fi

out_dir="${RUNNER_TEMP:-/tmp}/wxconf-action"
mkdir -p "$out_dir"
# Extra arguments, split on white space only (no shell expansion of their contents).
read -r -a extra <<< "${INPUT_ARGS:-}"
command="${INPUT_COMMAND:-plan}"

case "$command" in
  plan)
    node "$cli" plan -c "$INPUT_CONFIG" --format markdown --detailed-exitcode --out "$out_dir/plan.json" "${extra[@]}" > "$out_dir/result.md" 2> "$out_dir/stderr.txt"
    code=$?
    ;;
  drift)
    node "$cli" drift -c "$INPUT_CONFIG" --format markdown "${extra[@]}" > "$out_dir/result.md" 2> "$out_dir/stderr.txt"
    code=$?
    ;;
  apply | validate)
    node "$cli" "$command" -c "$INPUT_CONFIG" "${extra[@]}" > "$out_dir/result.md" 2> "$out_dir/stderr.txt"
    code=$?
    ;;
  server-check)
    node "$cli" server check -c "$INPUT_CONFIG" "${extra[@]}" > "$out_dir/result.md" 2> "$out_dir/stderr.txt"
    code=$?
    ;;
  *)
    echo "::error::unknown command '$command': plan, apply, drift, validate or server-check"
    exit 1
    ;;
esac

cat "$out_dir/result.md"
cat "$out_dir/stderr.txt" >&2

checksum=""
if [ -f "$out_dir/plan.json" ]; then
  checksum="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).checksum)' "$out_dir/plan.json")"
fi
changes=false
if [ "$code" -eq 2 ]; then changes=true; fi
{
  echo "exit-code=$code"
  echo "checksum=$checksum"
  echo "has-changes=$changes"
  echo "result-file=$out_dir/result.md"
  echo "stderr-file=$out_dir/stderr.txt"
} >> "${GITHUB_OUTPUT:?}"

# plan and drift: 2 means changes, which is not a failure of the step.
if [ "$code" -eq 2 ] && { [ "$command" = plan ] || [ "$command" = drift ]; }; then exit 0; fi
exit "$code"
