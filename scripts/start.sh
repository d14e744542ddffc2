#!/usr/bin/env bash
# Starts the portal: frontend at http://localhost:3000, backend at http://localhost:7007,
# on the embedded default (in-memory SQLite, guest sign-in, demo data).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec backstage-cli repo start "$@"
