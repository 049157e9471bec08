extension HTTPModule {
    /// The Lua side of `http`: argument and option checks, and the refresh loop.
    static let source = #"""
local host = ...
local type, pairs, tostring, pcall = type, pairs, tostring, pcall
local encode = json.encode

local OPTIONS = { sha256 = true, md5 = true, size = true, overwrite = true, refresh = true }
-- Fresh URLs that are already expired before a byte arrives, in a row, before giving up.
local MAX_STALE_REFRESHES = 3

local function argument_error(index, problem)
  host.raise("invalid_argument", "bad argument #" .. index .. " to 'http.download' (" .. problem .. ")")
end

local function option_error(name, expected, value)
  host.raise("invalid_argument", "http.download: option '" .. name .. "' must be " .. expected .. ", got " .. type(value))
end

http = {}

-- http.download(url, dest, opts) -> {path=, bytes=, sha256=, resumed=, skipped=}
-- opts: sha256, md5, size (checks), overwrite (boolean), refresh (function returning a fresh URL).
function http.download(url, dest, options)
  if type(url) ~= "string" then argument_error(1, "string expected, got " .. type(url)) end
  if type(dest) ~= "string" then argument_error(2, "string expected, got " .. type(dest)) end
  if options == nil then
    options = {}
  elseif type(options) ~= "table" then
    argument_error(3, "table of options expected, got " .. type(options))
  end
  -- Unknown keys are errors: a typo must not silently become a default.
  for key in pairs(options) do
    if not OPTIONS[key] then
      host.raise("invalid_argument", "http.download: unknown option '" .. tostring(key) .. "'")
    end
  end
  local overwrite, refresh = options.overwrite, options.refresh
  if overwrite ~= nil and type(overwrite) ~= "boolean" then option_error("overwrite", "a boolean", overwrite) end
  if refresh ~= nil and type(refresh) ~= "function" then option_error("refresh", "a function", refresh) end
  local stale = 0
  while true do
    local result, received = host.download(url, dest, options.sha256, options.md5, options.size,
      overwrite == true, refresh ~= nil)
    if result then return result end
    -- The signed URL expired: the script renews it and the same .part continues.
    if received > 0 then stale = 0 else stale = stale + 1 end
    if stale > MAX_STALE_REFRESHES then
      host.raise("download", "http.download: the URLs from refresh() kept expiring before any byte arrived ("
        .. stale .. " in a row)")
    end
    url = refresh()
    if type(url) ~= "string" then
      host.raise("invalid_argument", "http.download: refresh() must return a URL string, got " .. type(url))
    end
  end
end

local REQUEST = { url = true, method = true, query = true, headers = true, json = true, body = true,
  timeout = true, retry = true, max_bytes = true, raise = true }

local function send(name, options)
  for key in pairs(options) do
    if not REQUEST[key] then host.raise("invalid_argument", name .. ": unknown option '" .. tostring(key) .. "'") end
  end
  local body, is_json = options.body, false
  if options.json ~= nil then
    if body ~= nil then host.raise("invalid_argument", name .. ": give either option 'json' or option 'body', not both") end
    local ok, text = pcall(encode, options.json)
    if not ok then host.raise("invalid_argument", name .. ": option 'json' cannot be written as JSON: " .. tostring(text)) end
    body, is_json = text, true
  end
  return host.request(name, options.url, options.method, options.query, options.headers, body, is_json,
    options.timeout, options.retry, options.max_bytes, options.raise)
end

-- http.request{url =, method = "GET", query =, headers =, json = | body =, timeout = 30, retry =, max_bytes =, raise =}
-- -> {status =, headers =, body =, request_id =, url =}: any status is an answer unless raise = true.
function http.request(options)
  if type(options) ~= "table" then
    host.raise("invalid_argument", "bad argument #1 to 'http.request' (table of options expected, got " .. type(options) .. ")")
  end
  return send("http.request", options)
end

-- The options of http.request but url and method, copied so the caller's table is left alone.
local function shorthand(name, method, url, options)
  if options == nil then
    options = {}
  elseif type(options) ~= "table" then
    host.raise("invalid_argument", "bad argument #2 to '" .. name .. "' (table of options expected, got " .. type(options) .. ")")
  end
  local copy = {}
  for key, value in pairs(options) do
    if key == "url" or key == "method" then
      host.raise("invalid_argument", name .. ": option '" .. key .. "' is given by the call itself")
    end
    copy[key] = value
  end
  copy.url, copy.method = url, method
  return send(name, copy)
end

-- http.get(url, options), http.post(url, options): http.request with that method.
function http.get(url, options) return shorthand("http.get", "GET", url, options) end
function http.post(url, options) return shorthand("http.post", "POST", url, options) end
"""#
}
