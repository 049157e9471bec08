/// Lua language-server definitions (LuaLS `---@meta` annotations) for every
/// global moonwatch gives scripts; `moonwatch types` writes them out so an
/// editor can complete and check calls. Kept beside the bindings they
/// describe; a test compares the functions named here with those installed.
public enum LuaDefinitions {
    /// The file name `moonwatch types` writes.
    public static let fileName = "moonwatch.lua"

    /// The definitions, a Lua file of annotations and empty function bodies.
    public static let text = #"""
---@meta moonwatch
-- Lua language-server definitions for moonwatch scripts (written by `moonwatch types`).
-- Add this folder to "workspace.library" in .luarc.json; the file is never run.

---@alias moonwatch.ErrorKind
---| "invalid_argument" # a bad argument or option: names the function and the argument
---| "config"           # a service's configuration or credentials are missing
---| "auth"             # 401: wrong keys, signature or token
---| "forbidden"
---| "not_found"
---| "throttled"        # 429, APIG.0308 or the try-on firewall, after retries
---| "server"           # 5xx, after retries
---| "network"          # after retries
---| "timeout"          # a waiter's or task.timeout's
---| "bad_response"     # malformed JSON from a service
---| "insufficient_coins" # try-on state -2
---| "budget"           # tryon.max_coins reached: the query was not sent
---| "checksum"
---| "download"
---| "sandbox"
---| "canceled"

---Every error the host raises. `tostring(err)` is one line.
---@class moonwatch.Error
---@field kind moonwatch.ErrorKind
---@field message string
---@field where? string file:line of the script
---@field service? string "tryon", "metastudio", "modelarts", "faceedge", "http", "download" or a [services.NAME] name
---@field status? integer HTTP status
---@field code? string the service's own code, e.g. "APIGW.0301"
---@field request_id? string
---@field retryable? boolean whether trying again later may help

---@alias moonwatch.Status
---| "queued"
---| "starting"
---| "running"
---| "stopping"
---| "stopped"   # terminal
---| "succeeded" # terminal
---| "partial"   # terminal
---| "failed"    # terminal
---| "canceled"  # terminal
---| "unknown"   # a state the host does not know; not terminal

---A query's answer: the service's fields under their own names plus these.
---@class moonwatch.Result
---@field status moonwatch.Status
---@field terminal boolean
---@field error? string a readable reason when the job did not succeed
---@field request_id? string
---@field [string] any

---@class moonwatch.TryOnResult: moonwatch.Result
---@field state integer 1 queued, 2 done, -1 failed
---@field position? integer place in the queue while queued
---@field pose_url? string oss_url .. body_url, when succeeded
---@field show_url? string oss_url .. showUrl, when succeeded

---@class moonwatch.MetaStudioJob: moonwatch.Result
---@field job_id string
---@field state string WAITING, PROCESSING, SUCCEED, PARTIAL_SUCCEED, FAILED, CANCELED
---@field error_info? {error_code: string, error_msg: string}

---@class moonwatch.ModelArtsPage
---@field count integer
---@field has_more boolean not to be trusted: each_result stops on count and empty pages
---@field results table[]
---@field request_id? string

---@class moonwatch.FaceEdgeTask: moonwatch.Result
---@field id string
---@field state string PENDING, STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, ...

---Waiter options; defaults differ per service.
---@class moonwatch.WaitOptions
---@field timeout? number total seconds (try-on 1800, MetaStudio 3600, face edge 900)
---@field initial_delay? number seconds before the first poll (try-on 30, others 0)
---@field min_delay? number shortest delay between polls (try-on 60, others 2)
---@field max_delay? number longest delay between polls (60)
---@field on_poll? fun(r: moonwatch.Result) called with every intermediate result

---@class moonwatch.TryOnWaitOptions: moonwatch.WaitOptions
---@field inf_id? integer

---@class moonwatch.MetaStudioQuery
---@field job_id string
---@field app_user_id? string printable ASCII; defaults to metastudio.app_user_id

---@class moonwatch.MetaStudioWaitOptions: moonwatch.MetaStudioQuery, moonwatch.WaitOptions

---@class moonwatch.ModelArtsQuery
---@field task_id string
---@field version_id string
---@field limit? integer 1..100
---@field offset? integer a page index from 0
---@field result_property? integer -1 all, 0 kept, 1 modified, 2 deleted, 3 added
---@field process_parameter? string

---@class moonwatch.FaceEdgeQuery
---@field task_id string
---@field service? string default "c-face-edge"

---@class moonwatch.FaceEdgeWaitOptions: moonwatch.FaceEdgeQuery, moonwatch.WaitOptions
---@field target? string also return at this status, e.g. "running"

---The cloud services. Every query sends one request (plus retries) and suspends only the calling task.
api = {}

---Virtual try-on results.
api.tryon = {}

---One query: `POST {api_url}/api/inf/get_result`, charged against tryon.max_coins before it is sent.
---@param inf_id integer|{inf_id: integer}
---@return moonwatch.TryOnResult
function api.tryon.result(inf_id) end

---Polls until the job is terminal; a failed job is a result, not an error.
---@param inf_id integer|moonwatch.TryOnWaitOptions
---@param options? moonwatch.WaitOptions
---@return moonwatch.TryOnResult
function api.tryon.wait(inf_id, options) end

---Huawei Cloud MetaStudio photo-modeling jobs.
api.metastudio = {}

---One query: `GET /v1/{project_id}/digital-human/stylized/picture-modelings/{job_id}`.
---@param query moonwatch.MetaStudioQuery
---@return moonwatch.MetaStudioJob
function api.metastudio.job(query) end

---Polls until the job is terminal.
---@param options moonwatch.MetaStudioWaitOptions
---@return moonwatch.MetaStudioJob
function api.metastudio.wait(options) end

---Huawei Cloud ModelArts data-processing results.
api.modelarts = {}

---One page: `GET /v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results`.
---@param query moonwatch.ModelArtsQuery
---@return moonwatch.ModelArtsPage
function api.modelarts.results(query) end

---Every result of every page: `for r in api.modelarts.each_result{...} do ... end`.
---@param query moonwatch.ModelArtsQuery
---@return fun(): table?
function api.modelarts.each_result(query) end

---Huawei Cloud edge face-extraction tasks.
api.faceedge = {}

---One query: `GET /v2/{project_id}/services/{service}/tasks/{task_id}`.
---@param query moonwatch.FaceEdgeQuery
---@return moonwatch.FaceEdgeTask
function api.faceedge.task(query) end

---Polls until the task is terminal or at `target`.
---@param options moonwatch.FaceEdgeWaitOptions
---@return moonwatch.FaceEdgeTask
function api.faceedge.wait(options) end

---@class moonwatch.HuaweiCloudRequest
---@field service string "metastudio", "modelarts", "faceedge" or a NAME from [services.NAME] in moonwatch.toml
---@field method? "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS" default "GET"
---@field path string under the service's endpoint, starting with "/"; {project_id} is filled in
---@field query? table<string, string|number|boolean|(string|number|boolean)[]>
---@field headers? table<string, string|number|boolean> not Authorization, X-Sdk-Date, X-Auth-Token, X-Project-Id, Host
---@field body? table|string a table is sent as JSON
---@field timeout? number seconds (default 60)
---@field retry? boolean retry network errors, 429 and 5xx (default: only GET, HEAD, PUT, DELETE, OPTIONS)

---@class moonwatch.Response
---@field status integer HTTP status
---@field headers table<string, string> lower-case names; repeated headers joined with ", "
---@field body any the decoded JSON when the answer is JSON, else the body as a string
---@field request_id? string X-Request-Id
---@field url? string (http.request) the final URL, after redirects

---Any Huawei Cloud API.
api.huaweicloud = {}

---Sends a request signed with AK/SK (or carrying the IAM token) like the bound calls, with their
---retries and rate limit; a 4xx or 5xx raises the usual error table (code from the Huawei error body).
---@param request moonwatch.HuaweiCloudRequest
---@return moonwatch.Response
function api.huaweicloud.request(request) end

---@class moonwatch.DownloadOptions
---@field sha256? string hex digest the file must have
---@field md5? string hex digest the file must have
---@field size? integer bytes the file must have
---@field overwrite? boolean fetch again even if a complete file is at dest (default false)
---@field refresh? fun(): string returns a fresh signed URL when the old one expired

---@class moonwatch.Download
---@field path string where the file is, under the out directory
---@field bytes integer
---@field sha256 string hex
---@field resumed boolean
---@field skipped boolean

---@class moonwatch.HTTPOptions
---@field method? "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE"|"OPTIONS" default "GET"
---@field query? table<string, string|number|boolean|(string|number|boolean)[]> added to the URL's own
---@field headers? table<string, string|number|boolean> no CR or LF; not Host, Content-Length, Transfer-Encoding, Connection
---@field json? any sent as JSON (Content-Type application/json)
---@field body? string sent as is (not with json)
---@field timeout? number seconds for the whole request, retries and redirects included (default 30)
---@field retry? boolean retry network errors, 429 and 5xx (default: only GET, HEAD, PUT, DELETE, OPTIONS)
---@field max_bytes? integer largest answer body accepted (default 16 MiB)
---@field raise? boolean raise the error table for a 4xx or 5xx instead of returning it

---@class moonwatch.HTTPRequest: moonwatch.HTTPOptions
---@field url string http or https; the host must be allowed by [http] allow

---Downloads and plain HTTP requests.
http = {}

---Plain HTTP(S), without any configured credential; follows at most 5 redirects.
---Any status is an answer unless `raise = true`.
---@param request moonwatch.HTTPRequest
---@return moonwatch.Response
function http.request(request) end

---`http.request` with method GET.
---@param url string
---@param options? moonwatch.HTTPOptions
---@return moonwatch.Response
function http.get(url, options) end

---`http.request` with method POST.
---@param url string
---@param options? moonwatch.HTTPOptions
---@return moonwatch.Response
function http.post(url, options) end

---Streams `url` into `dest` (relative to the out directory) through `dest.part`, resuming and verifying.
---@param url string http or https
---@param dest string
---@param options? moonwatch.DownloadOptions
---@return moonwatch.Download
function http.download(url, dest, options) end

---@class moonwatch.Task
local Task = {}

---The task's return values, or raises its error.
---@return any ...
function Task:wait() end

---Stops the task and the tasks it spawned; their `<close>` variables run.
function Task:cancel() end

---Tasks and time.
task = {}

---Runs `fn(...)` as a new task.
---@param fn function
---@param ... any
---@return moonwatch.Task
function task.spawn(fn, ...) end

---Waits for every handle; the first result of each, in order.
---@param handles moonwatch.Task[]
---@return any[]
function task.all(handles) end

---`fn(item, index)` for every item, at most `concurrency` at once; results in input order.
---@generic T, R
---@param items T[]
---@param fn fun(item: T, index: integer): R
---@param options? {concurrency?: integer}
---@return R[]
function task.map(items, fn, options) end

---Suspends the calling task; `task.sleep(0)` lets the others run first.
---@param seconds number
function task.sleep(seconds) end

---`fn(...)`'s results, or after `seconds` cancels it and raises a `timeout` error.
---@param seconds number
---@param fn function
---@param ... any
---@return any ...
function task.timeout(seconds, fn, ...) end

---Messages to standard error, `string.format` style, with the script line.
log = {}

---@param format string
---@param ... any
function log.debug(format, ...) end

---@param format string
---@param ... any
function log.info(format, ...) end

---@param format string
---@param ... any
function log.warn(format, ...) end

---@param format string
---@param ... any
function log.error(format, ...) end

---lua-cjson.
json = {}

---JSON null.
json.null = nil ---@type lightuserdata

---@param value any
---@return string
function json.encode(value) end

---@param text string
---@return any
function json.decode(text) end

---lua-cjson's settings; each returns the current value(s).
---@param convert? boolean|"null" accept NaN and Infinity, or turn them into null
function json.encode_invalid_numbers(convert) end

---@param convert? boolean accept NaN and Infinity when decoding
function json.decode_invalid_numbers(convert) end

---@param keep? boolean reuse the encode buffer between calls
function json.encode_keep_buffer(keep) end

---@param depth? integer deepest nesting encode accepts (default 1000)
function json.encode_max_depth(depth) end

---@param depth? integer deepest nesting decode accepts (default 1000)
function json.decode_max_depth(depth) end

---@param digits? integer significant digits of encoded numbers, 1..16 (default 14)
function json.encode_number_precision(digits) end

---@param convert? boolean encode very sparse arrays as objects instead of raising
---@param ratio? integer
---@param safe? integer
function json.encode_sparse_array(convert, ratio, safe) end

---A separate lua-cjson instance with its own settings.
---@return table
function json.new() end

---Appends `record` as one JSON line to OUT/records.jsonl (in `batch`, kept with the item).
---A field `image`, a path relative to OUT naming a file inside it, adds that picture to report.html.
---@param record table
function emit(record) end

---The script's arguments.
---@type string[]
args = {}

---`moonwatch batch` calls it for every row of the input.
---@type fun(item: table)?
handle = nil

---`moonwatch batch` calls it once before the first item.
---@type fun()?
setup = nil

---@class moonwatch.BatchSummary
---@field total integer items in the journal
---@field done integer
---@field failed integer
---@field pending integer not finished yet (after an interruption or --max-failures)
---@field done_this_run integer
---@field failed_this_run integer
---@field elapsed number seconds

---`moonwatch batch` calls it once at the end.
---@type fun(summary: moonwatch.BatchSummary)?
done = nil
"""#
}
