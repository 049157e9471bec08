/// The Lua side of `moonwatch batch`: runs as each VM's main task, with the
/// script's main chunk and the worker's host functions as `...`.
///
/// It runs the script (which defines `handle`, maybe `setup` and `done`), calls
/// `setup()`, then `concurrency` lanes, each a task that claims an item, calls
/// `handle(item, info)` under `pcall` and commits the outcome. After its lanes,
/// the first VM waits for the others and calls `done(summary)`.
enum BatchDriver {
    static let source = #"""
local host, script = ...
local pcall, tostring, type, rawget, getmetatable = pcall, tostring, type, rawget, getmetatable
local decode = json.decode

script()
if type(handle) ~= "function" then
  host.raise("invalid_argument", "a batch script must define a global function handle(item)")
end
if type(setup) == "function" then setup() end

-- Files an item downloads are kept with it in the journal.
if type(http) == "table" and type(http.download) == "function" then
  local download = http.download
  http.download = function(...)
    local result = download(...)
    if type(result) == "table" then
      host.record_download(result.path, result.bytes, result.sha256)
    end
    return result
  end
end

local function describe(err)
  -- A script's own error table, {kind =, code =, message =}: its message.
  if type(err) == "table" and getmetatable(err) == nil and type(rawget(err, "message")) == "string" then
    return rawget(err, "message")
  end
  local ok, text = pcall(tostring, err)
  return ok and text or "(an error that cannot be printed)"
end

-- The error table's field `name` as text, if it has one (for grouping failures).
local function field(err, name)
  if type(err) ~= "table" then return nil end
  local value = rawget(err, name)
  if type(value) == "number" then return tostring(value) end
  return type(value) == "string" and value or nil
end

local function run_item(line, text, attempt)
  host.begin_item(line, attempt)
  local ok, item = pcall(decode, text)
  if not ok then
    host.finish_item(false, "line " .. line .. ": " .. describe(item))
    return
  end
  local handled, err = pcall(handle, item, { line = line, attempt = attempt })
  if handled then
    host.finish_item(true)
  else
    host.finish_item(false, describe(err), field(err, "kind"), field(err, "code"))
  end
end

local function lane()
  while true do
    local line, text, attempt = host.next_item()
    if line == nil then return end
    run_item(line, text, attempt)
  end
end

local lanes = {}
for i = 1, host.concurrency() do lanes[i] = task.spawn(lane) end
for i = 1, #lanes do lanes[i]:wait() end

local summary = host.lanes_finished()
if summary ~= nil and type(done) == "function" then done(summary) end
"""#
}
