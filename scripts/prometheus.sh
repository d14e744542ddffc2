#!/usr/bin/env bash
# Starts (or stops) a throw-away Prometheus on 127.0.0.1 (a free port) for the tests, scraping
# the given targets every second (AIGW_PROMETHEUS_SCRAPE_INTERVAL, e.g. 15s, as real gateways are).
# Usage: scripts/prometheus.sh start HOST:PORT...   (prints the URL on start)
#        scripts/prometheus.sh stop
# AIGW_PROMETHEUS_DIR: its config and data (default /tmp/aigw-prometheus); one server per dir.
# AIGW_PROMETHEUS_LISTEN_HOST: the address it listens on (default 127.0.0.1; 0.0.0.0 for a test
# that reaches it from a Kubernetes API server as a Service's endpoint).
# AIGW_PROMETHEUS: the prometheus binary (default: `prometheus` on PATH, installed from Debian
# when missing).
set -euo pipefail
dir="${AIGW_PROMETHEUS_DIR:-/tmp/aigw-prometheus}"
scrape_interval="${AIGW_PROMETHEUS_SCRAPE_INTERVAL:-1s}"
listen_host="${AIGW_PROMETHEUS_LISTEN_HOST:-127.0.0.1}"
bin="${AIGW_PROMETHEUS:-$(command -v prometheus || echo /usr/bin/prometheus)}"

stop() {
  if [ -f "$dir/pid" ]; then
    pid="$(cat "$dir/pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-start}" in
  start)
    shift || true
    if [ ! -x "$bin" ]; then
      echo "Installing Prometheus from Debian..." >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >&2
      bin=/usr/bin/prometheus
    fi
    stop
    mkdir -p "$dir/data"
    # The targets go to a file_sd file, so a test can change them while Prometheus runs
    # (Prometheus re-reads the file within seconds).
    targets="$(printf '"%s",' "$@")"
    printf '[{"targets": [%s]}]\n' "${targets%,}" | sed 's/\[""\]/[]/' > "$dir/targets.json"
    cat > "$dir/prometheus.yml" <<EOF
global:
  scrape_interval: $scrape_interval
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: agentgateway
    file_sd_configs:
      - files: ['$dir/targets.json']
        refresh_interval: 1s
EOF
    port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' 2>/dev/null ||
      python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
    "$bin" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --web.listen-address="$listen_host:$port" --storage.tsdb.retention.time=1d \
      --log.level=warn >"$dir/prometheus.log" 2>&1 &
    echo $! > "$dir/pid"
    url="http://127.0.0.1:$port"
    for _ in $(seq 100); do
      if curl -fsS "$url/-/ready" >/dev/null 2>&1; then echo "$url"; exit 0; fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "Prometheus did not become ready at $url; its log ($dir/prometheus.log):" >&2
    cat "$dir/prometheus.log" >&2 || true
    stop
    exit 1
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start HOST:PORT... | stop" >&2
    exit 2
    ;;
esac
