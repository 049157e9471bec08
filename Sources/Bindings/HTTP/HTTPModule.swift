import Lua
import Runtime
import Services
import Transport

/// The `http` module (docs/contract.md §2.2): `http.download(url, dest, opts)`, and
/// `http.request` with its shorthands `http.get` and `http.post` for plain requests.
///
/// The Lua wrapper checks the options and loops: the host function downloads
/// off the VM's thread (``Runtime/perform(_:_:)``) and returns the result
/// table, or `false` when the signed URL has expired; the wrapper then calls
/// the script's `refresh` (script code, so it may itself query services) and
/// calls the host again with the fresh URL, which continues the same `.part`.
public enum HTTPModule {
    /// Installs `http` into `runtime`, downloading through `downloader` and sending
    /// plain requests through `hub`'s web client (which never attaches its credentials).
    public static func install(in runtime: Runtime, downloader: Downloader, hub: ServiceHub) throws(ScriptError) {
        try runtime.evaluate(source, name: "http", host: [
            Runtime.raiseFunction,
            /// request(function, url, method, query, headers, body, is_json, timeout, retry, max_bytes, raise) -> the answer table.
            ("request", { [unowned runtime] call throws(ScriptError) in
                let request = try webRequest(call)
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await scripted { () async throws(ServiceError) in
                        [try await hub.call(.http) { () async throws(ServiceError) in
                            try await hub.web.send(request).luaValue(includingURL: true)
                        }]
                    }
                }
            }),
            /// download(url, dest, sha256, md5, size, overwrite, can_refresh) ->
            /// the result table, or false and the bytes this call received when the URL expired.
            ("download", { [unowned runtime] call throws(ScriptError) in
                let request = try downloadRequest(call)
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    switch try await scripted({ () async throws(ServiceError) in try await downloader.download(request) }) {
                    case .finished(let result):
                        return [.table(table(result))]
                    case .urlExpired(let receivedBytes):
                        return [.boolean(false), .integer(receivedBytes)]
                    }
                }
            }),
        ])
    }

    private static func webRequest(_ call: LuaCall) throws(ScriptError) -> WebClient.Request {
        let arguments = NamedArguments(
            call: call, function: try call.string(1),
            names: ["function", "url", "method", "query", "headers", "body", "json", "timeout", "retry", "max_bytes", "raise"])
        var headers = try arguments.optionalPairs(5)
        if call.boolean(7), !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        let maxBytes = try arguments.optionalInteger(10)
        if let maxBytes, maxBytes < 0 || maxBytes > 1 << 30 {
            throw arguments.problem(10, "must be a size in bytes from 0 to 1 GiB, got \(maxBytes)")
        }
        return WebClient.Request(
            url: try arguments.string(2), method: try arguments.optionalString(3) ?? "GET",
            query: try arguments.optionalPairs(4, allowsLists: true), headers: headers, body: try arguments.optionalBytes(6),
            timeout: try arguments.optionalTimeout(8) ?? 30, retry: try arguments.optionalBoolean(9),
            maxBytes: maxBytes.map { Int($0) } ?? WebClient.defaultMaxBytes, raise: try arguments.optionalBoolean(11) ?? false)
    }

    private static func downloadRequest(_ call: LuaCall) throws(ScriptError) -> DownloadRequest {
        let arguments = NamedArguments(
            call: call, function: "http.download",
            names: ["url", "dest", "sha256", "md5", "size", "overwrite", "refresh"])
        let sha256 = try hexDigest(arguments, 3, length: 64)
        let md5 = try hexDigest(arguments, 4, length: 32)
        let size = try arguments.optionalInteger(5)
        if let size, size < 0 { throw arguments.problem(5, "must be a size in bytes (>= 0), got \(size)") }
        return DownloadRequest(
            url: try call.string(1), destination: try call.string(2),
            checks: DownloadChecks(sha256: sha256, md5: md5, size: size),
            overwrite: call.boolean(6), canRefresh: call.boolean(7))
    }

    /// A hex digest of `length` digits, or nil when absent.
    private static func hexDigest(_ arguments: NamedArguments, _ index: Int32, length: Int) throws(ScriptError) -> String? {
        guard let text = try arguments.optionalString(index) else { return nil }
        guard text.utf8.count == length, text.utf8.allSatisfy({ $0.isHexDigit }) else {
            throw arguments.problem(index, "must be \(length) hexadecimal digits, got '\(text.prefix(80))'")
        }
        return text.lowercased()
    }

    private static func table(_ result: DownloadResult) -> LuaTable {
        var table = LuaTable()
        table["path"] = .string(result.path)
        table["bytes"] = .integer(result.bytes)
        table["sha256"] = .string(result.sha256)
        table["resumed"] = .boolean(result.resumed)
        table["skipped"] = .boolean(result.skipped)
        return table
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
