import Lua
import RunConfiguration
import Runtime
import Services
import Transport

/// The `api` module (docs/contract.md §2.1): one call per service query, the ModelArts
/// iterator, the waiters and `api.huaweicloud.request` for any other Huawei Cloud API. Queries run off the VM's thread through
/// ``Runtime/perform(_:_:)``; the waiters are Lua loops over those queries and
/// `task.sleep`, so `on_poll` callbacks are ordinary script code.
public enum APIModule {
    /// Installs `api` into `runtime`, answering through `hub`.
    public static func install(in runtime: Runtime, hub: ServiceHub) throws(ScriptError) {
        // The ModelArts iterator's state: a userdata that owns the paginator.
        let pagesType = try LuaObjectType<ModelArtsPaginator>(
            in: runtime.state, name: "moonwatch.modelarts.pages", noun: "ModelArts iterator state",
            describe: { _ in "ModelArts results iterator" })
        try runtime.evaluate(source, name: "api", host: [
            ("tryon_result", { [unowned runtime] call throws(ScriptError) in
                let arguments = NamedArguments(call: call, function: "api.tryon.result", names: ["inf_id"])
                guard let infID = try arguments.optionalInteger(1) else { throw arguments.problem(1, "is required (an integer)") }
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await query(hub, .tryon) { () async throws(ServiceError) in try await hub.tryon().result(infID: infID) }
                }
            }),
            ("metastudio_job", { [unowned runtime] call throws(ScriptError) in
                let arguments = NamedArguments(call: call, function: "api.metastudio.job", names: ["job_id", "app_user_id"])
                let jobID = try arguments.string(1)
                let appUserID = try arguments.optionalString(2)
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await query(hub, .metastudio) { () async throws(ServiceError) in try await hub.metastudio().job(jobID: jobID, appUserID: appUserID) }
                }
            }),
            ("modelarts_results", { [unowned runtime] call throws(ScriptError) in
                let resultsQuery = try resultsQuery(call, function: "api.modelarts.results")
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await query(hub, .modelarts) { () async throws(ServiceError) in try await hub.modelarts().results(resultsQuery) }
                }
            }),
            ("modelarts_pages", { call throws(ScriptError) in
                let resultsQuery = try resultsQuery(call, function: "api.modelarts.each_result")
                let pages = try scripted { () throws(ServiceError) in
                    try hub.call(.modelarts) { () throws(ServiceError) in try hub.modelarts().eachResult(resultsQuery) }
                }
                try pagesType.push(pages, on: call.stack)
                return .results(1)
            }),
            ("modelarts_next", { [unowned runtime] call throws(ScriptError) in
                guard let pages = pagesType.object(call, 1) else { throw call.argumentError(1, "ModelArts iterator state expected") }
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await scripted { () async throws(ServiceError) in
                        [try await hub.call(.modelarts) { () async throws(ServiceError) in try await pages.next()?.luaValue ?? .nil }]
                    }
                }
            }),
            ("faceedge_task", { [unowned runtime] call throws(ScriptError) in
                let arguments = NamedArguments(call: call, function: "api.faceedge.task", names: ["task_id", "service"])
                let taskID = try arguments.string(1)
                let service = try arguments.optionalString(2) ?? FaceEdgeClient.defaultService
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await query(hub, .faceedge) { () async throws(ServiceError) in try await hub.faceedge().task(taskID: taskID, service: service) }
                }
            }),
            /// huaweicloud_request(service, method, path, query, headers, body, timeout, retry) -> the answer table.
            ("huaweicloud_request", { [unowned runtime] call throws(ScriptError) in
                let arguments = NamedArguments(
                    call: call, function: "api.huaweicloud.request",
                    names: ["service", "method", "path", "query", "headers", "body", "timeout", "retry"])
                let service = ServiceName(rawValue: try arguments.string(1))
                let request = HuaweiCloudClient.Request(
                    method: try arguments.optionalString(2) ?? "GET", path: try arguments.string(3),
                    query: try arguments.optionalPairs(4, allowsLists: true), headers: try arguments.optionalPairs(5),
                    body: try arguments.optionalBytes(6), timeout: try arguments.optionalTimeout(7),
                    retry: try arguments.optionalBoolean(8))
                return try runtime.perform(call) { () async throws(ScriptError) -> [LuaValue] in
                    try await scripted { () async throws(ServiceError) in
                        [try await hub.call(service) { () async throws(ServiceError) in
                            try await hub.huaweiCloud(service).send(request).luaValue(includingURL: false)
                        }]
                    }
                }
            }),
            /// schedule(service, function, initial_delay, min_delay, max_delay, timeout) ->
            /// the validated schedule, defaults filled in.
            ("schedule", { call throws(ScriptError) in
                let service = ServiceName(rawValue: try call.string(1))
                let function = try call.string(2)
                let arguments = NamedArguments(call: call, function: function, names: ["service", "function", "initial_delay", "min_delay", "max_delay", "timeout"])
                let defaults = WaiterSchedule.defaults(for: service)
                let initialDelay = try arguments.optionalNumber(3) ?? defaults.initialDelay
                guard initialDelay >= 0, initialDelay.isFinite else { throw arguments.problem(3, "must be a finite number >= 0") }
                let minDelay = try arguments.optionalNumber(4) ?? defaults.minDelay
                let maxDelay = try arguments.optionalNumber(5) ?? defaults.maxDelay
                let timeout = try arguments.optionalNumber(6) ?? defaults.timeout
                let schedule = try scripted { () throws(ServiceError) in
                    try WaiterSchedule(initialDelay: initialDelay, minDelay: minDelay, maxDelay: maxDelay, timeout: timeout)
                        .validated(function: function)
                }
                try call.stack.push([schedule.initialDelay, schedule.minDelay, schedule.maxDelay, schedule.timeout].map(LuaValue.number))
                return .results(4)
            }),
            /// next_delay(min_delay, max_delay, attempt, remaining) -> seconds, or nil when time is up.
            ("next_delay", { call throws(ScriptError) in
                let schedule = WaiterSchedule(minDelay: try call.number(1), maxDelay: try call.number(2), timeout: .infinity)
                let delay = schedule.nextDelay(attempt: Int(try call.integer(3)), remaining: try call.number(4), random: hub.random)
                try call.push(delay.map(LuaValue.number) ?? .nil)
                return .results(1)
            }),
            ("now", { call throws(ScriptError) in
                try call.push(.number(hub.clock.now()))
                return .results(1)
            }),
            /// waited(service, seconds): a waiter reached its answer after `seconds`, for the report.
            ("waited", { call throws(ScriptError) in
                hub.counters.countWait(try call.string(1), seconds: try call.number(2))
                return .none
            }),
            /// fail(kind, message, service): raises an error table naming the service.
            ("fail", { call throws(ScriptError) in
                // A waiter's timeout: the script sees it as that service's error, so it is counted as one.
                let kind = try call.string(1)
                let service = try call.string(3)
                if let known = ServiceError.Kind(rawValue: kind) { hub.counters.countError(service, kind: known) }
                throw ScriptError(.init(rawValue: kind), try call.string(2), fields: ["service": .string(service)])
            }),
            Runtime.raiseFunction,
        ])
    }

    /// Runs one query of `service` through the hub (which counts its failure) and hands its table to Lua.
    private static func query(
        _ hub: ServiceHub, _ service: ServiceName, _ body: () async throws(ServiceError) -> ServiceResult
    ) async throws(ScriptError) -> [LuaValue] {
        try await scripted { () async throws(ServiceError) in [try await hub.call(service, body).luaValue] }
    }

    private static func resultsQuery(_ call: LuaCall, function: String) throws(ScriptError) -> ModelArtsClient.ResultsQuery {
        let arguments = NamedArguments(
            call: call, function: function,
            names: ["task_id", "version_id", "limit", "offset", "result_property", "process_parameter"])
        return ModelArtsClient.ResultsQuery(
            taskID: try arguments.string(1),
            versionID: try arguments.string(2),
            limit: try arguments.optionalInteger(3).map { Int(clamping: $0) },
            offset: try arguments.optionalInteger(4).map { Int(clamping: $0) },
            resultProperty: try arguments.optionalInteger(5).map { Int(clamping: $0) },
            processParameter: try arguments.optionalString(6)
        )
    }
}
