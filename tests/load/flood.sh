#!/usr/bin/env bash
# Fairness under a flood: one address (127.0.0.1, wrk) floods the server while a second client (127.0.0.2, curl
# over one keep-alive connection) looks up a user, one request at a time; prints the second client's p50/p99
# latency without and with each flood. Run it alone on the machine: flock /work/wt/load.lock tests/load/flood.sh
#   tests/load/flood.sh [seconds per flood, default 15] [users to hold, default 100000] [teams, default 10000]
# Floods: GET /users?limit=100 and DELETE /users/nobody with the per-client limits lifted (what the store itself
# costs others: these used to scan under its lock), then POST /register at the class defaults (the limiter's work).
set -euo pipefail

duration=${1:-15}
users=${2:-100000}
teams=${3:-10000}
port=5101
source "$(dirname "$0")/lib.sh"
trap 'stop_servers; rm -rf "$work"' EXIT
publish_api

restart_api() { # extra server arguments...
  stop_servers
  start api "$port" "$work/api/Conflict409.Api" --contentRoot "$work/api" \
    --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning "$@"
}

# The second client: N lookups over one connection from 127.0.0.2; prints "p50_ms p99_ms".
probe() {
  local urls=()
  # -o per URL: curl applies each -o to one URL only, and a body on stdout would mix with the timings.
  for _ in $(seq 2000); do urls+=(-o /dev/null "http://127.0.0.1:$port/users/john_doe"); done
  $load_cpu curl --interface 127.0.0.2 -s -w '%{time_total}\n' "${urls[@]}" | sort -n |
    awk '{t[NR] = $1 * 1000} END {printf "p50 %.2f ms  p99 %.2f ms", t[int(NR * 0.5)], t[int(NR * 0.99)]}'
}

flooded() { # label workload
  RUN=$RANDOM FLOOD=$2 $load_cpu wrk -t1 -c8 -d"$((duration + 5))s" -s "$root/tests/load/flood.lua" \
    "http://127.0.0.1:$port" >"$work/flood.out" &
  local wrk_pid=$!
  sleep 3
  printf '%-44s %s' "$1" "$(probe)"
  wait "$wrk_pid"
  printf '   (flood: %s req/s)\n' "$(sed -n 's/^FLOOD requests_per_second=//p' "$work/flood.out")"
}

fill() { # users teams: register over HTTP, then teams owned by one user
  RUN=fill FLOOD=register wrk -t2 -c32 -d600s -s "$root/tests/load/flood.lua" "http://127.0.0.1:$port" >/dev/null &
  local wrk_pid=$!
  until (( $(curl -fs "http://127.0.0.1:$port/users?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/') >= $1 )); do sleep 1; done
  kill "$wrk_pid"; wait "$wrk_pid" 2>/dev/null || true
  seq "$2" | xargs -P 16 -I{} curl -s -o /dev/null -X POST "http://127.0.0.1:$port/teams" \
    -H 'Content-Type: application/json' -d '{"name":"team_{}","owner":"jane_smith"}'
}

lifted=(--Users:Capacity=$((users * 2)) --Users:TeamCapacity=$((teams * 2)) --Fairness:ConnectionsPerClient=10000
  --Fairness:Registrations:PermitLimit=10000000 --Fairness:TeamCreations:PermitLimit=10000000
  --Fairness:Listing:PermitLimit=10000000)
restart_api "${lifted[@]}"
echo "Filling: $users users, $teams teams..."
fill "$users" "$teams"
probe >/dev/null # warm-up
echo "second client: GET /users/john_doe from 127.0.0.2, 2000 requests on one connection; flood from 127.0.0.1, 8 connections"
printf '%-44s %s\n' "no flood ($users users, $teams teams)" "$(probe)"
flooded "flood GET /users?limit=100 (limits lifted)" list
flooded "flood DELETE /users/nobody (limits lifted)" delete

restart_api
probe >/dev/null
printf '%-44s %s\n' "no flood (class defaults)" "$(probe)"
flooded "flood POST /register (class defaults: 429s)" register
