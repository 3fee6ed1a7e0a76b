-- wrk's script for `make loadtest` (bench/loadtest.py): each request takes a random line
-- of the file of paths given after `--` (the mix is in how often each path appears), and
-- the summary is printed as one line of JSON for the Python side to read.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- Each thread its own sequence: the same seed would send both down the same paths.
  math.randomseed(os.time() * 1000 + thread_number)
  wrk.headers["Accept-Encoding"] = "gzip"
  wrk.headers["Accept-Language"] = "fr,en;q=0.8"
  -- A new connection per request, as nginx opens to its upstream by default: kept-alive
  -- connections would stay with the few workers that accepted them first.
  wrk.headers["Connection"] = "close"
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean
  ))
end
