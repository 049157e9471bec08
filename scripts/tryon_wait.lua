-- Waits for virtual try-on jobs and downloads each finished job's two images,
-- the pose (body_url) and the try-on result (showUrl), to OUT/tryon/INF_ID/.
-- One record per job: status, error, and the files with their sizes and sha256.
--
--   moonwatch run scripts/tryon_wait.lua [delay=SECONDS] [download=no] INF_ID ...
--   moonwatch run --emulator --emulator-speed 100 scripts/tryon_wait.lua delay=5
--
-- The service blocks clients that poll too fast and charges 0.1 coins a query:
-- the host spaces every query of the run out (tryon.rate) and stops at
-- tryon.max_coins. delay: seconds before the first poll and between polls
-- (default: the waiter's, 30 s then 60 s); download=no only reports statuses.

local options = {delay = nil, download = "yes"}
local ids = {}
for _, arg in ipairs(args) do
  local key, value = arg:match("^(%w+)=(.*)$")
  if key == "delay" or key == "download" then
    options[key] = value
  elseif key then
    error("unknown option " .. key .. " (delay, download)")
  else
    ids[#ids + 1] = assert(math.tointeger(tonumber(arg)), "an inf_id is an integer, got " .. arg)
  end
end
if #ids == 0 then ids = {3619, 3620, 3621, 3622} end
local delay = options.delay and assert(tonumber(options.delay), "delay= needs a number of seconds")
local wait_options = delay and {initial_delay = delay, min_delay = delay, max_delay = delay} or {}

local function fetch(url, dest)
  -- The try-on files are public: nothing to refresh, but a checksum is returned.
  local file = http.download(url, dest)
  return {path = file.path, bytes = file.bytes, sha256 = file.sha256, resumed = file.resumed, skipped = file.skipped}
end

log.info("waiting for %d try-on jobs", #ids)
local outcomes = task.map(ids, function(inf_id)
  local job = api.tryon.wait(inf_id, wait_options)
  local record = {inf_id = inf_id, status = job.status, error = job.error, cost = job.cost}
  if job.status == "succeeded" and options.download ~= "no" then
    local folder = "tryon/" .. inf_id .. "/"
    record.pose = fetch(job.pose_url, folder .. "pose" .. (job.pose_url:match("%.%w+$") or ".png"))
    record.show = fetch(job.show_url, folder .. "show" .. (job.show_url:match("%.%w+$") or ".jpg"))
  end
  emit(record)
  return job.status
end)

local succeeded = 0
for _, status in ipairs(outcomes) do
  if status == "succeeded" then succeeded = succeeded + 1 end
end
log.info("%d of %d try-on jobs succeeded", succeeded, #ids)
