#!/usr/bin/env bash
# Where the server's CPU per request goes on POST /register's path, feature by feature, from one `perf` profile of the
# published server under wrk (instead of removing each feature on a scratch branch and comparing costs.sh's CPU µs,
# whose ±5 µs noise hides the small ones).
#   tests/load/profile.sh [seconds, default 10] [warm-up seconds, default 12; 30 with STORE=postgres]
# Environment: WORKLOAD=unique|duplicate (default unique: new names, 201; duplicate: john_doe, 409), STORE=memory|
# postgres (default memory; postgres runs a throwaway cluster on PROFILE_PG_PORT, default 55510, never the test
# suite's, stopped at the end unless it was already running), PROFILE_PORT (default 5401), API_DIR (an already
# published server directory: nothing is published), EXTRA_ARGS (more server arguments, split on spaces, e.g.
# "--Progress:Enabled=false"), OUT (the output directory; default a new /tmp/conflict409-profile.* kept at the end),
# BARE=1 (profile run.sh's bare endpoint, tests/load/baseline, instead of the server: what each row costs without
# any feature, so the difference per row is what the features add).
# The server runs as run.sh's do (lib.sh: measured_server_args, on CPU 0, wrk on CPU 1) with perf maps on and W^X off
# (else perf cannot name JIT-compiled frames: they show as memfd:doublemapper). perf samples it at 999 Hz during the
# measured wrk run (from 1 s after wrk starts to 1 s before it ends); the CPU µs per request come from the server's
# /proc ticks over the whole run. profile.py gives each sample to one feature (the leaf-most frame a feature
# matches: see there, where the feature list is) and prints samples % and µs/request per feature.
# In OUT: table.md (the table), perf.txt (perf script's text: `python3 profile.py perf.txt --show ROW` prints
# stacks of a row), wrk.txt, warm-up.txt and server.log.
# Needs root (perf on another process), perf, wrk and python3. In postgres mode tiered JIT goes on compiling for
# ~15 s at that mode's request rate: the table's JIT share says whether the warm-up was long enough.
set -euo pipefail

store=${STORE:-memory}
workload=${WORKLOAD:-unique}
case "$store" in memory | postgres) ;; *) echo "STORE: memory or postgres" >&2; exit 2 ;; esac
case "$workload" in unique | duplicate) ;; *) echo "WORKLOAD: unique or duplicate" >&2; exit 2 ;; esac
duration=${1:-10}
warmup=${2:-$([[ $store == postgres ]] && echo 30 || echo 12)}
(( duration >= 4 )) || { echo "at least 4 seconds (perf records seconds - 2)" >&2; exit 2; }
port=${PROFILE_PORT:-5401}
pg_port=${PROFILE_PG_PORT:-55510}
read -r -a extra_args <<<"${EXTRA_ARGS:-}"
api_dir=${API_DIR:-} out=${OUT:-} bare=${BARE:-0}
# The server reads every environment variable as configuration: STORE=memory would be its Store setting.
unset STORE WORKLOAD PROFILE_PORT PROFILE_PG_PORT API_DIR EXTRA_ARGS OUT BARE

source "$(dirname "$0")/lib.sh"
here=$root/tests/load
out=${out:-$(mktemp -d /tmp/conflict409-profile.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

command -v perf >/dev/null || { echo "perf is missing" >&2; exit 1; }
if ss -ltn | grep -q ":$port "; then echo "port $port is taken: set PROFILE_PORT" >&2; exit 1; fi

started_cluster=0 server=""
cleanup() {
  [[ -f $work/api.log ]] && cp "$work/api.log" "$out/server.log"
  stop_servers
  [[ -n $server ]] && rm -f "/tmp/perf-$server.map" "/tmp/perfinfo-$server.map"
  if (( started_cluster )); then CONFLICT409_PG_PORT=$pg_port "$root/.ci/postgres" stop; fi
  rm -rf "$work"
}
trap cleanup EXIT

store_args=()
if [[ $store == postgres ]]; then
  if pg_lsclusters -h 2>/dev/null | awk -v p="$pg_port" '$3 == p && $4 == "online"' | grep -q .; then
    echo "PostgreSQL: the cluster already running on port $pg_port (left running)"
    connection="Host=127.0.0.1;Port=$pg_port;Username=conflict409;Password=conflict409;Database=postgres"
  else
    echo "PostgreSQL: a throwaway cluster on port $pg_port..."
    started_cluster=1
    connection=$(CONFLICT409_PG_PORT=$pg_port "$root/.ci/postgres" start)
  fi
  store_args=(--Store=PostgreSql
    "--ConnectionStrings:Conflict409=${connection/Database=postgres/Database=conflict409_profile};Maximum Pool Size=200")
fi

perf_env=(env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
if (( bare )); then
  echo "Publishing the bare endpoint (Release)..."
  dotnet publish "$root/tests/load/baseline/Baseline.cs" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null
  api=$work/baseline
  bare_args=()
  [[ $store == postgres ]] && bare_args=("--Postgres=${store_args[1]#--ConnectionStrings:Conflict409=}")
  start api "$port" "${perf_env[@]}" "$api/Baseline" --urls "http://127.0.0.1:$port" "${bare_args[@]}"
else
  if [[ -n $api_dir ]]; then
    api=$(cd "$api_dir" && pwd)
  else
    publish_api
    api=$work/api
  fi
  start api "$port" "${perf_env[@]}" \
    "$api/Conflict409.Api" --contentRoot "$api" --urls "http://127.0.0.1:$port" \
    "${measured_server_args[@]}" "${store_args[@]}" "${extra_args[@]}"
fi
server=${server_pid[$port]}

drive() { # seconds output run: the workload against the server, wrk on the load CPU; run makes the names new
  RUN="$(date +%s)$port$3" WORKLOAD=$workload $load_cpu wrk -t2 -c64 -d"$1s" \
    -s "$here/workload.lua" "http://127.0.0.1:$port" >"$out/$2.txt"
}

echo "$store store, $workload workload: ${warmup}s warm-up, then ${duration}s measured (perf for $((duration - 2))s)"
drive "$warmup" warm-up 1
before=$(cpu_ticks "$port")
drive "$duration" wrk 2 &
wrk_pid=$!
sleep 1
perf record -F 999 -g -p "$server" -o "$work/perf.data" -- sleep $((duration - 2)) 2>"$out/perf-record.log" >&2
wait "$wrk_pid"
after=$(cpu_ticks "$port")
perf script -i "$work/perf.data" >"$out/perf.txt" 2>"$out/perf-script.log"

requests=$(awk '$1 == "STATUS" {n += $3} END {print n + 0}' "$out/wrk.txt")
rps=$(sed -n 's/.*requests_per_second=\([0-9]*\).*/\1/p' "$out/wrk.txt")
statuses=$(awk '$1 == "STATUS" {printf "%s%s: %s", sep, $2, $3; sep = ", "}' "$out/wrk.txt")
(( requests > 0 )) || { echo "no requests answered:" >&2; cat "$out/wrk.txt" >&2; exit 1; }
cpu_us=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", 1e6 * t / hz / n}')
dirty=$([[ -z $(git -C "$root" status --porcelain --untracked-files=no) ]] || echo " with uncommitted changes")
{
  if (( bare )); then
    echo "POST /register, the bare endpoint (tests/load/baseline), $store store, $workload workload (${statuses})"
  else
    echo "POST /register, $store store, $workload workload (${statuses}); server $([[ -n $api_dir ]] && echo "$api" ||
      echo "of $(git -C "$root" log -1 --format=%h)$dirty")${extra_args[*]:+, ${extra_args[*]}}"
  fi
  echo "requests/s: $rps; server CPU: $((after - before)) ticks for $requests requests = $cpu_us µs/request"
  echo
  python3 "$here/profile.py" "$out/perf.txt" "$cpu_us"
} | tee "$out/table.md"
echo
echo "kept in $out (table.md, perf.txt: python3 tests/load/profile.py $out/perf.txt --show 'ROW' prints its stacks)"
