-- Watches a few pretend jobs at once: each task sleeps for a while (as a real
-- job would be polled), then the results are emitted in input order.
-- Usage: moonwatch run scripts/tasks_demo.lua [COUNT]

local count = tonumber(args[1] or "5")
local jobs = {}
for i = 1, count do jobs[i] = {id = string.format("job-%03d", i), seconds = 0.1 * ((i * 7) % 5 + 1)} end

log.info("watching %d jobs, at most 4 at a time", #jobs)
local started = os.clock()
local results = task.map(jobs, function(job)
  task.sleep(job.seconds)
  log.debug("%s finished after %.1f s", job.id, job.seconds)
  return {id = job.id, waited = job.seconds, status = "succeeded"}
end, {concurrency = 4})

for _, result in ipairs(results) do emit(result) end
log.info("all %d jobs done (%.3f s of CPU)", #results, os.clock() - started)
