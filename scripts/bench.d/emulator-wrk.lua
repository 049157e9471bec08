-- wrk script for scripts/bench.d/emulator: replays GET requests to the MetaStudio route that
-- the bench script pre-signed (signing is the client's job, never the emulator's). Each line
-- of the file given after `--` is: path <TAB> X-Sdk-Date <TAB> Authorization.

local requests = {}
local counter = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "usage: wrk ... -s emulator-wrk.lua URL -- REQUESTS_FILE")
  for line in file:lines() do
    local path, date, authorization = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    requests[#requests + 1] = wrk.format("GET", path, {
      ["Content-Type"] = "application/json",
      ["X-Project-Id"] = "mw-demo-project",
      ["X-Sdk-Date"] = date,
      ["Authorization"] = authorization,
    })
  end
  file:close()
  assert(#requests > 0, "no pre-signed requests in " .. args[1])
end

function request()
  counter = counter + 1
  return requests[counter % #requests + 1]
end
