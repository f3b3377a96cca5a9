#!/usr/bin/env bash
# GossipSub one-way latency (p50, p99 over 1,000 messages of 100 bytes, one at a time after the mesh forms) and
# throughput (100-byte messages for 5 s, received msg/s) for js→js and C#→C# in the same run, Ed25519 keys and
# StrictSign, then the ratios C#/js. Runs alternate between the implementations; the table gives medians.
#   interop/perf.sh [--runs N] [--messages N] [--seconds S] [--js-only]
# Both sides are driven by the same driver (interop/js/perf.mjs: its header describes the method). The C# side is the
# published binary's `sequencer p2p` (artifacts/sequencer; published first when missing). No figure here is a test:
# compare the two implementations within one run, never against figures from another machine or day.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

runs=3 messages=1000 seconds=5 js_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --messages) messages=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --js-only) js_only=1; shift ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

interop/install-js.sh

csharp=0
if [ "$js_only" -eq 0 ]; then
  [ -x artifacts/sequencer ] || ./build.sh publish
  if artifacts/sequencer p2p --help >/dev/null 2>&1; then
    csharp=1
  else
    echo "perf.sh: artifacts/sequencer has no p2p command yet: measuring js→js only" >&2
  fi
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT
measure() {
  local name=$1; shift
  echo "perf.sh: $name run $run/$runs" >&2
  node interop/js/perf.mjs --name "$name" --messages "$messages" --seconds "$seconds" -- "$@" >>"$results"
}
for run in $(seq 1 "$runs"); do
  measure js node "$root/interop/js/node.mjs"
  [ "$csharp" -eq 0 ] || measure 'C#' "$root/artifacts/sequencer" p2p
done
node interop/js/perf-table.mjs <"$results"
