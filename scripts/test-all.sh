#!/usr/bin/env bash
# Runs every test: installs Node 22 and the dependencies if needed, starts a
# throw-away PostgreSQL 15 so database tests run on SQLite and PostgreSQL, then
# runs Jest across all packages. Extra arguments go to Jest.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pg_url="$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
export CI="${CI:-true}"

mkdir -p test-output
set +e
backstage-cli repo test --ci --maxWorkers=2 --json --outputFile=test-output/jest-results.json "$@"
status=$?
set -e
node -e '
  const r = require("./test-output/jest-results.json");
  // Suites that fail to load count as failures even though no test ran.
  const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests} skipped`);
' || echo "0 passed, 1 failed"
exit $status
