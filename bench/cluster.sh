#!/usr/bin/env bash
# Round latency through real sockets (issue 5): `sequencer cluster` with 24 validator processes and 0, 100 and 1,000
# extra in-process voters, one run each, printing each run's latency percentiles, binary size and start-up, and memory
# per node. `VOTERS="0 100"` picks the runs. The figures are absolute: note the load average printed with each run.
set -euo pipefail
cd "$(dirname "$0")/.."
./build.sh publish
for voters in ${VOTERS:-0 100 1000}; do
  rounds=20
  if [ "$voters" -ge 1000 ]; then rounds=10; fi
  echo "== 24 validator processes + $voters in-process voters, $rounds rounds (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  artifacts/sequencer cluster --rounds "$rounds" --voters "$voters" 2>&1 \
    | grep -E '^(latency|binary|memory|result)|^ +cluster process|^ +p50'
done
