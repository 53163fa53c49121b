#!/usr/bin/env bash
# usage: sudo tests/testbed/up.sh [alpha|beta|all] [options passed to <cluster>/up.sh]   (default: all)
# See tests/testbed/README.md. Runs the clusters' scripts concurrently for "all" (TESTBED_SERIAL=1: in turn).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/dispatch.sh"
dispatch up "$@"
