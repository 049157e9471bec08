// swift-tools-version:6.2
import PackageDescription

/// Layers, each a target; see docs/layers.md for what each may import.
let package = Package(
    name: "moonwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "moonwatch", targets: ["moonwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // Already in the graph through async-http-client and Hummingbird; named so Services may
        // import NIO modules and the emulator can reach the connection (remote address for the
        // try-on firewall, SO_LINGER for the connection-reset fault).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // Already there through async-http-client: TLS for the services' own HTTP/1.1 transport.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        // Also already there through Hummingbird: the emulator's graceful shutdown (ServiceGroup).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // The shared journal: one batch across machines through PostgreSQL (docs/journal.md §7).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // report.html's template engine (docs/report.md): escapes every value by default.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        // --metrics: Services record through swift-metrics' CoreMetrics API (already in the graph
        // through Hummingbird), MetricsEndpoint exposes them in the Prometheus text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Lua 5.4 and lua-cjson from Debian (liblua5.4-dev, lua-cjson-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4-cjson",
            providers: [.apt(["liblua5.4-dev", "lua-cjson-dev"])]
        ),
        // The C side of the boundary: trampolines, the allocator, hooks, the coroutine wrappers.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        .target(name: "Lua", dependencies: ["CLua", "CLuaShim"]),
        .target(name: "Runtime", dependencies: ["Lua", .product(name: "Logging", package: "swift-log")]),
        // JSON text: the parser, the values and the one string escaper. A leaf, not even
        // Foundation, so Journal and Emulator can use it without pulling in a service.
        .target(name: "JSON"),
        // The HTTP/1.1 client the services speak through, its addresses (ServiceURL) and the
        // error every service call raises (ServiceError), since the transport is where most
        // of those errors are born.
        .target(
            name: "Transport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // moonwatch.toml, profiles, MOONWATCH_* and flags, read into MoonwatchConfiguration
        // (not "Configuration": swift-configuration, in the graph through Hummingbird, has that name):
        // what was asked for. Below Services because ServiceHub is built from a configuration;
        // what it means for a service (credentials from the environment, the problems checked
        // before a run) needs the clients' types, so that part stays in Services.
        // The reader of the TOML subset moonwatch.toml uses; a leaf (but JSON's quoting), so it fuzzes cheaply.
        .target(name: "TOML", dependencies: ["JSON"]),
        .target(name: "RunConfiguration", dependencies: ["JSON", "TOML", "Transport"]),
        .target(
            name: "Services",
            dependencies: [
                "JSON", "Transport", "RunConfiguration",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // RunCounters records into the run's metrics factory, whichever backend made it.
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "Bindings", dependencies: ["Lua", "Runtime", "JSON", "Transport", "RunConfiguration", "Services"]),
        // SQLite from Debian (libsqlite3-dev), for the batch journal.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Journal", dependencies: ["CSQLite", "JSON", .product(name: "Crypto", package: "swift-crypto")]),
        // The journal in PostgreSQL, for a batch shared by many machines. Its own target so
        // the fuzz targets that link Journal do not build postgres-nio.
        .target(
            name: "PostgresJournal",
            dependencies: [
                "Journal",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // report.html: what a run or a batch did, its failures grouped, a gallery of its files.
        .target(
            name: "Report",
            dependencies: [
                "Journal", "JSON", "Services",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The batch engine: workers, one VM each, over the journal.
        .target(
            name: "Batch",
            dependencies: ["Bindings", "Journal", "PostgresJournal", "JSON", "Lua", "Report", "RunConfiguration", "Runtime", "Services", "Transport", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Emulator",
            dependencies: [
                "JSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The server's own logger, set to warnings so its start-up lines stay out of the CLI's output.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // --metrics: the run's Prometheus registry and the HTTP endpoint serving it. Not named
        // "Metrics": swift-metrics has a module of that name.
        .target(
            name: "MetricsEndpoint",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "moonwatch",
            dependencies: [
                "Batch", "Bindings", "Runtime", "Lua", "JSON", "Transport", "RunConfiguration", "Services", "Emulator", "Journal", "Report",
                "MetricsEndpoint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks only: a plain C function to compare bound Swift functions against.
        .target(name: "BenchSupport", dependencies: ["CLua"]),
        .executableTarget(name: "moonwatch-bench", dependencies: ["Lua", "BenchSupport", "Batch", "Journal", "Report"]),
        // libFuzzer targets (scripts/fuzz). Each names the code it fuzzes here and nowhere else.
        .target(name: "FuzzSupport", path: "Sources/Fuzz/Support"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", "JSON"], path: "Sources/Fuzz/JSON"),
        .executableTarget(name: "FuzzTOML", dependencies: ["FuzzSupport", "TOML"], path: "Sources/Fuzz/TOML"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", "Journal"], path: "Sources/Fuzz/CSV"),
        .executableTarget(name: "FuzzLuaValues", dependencies: ["FuzzSupport", "Lua"], path: "Sources/Fuzz/LuaValues"),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "CLua", "CLuaShim"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "RunConfigurationTests", dependencies: ["RunConfiguration", "TOML", "Transport"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Journal", "Services"]),
        // The throwaway PostgreSQL cluster scripts/test starts, for the shared journal's tests.
        .target(name: "PostgresTestSupport", path: "Tests/Support/Postgres"),
        .testTarget(
            name: "PostgresJournalTests",
            dependencies: ["PostgresJournal", "Journal", "PostgresTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Bindings", "Lua"]),
        .testTarget(
            name: "ServicesTests",
            dependencies: [
                "Services", "JSON", "Transport", "RunConfiguration",
                // The downloader's tests run against the emulator's object storage and its faults.
                "Emulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: [
                "Emulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Replays each fuzz target's seed corpus and crash reproducers.
        .testTarget(name: "FuzzTests", dependencies: ["FuzzSupport", "FuzzJSON", "FuzzTOML", "FuzzCSV", "FuzzLuaValues"]),
        // Reading a --metrics endpoint from a test: the exposition format, scrapes with deadlines.
        .target(name: "MetricsTestSupport", path: "Tests/Support/Metrics"),
        .testTarget(name: "EndToEndTests", dependencies: ["moonwatch", "Emulator", "MetricsTestSupport"]),
        .testTarget(
            name: "BatchTests",
            dependencies: [
                // The binary for what needs a process of its own (signals, SIGKILL); Batch for the rest.
                "moonwatch", "Batch", "Emulator", "Journal", "Report", "RunConfiguration", "Runtime", "Services", "Transport", "PostgresTestSupport",
                "MetricsTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The executable's own pieces: Console writes, the live line cut to the terminal.
        .testTarget(name: "CLITests", dependencies: ["moonwatch", "Batch", "Journal", "Report", "Services"]),
        // --metrics without the binary: addresses, the endpoint, what RunCounters records and its labels.
        .testTarget(
            name: "MetricsEndpointTests",
            dependencies: [
                "MetricsEndpoint", "MetricsTestSupport", "Services", "Transport", "RunConfiguration", "Emulator",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
