-- wrk script for tests/load/flood.sh: one client (one source address) flooding the server. FLOOD picks what:
--   list      GET /users?limit=100, a full page, over and over
--   register  POST /register with a fresh name every time
--   delete    DELETE /users/nobody (a user no team names, looked up against every team)
local mode = os.getenv("FLOOD") or "list"
local run = os.getenv("RUN") or tostring(os.time())
local counter = 0
statuses = {}

function request()
  counter = counter + 1
  if mode == "register" then
    return wrk.format("POST", "/register", { ["Content-Type"] = "application/json" },
      '{"username":"f' .. run .. "_" .. counter .. '"}')
  elseif mode == "delete" then
    return wrk.format("DELETE", "/users/nobody")
  end
  return wrk.format("GET", "/users?limit=100")
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("FLOOD requests_per_second=%.0f\n", summary.requests / (summary.duration / 1e6)))
end
