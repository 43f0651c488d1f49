-- Shared by the wrk scripts: threads numbered from 1, and one report file the benchmark reads.
-- Each wrk thread has its own Lua state; setup() and done() run in the main one.
local threads = {}

-- wrk itself always runs for --duration; a script that ends early times its own span with the monotonic clock
-- and says so in BENCH_FINISHED, so the benchmark can stop wrk as soon as every thread is done.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *moment);
]]
local moment = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(1, moment) -- CLOCK_MONOTONIC
  return tonumber(moment.tv_sec) * 1000000 + tonumber(moment.tv_nsec) / 1000
end

function start()
  started_us = now_us()
end

function finish()
  finished_us = now_us()
  local mark = assert(io.open(os.getenv("BENCH_FINISHED"), "a"))
  mark:write("done\n")
  mark:close()
  wrk.thread:stop()
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Thread variables that done() collects: numbers are summed, tables of lines are joined.
collected = {}

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_REPORT"), "w"))
  local errors = summary.errors
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_us %d\n", summary.duration))
  out:write(string.format("errors %d\n", errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  out:write(string.format("status_errors %d\n", errors.status))
  for _, p in ipairs({50, 90, 99}) do
    out:write(string.format("p%d_us %d\n", p, latency:percentile(p)))
  end
  out:write(string.format("max_us %d\n", latency.max))
  local first, last = nil, nil
  for _, thread in ipairs(threads) do
    local started, finished = thread:get("started_us"), thread:get("finished_us")
    if started and finished then
      first, last = math.min(first or started, started), math.max(last or finished, finished)
    else
      first, last = nil, nil
      break
    end
  end
  if first then out:write(string.format("span_us %d\n", last - first)) end
  for _, name in ipairs(collected) do
    local total = 0
    for _, thread in ipairs(threads) do
      local value = thread:get(name)
      if type(value) == "number" then
        total = total + value
      elseif type(value) == "table" then
        for _, line in ipairs(value) do out:write(name .. " " .. line .. "\n") end
      end
    end
    if total ~= 0 then out:write(string.format("%s %d\n", name, total)) end
  end
  out:close()
end
