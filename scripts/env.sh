# Sourced by the other scripts: puts Node 22 first on PATH and installs the
# dependencies when package-lock.json changed since the last install.
set -euo pipefail
AIGW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$AIGW_ROOT"
NODE_DIR="$(bash "$AIGW_ROOT/scripts/node22.sh")"
export PATH="$NODE_DIR/bin:$AIGW_ROOT/node_modules/.bin:$PATH"
# Native addons (better-sqlite3) build against Node 22's own headers.
export npm_config_nodedir="$NODE_DIR"
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=6144"

# Installs when package-lock.json changed since the last install. Under a lock,
# so scripts started at the same time do not run two installs into one tree.
aigw_install_if_changed() {
  local lock_hash stamp="node_modules/.aigw-installed"
  lock_hash="$(sha256sum package-lock.json | cut -c1-64)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
    echo "Installing dependencies with npm ci (first run: about 4-8 minutes)..." >&2
    npm ci --no-audit --no-fund >&2
    echo "$lock_hash" > "$stamp"
  fi
}
mkdir -p "$AIGW_ROOT/.tools"
exec {aigw_lock_fd}>"$AIGW_ROOT/.tools/npm.lock"
flock "$aigw_lock_fd"
aigw_install_if_changed
flock -u "$aigw_lock_fd"
exec {aigw_lock_fd}>&-
