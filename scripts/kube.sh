#!/usr/bin/env bash
# A real Kubernetes control plane on loopback: kube-apiserver and etcd, built from the Go
# module proxy (tools/kube/go.mod pins the versions) and cached under .tools/kube/<key>/.
#
# Usage:
#   scripts/kube.sh build        builds both binaries unless the cache has them; prints the bin folder
#   scripts/kube.sh start DIR    starts etcd + kube-apiserver with their state in DIR (RBAC
#                                authorization, service-account token signing, a static admin
#                                token) and prints the kubeconfig's path (DIR/kubeconfig: context
#                                `local` is a cluster admin, `installer` the user pool-installer,
#                                who has no rights until a RoleBinding grants some)
#   scripts/kube.sh stop DIR     stops them and removes their state (the logs stay)
#
# No kubelet, scheduler or controller-manager runs: objects are stored and validated (schemas,
# CRDs and their CEL rules, RBAC, admission, server-side apply), but no pod ever runs.
# KUBE_APISERVER_PORT picks the API server's port (default: a free one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/tools/kube"

bin_dir() {
  local key
  key="$(cat "$module/go.mod" "$module/go.sum" "$root/scripts/kube.sh" <(go version) | sha256sum | cut -c1-12)"
  echo "$root/.tools/kube/$key/bin"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

build() {
  if ! command -v go >/dev/null; then
    echo "Go is needed to build kube-apiserver and etcd (see the README's requirements)" >&2
    exit 1
  fi
  local bin
  bin="$(bin_dir)"
  if [ ! -x "$bin/kube-apiserver" ] || [ ! -x "$bin/etcd" ]; then
    echo "Building etcd and kube-apiserver from the Go module proxy into $bin (first time: several minutes)..." >&2
    mkdir -p "$bin.partial"
    (
      cd "$module"
      # The version the binary reports (/version), as Kubernetes' own build stamps it.
      local version major minor stamp=k8s.io/component-base/version
      version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
      major="${version#v}" && major="${major%%.*}"
      minor="${version#v*.}" && minor="${minor%%.*}"
      go build -trimpath -ldflags='-s -w' -o "$bin.partial/etcd" go.etcd.io/etcd/server/v3
      go build -trimpath -o "$bin.partial/kube-apiserver" \
        -ldflags="-s -w -X $stamp.gitVersion=$version -X $stamp.gitMajor=$major -X $stamp.gitMinor=$minor -X $stamp.gitTreeState=clean" \
        k8s.io/kubernetes/cmd/kube-apiserver
    ) >&2
    rm -rf "$bin" && mv "$bin.partial" "$bin"
  fi
  echo "$bin"
}

start() {
  local dir="$1" bin
  bin="$(build)"
  mkdir -p "$dir/etcd" "$dir/certs"
  dir="$(cd "$dir" && pwd)"
  local etcd_port peer_port api_port token
  etcd_port="$(free_port)"
  peer_port="$(free_port)"
  api_port="${KUBE_APISERVER_PORT:-$(free_port)}"
  token="$(openssl rand -hex 24)"
  installer_token="$(openssl rand -hex 24)"

  "$bin/etcd" --name default --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync --log-level warn >"$dir/etcd.log" 2>&1 &
  echo $! >"$dir/etcd.pid"

  openssl genrsa -out "$dir/certs/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/certs/sa.key" -pubout -out "$dir/certs/sa.pub" 2>/dev/null
  # token,user,uid,"groups": the admin is a cluster administrator through system:masters;
  # pool-installer is a person with no rights until a RoleBinding grants some.
  printf '%s\n' "$token,admin,admin,\"system:masters\"" \
    "$installer_token,pool-installer,pool-installer" >"$dir/tokens.csv"

  "$bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --cert-dir "$dir/certs" \
    --authorization-mode RBAC \
    --token-auth-file "$dir/tokens.csv" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/certs/sa.pub" \
    --service-account-signing-key-file "$dir/certs/sa.key" \
    --api-audiences https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/16 \
    --allow-privileged=false --endpoint-reconciler-type none \
    >"$dir/kube-apiserver.log" 2>&1 &
  echo $! >"$dir/kube-apiserver.pid"

  local url="https://127.0.0.1:$api_port" i
  for i in $(seq 1 240); do
    if curl -skf -H "Authorization: Bearer $token" "$url/readyz" >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$(cat "$dir/kube-apiserver.pid")" 2>/dev/null; then
      echo "kube-apiserver exited; its log:" >&2
      tail -30 "$dir/kube-apiserver.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  if ! curl -skf -H "Authorization: Bearer $token" "$url/readyz" >/dev/null 2>&1; then
    echo "kube-apiserver not ready after 120 s; its log:" >&2
    tail -30 "$dir/kube-apiserver.log" >&2
    exit 1
  fi
  # The serving certificate is self-signed for 127.0.0.1: it is its own CA.
  local ca
  ca="$(base64 -w0 "$dir/certs/apiserver.crt")"
  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: local
    cluster:
      server: $url
      certificate-authority-data: $ca
users:
  - name: admin
    user:
      token: $token
  - name: pool-installer
    user:
      token: $installer_token
contexts:
  - name: local
    context: { cluster: local, user: admin }
  - name: installer
    context: { cluster: local, user: pool-installer }
current-context: local
EOF
  echo "$dir/kubeconfig"
}

stop() {
  local dir="$1" name pid
  [ -d "$dir" ] || return 0
  for name in kube-apiserver etcd; do
    if [ -f "$dir/$name.pid" ]; then
      pid="$(cat "$dir/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  # The logs stay for a look after a failed run.
  rm -rf "$dir/etcd" "$dir/certs" "$dir/tokens.csv" "$dir/kubeconfig" "$dir"/*.pid
}

case "${1:-}" in
  build) build ;;
  start) start "${2:?usage: scripts/kube.sh start DIR}" ;;
  stop) stop "${2:?usage: scripts/kube.sh stop DIR}" ;;
  *)
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
