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

lock_hash="$(sha256sum package-lock.json | cut -c1-64)"
stamp="node_modules/.aigw-installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "Installing dependencies with npm ci (first run: about 6-8 minutes)..." >&2
  npm ci --no-audit --no-fund >&2
  echo "$lock_hash" > "$stamp"
fi
