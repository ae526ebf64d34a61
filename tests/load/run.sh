#!/usr/bin/env bash
# Load test: publishes the server and a bare endpoint of the same shape, drives both on loopback with wrk,
# and prints requests/s, p50/p99 latency and the exact count of every status, then checks that the number
# of 201s equals the number of users the server holds.
#   tests/load/run.sh [seconds per run, default 10] [memory|postgres, default memory] [warm-up seconds, default 10]
# Each server is warmed up with its first workload before it is measured: until the JIT has compiled the hot
# path at its final tier, a server measures its warm-up, not itself (on one busy core that takes a minute
# unless call counting starts at once, which DOTNET_TC_CallCountingDelayMs=0 below asks for).
# postgres mode runs the server on a throwaway PostgreSQL cluster (.ci/postgres, as root on Debian).
set -euo pipefail

duration=${1:-10}
store=${2:-memory}
warmup=${3:-10}
threads=2
connections=64
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
api_port=5101
baseline_port=5102
pids=()
# wrk and the server compete for the same cores; pinned apart, the ratio to the bare endpoint measures the
# server's own cost per request instead of how the scheduler happened to share the cores in one run.
server_cpu="" load_cpu=""
if (( $(nproc) >= 2 )) && command -v taskset >/dev/null; then
  server_cpu="taskset -c 0" load_cpu="taskset -c 1"
fi

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ $store == postgres ]] && "$root/.ci/postgres" stop
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "Publishing (Release)..."
dotnet publish "$root/src/Conflict409.Api" -c Release -o "$work/api" --nologo -v quiet >/dev/null
dotnet publish "$root/tests/load/baseline/Baseline.cs" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null

start() { # name port command...
  local name=$1 port=$2
  shift 2
  DOTNET_TC_CallCountingDelayMs=0 $server_cpu "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

store_args=()
if [[ $store == postgres ]]; then
  connection=$("$root/.ci/postgres" start)
  store_args=(--Store=PostgreSql "--ConnectionStrings:Conflict409=${connection/Database=postgres/Database=conflict409_load};Maximum Pool Size=200")
fi

# Console logging of every registration would measure the terminal, not the server: warnings only here.
start api "$api_port" "$work/api/Conflict409.Api" --contentRoot "$work/api" --urls "http://127.0.0.1:$api_port" \
  --Logging:LogLevel:Default=Warning --Users:Capacity=4000000 \
  --Catalog:RateLimit:PermitLimit=1000000000 --Kestrel:Limits:MaxConcurrentConnections=10000 \
  --Fairness:Registrations:PermitLimit=1000000000 --Fairness:Listing:PermitLimit=1000000000 \
  --Fairness:ConnectionsPerClient=10000 "${store_args[@]}"
start baseline "$baseline_port" "$work/baseline/Baseline" --urls "http://127.0.0.1:$baseline_port"

declare -A rps

drive() { # label (a file name) port workload [seconds]
  local label=$1 port=$2 workload=$3 seconds=${4:-$duration}
  WORKLOAD=$workload $load_cpu wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$root/tests/load/workload.lua" \
    "http://127.0.0.1:$port" >"$work/$label.out"
  local result
  result=$(grep '^RESULT' "$work/$label.out")
  rps[$label]=$(sed 's/.*requests_per_second=\([0-9]*\).*/\1/' <<<"$result")
  printf '%-10s %s\n' "$label" "${result#RESULT }"
  grep '^STATUS' "$work/$label.out" | sort | sed 's/^STATUS /    status /'
}

count() { # label status
  awk -v status="$2" '$1 == "STATUS" && $2 == status {n = $3} END {print n + 0}' "$work/$1.out"
}

users_on_server() {
  curl -fs "http://127.0.0.1:$api_port/users?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/'
}

echo "wrk: $threads threads, $connections connections, ${duration}s per run after ${warmup}s of warm-up, store: $store"
[[ -n $server_cpu ]] && echo "  server on CPU 0, wrk on CPU 1"
echo "  baseline  = bare endpoint, unique registrations; unique = POST /register, new names (201);"
echo "  duplicate = POST /register john_doe (409);  mixed = 201/409/200/412/200 in turn"
drive warm-base "$baseline_port" unique "$warmup"
drive baseline "$baseline_port" unique
drive warm-api "$api_port" unique "$warmup"
drive unique "$api_port" unique
drive duplicate "$api_port" duplicate
drive mixed "$api_port" mixed

created=$(( $(count warm-api 201) + $(count unique 201) + $(count duplicate 201) + $(count mixed 201) ))
fivexx=$(cat "$work"/*.out | awk '/^STATUS 5/ {n += $3} END {print n + 0}')
seeded=2
users=$(users_on_server)
# wrk stops counting at the deadline: requests still in flight then (at most one per connection and run)
# are completed by the server but never counted. So the wrk runs can be off by up to that many, upwards.
uncounted=$(( users - seeded - created ))

# An exact check with nothing in flight at a deadline: 2000 new names, each sent twice, 32 at a time.
before=$(users_on_server)
exact=$(for i in $(seq 2000); do echo "exact_$i"; echo "exact_$i"; done | xargs -P 32 -I{} \
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$api_port/register" \
    -H 'Content-Type: application/json' -d '{"username":"{}"}' | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
after=$(users_on_server)

echo
echo "unique registrations vs the bare endpoint: $(awk -v a="${rps[unique]}" -v b="${rps[baseline]}" 'BEGIN {printf "%.1f %%", 100 * a / b}')"
echo "5xx responses: $fivexx"
echo "wrk runs: $created 201s counted, $((users - seeded)) users registered ($uncounted completed after wrk's deadline; at most $((4 * connections)))"
echo "exact run: $exact-> $((after - before)) new users"
status=0
if (( uncounted < 0 || uncounted > 4 * connections )); then
  echo "FAIL: 201s and stored users disagree beyond what wrk's deadline explains" >&2
  status=1
fi
if [[ $exact != "2000×201 2000×409 " || $((after - before)) -ne 2000 ]]; then
  echo "FAIL: the exact run must give 2000 201s, 2000 409s and 2000 new users" >&2
  status=1
fi
if (( fivexx > 0 )); then
  echo "FAIL: the server answered 5xx under load" >&2
  status=1
fi
(( status == 0 )) && echo "OK: no 5xx, and every 201 is exactly one stored user"
exit "$status"
