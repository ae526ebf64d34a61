# What the load scripts share (source it): the repository root, a scratch directory, CPU pinning, wrk, publishing
# the server, and starting a server and waiting until it answers. The sourcing script traps EXIT to clean up.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
pids=()
declare -A server_pid=() # port -> pid, for cpu_ticks
# wrk and the server compete for the same cores; pinned apart, the ratio to the bare endpoint measures the
# server's own cost per request instead of how the scheduler happened to share the cores in one run.
server_cpu="" load_cpu=""
if (( $(nproc) >= 2 )) && command -v taskset >/dev/null; then
  server_cpu="taskset -c 0" load_cpu="taskset -c 1"
fi

stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
declare -A server_pid=() # port -> pid, for cpu_ticks
}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# What every measured server is started with: console logging of every registration would measure the terminal, not
# the server (warnings only), room for millions of users, and the per-client limits lifted only in size.
measured_server_args=(--Logging:LogLevel:Default=Warning --Users:Capacity=4000000
  --Catalog:RateLimit:PermitLimit=1000000 --Kestrel:Limits:MaxConcurrentConnections=10000
  --Fairness:Registrations:PermitLimit=10000000 --Fairness:Listing:PermitLimit=10000000
  --Fairness:ConnectionsPerClient=10000)

publish_api() {
  echo "Publishing (Release)..."
  dotnet publish "$root/src/Conflict409.Api" -c Release -o "$work/api" --nologo -v quiet >/dev/null
}

start() { # name port command...: on the server CPU, call counting from the first call; waits for /healthz
  local name=$1 port=$2
  shift 2
  DOTNET_TC_CallCountingDelayMs=0 $server_cpu "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  server_pid[$port]=$!
  # Migrating a new database on a busy machine can take a while.
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

cpu_ticks() { # port: the CPU time (user + system, in clock ticks) the server on that port has used so far
  awk '{print $14 + $15}' "/proc/${server_pid[$1]}/stat"
}
