-- Used by scripts/bench-world.sh: after wrk's own report, one line the script reads, with the
-- requests per second, the 50th and 99th percentile latencies (microseconds) and the errors
-- (responses other than 2xx/3xx, and socket errors).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
