/// The parts of the script environment written in Lua: confined loading and
/// the task combinators. Written in Lua so that they can yield like script code.
///
/// The chunk receives a table of private host functions as `...`; scripts never see it.
enum Prelude {
    static let source = #"""
local host = ...
local raw_load, select, type, error, pcall = load, select, type, error, pcall
local math_type, math_min = math.type, math.min

local function argument_error(name, index, problem)
  host.raise("invalid_argument", "bad argument #" .. index .. " to '" .. name .. "' (" .. problem .. ")")
end

local loaded = {}
package = { loaded = loaded }

-- Text chunks only: binary chunks can crash the VM.
function load(chunk, name, mode, ...)
  if select("#", ...) > 0 then return raw_load(chunk, name, "t", ...) end
  return raw_load(chunk, name, "t")
end

function loadfile(path, mode, ...)
  local code, chunkname = host.read_script(path)
  if code == nil then return nil, chunkname end
  if select("#", ...) > 0 then return raw_load(code, chunkname, "t", ...) end
  return raw_load(code, chunkname, "t")
end

function dofile(path)
  local chunk, problem = loadfile(path)
  if chunk == nil then error(problem, 2) end
  return chunk()
end

function require(name)
  if type(name) ~= "string" then
    argument_error("require", 1, "string expected, got " .. type(name))
  end
  local value = loaded[name]
  if value ~= nil then return value end
  local code, chunkname, path = host.find_module(name)
  local chunk, problem = raw_load(code, chunkname, "t")
  if chunk == nil then error(problem, 2) end
  value = chunk(name, path)
  if value == nil then value = loaded[name] end
  if value == nil then value = true end
  loaded[name] = value
  return value, path
end

local task = task

-- task.all(handles) -> the first result of each task, in order. Waits for all of
-- them; if any failed, raises the first failure (in order) after that.
function task.all(handles)
  if type(handles) ~= "table" then
    argument_error("task.all", 1, "table of task handles expected, got " .. type(handles))
  end
  local results, failure = {}, nil
  for i = 1, #handles do
    local ok, value = pcall(handles[i].wait, handles[i])
    if ok then results[i] = value elseif failure == nil then failure = value end
  end
  if failure ~= nil then error(failure, 0) end
  return results
end

-- task.map(items, fn, {concurrency = n}) -> {fn(items[1], 1), ...} in input order.
-- At most n calls run at once (default: all). After a call raises, no new calls
-- start; those running finish; then the first error is raised.
function task.map(items, fn, options)
  if type(items) ~= "table" then
    argument_error("task.map", 1, "table expected, got " .. type(items))
  end
  if type(fn) ~= "function" then
    argument_error("task.map", 2, "function expected, got " .. type(fn))
  end
  local n = #items
  local limit = n
  if options ~= nil then
    if type(options) ~= "table" then
      argument_error("task.map", 3, "options table expected, got " .. type(options))
    end
    local concurrency = options.concurrency
    if concurrency ~= nil then
      if math_type(concurrency) ~= "integer" or concurrency < 1 then
        argument_error("task.map", 3, "option 'concurrency' must be an integer >= 1, got " .. tostring(concurrency))
      end
      limit = concurrency
    end
  end
  local results, next_index, failure = {}, 1, nil
  local function worker()
    while failure == nil and next_index <= n do
      local i = next_index
      next_index = i + 1
      local ok, value = pcall(fn, items[i], i)
      if ok then results[i] = value elseif failure == nil then failure = value end
    end
  end
  local workers = {}
  for w = 1, math_min(limit, n) do workers[w] = task.spawn(worker) end
  for w = 1, #workers do workers[w]:wait() end
  if failure ~= nil then error(failure, 0) end
  return results
end
"""#
}
