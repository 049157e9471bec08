-- Creates COUNT MetaStudio photo-modeling jobs, waits for them (8 at a time),
-- downloads each finished job's cover, emits one record per job and, when a
-- webhook URL is given, posts a summary to it.
--
--   moonwatch run scripts/metastudio_create_and_wait.lua COUNT [WEBHOOK_URL]
--   moonwatch run --emulator --emulator-speed 100 scripts/metastudio_create_and_wait.lua 5
--
-- The job is created with api.huaweicloud.request: the same AK/SK signature,
-- rate limit and error tables as the bound calls, and no retry (a POST is not
-- idempotent: a lost answer must not create a second job). The body is the
-- create call's form fields as JSON (name, style_id, optional notify_url); the
-- emulator takes them as JSON or multipart/form-data. The webhook gets a plain
-- http.post, which never carries a configured credential; with [http] allow set
-- in moonwatch.toml its host must be listed there.

local count = math.tointeger(tonumber(args[1] or "3"))
if count == nil or count < 1 then
  error({kind = "invalid_argument", message = "COUNT must be a whole number >= 1, got " .. tostring(args[1])})
end
local webhook = args[2]

local CREATE = "/v1/{project_id}/digital-human/stylized/picture-modelings"

local function create(index)
  local answer = api.huaweicloud.request{
    service = "metastudio", method = "POST", path = CREATE,
    body = {name = string.format("moonwatch-%03d", index), style_id = "system_male_001"},
  }
  return answer.body.job_id, answer.request_id
end

log.info("creating %d MetaStudio jobs", count)
local indexes = {}
for i = 1, count do indexes[i] = i end

local tally = {}
task.map(indexes, function(index)
  local ok, job_id, request_id = pcall(create, index)
  if not ok then
    -- job_id is the error table: the job was not created (or its answer was lost).
    log.error("creating job %d: %s", index, tostring(job_id))
    emit({index = index, status = "not_created", error = tostring(job_id)})
    tally.not_created = (tally.not_created or 0) + 1
    return
  end
  log.info("job %d created: %s (request %s)", index, job_id, tostring(request_id))
  local watched, job = pcall(api.metastudio.wait, {job_id = job_id, timeout = 3600})
  if not watched then
    -- The job exists but could not be watched (timeout, auth, exhausted retries): keep its id.
    log.error("job %s: %s", job_id, tostring(job))
    emit({index = index, job_id = job_id, status = "unwatched", error = tostring(job)})
    tally.unwatched = (tally.unwatched or 0) + 1
    return
  end
  local record = {index = index, job_id = job_id, status = job.status, state = job.state, error = job.error}
  if job.status == "succeeded" and job.model_cover_url then
    local cover = http.download(job.model_cover_url, "covers/" .. job_id .. ".jpg")
    record.cover, record.cover_sha256, record.image = cover.path, cover.sha256, "covers/" .. job_id .. ".jpg"
  end
  emit(record)
  tally[job.status] = (tally[job.status] or 0) + 1
end, {concurrency = 8})

local parts = {}
for status, n in pairs(tally) do parts[#parts + 1] = status .. " " .. n end
table.sort(parts)
local summary = string.format("%d MetaStudio jobs: %s", count, table.concat(parts, ", "))
log.info("%s", summary)

if webhook then
  -- A summary posted twice beats none: retry = true retries the POST on 429, 5xx and network errors.
  local answer = http.post(webhook, {json = {text = summary, counts = tally}, timeout = 30, retry = true})
  if answer.status >= 300 then
    error({kind = "server", message = "the webhook answered HTTP " .. answer.status})
  end
  log.info("summary posted (HTTP %d)", answer.status)
end
local lost = (tally.not_created or 0) + (tally.unwatched or 0)
if lost > 0 then error(string.format("%d of %d jobs were not created or could not be watched", lost, count)) end
