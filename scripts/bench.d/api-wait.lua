-- Lua side of scripts/bench.d/api: waits for N MetaStudio jobs (bench-00001 ...),
-- 256 at a time, with near-zero delays between polls, and checks every one succeeded.
-- Usage: moonwatch run api-wait.lua N

local count = assert(math.tointeger(tonumber(args[1] or "20000")), "N must be an integer")
local ids = {}
for i = 1, count do ids[i] = string.format("bench-%05d", i) end

local statuses = task.map(ids, function(id)
  return api.metastudio.wait{job_id = id, min_delay = 0.001, max_delay = 0.001, timeout = 600}.status
end, {concurrency = 256})

local succeeded = 0
for _, status in ipairs(statuses) do
  if status == "succeeded" then succeeded = succeeded + 1 end
end
emit({jobs = count, succeeded = succeeded})
assert(succeeded == count, string.format("only %d of %d jobs succeeded", succeeded, count))
