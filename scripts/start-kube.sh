#!/usr/bin/env bash
# Starts the portal (as scripts/start.sh does) with a local Kubernetes API server as its
# cluster `local`: kube-apiserver and etcd from scripts/kube.sh (built once from the Go module
# proxy), the CRDs and GatewayClass every pool needs, namespace `aigw-local` where the portal's
# ServiceAccount may deliver `direct` pools, and app-config.kube.local.yaml (git-ignored) with
# that cluster. No kubelet runs: objects are stored, pods never start. The API server stops
# with the portal (Ctrl-C); its state is in .tools/kube/local and starts empty every time.
# See README.md, "A local Kubernetes API server".
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
dir="$AIGW_ROOT/.tools/kube/local"
config="$AIGW_ROOT/app-config.kube.local.yaml"

# What an earlier run left behind when it was killed without its trap.
bash scripts/kube.sh stop "$dir"
# The config's token dies with the API server.
trap 'bash scripts/kube.sh stop "$dir"; rm -f "$config"' EXIT
kubeconfig="$(bash scripts/kube.sh start "$dir")"
node --require @backstage/cli/config/nodeTransform.cjs kube/harness/prepareLocalCluster.ts \
  "$kubeconfig" "$config"
server="$(sed -n 's/^ *server: //p' "$kubeconfig")"
cat >&2 <<MSG

Kubernetes API server $server is the portal's cluster \`local\` ($config).
Its admin kubeconfig, for kubectl: $kubeconfig
Create a pool in cluster \`local\`, namespace \`aigw-local\`, with direct delivery (README.md,
"A local Kubernetes API server"): its objects appear in the pool's Kubernetes tab. Pods never
run: there are no nodes.

MSG
# --config replaces the default files: app-config.local.yaml too, when there is one.
configs=(--config "$AIGW_ROOT/app-config.yaml")
if [ -f "$AIGW_ROOT/app-config.local.yaml" ]; then
  configs+=(--config "$AIGW_ROOT/app-config.local.yaml")
fi
bash scripts/start.sh "${configs[@]}" --config "$config" "$@"
