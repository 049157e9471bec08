-- Waits for MetaStudio photo-modeling jobs, 16 at a time, and emits one record
-- per job: its status and, when it did not succeed, the service's reason.
--
--   moonwatch run scripts/metastudio_wait.lua JOB_ID ...
--   moonwatch run --emulator --emulator-speed 100 scripts/metastudio_wait.lua
--
-- Without ids it waits for twelve demo ids (the emulator derives a timeline for
-- any id). A job that ended badly is a record, not an error: the run fails only
-- when a job could not be watched (timeout, auth, budget, exhausted retries).

local ids = {}
for _, arg in ipairs(args) do ids[#ids + 1] = arg end
if #ids == 0 then
  for i = 1, 12 do ids[i] = string.format("demo-modeling-%02d", i) end
end

log.info("waiting for %d MetaStudio jobs", #ids)
local unwatched = 0
local statuses = task.map(ids, function(id)
  local ok, job = pcall(api.metastudio.wait, {job_id = id, timeout = 3600})
  if not ok then
    -- job is the error table (kind, message, service, status, code, request_id).
    unwatched = unwatched + 1
    log.error("job %s: %s", id, tostring(job))
    emit({job_id = id, status = "unwatched", error = tostring(job), kind = type(job) == "table" and job.kind or nil})
    return "unwatched"
  end
  emit({
    job_id = id,
    status = job.status,
    state = job.state,
    error = job.error,
    model_asset_id = job.model_asset_id,
    request_id = job.request_id,
  })
  return job.status
end, {concurrency = 16})

local counts, order = {}, {}
for _, status in ipairs(statuses) do
  if not counts[status] then order[#order + 1] = status end
  counts[status] = (counts[status] or 0) + 1
end
table.sort(order)
local parts = {}
for _, status in ipairs(order) do parts[#parts + 1] = status .. " " .. counts[status] end
log.info("%d jobs: %s", #ids, table.concat(parts, ", "))
if unwatched > 0 then error(string.format("%d of %d jobs could not be watched", unwatched, #ids)) end
