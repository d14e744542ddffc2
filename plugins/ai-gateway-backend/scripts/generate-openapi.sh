#!/bin/sh
# `npm run generate:openapi`: writes src/schema/openapi.yaml from
# src/schema/openApiDocument.ts and the zod model, then has Backstage's
# repo-tools generate the validated router's code (src/schema/openapi/) and
# the typed client (plugins/ai-gateway-common/src/schema/openapi/) from it.
set -eu
cd "$(dirname "$0")/.."
node --require @backstage/cli/config/nodeTransform.cjs src/schema/generateOpenApiYaml.ts
# repo-tools lints and formats with `yarn <bin>`: scripts/repo-tools/yarn runs the bin.
out=$(PATH="$PWD/scripts/repo-tools:$PATH" backstage-repo-tools package schema openapi generate \
  --server --client-package plugins/ai-gateway-common 2>&1) || { echo "$out"; exit 1; }
echo "$out"
# repo-tools reports a failed generation but exits 0.
echo "$out" | grep -q 'Generated server files' && echo "$out" | grep -q 'Generated client in'
