#!/usr/bin/env bash
# Runs every test: installs Node 22 and the dependencies if needed, PostgreSQL 15
# (so database tests run on SQLite and PostgreSQL) and Chromium (browser tests)
# from Debian if missing, then runs
#   0. the static checks (scripts/check-static.sh: tsc, lint, prettier, API reports),
#   1. the unit and integration tests of every package (Jest, `backstage-cli repo test`),
#   2. the whole-portal tests in e2e/ against the portal started as the README says,
#   3. the two-replica tests in replicas/: two packages/backend processes on one
#      PostgreSQL behind a load balancer, the operator failing over when one is
#      killed (a few minutes; AIGW_SKIP_REPLICAS=1 leaves them out),
#   4. the real-cluster tests in kube/: kube-apiserver and etcd built from the Go module
#      proxy (scripts/kube.sh; the first build takes minutes, then it is cached), real
#      RBAC, server-side apply and CRD validation, the Kubernetes tab in Chromium
#      (AIGW_SKIP_KUBE=1 leaves them out),
#   5. the install test (scripts/test-install.sh): the packed packages installed with
#      their READMEs' steps into a new app from @backstage/create-app (about 10 minutes;
#      AIGW_SKIP_INSTALL_TEST=1 leaves it out).
# Extra arguments go to the first Jest run. Ends with "N passed, N failed, N skipped".
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [ "${AIGW_SKIP_E2E:-}" != 1 ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"
fi

pg_url="$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$pg_url"
export CI="${CI:-true}"

rm -rf test-output && mkdir -p test-output
status=0
# Types, lint, formatting, API reports and package metadata (one test each).
bash scripts/check-static.sh || status=1
backstage-cli repo test --ci --maxWorkers=2 --json --outputFile=test-output/jest-unit.json "$@" || status=1
if [ "${AIGW_SKIP_E2E:-}" != 1 ]; then
  jest -c e2e/jest.config.js --ci --json --outputFile=test-output/jest-e2e.json || status=1
fi
if [ "${AIGW_SKIP_REPLICAS:-}" != 1 ]; then
  jest -c replicas/jest.config.js --ci --json --outputFile=test-output/jest-replicas.json || status=1
  # Counted as one failure should Jest stop before writing its results.
  [ -f test-output/jest-replicas.json ] ||
    echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0}' > test-output/jest-replicas.json
fi
if [ "${AIGW_SKIP_KUBE:-}" != 1 ]; then
  jest -c kube/jest.config.js --ci --json --outputFile=test-output/jest-kube.json || status=1
  # Counted as one failure should Jest stop before writing its results (e.g. no Go).
  [ -f test-output/jest-kube.json ] ||
    echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0}' > test-output/jest-kube.json
fi
if [ "${AIGW_SKIP_INSTALL_TEST:-}" != 1 ]; then
  AIGW_INSTALL_RESULTS=test-output/install-results.json bash scripts/test-install.sh || status=1
  # Counted as one failure should it stop before writing its results.
  [ -f test-output/install-results.json ] ||
    echo '{"numPassedTests":0,"numFailedTests":1,"numPendingTests":0}' > test-output/install-results.json
fi

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of ["test-output/static-checks.json", "test-output/jest-unit.json", "test-output/jest-e2e.json", "test-output/jest-replicas.json", "test-output/jest-kube.json", "test-output/install-results.json"]) {
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests;
    // Suites that fail to load count as failures even though no test ran.
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
    skipped += r.numPendingTests;
  }
  if (passed + failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
'
exit $status
