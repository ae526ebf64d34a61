#!/usr/bin/env bash
# Load test: publishes the server and a bare endpoint of the same shape, drives both on loopback with wrk,
# and prints requests/s, p50/p99 latency and the exact count of every status, then checks that the number
# of 201s equals the number of users the server holds.
#   tests/load/run.sh [seconds per run, default 10] [mode, default memory] [warm-up seconds, default 10]
# Modes:
#   memory     the in-memory store against a bare endpoint with no store, new names in alternating rounds (ROUNDS,
#              default 2); VARIANT="--Progress:Enabled=false" adds a second server started with those arguments and
#              measures it in the same rounds, so a setting's cost is a ratio taken in one run; VARIANT_TREE=DIR
#              makes the second server another checkout's (a change's before and after in one run)
#   postgres   the PostgreSQL store against a bare endpoint doing one INSERT ... ON CONFLICT DO NOTHING RETURNING
#              through a pooled NpgsqlDataSource, new names and duplicates in alternating rounds (ROUNDS, default 2);
#              VARIANT_TREE=DIR measures another checkout's server, VARIANT="--Setting=value ..." this one started with
#              those settings (each on its own database) in the same rounds; each server is warmed with both workloads
#   outage     PostgreSQL stopped 5 s into a run of new names for 6 s, then started again: no 5xx but 503,
#              /healthz 503 while down, a 201 right after, and every counted 201 a stored user
#   instances  two servers on one database under two wrk runs at once: combined 201s = users, and names
#              raced across both servers registered exactly once; then one learner's board graded on both reads
#              the same from either, and lesson 7's cart walked across both gives 201, 409, reload, 200
#   slow       another session locks the users table for 6 s in the middle of a run of new names: the requests
#              behind the lock get the request timeout's 503 (3 s, plus the wait for PostgreSQL to confirm the
#              cancellation), no 500, and afterwards every server session is idle in the pool (nothing leaked)
#              and a registration is a 201
#   pool       the same with a pool of 2 connections (waiting at most 1 s for one): the other requests queue for
#              a connection, then get 503 with Retry-After; the same checks
# Each server is warmed up with its first workload before it is measured: until the JIT has compiled the hot
# path at its final tier, a server measures its warm-up, not itself (on one busy core that takes a minute
# unless call counting starts at once, which DOTNET_TC_CallCountingDelayMs=0 below asks for).
# The PostgreSQL modes run on a throwaway cluster (.ci/postgres, on CONFLICT409_PG_PORT, as root on Debian).
set -euo pipefail

duration=${1:-10}
mode=${2:-memory}
warmup=${3:-10}
rounds=${ROUNDS:-2}
threads=2
connections=64
api_port=5101
baseline_port=5102
variant_port=5103
case $mode in
  memory) store=memory ;;
  postgres | outage | instances | pool | slow) store=postgres ;;
  *) echo "unknown mode $mode: memory, postgres, outage, instances, pool or slow" >&2; exit 2 ;;
esac

source "$(dirname "$0")/lib.sh"

cleanup() {
  stop_servers
  [[ $store == postgres ]] && "$root/.ci/postgres" stop
  rm -rf "$work"
}
trap cleanup EXIT

publish_api
dotnet publish "$root/tests/load/baseline/Baseline.cs" -c Release -o "$work/baseline" --nologo -v quiet >/dev/null

store_args=() baseline_args=()
if [[ $store == postgres ]]; then
  connection=$("$root/.ci/postgres" start)
  pg_port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$connection")
  database="${connection/Database=postgres/Database=conflict409_load};Maximum Pool Size=200"
  store_args=(--Store=PostgreSql "--ConnectionStrings:Conflict409=$database")
  request_timeout_s=3
  case $mode in
    pool) store_args=(--Store=PostgreSql "--ConnectionStrings:Conflict409=${database/Maximum Pool Size=200/Maximum Pool Size=2};Timeout=1"
            "--RequestTimeout=00:00:0$request_timeout_s") ;;
    slow) store_args+=("--RequestTimeout=00:00:0$request_timeout_s") ;;
  esac
  baseline_args=("--Postgres=$database")
fi

start_api() { # name port [extra server arguments...]; API_DIR runs another published server (default: $work/api)
  local name=$1 port=$2 dir=${API_DIR:-$work/api}
  shift 2
  start "$name" "$port" "$dir/Conflict409.Api" --contentRoot "$dir" --urls "http://127.0.0.1:$port" \
    "${measured_server_args[@]}" "${store_args[@]}" "$@"
}

declare -A rps cpu dbcpu requests
api_runs=() variant_runs=()

drive() { # label (a file name) port workload [seconds] [connections]
  local label=$1 port=$2 workload=$3 seconds=${4:-$duration} conns=${5:-$connections} sampler=""
  if [[ $store == postgres && ${WAITS:-0} == 1 && $label != warm-* ]]; then
    sample_waits "$seconds" >"$work/$label.waits" &
    sampler=$!
  fi
  local ticks db
  ticks=$(cpu_ticks "$port")
  [[ $store == postgres ]] && db=$(db_ticks)
  RUN="$(date +%s)$port" WORKLOAD=$workload $load_cpu wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency \
    -s "$root/tests/load/workload.lua" "http://127.0.0.1:$port" >"$work/$label.out"
  cpu[$label]=$(( $(cpu_ticks "$port") - ticks ))
  [[ $store == postgres ]] && dbcpu[$label]=$(( $(db_ticks) - db ))
  if [[ $port == "$api_port" || $mode == instances ]]; then
    api_runs+=("$label")
  elif [[ $port == "$variant_port" ]]; then
    variant_runs+=("$label")
  fi
  report "$label"
  if [[ -n $sampler ]]; then
    wait "$sampler"
    # What the database sessions were doing, sampled every 0.2 s: "running" is on a CPU or waiting for one;
    # Client/ClientRead is idle, waiting for the server's next statement.
    sort "$work/$label.waits" | uniq -c | sort -rn | awk '{n[NR] = $1; w[NR] = $2; t += $1} END {
      printf "    database sessions:"; for (i = 1; i <= NR && i <= 6; i++) printf " %s %.0f %%", w[i], 100 * n[i] / t; print "" }'
  fi
}

# WAITS=1: samples pg_stat_activity during each measured run (the sessions of both servers on the cluster).
sample_waits() { # seconds
  local end=$((SECONDS + $1))
  while (( SECONDS < end )); do
    PGPASSWORD=conflict409 psql -h 127.0.0.1 -p "$pg_port" -U conflict409 -d conflict409_load -Atc \
      "SELECT coalesce(wait_event_type || '/' || wait_event, state) FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle' OR wait_event = 'ClientRead'" 2>/dev/null \
      | sed 's/^active$/running/'
    sleep 0.2
  done
}

report() { # label
  local result
  result=$(grep '^RESULT' "$work/$1.out")
  rps[$1]=$(sed 's/.*requests_per_second=\([0-9]*\).*/\1/' <<<"$result")
  requests[$1]=$(awk '$1 == "STATUS" {n += $3} END {print n + 0}' "$work/$1.out")
  # The server's CPU time per request: unlike requests/s, it does not move when the machine lends the core to
  # someone else for a while (each run here swings by ±15 % in requests/s, far less in CPU per request).
  printf '%-11s %s cpu_us_per_request=%s%s\n' "$1" "${result#RESULT }" "$(cpu_per_request "${cpu[$1]:-0}" "${requests[$1]}")" \
    "${dbcpu[$1]:+ db_cpu_us_per_request=$(cpu_per_request "${dbcpu[$1]}" "${requests[$1]}")}"
  grep '^STATUS' "$work/$1.out" | sort | sed 's/^STATUS /    status /'
}

count() { # label status
  awk -v status="$2" '$1 == "STATUS" && $2 == status {n = $3} END {print n + 0}' "$work/$1.out"
}

# The database's CPU time so far (user + system of the cluster's postmaster and its processes, and of its exited
# backends through the postmaster's children times): PostgreSQL shares the two cores with the server, so what a
# request costs the database moves the ratio too, and is measured here rather than guessed from it. Background work
# (autovacuum after a round's inserts, the checkpointer) is charged to whichever run is measuring when it happens.
db_ticks() {
  local postmaster
  postmaster=$(head -1 /var/lib/postgresql/*/"conflict409_$pg_port"/postmaster.pid 2>/dev/null) || { echo 0; return; }
  # A backend that exits between pgrep and the read has no /proc entry left: skipped (its time is the postmaster's).
  { echo "$postmaster"; pgrep -P "$postmaster" || true; } | while read -r pid; do
    awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || true
  done | awk '{n += $1} END {print n + 0}'
}

cpu_per_request() { # ticks requests: microseconds of server CPU per request
  awk -v ticks="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", n ? 1e6 * ticks / hz / n : 0}'
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f %%", 100 * a / b}'; }

users_on_server() {
  curl -fs "http://127.0.0.1:$api_port/users?limit=1" | sed 's/.*"total":\([0-9]*\).*/\1/'
}

register_statuses() { # port, names on stdin (one request per line), 32 at a time
  xargs -P 32 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$1/register" \
    -H 'Content-Type: application/json' -d '{"username":"{}"}' | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}'
}

status=0
fail() { echo "FAIL: $*" >&2; status=1; }
seeded=2
start_api api "$api_port"
echo "wrk: $threads threads, $connections connections, ${duration}s per run after ${warmup}s of warm-up, mode: $mode"
[[ -n $server_cpu ]] && echo "  server on CPU 0, wrk on CPU 1"

case $mode in
  memory)
    start baseline "$baseline_port" "$work/baseline/Baseline" --urls "http://127.0.0.1:$baseline_port"
    read -ra variant_args <<<"${VARIANT:-}"
    variant_label=${variant_args[*]}
    if [[ -n ${VARIANT_TREE:-} ]]; then
      dotnet publish "$VARIANT_TREE/src/Conflict409.Api" -c Release -o "$work/variant-api" --nologo -v quiet >/dev/null
      variant_label="the server of $VARIANT_TREE${variant_label:+ started with $variant_label}"
      API_DIR=$work/variant-api start_api variant "$variant_port" "${variant_args[@]}"
    elif [[ -n $variant_label ]]; then
      start_api variant "$variant_port" "${variant_args[@]}"
    fi
    echo "  baseline  = bare endpoint, unique registrations; unique = POST /register, new names (201);"
    echo "  duplicate = POST /register john_doe (409);  mixed = 201/409/200/412/200 in turn;  $rounds alternating rounds"
    [[ -n $variant_label ]] && echo "  variant   = POST /register, new names, on a second server: $variant_label"
    drive warm-base "$baseline_port" unique "$warmup"
    drive warm-api "$api_port" unique "$warmup"
    [[ -n $variant_label ]] && drive warm-variant "$variant_port" unique "$warmup"
    ratios="" variant_ratios="" base_new=0 api_new=0 variant_new=0
    base_cpu=0 base_n=0 api_cpu=0 api_n=0 variant_cpu=0 variant_n=0
    for round in $(seq "$rounds"); do
      drive "baseline-$round" "$baseline_port" unique
      # A server measured right after another shares CPU 0 with that one's garbage collection: the two swap
      # places every round, so neither always goes second.
      if [[ -n $variant_label ]] && (( round % 2 == 0 )); then
        drive "variant-$round" "$variant_port" unique
        drive "unique-$round" "$api_port" unique
      else
        drive "unique-$round" "$api_port" unique
        if [[ -n $variant_label ]]; then drive "variant-$round" "$variant_port" unique; fi
      fi
      ratios+="$(percent "${rps[unique-$round]}" "${rps[baseline-$round]}"), "
      (( base_new += rps[baseline-$round], api_new += rps[unique-$round] ))
      (( base_cpu += cpu[baseline-$round], base_n += requests[baseline-$round] ))
      (( api_cpu += cpu[unique-$round], api_n += requests[unique-$round] ))
      if [[ -n $variant_label ]]; then
        variant_ratios+="$(percent "${rps[variant-$round]}" "${rps[baseline-$round]}"), "
        (( variant_new += rps[variant-$round] ))
        (( variant_cpu += cpu[variant-$round], variant_n += requests[variant-$round] ))
      fi
    done
    drive duplicate "$api_port" duplicate
    drive mixed "$api_port" mixed
    echo
    echo "unique registrations vs the bare endpoint: $(percent "$api_new" "$base_new") (rounds: ${ratios%, })"
    if [[ -n $variant_label ]]; then
      echo "the same with $variant_label: $(percent "$variant_new" "$base_new") (rounds: ${variant_ratios%, })"
    fi
    echo "server CPU per new registration: bare endpoint $(cpu_per_request "$base_cpu" "$base_n") us," \
      "POST /register $(cpu_per_request "$api_cpu" "$api_n") us$( [[ -n $variant_label ]] &&
        echo ", with $variant_label $(cpu_per_request "$variant_cpu" "$variant_n") us")"
    ;;
  postgres)
    start baseline "$baseline_port" "$work/baseline/Baseline" --urls "http://127.0.0.1:$baseline_port" "${baseline_args[@]}"
    echo "  base-new = bare Npgsql endpoint (INSERT ... ON CONFLICT DO NOTHING RETURNING), new names (201);"
    echo "  base-dup = the same, john_doe (409);  unique / duplicate = POST /register, new names / john_doe;"
    echo "  mixed = 201/409/200/412/200 in turn;  $rounds alternating rounds"
    # VARIANT_TREE=DIR: another checkout's server (a change's before and after); VARIANT="--Setting=value ...": this
    # checkout's server started with those settings (a setting's cost, e.g. --Progress:Enabled=false); both: the other
    # checkout started with them. On a database of its own (two servers on one database would share a progress log),
    # measured in the same rounds right after this one.
    read -ra variant_args <<<"${VARIANT:-}"
    variant=${variant_args[*]:+this server started with ${variant_args[*]}}
    variant_db="--ConnectionStrings:Conflict409=${database/Database=conflict409_load/Database=conflict409_variant}"
    if [[ -n ${VARIANT_TREE:-} ]]; then
      variant="the server of $VARIANT_TREE${variant_args[*]:+ started with ${variant_args[*]}}"
      dotnet publish "$VARIANT_TREE/src/Conflict409.Api" -c Release -o "$work/variant-api" --nologo -v quiet >/dev/null
      API_DIR=$work/variant-api start_api variant "$variant_port" "$variant_db" "${variant_args[@]}"
    elif [[ -n $variant ]]; then
      start_api variant "$variant_port" "$variant_db" "${variant_args[@]}"
    fi
    [[ -n $variant ]] && echo "  variant-new / variant-dup = the same on $variant (database conflict409_variant)"
    # Both workloads warm each server: at this mode's request rate the JIT is still compiling 15 s in (a profile
    # showed it), and a duplicate's 409 path has code of its own, which an unwarmed first round measured.
    warm() { drive "warm-$1" "$2" unique "$warmup"; drive "warm-$1-dup" "$2" duplicate "$warmup"; }
    [[ -n $variant ]] && warm variant "$variant_port"
    warm base "$baseline_port"
    warm api "$api_port"
    new_ratios="" dup_ratios="" base_new=0 api_new=0 base_dup=0 api_dup=0
    variant_new_ratios="" variant_dup_ratios="" variant_new=0 variant_dup=0
    declare -A cpu_sum=() db_sum=() n_sum=()
    add_cpu() { (( cpu_sum[$1] += cpu[$2], db_sum[$1] += dbcpu[$2], n_sum[$1] += requests[$2] )) || true; }
    for round in $(seq "$rounds"); do
      drive "base-new-$round" "$baseline_port" unique
      drive "unique-$round" "$api_port" unique
      [[ -n $variant ]] && drive "variant-new-$round" "$variant_port" unique
      drive "base-dup-$round" "$baseline_port" duplicate
      drive "duplicate-$round" "$api_port" duplicate
      [[ -n $variant ]] && drive "variant-dup-$round" "$variant_port" duplicate
      new_ratios+="$(percent "${rps[unique-$round]}" "${rps[base-new-$round]}"), "
      dup_ratios+="$(percent "${rps[duplicate-$round]}" "${rps[base-dup-$round]}"), "
      (( base_new += rps[base-new-$round], api_new += rps[unique-$round] ))
      (( base_dup += rps[base-dup-$round], api_dup += rps[duplicate-$round] ))
      add_cpu base-new "base-new-$round"; add_cpu unique "unique-$round"
      add_cpu base-dup "base-dup-$round"; add_cpu duplicate "duplicate-$round"
      if [[ -n $variant ]]; then
        variant_new_ratios+="$(percent "${rps[variant-new-$round]}" "${rps[base-new-$round]}"), "
        variant_dup_ratios+="$(percent "${rps[variant-dup-$round]}" "${rps[base-dup-$round]}"), "
        (( variant_new += rps[variant-new-$round], variant_dup += rps[variant-dup-$round] ))
        add_cpu variant-new "variant-new-$round"; add_cpu variant-dup "variant-dup-$round"
      fi
    done
    drive mixed "$api_port" mixed
    echo
    echo "new names vs the bare Npgsql endpoint:  $(percent "$api_new" "$base_new") (rounds: ${new_ratios%, })"
    echo "duplicates vs the bare Npgsql endpoint: $(percent "$api_dup" "$base_dup") (rounds: ${dup_ratios%, })"
    if [[ -n $variant ]]; then
      echo "$variant, new names:  $(percent "$variant_new" "$base_new") (rounds: ${variant_new_ratios%, })"
      echo "$variant, duplicates: $(percent "$variant_dup" "$base_dup") (rounds: ${variant_dup_ratios%, })"
    fi
    cpu_line="server CPU per request (us): bare new $(cpu_per_request "${cpu_sum[base-new]}" "${n_sum[base-new]}"),"
    cpu_line+=" new $(cpu_per_request "${cpu_sum[unique]}" "${n_sum[unique]}"),"
    cpu_line+=" bare duplicate $(cpu_per_request "${cpu_sum[base-dup]}" "${n_sum[base-dup]}"),"
    cpu_line+=" duplicate $(cpu_per_request "${cpu_sum[duplicate]}" "${n_sum[duplicate]}")"
    [[ -n $variant ]] && cpu_line+="; variant new $(cpu_per_request "${cpu_sum[variant-new]}" "${n_sum[variant-new]}"), variant duplicate $(cpu_per_request "${cpu_sum[variant-dup]}" "${n_sum[variant-dup]}")"
    echo "$cpu_line"
    db_line="database CPU per request (us):"
    for runs in base-new unique base-dup duplicate ${variant:+variant-new variant-dup}; do
      db_line+=" $runs $(cpu_per_request "${db_sum[$runs]}" "${n_sum[$runs]}"),"
    done
    echo "${db_line%,}"
    ;;
  outage)
    # 32 connections as a class would send them; the cluster goes down 5 s in and comes back 6 s later.
    drive warm-api "$api_port" unique "$warmup"
    RUN="$(date +%s)" WORKLOAD=unique $load_cpu wrk -t"$threads" -c32 -d"${duration}s" --latency \
      -s "$root/tests/load/workload.lua" "http://127.0.0.1:$api_port" >"$work/outage.out" &
    wrk_pid=$!
    sleep 5
    "$root/.ci/postgres" down
    sleep 1
    health_down=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/healthz")
    sleep 5
    "$root/.ci/postgres" up
    for _ in $(seq 100); do
      curl -fs "http://127.0.0.1:$api_port/healthz" >/dev/null && break
      sleep 0.1
    done
    after_up=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$api_port/register" \
      -H 'Content-Type: application/json' -d "{\"username\":\"back_$(date +%s)\"}")
    wait "$wrk_pid"
    api_runs+=(outage)
    report outage
    echo
    echo "while down: /healthz $health_down; the first registration once /healthz is 200 again: $after_up"
    echo "outage run: $(count outage 503) × 503, $(count outage 500) × 500"
    [[ $health_down == 503 ]] || fail "/healthz answered $health_down while the database was down"
    [[ $after_up == 201 ]] || fail "the first registration after the database came back answered $after_up"
    (( $(count outage 503) > 0 )) || fail "no 503 while the database was down"
    (( seeded += 1 ))
    ;;
  pool | slow)
    # Another session locks the users table for 6 s, 3 s into the run: inserts wait for the lock (reads do not).
    # slow: a pool of 200, so the requests behind the lock are cut off by the request timeout (503);
    # pool: a pool of 2, so those two connections are stuck and the others wait for a connection, then get 503
    # with Retry-After after the 1 s the connection string allows, well inside the request timeout.
    drive warm-api "$api_port" unique "$warmup"
    # wrk gives up on a request after 2 s by default: here the server's own timeout must decide.
    RUN="$(date +%s)" WORKLOAD=unique $load_cpu wrk -t"$threads" -c"$connections" -d"${duration}s" --latency --timeout 10s \
      -s "$root/tests/load/workload.lua" "http://127.0.0.1:$api_port" >"$work/$mode.out" &
    wrk_pid=$!
    sleep 3
    PGPASSWORD=conflict409 psql -h 127.0.0.1 -p "$pg_port" -U conflict409 -d conflict409_load -qc \
      'BEGIN; LOCK TABLE "Users" IN EXCLUSIVE MODE; SELECT pg_sleep(6); COMMIT;' >/dev/null
    wait "$wrk_pid"
    api_runs+=("$mode")
    report "$mode"
    # wrk's slowest request, in ms. A statement the timeout cancelled is answered once PostgreSQL confirms the
    # cancellation, so that its connection goes back to the pool instead of being broken: Npgsql waits up to its
    # Cancellation Timeout (2 s) for that, after sending the cancel request on a connection of its own. With a pool
    # of 2 only two statements are cancelled at a time, so the bound is the request timeout plus that wait (and
    # 0.5 s); with 64 at once (slow) the wait is reported, not bounded. A request wrk gave up on (10 s) would not
    # show in the latency at all: it is a socket error, and none is allowed.
    limit_ms=$(( request_timeout_s * 1000 + 2500 ))
    slowest=$(awk '$1 == "Latency" {v = $4; u = v; gsub(/[0-9.]/, "", u); sub(/[a-z]+$/, "", v);
      print (u == "s" ? v * 1000 : u == "us" ? v / 1000 : v); exit}' "$work/$mode.out")
    server_sessions() { # condition on state: how many of the server's database sessions meet it
      PGPASSWORD=conflict409 psql -h 127.0.0.1 -p "$pg_port" -U conflict409 -d conflict409_load -Atc \
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'Conflict409' AND state $1"
    }
    sleep 1 # the last requests wrk left in flight
    busy=$(server_sessions "<> 'idle'") idle=$(server_sessions "= 'idle'")
    after=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$api_port/register" \
      -H 'Content-Type: application/json' -d "{\"username\":\"after_${mode}_$(date +%s)\"}")
    echo
    echo "lock held 6 s, $([[ $mode == pool ]] && echo "pool of 2" || echo "pool of 200"), $connections connections:" \
      "$(count "$mode" 201) × 201, $(count "$mode" 503) × 503, $(count "$mode" 500) × 500; slowest request ${slowest} ms" \
      "(request timeout ${request_timeout_s} s); afterwards the server's database sessions: $busy busy, $idle idle;" \
      "a registration: $after"
    (( $(count "$mode" 503) > 0 )) || fail "no 503 although the requests waited longer than they may"
    [[ $mode == slow ]] || awk -v ms="$slowest" -v limit="$limit_ms" 'BEGIN {exit !(ms < limit)}' \
      || fail "a request waited ${slowest} ms, more than ${limit_ms} ms"
    socket_errors=$(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' "$work/$mode.out")
    (( ${socket_errors:-1} == 0 )) || fail "wrk lost ${socket_errors:-?} requests (timeouts or resets): something hung"
    (( busy == 0 )) || fail "$busy of the server's database sessions are still busy after the run"
    [[ $after == 201 ]] || fail "the first registration after the run answered $after"
    (( seeded += 1 ))
    ;;
  instances)
    start_api api2 "$baseline_port"
    echo "  two servers on one database (ports $api_port and $baseline_port), both on CPU 0; wrk 32 connections each"
    # A plain `wait` would wait for the servers too: wait for the first wrk run by its id.
    drive warm-api "$api_port" unique "$warmup" 32 >/dev/null &
    first=$!
    drive warm-api2 "$baseline_port" unique "$warmup" 32 >/dev/null
    wait "$first"
    drive first "$api_port" unique "$duration" 32 >"$work/first.report" &
    first=$!
    drive second "$baseline_port" unique "$duration" 32
    wait "$first"
    cat "$work/first.report"
    api_runs=(warm-api warm-api2 first second)
    echo
    echo "both servers: $(( rps[second] + $(sed -n 's/.*requests_per_second=\([0-9]*\).*/\1/p' "$work/first.out") )) new registrations/s"
    # 2000 names, each sent to both servers at once: one 201 and one 409 per name.
    before=$(users_on_server)
    raced=$(for i in $(seq 2000); do echo "$api_port raced_$i"; echo "$baseline_port raced_$i"; done | xargs -P 32 -L1 bash -c \
      'curl -s -o /dev/null -w "%{http_code}\n" -X POST "http://127.0.0.1:$0/register" -H "Content-Type: application/json" -d "{\"username\":\"$1\"}"' \
      | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
    after=$(users_on_server)
    echo "raced across both servers: $raced-> $((after - before)) new users"
    if [[ $raced != "2000×201 2000×409 " || $((after - before)) -ne 2000 ]]; then
      fail "2000 names raced across two servers must give 2000 201s, 2000 409s and 2000 new users"
    fi
    (( seeded += after - before ))

    # One learner's board, graded on both servers: a 409 on the first, its recovery (a new name) on the second.
    # Each server answers the board once the other's requests before it are graded: both must read the same.
    learner_post() { # port username: the status
      curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/register" -H 'Learner: load_zed' \
        -H 'Content-Type: application/json' -d "{\"username\":\"$2\"}"
    }
    board() { # port: the board's lessons and events, without the per-instance version
      curl -s "http://127.0.0.1:$1/progress" -H 'Learner: load_zed' | jq -c '{lessons: [.lessons[] | select(.conflicts + .recoveries > 0)
        | "\(.id) \(.state) \(.conflicts)/\(.recoveries)"], events: [.events[] | "\(.request) \(.status) \(.instance)"]}'
    }
    taken=$(learner_post "$api_port" john_doe) renamed=$(learner_post "$baseline_port" "load_zed_$(date +%s)")
    (( seeded += 1 ))
    board_first=$(board "$api_port") board_second=$(board "$baseline_port")
    echo "one learner across both servers: 409 on the first: $taken, new name on the second: $renamed;" \
      "board on the first: $board_first; on the second: $([[ $board_second == "$board_first" ]] && echo the same || echo "$board_second")"
    [[ $taken == 409 && $renamed == 201 ]] || fail "the learner's requests answered $taken and $renamed, not 409 and 201"
    [[ $board_first == "$board_second" ]] || fail "the learner's board differs between the two servers"
    [[ $(jq -r '.lessons | join(",")' <<<"$board_first") == "duplicate-registration recovered 1/1" ]] \
      || fail "the learner's board is not 'recovered, 1 conflict, 1 recovery' for lesson 0"
    (( $(jq '.events | length' <<<"$board_first") == 2 )) || fail "the learner's board does not show its 2 requests"

    # Lesson 7 walked across both: one browser (one cookie jar), its requests alternating between the servers.
    jar="$work/shop.cookies"
    page=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$api_port/shop/cart")
    token=$(jq -r .formToken <<<"$page")
    shop_post() { # port path [json body]: the status
      curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -X POST "http://127.0.0.1:$1$2" -H "X-Form-Token: $token" \
        ${3:+-H 'Content-Type: application/json' -d "$3"}
    }
    added=$(shop_post "$baseline_port" /shop/cart/items '{"productId":2}')
    stale=$(shop_post "$api_port" /shop/checkout)
    reloaded=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$baseline_port/shop/cart" | jq -r .revision)
    ordered=$(shop_post "$api_port" /shop/checkout)
    instances=$(for port in "$api_port" "$baseline_port"; do
      curl -s -o /dev/null -D - "http://127.0.0.1:$port/healthz" | tr -d '\r' | sed -n 's/^conflict409-instance: //Ip'; done | paste -sd ' ')
    echo "lesson 7 across both servers ($instances): cart (revision $(jq -r .revision <<<"$page")) on the first," \
      "item on the second: $added, stale checkout on the first: $stale, reload on the second: revision $reloaded," \
      "checkout on the first: $ordered"
    [[ "$added $stale $reloaded $ordered" == "201 409 2 200" ]] \
      || fail "lesson 7 across two servers must give 201, a 409, revision 2 and 200"
    ;;
esac

created=0
for run in "${api_runs[@]}"; do (( created += $(count "$run" 201) )); done
fivexx=$(for run in "${api_runs[@]}" "${variant_runs[@]}"; do cat "$work/$run.out"; done | awk '/^STATUS 5/ && $2 != 503 {n += $3} END {print n + 0}')
unavailable=$(for run in "${api_runs[@]}"; do cat "$work/$run.out"; done | awk '$1 == "STATUS" && $2 == 503 {n += $3} END {print n + 0}')
users=$(users_on_server)
# wrk stops counting at the deadline: requests still in flight then (at most one per connection and run)
# are completed by the server but never counted. So the wrk runs can be off by up to that many, upwards.
uncounted=$(( users - seeded - created ))
in_flight=$(( ${#api_runs[@]} * connections ))
# A request cut off by the request timeout just as its insert committed is a 503 for a stored user.
[[ $mode == pool || $mode == slow ]] && (( in_flight += $(count "$mode" 503) ))

# An exact check with nothing in flight at a deadline: 2000 new names, each sent twice, 32 at a time.
before=$(users_on_server)
exact=$(for i in $(seq 2000); do echo "exact_$i"; echo "exact_$i"; done | register_statuses "$api_port")
after=$(users_on_server)

echo "5xx responses other than 503: $fivexx; 503 responses: $unavailable"
echo "wrk runs: $created 201s counted, $((users - seeded)) users registered ($uncounted completed after wrk's deadline; at most $in_flight)"
echo "exact run: $exact-> $((after - before)) new users"
if (( uncounted < 0 || uncounted > in_flight )); then
  fail "201s and stored users disagree beyond what wrk's deadline explains"
fi
if [[ $exact != "2000×201 2000×409 " || $((after - before)) -ne 2000 ]]; then
  fail "the exact run must give 2000 201s, 2000 409s and 2000 new users"
fi
if (( fivexx > 0 )) || { [[ $mode != outage && $mode != pool && $mode != slow ]] && (( unavailable > 0 )); }; then
  fail "the server answered 5xx under load"
fi
(( status == 0 )) && echo "OK: no 5xx$([[ $mode == outage || $mode == pool || $mode == slow ]] && echo " but 503 while the database was down, short of connections or locked"), and every 201 is exactly one stored user"
exit "$status"
