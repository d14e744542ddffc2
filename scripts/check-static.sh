#!/usr/bin/env bash
# Static checks of the whole repository, run by the test command: types,
# lint, formatting, API reports, package metadata. Each check counts as one
# test in the final summary (test-output/static-checks.json, Jest's shape).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
set +e
mkdir -p test-output
passed=0
failed=0
failures=()

check() {
  local name="$1"
  shift
  local log="test-output/static-${name// /-}.log"
  local start=$SECONDS
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "PASS $name ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAIL $name ($((SECONDS - start)) s); last lines of $log:"
    tail -40 "$log" | sed 's/^/    /'
  fi
}

# tsc also writes dist-types/, which the API reports read. From scratch: stale
# declarations of moved files change the order in which API Extractor prints
# union members, and with it the reports.
rm -rf dist-types
check "tsc" tsc
# The test tiers and benchmarks outside the packages (no declarations to emit).
check "tsc tiers" tsc -p tsconfig.tiers.json
check "lint" backstage-cli repo lint
check "prettier" prettier --check .
check "api reports" backstage-repo-tools api-reports --ci \
  -o ae-wrong-input-file-type,ae-undocumented --validate-release-tags
check "package metadata" backstage-cli repo fix --publish --check

node -e '
  const [passed, failed, names] = process.argv.slice(1);
  require("fs").writeFileSync("test-output/static-checks.json", JSON.stringify({
    numPassedTests: Number(passed),
    numFailedTests: Number(failed),
    numPendingTests: 0,
    failedChecks: names ? names.split("|") : [],
  }));
' "$passed" "$failed" "$(IFS='|'; echo "${failures[*]}")"
echo "static checks: $passed passed, $failed failed"
[ "$failed" = 0 ]
