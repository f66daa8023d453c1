-- wrk script for the GET scenarios: rotates through the paths given after "--" (one path when
-- only one is given), counts the answers by status, and prints the run's summary as one JSON line
-- (latencies in microseconds; "statuses": every answer by its status, so that a 3xx shows too).
local paths = {}
local counter = 0
statuses = {}  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for i = 1, #args do paths[#paths + 1] = args[i] end
end

function request()
  if #paths == 0 then return wrk.format() end
  counter = counter + 1
  return wrk.format(nil, paths[(counter - 1) % #paths + 1])
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local total, parts = {}, {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do total[key] = (total[key] or 0) + n end
  end
  for key, n in pairs(total) do parts[#parts + 1] = string.format('"%s": %d', key, n) end
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, ' ..
    '"max": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, table.concat(parts, ", ")))
end
