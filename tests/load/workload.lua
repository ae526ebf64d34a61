-- wrk script for Conflict409. The environment variable WORKLOAD picks the workload (read when the script
-- loads: wrk may build a request before init() runs):
--   unique     every request registers a new username (201); with LIMIT=n, only the first n requests of each
--              thread do, the rest ask GET /healthz (so a run registers an exact number of users)
--   duplicate  every request registers the seeded john_doe (409)
--   mixed      one request of each lesson in turn: new name 201, john_doe 409, GET user 200,
--              stale If-Match 412, catalogue page 200
-- Every thread counts statuses; done() prints the totals so the caller can check them.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local mode = os.getenv("WORKLOAD") or "unique"
-- New names must be new in every run against the same server, warm-up included.
local run = os.getenv("RUN") or tostring(os.time())
local counter = 0
local limit = tonumber(os.getenv("LIMIT") or "")
statuses = {}

local json = { ["Content-Type"] = "application/json" }

local function register(name)
  return wrk.format("POST", "/register", json, '{"username":"' .. name .. '"}')
end

function request()
  counter = counter + 1
  if mode == "unique" and limit and counter > limit then
    return wrk.format("GET", "/healthz")
  elseif mode == "unique" then
    return register("u" .. run .. "_" .. id .. "_" .. counter)
  elseif mode == "duplicate" then
    return register("john_doe")
  end

  local step = counter % 5
  if step == 0 then
    return register("m" .. run .. "_" .. id .. "_" .. counter)
  elseif step == 1 then
    return register("john_doe")
  elseif step == 2 then
    return wrk.format("GET", "/users/john_doe")
  elseif step == 3 then
    return wrk.format("PUT", "/users/jane_smith/profile",
      { ["Content-Type"] = "application/json", ["If-Match"] = '"0"' }, '{"displayName":"stale"}')
  end
  return wrk.format("GET", "/catalog/products?page=2")
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  local errors = summary.errors
  io.write(string.format("RESULT requests_per_second=%.0f p50_ms=%.2f p99_ms=%.2f socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout))
  for status, n in pairs(totals) do
    io.write(string.format("STATUS %d %d\n", status, n))
  end
end
