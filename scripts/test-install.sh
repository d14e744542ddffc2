#!/usr/bin/env bash
# Install test: proves the suite installs into a Backstage app nobody here wrote,
# from its packed tarballs, with exactly the steps its package READMEs give.
#
#   bash scripts/test-install.sh [--keep]
#
# 1. App preparation (scripts/install-test/prepare-app.sh; nothing of the suite):
#    a brand-new app from @backstage/create-app at the version that matches
#    backstage.json (yarn 1 is installed in the work folder only because create-app
#    refuses to run without a yarn on PATH), installed with npm the way any npm user
#    must: .npmrc legacy-peer-deps (MUI 4's React peers), root `overrides`
#    (@yarnpkg/core 4.9.1, React 18), `allowScripts` (better-sqlite3, esbuild,
#    @swc/core), `"app": "*"` instead of the yarn-only `link:../app`, and the
#    release's own @backstage/plugin-signals-backend version (without create-app's
#    yarn.lock seed npm takes a newer one that does not start). Then
#    app-config.local.yaml moves the app to $AIGW_INSTALL_PORT.
# 2. Pack: every non-private package under plugins/ (found at run time) is built
#    (`tsc`, `backstage-cli package build`) and packed with `npm pack`, whose
#    prepack/postpack scripts run `backstage-cli package prepack/postpack`. Each
#    package.json is backed up first and restored even if packing fails. Each
#    tarball is checked: its package.json points at dist/ and every file its entry
#    points name is in it (scripts/install-test/verify-tarball.mjs).
# 3. Install: a registry on 127.0.0.1 serves the tarballs
#    (scripts/install-test/registry.mjs) and the app's .npmrc routes only the
#    @ai-gateway-backstage scope to it: it stands in for npmjs.com, where the suite
#    is not published, so the README commands run exactly as written and npm
#    resolves the suite's dependencies on each other from the tarballs. Then the
#    `## Installation` section of every package README is applied, in package order
#    (libraries, backend plugin, backend modules, frontend), and nothing else
#    (scripts/install-test/readme-steps.mjs). The convention of that section:
#      ```bash                                       commands run at the app root
#      ```ts title="packages/backend/src/index.ts"   lines inserted before `backend.start();`
#      ```diff title="packages/backend/src/index.ts" `-` lines removed, `+` lines put in their place
#      ```tsx title="packages/app/src/App.tsx"       imports added, other lines appended to
#                                                    createApp's `features` (not needed with
#                                                    the template's feature discovery)
#      ```yaml title="app-config.yaml"               deep-merged into app-config.yaml
#    Any other titled block in the section is an error; untitled blocks in other
#    languages are illustrations. Consecutive `npm install`s with the same options
#    run as one command (same tree, minutes saved). Then: every suite package in the
#    app is one of the tarballs (same integrity); no suite package brings a second
#    copy of a @backstage/* package the app already has; command-line packages (the
#    operator) install from the registry into a folder of their own and run.
# 4. The app type-checks (`tsc`) and its frontend builds; the backend starts on
#    SQLite (in memory) and serves the built frontend (app-backend). Then
#    scripts/install-test/checks.mjs checks over HTTP and in Chromium: guest
#    sign-in, /api/ai-gateway answers, a project and a pool created over the API
#    reach the catalog, the scaffolder lists ai-gateway:* actions, the /ai-gateway
#    page and the pool's entity page render.
#
# Every step and check prints PASS/FAIL (SKIP) and is counted in
# $AIGW_INSTALL_RESULTS (Jest-style JSON, default test-output/install-results.json,
# read by scripts/test-all.sh). A failing step stops the run with the last lines of
# its log; started processes are stopped and their logs' tails printed. Logs, the
# diff the README steps made to the app and the screenshots end up in
# test-output/install/.
#
# Options and environment:
#   --keep                keep the work folder (printed at the end)
#   AIGW_INSTALL_DIR      work folder (default: a new temporary one; kept when set).
#                         A folder kept by an earlier run holds base-app/, the
#                         prepared app before the suite: it is reused (node_modules
#                         hard-linked, the rest copied), which skips the 6-8 minutes
#                         of step 1 while iterating. AIGW_INSTALL_FRESH=1 prepares
#                         it again.
#   AIGW_INSTALL_PORT     port of the app (default 7107)
#   AIGW_INSTALL_RESULTS  results file
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
set -euo pipefail

# create-app version per Backstage release (backstage.json); the generated app's
# backstage.json is checked against it.
declare -A CREATE_APP_FOR_RELEASE=([1.55.0]=0.9.2)

keep=0
for arg in "$@"; do
  case "$arg" in
    --keep) keep=1 ;;
    *) echo "usage: bash scripts/test-install.sh [--keep]" >&2; exit 2 ;;
  esac
done

root="$AIGW_ROOT"
port="${AIGW_INSTALL_PORT:-7107}"
results="${AIGW_INSTALL_RESULTS:-$root/test-output/install-results.json}"
case "$results" in /*) ;; *) results="$root/$results" ;; esac
if [ -n "${AIGW_INSTALL_DIR:-}" ]; then
  work="$(mkdir -p "$AIGW_INSTALL_DIR" && cd "$AIGW_INSTALL_DIR" && pwd)"
  keep=1
else
  work="$(mktemp -d /tmp/aigw-install-test.XXXXXX)"
fi
app="$work/app"
tsv="$work/results.tsv"
output="$root/test-output/install" # logs and screenshots, kept after the run
logs="$output/logs"
rm -rf "$work/tarballs" "$work/backup" "$output"
mkdir -p "$logs" "$work/tarballs" "$work/backup" "$(dirname "$results")"
: > "$tsv"
started=$SECONDS
step_no=0
pids=()     # process groups started by this script
pid_logs=() # their logs

record() { # PASS|FAIL|SKIP message
  printf '%s\t%s\n' "$1" "$2" >> "$tsv"
  echo "$1: $2"
}

write_results() {
  node - "$tsv" "$results" "$((SECONDS - started))" <<'NODE'
const fs = require('fs');
const [tsv, out, seconds] = process.argv.slice(2);
const rows = fs.readFileSync(tsv, 'utf8').split('\n').filter(Boolean).map(l => {
  const [status, ...rest] = l.split('\t');
  return { status, title: rest.join('\t') };
});
const count = s => rows.filter(r => r.status === s).length;
const failed = count('FAIL') + (rows.length === 0 ? 1 : 0);
fs.writeFileSync(out, JSON.stringify({
  numPassedTests: count('PASS'),
  numFailedTests: failed,
  numPendingTests: count('SKIP'),
  numRuntimeErrorTestSuites: 0,
  success: failed === 0,
  durationSeconds: Number(seconds),
  testResults: [{
    name: 'scripts/test-install.sh',
    assertionResults: rows.map(r => ({
      title: r.title,
      status: { PASS: 'passed', FAIL: 'failed', SKIP: 'pending' }[r.status] ?? 'failed',
    })),
  }],
}, null, 2) + '\n');
NODE
}

# package.json files backed up before `npm pack` (restored on any exit).
restore_package_jsons() {
  local backup dir
  for backup in "$work"/backup/*.json; do
    [ -e "$backup" ] || continue
    dir="$(cat "${backup%.json}.dir")"
    if [ -e "$dir/package.json-prepack" ]; then
      # postpack did not run: put the original back as postpack would.
      mv -f "$dir/package.json-prepack" "$dir/package.json"
    fi
    if cmp -s "$backup" "$dir/package.json"; then
      rm -f "$backup" "${backup%.json}.dir"
    else
      # Not overwritten: the difference may be somebody's edit made meanwhile.
      echo "WARNING: $dir/package.json differs from the copy taken before packing" \
        "($backup); compare them" >&2
    fi
    rm -f "$dir/config.schema.json" 2>/dev/null || true
  done
}

cleanup() {
  local status=$?
  set +e
  restore_package_jsons
  local i
  for i in "${!pids[@]}"; do
    kill -TERM -- "-${pids[$i]}" 2>/dev/null
  done
  sleep 1
  for i in "${!pids[@]}"; do
    kill -KILL -- "-${pids[$i]}" 2>/dev/null
    if [ "$status" != 0 ]; then
      echo "--- last lines of ${pid_logs[$i]} ---" >&2
      tail -n 30 "${pid_logs[$i]}" >&2
    fi
  done
  if [ "$status" != 0 ] && ! grep -q '^FAIL' "$tsv" 2>/dev/null; then
    record FAIL "the install test stopped (exit $status) outside a step"
  fi
  write_results
  local passed failed skipped
  passed=$(grep -c '^PASS' "$tsv"); failed=$(grep -c '^FAIL' "$tsv"); skipped=$(grep -c '^SKIP' "$tsv")
  echo "Install test: $passed passed, $failed failed, $skipped skipped in $((SECONDS - started)) s" \
    "(results: $results; logs and screenshots: $output)"
  if [ "$keep" = 1 ]; then
    echo "Work folder kept: $work (app: $app)"
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a step (a command or function) with its output in a log; PASS/FAIL with its
# duration, and on failure the last lines of the log, then the run stops (with
# `step --continue`, the run goes on: for steps whose failure does not keep the
# next ones from telling something).
step() {
  local continue_on_failure=0
  if [ "$1" = --continue ]; then continue_on_failure=1; shift; fi
  local name="$1"; shift
  step_no=$((step_no + 1))
  local log
  log="$logs/$(printf '%02d' "$step_no")-$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-' | cut -c1-50).log"
  local t0=$SECONDS
  echo "==> $name"
  # A background subshell, so that `set -e` holds inside the step's functions.
  ( "$@" ) > "$log" 2>&1 &
  if wait $!; then
    record PASS "$name ($((SECONDS - t0)) s)"
  else
    local code=$?
    record FAIL "$name (exit $code after $((SECONDS - t0)) s; log: $log)"
    echo "--- last lines of $log ---" >&2
    tail -n 40 "$log" >&2
    [ "$continue_on_failure" = 1 ] || exit 1
  fi
}

# Starts a long-running command in its own process group; stopped on exit.
start_bg() { # log, command...
  local log="$1"; shift
  setsid "$@" > "$log" 2>&1 < /dev/null &
  pids+=($!)
  pid_logs+=("$log")
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- 0. tools ------------------------------------------------------------------
source "$root/scripts/chromium.sh"
if ! port_free "$port"; then
  record FAIL "port $port is in use (set AIGW_INSTALL_PORT)"
  exit 1
fi

# --- 1. a new app from the official template ---------------------------------------
release="$(node -p 'require("./backstage.json").version')"
create_app_version="${CREATE_APP_FOR_RELEASE[$release]:-}"
if [ -z "$create_app_version" ]; then
  record FAIL "no create-app version known for Backstage $release: add it to CREATE_APP_FOR_RELEASE in scripts/test-install.sh"
  exit 1
fi

prepare_app() {
  rm -rf "$app"
  bash "$root/scripts/install-test/prepare-app.sh" "$work" "$create_app_version" "$app"
  local generated
  generated="$(node -p "require('$app/backstage.json').version")"
  if [ "$generated" != "$release" ]; then
    echo "create-app@$create_app_version generated a Backstage $generated app, not $release" >&2
    return 1
  fi
  cat > "$app/app-config.local.yaml" <<EOF
# Written by scripts/test-install.sh: the test's port.
app:
  baseUrl: http://localhost:$port
backend:
  baseUrl: http://localhost:$port
  listen:
    port: $port
  cors:
    origin: http://localhost:$port
EOF
  if [ "$keep" = 1 ]; then
    rm -rf "$work/base-app"
    cp -a "$app" "$work/base-app"
    touch "$work/base-app/.aigw-base-ready"
  fi
}
reuse_app() {
  rm -rf "$app"
  # node_modules hard-linked (copying 1.8 GB takes minutes; npm replaces package
  # files rather than writing into them), everything else copied, as the README
  # steps edit files in place; so are npm's hidden lockfiles, which npm rewrites.
  cp -al "$work/base-app" "$app"
  local shared
  while IFS= read -r -d '' shared; do
    rm -rf "$app/$shared"
    cp -a "$work/base-app/$shared" "$app/$shared"
  done < <(cd "$work/base-app" && find . -mindepth 1 \( -name node_modules -prune \) -o \
    \( -type f -o -type l \) -print0 && find . -path '*/node_modules/.package-lock.json' -print0)
  rm -f "$app/.aigw-base-ready"
}
if [ -e "$work/base-app/.aigw-base-ready" ] && [ "${AIGW_INSTALL_FRESH:-}" != 1 ]; then
  step "reuse the app prepared by an earlier run ($work/base-app)" reuse_app
else
  step "new app from @backstage/create-app@$create_app_version (Backstage $release), installed with npm" prepare_app
fi

# --- 2. build and pack every publishable package -------------------------------------
mapfile -t packages < <(node - <<'NODE'
// Non-private workspaces under plugins/, libraries first, then backend plugins,
// backend modules, frontend plugins, then anything else (the order READMEs apply).
const fs = require('fs');
const rank = ['common-library', 'node-library', 'web-library', 'backend-plugin', 'backend-plugin-module',
  'frontend-plugin', 'frontend-plugin-module'];
const dirs = fs.readdirSync('plugins').filter(d => fs.existsSync(`plugins/${d}/package.json`));
const pkgs = dirs.map(d => ({ dir: `plugins/${d}`, pkg: JSON.parse(fs.readFileSync(`plugins/${d}/package.json`, 'utf8')) }))
  .filter(p => !p.pkg.private);
const r = p => { const i = rank.indexOf(p.pkg.backstage?.role); return i < 0 ? rank.length : i; };
pkgs.sort((a, b) => r(a) - r(b) || a.dir.localeCompare(b.dir));
for (const p of pkgs) console.log(p.dir);
NODE
)
echo "Publishable packages: ${packages[*]}"
if [ "${#packages[@]}" = 0 ]; then
  record FAIL "no publishable package under plugins/"
  exit 1
fi

# The package builds take their type declarations from dist-types/ (tsc emits
# them even when it reports errors, so the run goes on to tell what else holds).
step --continue "type declarations of the repository (tsc)" tsc

build_package() {
  cd "$root/$1"
  backstage-cli package build
}
pack_package() {
  local dir="$root/$1" name
  name="$(basename "$1")"
  cp "$dir/package.json" "$work/backup/$name.json"
  echo "$dir" > "$work/backup/$name.dir"
  # The lock other scripts take around npm installs in this checkout: nobody reads
  # the package.json files while prepack has them rewritten.
  mkdir -p "$root/.tools"
  (cd "$dir" && flock "$root/.tools/npm.lock" npm pack --pack-destination "$work/tarballs" --json \
    > "$work/tarballs/$name.pack.json")
  # postpack restored package.json; it must equal the copy taken before.
  if [ -e "$dir/package.json-prepack" ] || ! cmp -s "$work/backup/$name.json" "$dir/package.json"; then
    echo "package.json of $1 was not restored by postpack" >&2
    return 1
  fi
  rm -f "$work/backup/$name.json" "$work/backup/$name.dir"
  node "$root/scripts/install-test/verify-tarball.mjs" \
    "$work/tarballs/$(node -p "require('$work/tarballs/$name.pack.json')[0].filename")"
}
for dir in "${packages[@]}"; do
  step "build $dir" build_package "$dir"
  step "pack $dir (npm pack; package.json points at dist/, entry points present)" pack_package "$dir"
done

# --- 3. install with the READMEs' steps ---------------------------------------------
rm -f "$work/registry.port"
start_bg "$logs/registry.log" node "$root/scripts/install-test/registry.mjs" "$work/tarballs" "$work/registry.port"
for _ in $(seq 50); do [ -s "$work/registry.port" ] && break; sleep 0.1; done
[ -s "$work/registry.port" ] || { record FAIL "the local registry did not start (see $logs/registry.log)"; exit 1; }
registry="http://127.0.0.1:$(cat "$work/registry.port")/"
# The one line a real user does not need: the suite's scope comes from the tarballs.
echo "@ai-gateway-backstage:registry=$registry" >> "$app/.npmrc"

readme_dirs=()
for dir in "${packages[@]}"; do readme_dirs+=("$root/$dir"); done
step "apply the Installation steps of the package READMEs" \
  node "$root/scripts/install-test/readme-steps.mjs" apply "$app" "${readme_dirs[@]}"
if [ -d "$app/.git" ]; then
  (cd "$app" && git add -A && git --no-pager diff --cached > "$logs/readme-steps.diff" &&
    echo "What the README steps changed in the app ($logs/readme-steps.diff):" &&
    git --no-pager diff --cached --stat) || true
fi

check_installed_from_tarballs() {
  # Every suite package in the app's lockfile is byte-for-byte one of the packed
  # tarballs (same integrity), and nothing of the suite came from elsewhere.
  node - "$app/package-lock.json" "$work/tarballs" <<'NODE'
const fs = require('fs');
const crypto = require('crypto');
const [lockFile, tarballDir] = process.argv.slice(2);
const packed = new Set(fs.readdirSync(tarballDir).filter(f => f.endsWith('.tgz')).map(f =>
  `sha512-${crypto.createHash('sha512').update(fs.readFileSync(`${tarballDir}/${f}`)).digest('base64')}`));
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const suite = Object.entries(lock.packages).filter(([p]) => /(^|\/)node_modules\/@ai-gateway-backstage\/[^/]+$/.test(p));
if (suite.length === 0) { console.error('no @ai-gateway-backstage package in the app'); process.exit(1); }
let bad = 0;
for (const [p, entry] of suite) {
  const ok = packed.has(entry.integrity);
  console.log(`${ok ? 'tarball' : 'NOT A PACKED TARBALL'}: ${p}@${entry.version}`);
  if (!ok) bad++;
}
process.exit(bad ? 1 : 0);
NODE
}
step "the suite packages in the app come from the packed tarballs" check_installed_from_tarballs

no_second_backstage_copies() {
  # A suite package whose @backstage/* range does not accept the version the app
  # already has gets a second copy of that package nested under it (more to load,
  # and two copies of a frontend library such as catalog-react share no state).
  node - "$app/package-lock.json" <<'NODE'
const lock = require(process.argv[2]);
const nested = Object.entries(lock.packages)
  .map(([p, e]) => [/node_modules\/(@ai-gateway-backstage\/[^/]+)\/node_modules\/(@backstage\/[^/]+)$/.exec(p), e])
  .filter(([m]) => m)
  .map(([m, e]) => `${m[1]} brings ${m[2]}@${e.version}; the app has ` +
    `${lock.packages[`node_modules/${m[2]}`]?.version ?? 'none'}`);
for (const line of nested) console.error(line);
if (nested.length) process.exit(1);
console.log('none');
NODE
}
step --continue "the suite adds no second copy of a Backstage package the app has" no_second_backstage_copies

# Command-line packages (the operator) are not installed into the app: each is
# installed from the registry into a folder of its own, and its programs must run.
cli_runs() { # package dir
  local name bin
  name="$(node -p "require('$root/$1/package.json').name")"
  rm -rf "$work/cli" && mkdir -p "$work/cli"
  npm install --prefix "$work/cli" --no-audit --no-fund "--@ai-gateway-backstage:registry=$registry" "$name"
  for bin in $(node -p "Object.keys(require('$work/cli/node_modules/$name/package.json').bin ?? {}).join(' ')"); do
    echo "\$ $bin --help"
    "$work/cli/node_modules/.bin/$bin" --help | tee "$work/cli/help.txt"
    grep -q "$bin" "$work/cli/help.txt"
  done
}
for dir in "${packages[@]}"; do
  if [ "$(node -p "require('$root/$dir/package.json').backstage?.role")" = cli ]; then
    step "$dir: installed from its tarball, its command runs (--help)" cli_runs "$dir"
  fi
done

# --- 4. build, start, check -----------------------------------------------------------
step "the app type-checks with the suite (tsc)" bash -c "cd '$app' && node_modules/.bin/tsc"
step "build the app's frontend" bash -c "cd '$app' && npm run build --workspace app"

start_bg "$logs/backend.log" bash -c "cd '$app/packages/backend' && exec ../../node_modules/.bin/backstage-cli package start"
wait_for_backend() {
  local url="http://localhost:$port/.backstage/health/v1/readiness"
  for _ in $(seq 300); do
    if curl -fsS "$url" > /dev/null 2>&1; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "the backend exited" >&2
      tail -n 60 "$logs/backend.log" >&2
      return 1
    fi
    sleep 1
  done
  echo "no answer from $url after 300 s" >&2
  tail -n 60 "$logs/backend.log" >&2
  return 1
}
step "the backend starts on SQLite and answers /.backstage/health/v1/readiness" wait_for_backend

echo "==> checks over HTTP and in Chromium"
checks_status=0
AIGW_BASE_URL="http://localhost:$port" AIGW_APP_DIR="$app" AIGW_RESULTS_TSV="$tsv" \
  AIGW_SHOTS="$output" node "$root/scripts/install-test/checks.mjs" || checks_status=$?
if [ "$checks_status" != 0 ]; then
  echo "--- last lines of $logs/backend.log ---" >&2
  tail -n 40 "$logs/backend.log" >&2
  exit 1
fi
