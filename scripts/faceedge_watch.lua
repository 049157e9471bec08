-- Watches face-edge tasks: waits until each is RUNNING, then keeps polling it
-- and reports any task that leaves RUNNING (stopped, failed, frozen, ...).
-- One record per task: `left_running` when it left (with the status it went
-- to), `never_running` when it ended before it ever ran, `still_running` when
-- the watch ended with the task still running.
--
--   moonwatch run scripts/faceedge_watch.lua [watch=SECONDS] [interval=SECONDS] [service=NAME] TASK_ID ...
--   moonwatch run --emulator --emulator-speed 100 scripts/faceedge_watch.lua watch=8 interval=0.5
--
-- watch: how long to keep watching once a task runs (default 600 s);
-- interval: seconds between polls while it runs (default 30 s).

local options = {watch = "600", interval = "30", service = "c-face-edge"}
local ids = {}
for _, arg in ipairs(args) do
  local key, value = arg:match("^(%w+)=(.*)$")
  if key then
    if options[key] == nil then error("unknown option " .. key .. " (watch, interval, service)") end
    options[key] = value
  else
    ids[#ids + 1] = arg
  end
end
local watch = assert(tonumber(options.watch), "watch= needs a number of seconds")
local interval = assert(tonumber(options.interval), "interval= needs a number of seconds")
if #ids == 0 then
  for i = 1, 10 do ids[i] = string.format("demo-edge-task-%02d", i) end
end

local function watch_task(id)
  -- Until it runs (or ends first): the waiter's backoff from 2 s (or the interval, if
  -- shorter) to 60 s, for at most 15 minutes.
  local task_state = api.faceedge.wait{task_id = id, service = options.service, target = "running",
    min_delay = math.min(2, interval), timeout = 900}
  if task_state.status ~= "running" then
    log.warn("task %s ended before it was seen running: %s (%s)", id, task_state.status, task_state.state)
    emit({task_id = id, event = "never_running", status = task_state.status, state = task_state.state})
    return "never_running"
  end
  log.info("task %s is running; watching it for %g s", id, watch)
  local deadline = os.time() + watch
  while os.time() < deadline do
    task.sleep(interval)
    task_state = api.faceedge.task{task_id = id, service = options.service}
    if task_state.status ~= "running" then
      log.warn("task %s left RUNNING: now %s (%s)", id, task_state.status, task_state.state)
      emit({task_id = id, event = "left_running", status = task_state.status, state = task_state.state,
            updated_at = task_state.updated_at})
      return "left_running"
    end
  end
  emit({task_id = id, event = "still_running", status = task_state.status, state = task_state.state})
  return "still_running"
end

local outcomes = task.map(ids, watch_task)
local left = 0
for _, outcome in ipairs(outcomes) do
  if outcome ~= "still_running" then left = left + 1 end
end
log.info("%d of %d tasks are not running any more", left, #ids)
