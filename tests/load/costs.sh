#!/usr/bin/env bash
# The cost table of #22: server CPU per new registration (POST /register, 201) of the full server, of each variant
# (another checkout, e.g. a scratch branch with one feature of the registration path removed) and of the bare
# endpoint, all measured in alternating rounds of one run, so the differences are not the machine's mood.
#   tests/load/costs.sh [seconds per run, default 8] [warm-up seconds, default 10] VARIANT_DIR...
# The full server is this checkout (FULL_TREE=DIR measures another); each variant is labelled by its directory's
# name. ROUNDS (default 2) rounds, the order reversed every other round so no server always follows the same one.
# Ports COSTS_PORT (default 5201) upwards: never run.sh's 5101-5103. A clean checkout's build is kept by commit in
# COSTS_CACHE (default /tmp/conflict409-costs), so a second run publishes nothing; a dirty one is published afresh.
# Prints one row per server: CPU µs per request, its difference to the full server, requests/s (mean of rounds).
#   e.g. tests/load/costs.sh 8 10 /work/cost/*     (12 variants: ~4 min of warm-up and ~5 min of rounds)
set -euo pipefail

duration=${1:-8}
warmup=${2:-10}
shift $(( $# >= 2 ? 2 : $# ))
variant_dirs=("$@")
rounds=${ROUNDS:-2}
first_port=${COSTS_PORT:-5201}
cache=${COSTS_CACHE:-/tmp/conflict409-costs}

source "$(dirname "$0")/lib.sh"
trap 'stop_servers; rm -rf "$work"' EXIT

full_tree=$(cd "${FULL_TREE:-$root}" && pwd)

published() { # checkout: prints the directory of its published server, publishing it unless cached
  local tree=$1 out
  if [[ -z $(git -C "$tree" status --porcelain --untracked-files=no) ]]; then
    out="$cache/$(git -C "$tree" rev-parse HEAD)"
  else
    out="$work/published/$(basename "$tree")"
  fi
  if [[ ! -x $out/Conflict409.Api ]]; then
    echo "Publishing $tree ($(git -C "$tree" log -1 --format='%h %s' | cut -c1-70))..." >&2
    rm -rf "$out.tmp"
    dotnet publish "$tree/src/Conflict409.Api" -c Release -o "$out.tmp" --nologo -v quiet >/dev/null
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

labels=(bare full) ports=() dirs=()
declare -A port_of=() tree_of=()
tree_of[full]=$full_tree
for dir in "${variant_dirs[@]}"; do
  label=$(basename "$dir")
  [[ -n ${tree_of[$label]:-} ]] && { echo "two variants named $label" >&2; exit 2; }
  labels+=("$label")
  tree_of[$label]=$(cd "$dir" && pwd)
done

dotnet publish "$root/tests/load/baseline/Baseline.cs" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null
port=$first_port
for label in "${labels[@]}"; do
  port_of[$label]=$port
  if ss -ltn | grep -q ":$port "; then echo "port $port is taken: set COSTS_PORT" >&2; exit 1; fi
  if [[ $label == bare ]]; then
    start bare "$port" "$work/baseline/Baseline" --urls "http://127.0.0.1:$port"
  else
    dir=$(published "${tree_of[$label]}")
    start "$label" "$port" "$dir/Conflict409.Api" --contentRoot "$dir" --urls "http://127.0.0.1:$port" \
      "${measured_server_args[@]}"
  fi
  port=$((port + 1))
done

declare -A ticks=() requests=() rps_sum=() errors=()
drive() { # label seconds: new names against that server; adds its CPU ticks, requests, requests/s and non-201s
  local label=$1 seconds=$2 port=${port_of[$1]} before out
  out="$work/$label.out"
  before=$(cpu_ticks "$port")
  RUN="$(date +%s)$port" WORKLOAD=unique $load_cpu wrk -t2 -c64 -d"${seconds}s" \
    -s "$root/tests/load/workload.lua" "http://127.0.0.1:$port" >"$out"
  (( measuring )) || return 0
  ticks[$label]=$(( ticks[$label] + $(cpu_ticks "$port") - before ))
  requests[$label]=$(( requests[$label] + $(awk '$1 == "STATUS" {n += $3} END {print n + 0}' "$out") ))
  rps_sum[$label]=$(( rps_sum[$label] + $(sed -n 's/.*requests_per_second=\([0-9]*\).*/\1/p' "$out") ))
  errors[$label]=$(( errors[$label] + $(awk '$1 == "STATUS" && $2 != 201 {n += $3} END {print n + 0}' "$out")
    + $(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' "$out") ))
}

echo "wrk: 2 threads, 64 connections, new names; ${warmup}s warm-up per server, then $rounds rounds of ${duration}s each"
[[ -n $server_cpu ]] && echo "  servers on CPU 0, wrk on CPU 1"
for label in "${labels[@]}"; do
  ticks[$label]=0 requests[$label]=0 rps_sum[$label]=0 errors[$label]=0
  measuring=0 drive "$label" "$warmup"
done
for round in $(seq "$rounds"); do
  order=("${labels[@]}")
  if (( round % 2 == 0 )); then
    order=()
    for (( i = ${#labels[@]} - 1; i >= 0; i-- )); do order+=("${labels[i]}"); done
  fi
  echo "round $round: ${order[*]}"
  for label in "${order[@]}"; do measuring=1 drive "$label" "$duration"; done
done

us() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", n ? 1e6 * t / hz / n : 0}'; }
full_us=$(us "${ticks[full]}" "${requests[full]}")
echo
printf '| %-16s | %12s | %14s | %10s | %s |\n' "server" "CPU µs/req" "vs full (µs)" "req/s" "non-201 or socket errors"
printf '| %-16s | %12s | %14s | %10s | %s |\n' "---" "---:" "---:" "---:" "---:"
for label in "${labels[@]}"; do
  cpu=$(us "${ticks[$label]}" "${requests[$label]}")
  printf '| %-16s | %12s | %14s | %10s | %s |\n' "$label" "$cpu" \
    "$(awk -v a="$cpu" -v b="$full_us" 'BEGIN {printf "%+.1f", a - b}')" "$(( rps_sum[$label] / rounds ))" "${errors[$label]}"
done
echo
dirty=$([[ -z $(git -C "$full_tree" status --porcelain --untracked-files=no) ]] || echo " with uncommitted changes")
echo "full = $full_tree ($(git -C "$full_tree" log -1 --format=%h)$dirty); bare = tests/load/baseline; variants by directory name"
