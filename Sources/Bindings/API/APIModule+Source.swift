extension APIModule {
    /// The Lua side of `api`: argument shapes, option checking, the iterator and the waiters.
    static let source = #"""
local host = ...
local type, pairs, tostring, pcall, math_min = type, pairs, tostring, pcall, math.min
local sleep = task.sleep
local encode = json.encode

-- Options tables: unknown keys are errors (a typo must not silently become a default).
local function check_options(name, options, allowed)
  if type(options) ~= "table" then
    host.raise("invalid_argument", "bad argument #1 to '" .. name .. "' (table of options expected, got " .. type(options) .. ")")
  end
  for key in pairs(options) do
    if not allowed[key] then
      host.raise("invalid_argument", name .. ": unknown option '" .. tostring(key) .. "'")
    end
  end
end

local function set(...)
  local result = {}
  for _, key in pairs({...}) do result[key] = true end
  return result
end

local WAIT_OPTIONS = {"timeout", "initial_delay", "min_delay", "max_delay", "on_poll"}
local function with_wait_options(...)
  local result = set(...)
  for _, key in pairs(WAIT_OPTIONS) do result[key] = true end
  return result
end

-- Polls until done(result) or a terminal status; on_poll sees every other result.
-- Raises only for timeout (and what the queries raise: auth, budget, transport).
local function wait_until(name, service, options, describe, poll, done)
  local initial, min_delay, max_delay, timeout = host.schedule(service, name,
    options.initial_delay, options.min_delay, options.max_delay, options.timeout)
  local on_poll = options.on_poll
  if on_poll ~= nil and type(on_poll) ~= "function" then
    host.raise("invalid_argument", name .. ": option 'on_poll' must be a function, got " .. type(on_poll))
  end
  local started = host.now()
  local deadline = started + timeout
  if initial > 0 then sleep(math_min(initial, timeout)) end
  local attempt = 0
  while true do
    attempt = attempt + 1
    local result = poll()
    if result.terminal or done(result) then
      host.waited(service, host.now() - started)
      return result
    end
    if on_poll then on_poll(result) end
    local delay = host.next_delay(min_delay, max_delay, attempt, deadline - host.now())
    if delay == nil then
      host.fail("timeout", name .. ": " .. describe .. " still " .. tostring(result.status) .. " after " ..
        timeout .. " s (" .. attempt .. " polls)", service)
    end
    sleep(delay)
  end
end

local never = function() return false end

api = { tryon = {}, metastudio = {}, modelarts = {}, faceedge = {}, huaweicloud = {} }

-- api.tryon.result(inf_id) or api.tryon.result{inf_id = ...}
function api.tryon.result(inf_id)
  if type(inf_id) == "table" then
    check_options("api.tryon.result", inf_id, set("inf_id"))
    inf_id = inf_id.inf_id
  end
  return host.tryon_result(inf_id)
end

-- api.tryon.wait(inf_id, options) or api.tryon.wait{inf_id = ..., ...options}
function api.tryon.wait(inf_id, options)
  if type(inf_id) == "table" then
    options = inf_id
    inf_id = options.inf_id
    check_options("api.tryon.wait", options, with_wait_options("inf_id"))
  else
    options = options or {}
    check_options("api.tryon.wait", options, with_wait_options())
  end
  return wait_until("api.tryon.wait", "tryon", options, "try-on " .. tostring(inf_id),
    function() return host.tryon_result(inf_id) end, never)
end

local JOB = set("job_id", "app_user_id")
function api.metastudio.job(options)
  check_options("api.metastudio.job", options, JOB)
  return host.metastudio_job(options.job_id, options.app_user_id)
end

function api.metastudio.wait(options)
  check_options("api.metastudio.wait", options, with_wait_options("job_id", "app_user_id"))
  return wait_until("api.metastudio.wait", "metastudio", options, "job " .. tostring(options.job_id),
    function() return host.metastudio_job(options.job_id, options.app_user_id) end, never)
end

local RESULTS = set("task_id", "version_id", "limit", "offset", "result_property", "process_parameter")
function api.modelarts.results(options)
  check_options("api.modelarts.results", options, RESULTS)
  return host.modelarts_results(options.task_id, options.version_id, options.limit, options.offset,
    options.result_property, options.process_parameter)
end

-- for result in api.modelarts.each_result{...} do ... end: every result of every page.
function api.modelarts.each_result(options)
  check_options("api.modelarts.each_result", options, RESULTS)
  local pages = host.modelarts_pages(options.task_id, options.version_id, options.limit, options.offset,
    options.result_property, options.process_parameter)
  local next_result = host.modelarts_next
  return function() return next_result(pages) end
end

local TASK = set("task_id", "service")
function api.faceedge.task(options)
  check_options("api.faceedge.task", options, TASK)
  return host.faceedge_task(options.task_id, options.service)
end

local STATUSES = set("queued", "starting", "running", "stopping", "stopped", "succeeded", "partial", "failed", "canceled")
-- Waits until the task reaches `target` (default "running") or a terminal status.
function api.faceedge.wait(options)
  check_options("api.faceedge.wait", options, with_wait_options("task_id", "service", "target"))
  local target = options.target or "running"
  if not STATUSES[target] then
    host.raise("invalid_argument", "api.faceedge.wait: option 'target' must be a status such as \"running\", got " .. tostring(target))
  end
  return wait_until("api.faceedge.wait", "faceedge", options, "task " .. tostring(options.task_id),
    function() return host.faceedge_task(options.task_id, options.service) end,
    function(result) return result.status == target end)
end

local REQUEST = set("service", "method", "path", "query", "headers", "body", "timeout", "retry")
-- api.huaweicloud.request{service =, method =, path =, query =, headers =, body =, timeout =, retry =}:
-- any Huawei Cloud API, signed like the bound calls; a table body is sent as JSON.
function api.huaweicloud.request(options)
  check_options("api.huaweicloud.request", options, REQUEST)
  local body = options.body
  if type(body) == "table" then
    local ok, text = pcall(encode, body)
    if not ok then
      host.raise("invalid_argument", "api.huaweicloud.request: option 'body' cannot be written as JSON: " .. tostring(text))
    end
    body = text
  end
  return host.huaweicloud_request(options.service, options.method, options.path, options.query, options.headers,
    body, options.timeout, options.retry)
end
"""#
}
