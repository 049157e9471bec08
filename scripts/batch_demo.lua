-- The main example: a batch over jobs of all four services, run by scripts/demo
-- against the built-in emulator. Each row names one job; handle(item) waits for
-- it, downloads its files (verified, resumable) and emits one record per file.
--   moonwatch batch --emulator --emulator-speed 60 --input items.jsonl scripts/batch_demo.lua

-- The emulator runs jobs 60 times faster than real ones, so poll quickly too.
local QUICK = { initial_delay = 0.5, min_delay = 0.5, max_delay = 2, timeout = 300 }

local function with_quick(options)
  for key, value in pairs(QUICK) do
    if options[key] == nil then options[key] = value end
  end
  return options
end

-- A job that ended without success fails its item with an error table: the
-- report groups failed items by its kind and code (or, without a code, its message).
local function job_failed(item, r, code)
  error({ kind = r.status, service = item.service, code = code, message = r.error or ("job " .. r.status) })
end

-- Downloads url to dest (relative to --out) and emits a record that lets anyone
-- check the file afterwards.
local function fetch(item, url, dest, options)
  local file = http.download(url, dest, options)
  emit({ service = item.service, job = item.id, file = dest, bytes = file.bytes, sha256 = file.sha256 })
end

local handlers = {}

function handlers.tryon(item)
  -- Try-on polls are rate limited (the service blocks fast pollers): wait longer between them.
  local r = api.tryon.wait(tonumber(item.id), { initial_delay = 2, min_delay = 2, max_delay = 6, timeout = 300 })
  if r.status ~= "succeeded" then job_failed(item, r) end
  fetch(item, r.pose_url, ("tryon/%s-pose.jpg"):format(item.id))
  fetch(item, r.show_url, ("tryon/%s-show.jpg"):format(item.id))
end

function handlers.metastudio(item)
  local r = api.metastudio.wait(with_quick({ job_id = item.id }))
  if r.status ~= "succeeded" then job_failed(item, r, r.error_info and r.error_info.error_code) end
  fetch(item, r.model_cover_url, ("metastudio/%s-cover.jpg"):format(item.id), {
    -- A signed URL expires: ask the service for a fresh one and carry on with the same .part.
    refresh = function() return api.metastudio.job({ job_id = item.id }).model_cover_url end,
  })
end

function handlers.modelarts(item)
  local saved = 0
  for sample in api.modelarts.each_result({ task_id = item.id, version_id = item.version }) do
    if sample.signed_new_source and saved < 3 then
      saved = saved + 1
      fetch(item, sample.signed_new_source, ("modelarts/%s/%s.jpg"):format(item.id, sample.sample_id))
    end
  end
  if saved == 0 then emit({ service = item.service, job = item.id, note = "no processed samples" }) end
end

function handlers.faceedge(item)
  local r = api.faceedge.wait(with_quick({ task_id = item.id, target = "running" }))
  if r.status ~= "running" then job_failed(item, r, r.error_code) end
  emit({ service = item.service, job = item.id, status = r.status })
end

function handle(item)
  local handler = handlers[item.service]
  if handler == nil then error("unknown service " .. tostring(item.service)) end
  handler(item)
end

function done(summary)
  log.info("demo batch: %d done, %d failed of %d in %.1f s", summary.done, summary.failed, summary.total, summary.elapsed)
end
