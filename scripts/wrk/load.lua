-- Used by scripts/load.sh: the main read routes (pages and API) with every LOAD_WRITE_EVERY-th
-- request a write through the JSON API, each creating a new record with a unique key.
--
-- Environment (set by scripts/load.sh):
--   LOAD_PATHS        the read paths, separated by spaces, taken in turn
--   LOAD_TOKEN        a personal access token of an administrator (Bearer)
--   LOAD_RUN          a tag unique to this run, so that a second run on the same database
--                     makes new keys too
--   LOAD_WRITE_EVERY  10: one request in ten is a write
--
-- A write registers a municipality named "Load <run> t<thread> n<count>": its slug, made from
-- the name, must be unique, so a key used twice would come back 409 and count as an error. The
-- thread id comes from setup() and the count is the thread's own, so no two requests of a run
-- share a key without any coordination between wrk's threads.
--
-- After wrk's own report, done() prints one line that scripts/load.sh reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local reads = {}
local every = 10
local token = ""
local run = ""
local n = 0
writes = 0 -- global: done() reads it from each thread with thread:get

function init(args)
  for path in string.gmatch(os.getenv("LOAD_PATHS") or "/", "%S+") do
    -- Formatted once: a read is the same bytes every time.
    table.insert(reads, wrk.format("GET", path))
  end
  every = tonumber(os.getenv("LOAD_WRITE_EVERY") or "10")
  token = os.getenv("LOAD_TOKEN") or ""
  run = os.getenv("LOAD_RUN") or "0"
end

local write_headers = nil

function request()
  n = n + 1
  if every > 0 and n % every == 0 then
    writes = writes + 1
    if write_headers == nil then
      write_headers = {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
        ["Accept"] = "application/json",
      }
    end
    local body = string.format(
      '{"name":"Load %s t%d n%d","country":"DE","kind":"municipality"}', run, id, writes)
    return wrk.format("POST", "/api/v1/municipalities", write_headers, body)
  end
  -- The reads so far (writes left out), so each path gets its turn in order.
  local r = n
  if every > 0 then
    r = n - math.floor(n / every)
  end
  return reads[r % #reads + 1]
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local sent_writes = 0
  for _, thread in ipairs(threads) do
    sent_writes = sent_writes + (thread:get("writes") or 0)
  end
  io.write(string.format(
    "LOAD_RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d " ..
    "connect=%d read=%d write=%d timeout=%d writes_sent=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout, sent_writes))
end
