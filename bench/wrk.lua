-- Loaded by bench/load.py: counts failed responses and prints machine-readable results.
-- Each wrk thread has its own Lua state, so the counters are gathered from the threads in done().

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

-- A POST scenario sets BENCH_METHOD and BENCH_BODY; BENCH_OK, when set, lists the only statuses
-- that count as success (a login or a create answers with a redirect: a 200 there is the form
-- shown again with errors). Without it, any 2xx is a success.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end
local ok = {}
local strict = false
for code in string.gmatch(os.getenv("BENCH_OK") or "", "%d+") do
  ok[tonumber(code)] = true
  strict = true
end

-- "{nonce}" in the body becomes a value no other request ever sent, across threads and runs: a
-- random prefix per thread (from /dev/urandom), the time, the thread's number and a counter.
-- Only then is request() defined: without it wrk sends one prebuilt request, faster.
local NONCE = "{nonce}"
if body and string.find(body, NONCE, 1, true) then
  local counter = 0
  local prefix = nil

  local function random_hex(bytes)
    local urandom = assert(io.open("/dev/urandom", "rb"))
    local raw = urandom:read(bytes)
    urandom:close()
    return (string.gsub(raw, ".", function(c) return string.format("%02x", string.byte(c)) end))
  end

  function request()
    if prefix == nil then
      prefix = string.format("b%s-%x-%d-", random_hex(6), os.time(), thread_id or 0)
    end
    counter = counter + 1
    -- A function replacement: the nonce is inserted as is, never read as a pattern.
    local sent = string.gsub(body, "{nonce}", function() return prefix .. counter end)
    return wrk.format(nil, nil, nil, sent)
  end
end

function init(args)
  non2xx = 0
  failed = {} -- status -> count, to say what failed
end

function response(status, headers, body)
  local success
  if strict then
    success = ok[status]
  else
    success = status >= 200 and status <= 299
  end
  if not success then
    non2xx = non2xx + 1
    failed[status] = (failed[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  local failed_total = {}
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    for status, count in pairs(thread:get("failed")) do
      failed_total[status] = (failed_total[status] or 0) + count
    end
  end
  for status, count in pairs(failed_total) do
    io.write(string.format("bench.failed_%d %d\n", status, count))
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
