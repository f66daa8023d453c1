-- wrk script for the GET scenarios: rotates through the paths given after "--" (one path when
-- only one is given) and prints the run's summary as one JSON line (latencies in microseconds).
local paths = {}
local counter = 0

function init(args)
  for i = 1, #args do paths[#paths + 1] = args[i] end
end

function request()
  if #paths == 0 then return wrk.format() end
  counter = counter + 1
  return wrk.format(nil, paths[(counter - 1) % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, ' ..
    '"max": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
