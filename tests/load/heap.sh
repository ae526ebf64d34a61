#!/usr/bin/env bash
# Memory of #22: the live managed heap of the published server, in memory, after N users registered over HTTP (default
# 1 000 000, names as run.sh sends them: u<run>_<thread>_<n>), read from a heap dump (dotnet-gcdump forces a full
# collection first), with the process's RSS beside it.
#   tests/load/heap.sh [users, default 1000000]
# Port HEAP_PORT (default 5301): never run.sh's 5101-5103. The server runs with run.sh's settings (lib.sh).
set -euo pipefail

users=${1:-1000000}
port=${HEAP_PORT:-5301}

source "$(dirname "$0")/lib.sh"
trap 'stop_servers; rm -rf "$work"' EXIT

gcdump=$(command -v dotnet-gcdump || true)
if [[ -z $gcdump ]]; then
  dotnet tool install dotnet-gcdump --version 10.0.750501 --tool-path "$work/tools" >/dev/null
  gcdump=$work/tools/dotnet-gcdump
fi

publish_api
start api "$port" "$work/api/Conflict409.Api" --contentRoot "$work/api" --urls "http://127.0.0.1:$port" \
  "${measured_server_args[@]}"

total() { curl -fs "http://127.0.0.1:$port/users?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/'; }
seeded=$(total)
# Each wrk run registers exactly LIMIT names per thread (2 threads), then only asks /healthz until its end.
while (( $(total) - seeded < users - 1 )); do
  remaining=$(( users - ($(total) - seeded) ))
  RUN="$(date +%s)$port" WORKLOAD=unique LIMIT=$(( remaining / 2 )) $load_cpu wrk -t2 -c64 -d"${HEAP_RUN_SECONDS:-30}s" \
    -s "$root/tests/load/workload.lua" "http://127.0.0.1:$port" | grep '^STATUS' | tr '\n' ' '
  echo "-> $(( $(total) - seeded )) users"
done
if (( $(total) - seeded < users )); then
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$port/register" -H 'Content-Type: application/json' \
    -d "{\"username\":\"u$(date +%s)_last\"}"
fi

pid=${server_pid[$port]}
registered=$(( $(total) - seeded ))
"$gcdump" collect -p "$pid" -o "$work/server.gcdump" >/dev/null
"$gcdump" report "$work/server.gcdump" >"$work/report.txt"
heap=$(awk '$2 == "GC" && $3 == "Heap" && $4 == "bytes" {print $1}' "$work/report.txt" | tr -d ',')
rss_kib=$(awk '$1 == "VmRSS:" {print $2}' "/proc/$pid/status")
awk -v n="$registered" -v heap="$heap" -v rss="$rss_kib" 'BEGIN {
  printf "%d users registered over HTTP: live managed heap %.1f MiB (%.0f bytes/user), RSS %.0f MiB\n",
    n, heap / 1048576, heap / n, rss / 1024 }'
echo "the largest objects (bytes, count, type):"
awk -v top="${HEAP_TYPES:-12}" '/Object Bytes/ {on = 1; next} on && NF >= 3 && shown++ < top' "$work/report.txt"
