# Sourced by test-all.sh and bench.sh: installs Chromium from Debian when missing
# (the browser tests and the topology benchmark drive it with playwright-core).
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium from Debian..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
fi
