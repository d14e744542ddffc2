#!/usr/bin/env bash
# Re-downloads the published CRDs of the third-party kinds that the rendered
# bundles use (Gateway API, cert-manager, Istio, Traefik, OpenShift Route) and
# puts them, unchanged, into plugins/ai-gateway-node-test-utils/crds/<project>/.
#
# Each project publishes its CRDs inside its Go module, so they come from the Go
# module proxy with `go mod download` (checksums verified against the Go
# checksum database). Files are copied byte for byte; where upstream publishes
# several CRDs in one multi-document file, the wanted documents are split out
# byte for byte (the text between two `---` lines). Each folder also gets the
# project's licence file from the same module. Running it twice gives no diff.
#
# Usage: scripts/update-crds.sh   (needs `go` on PATH; bump the versions below)
set -euo pipefail

GATEWAY_API_VERSION=v1.5.1
CERT_MANAGER_VERSION=v1.21.2
ISTIO_API_VERSION=v1.32.0
TRAEFIK_VERSION=v3.7.13
# openshift/api has no semver tags for Go: a pseudo-version of its master branch.
OPENSHIFT_API_VERSION=v0.0.0-20260420151639-34e60874783e

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crds="$root/plugins/ai-gateway-node-test-utils/crds"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints the directory of the extracted module.
module_dir() {
  local json dir
  # Outside any go.mod, so the download does not touch the repository.
  json="$(cd "$work" && go mod download -json "$1@$2")" || true
  dir="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "update-crds: could not download $1@$2:" >&2
    printf '%s\n' "$json" >&2
    exit 1
  fi
  printf '%s\n' "$dir"
}

# Empties a project's folder, so a CRD dropped from the list does not linger.
reset_folder() {
  rm -rf "${crds:?}/$1"
  mkdir -p "$crds/$1"
}

copy_file() { install -m 0644 "$1" "$2"; }

# extract_document FILE CRD_NAME DEST: writes the one document of the
# multi-document FILE whose metadata.name is CRD_NAME, byte for byte.
extract_document() {
  awk -v name="$2" '
    function flush() {
      if (index(doc, "\n  name: " name "\n")) { printf "%s", doc; found++ }
      doc = ""
    }
    /^---$/ { flush(); next }
    { doc = doc $0 "\n" }
    END { flush(); if (found != 1) exit 1 }
  ' "$1" >"$3" || {
    echo "update-crds: expected exactly one document named $2 in $1" >&2
    exit 1
  }
  chmod 0644 "$3"
}

# --- Gateway API: standard channel, one CRD per file -------------------------
dir="$(module_dir sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION")"
reset_folder gateway-api
for plural in gatewayclasses gateways httproutes referencegrants; do
  copy_file "$dir/config/crd/standard/gateway.networking.k8s.io_$plural.yaml" "$crds/gateway-api/"
done
copy_file "$dir/LICENSE" "$crds/gateway-api/LICENSE"

# --- cert-manager: controller-gen output, one CRD per file -------------------
dir="$(module_dir github.com/cert-manager/cert-manager "$CERT_MANAGER_VERSION")"
reset_folder cert-manager
# The Helm chart's CRD templates are these files plus chart labels and the
# `helm.sh/resource-policy: keep` annotation; refuse a version whose specs differ.
node - "$dir/deploy" "$root" <<'EOF'
const fs = require('node:fs');
const { isDeepStrictEqual } = require('node:util');
const [deploy, repository] = process.argv.slice(2);
const { parse } = require(require.resolve('yaml', { paths: [repository] }));
for (const file of fs.readdirSync(`${deploy}/crds`).filter(f => f.endsWith('.yaml'))) {
  const plain = parse(fs.readFileSync(`${deploy}/crds/${file}`, 'utf8'));
  const template = fs
    .readFileSync(`${deploy}/charts/cert-manager/templates/crd-${file}`, 'utf8')
    .split('\n')
    .filter(line => !line.includes('{{'))
    .join('\n');
  if (!isDeepStrictEqual(plain.spec, parse(template).spec)) {
    console.error(`update-crds: cert-manager ${file}: spec differs from the Helm chart's template`);
    process.exit(1);
  }
}
EOF
for file in "$dir"/deploy/crds/*.yaml; do
  copy_file "$file" "$crds/cert-manager/"
done
copy_file "$dir/LICENSE" "$crds/cert-manager/LICENSE"

# --- Istio: all CRDs in one generated file; Gateway and VirtualService -------
dir="$(module_dir istio.io/api "$ISTIO_API_VERSION")"
reset_folder istio
for plural in gateways virtualservices; do
  extract_document "$dir/kubernetes/customresourcedefinitions.gen.yaml" \
    "$plural.networking.istio.io" "$crds/istio/networking.istio.io_$plural.yaml"
done
copy_file "$dir/LICENSE" "$crds/istio/LICENSE"

# --- Traefik: all traefik.io CRDs in one file; IngressRoute ------------------
dir="$(module_dir github.com/traefik/traefik/v3 "$TRAEFIK_VERSION")"
reset_folder traefik
extract_document "$dir/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" \
  ingressroutes.traefik.io "$crds/traefik/traefik.io_ingressroutes.yaml"
copy_file "$dir/LICENSE.md" "$crds/traefik/LICENSE.md"

# --- OpenShift: the Route CRD ------------------------------------------------
dir="$(module_dir github.com/openshift/api "$OPENSHIFT_API_VERSION")"
reset_folder openshift
copy_file "$dir/route/v1/zz_generated.crd-manifests/routes.crd.yaml" "$crds/openshift/"
copy_file "$dir/LICENSE" "$crds/openshift/LICENSE"

echo "update-crds: CRDs written to ${crds#"$root/"}/" >&2
