#!/usr/bin/env bash
# Runs every benchmark under bench/ (files named *.bench.ts), one after another.
# They print figures and never fail on a slow result.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"
for bench in bench/*.bench.ts; do
  echo "=== ${bench}"
  node --require @backstage/cli/config/nodeTransform.cjs "$bench"
done
