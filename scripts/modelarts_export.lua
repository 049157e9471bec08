-- Exports every processed sample of a ModelArts data-processing task version:
-- pages through the results (api.modelarts.each_result), then downloads each
-- sample's processed file (signed_new_source), 8 at a time, to
-- OUT/modelarts/TASK/VERSION/NAME. Deleted samples (result_property 2) have no
-- processed file and are skipped. A signed URL that expires before its
-- download finishes is replaced by a fresh one from the same results page.
-- One record per exported file.
--
--   moonwatch run scripts/modelarts_export.lua [download=no] TASK_ID VERSION_ID
--   moonwatch run --emulator scripts/modelarts_export.lua
--
-- download=no lists what would be exported (one record per sample) without
-- downloading anything.

local positional, download = {}, true
for _, arg in ipairs(args) do
  local key, value = arg:match("^(%w+)=(.*)$")
  if key == "download" then
    download = value ~= "no"
  elseif key then
    error("unknown option " .. key .. " (download)")
  else
    positional[#positional + 1] = arg
  end
end
local task_id = positional[1] or "demo-task"
local version_id = positional[2] or "demo-version"
local LIMIT = 100
local PROPERTIES = {[0] = "kept", [1] = "modified", [2] = "deleted", [3] = "added"}

-- Every sample, with the page it was listed on (to ask that page again for a fresh URL).
local samples, listed = {}, 0
for result in api.modelarts.each_result{task_id = task_id, version_id = version_id, limit = LIMIT} do
  local page = listed // LIMIT
  listed = listed + 1
  if result.signed_new_source then samples[#samples + 1] = {result = result, page = page} end
end
log.info("task %s version %s: %d results, %d processed files to export", task_id, version_id, listed, #samples)

local function fresh_url(sample)
  return function()
    local page = api.modelarts.results{task_id = task_id, version_id = version_id, limit = LIMIT, offset = sample.page}
    for _, result in ipairs(page.results or {}) do
      if result.sample_id == sample.result.sample_id then return result.signed_new_source end
    end
    error("sample " .. sample.result.sample_id .. " is no longer listed")
  end
end

local bytes = 0
task.map(samples, function(sample)
  local result = sample.result
  local name = result.new_source:match("[^/]+$")
  if not download then
    emit({sample_id = result.sample_id, result_property = PROPERTIES[result.result_property], source = result.new_source})
    return
  end
  local file = http.download(result.signed_new_source,
    string.format("modelarts/%s/%s/%s", task_id, version_id, name), {refresh = fresh_url(sample)})
  bytes = bytes + file.bytes
  emit({
    sample_id = result.sample_id,
    result_property = PROPERTIES[result.result_property] or tostring(result.result_property),
    source = result.new_source,
    path = file.path,
    bytes = file.bytes,
    sha256 = file.sha256,
  })
end, {concurrency = 8})
if download then log.info("exported %d files, %d bytes", #samples, bytes) end
