-- Loaded by bench/load.py: counts non-2xx responses and prints machine-readable results.
-- Each wrk thread has its own Lua state, so the counters are gathered from the threads in done().

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- A POST scenario sets BENCH_METHOD and BENCH_BODY; BENCH_OK lists statuses that count as success
-- besides 2xx (a login answers with a redirect).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end
local ok = {}
for code in string.gmatch(os.getenv("BENCH_OK") or "", "%d+") do
  ok[tonumber(code)] = true
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if (status < 200 or status > 299) and not ok[status] then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format("bench.p50_us %d\n", latency:percentile(50)))
  io.write(string.format("bench.p95_us %d\n", latency:percentile(95)))
  io.write(string.format("bench.p99_us %d\n", latency:percentile(99)))
  io.write(string.format("bench.requests %d\n", summary.requests))
  io.write(string.format("bench.duration_us %d\n", summary.duration))
  io.write(string.format("bench.non2xx %d\n", non2xx_total))
  io.write(string.format("bench.socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
end
