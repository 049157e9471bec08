// swift-tools-version:6.2
import PackageDescription

/// Layers, each a target; see README.md ("Design") for what each may import.
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
        .target(name: "Runtime", dependencies: ["Lua", "CLuaShim", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Services",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "Bindings", dependencies: ["Lua", "Runtime", "Services"]),
        // SQLite from Debian (libsqlite3-dev), for the batch journal.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "Journal", dependencies: ["CSQLite", .product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Emulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The server's own logger, set to warnings so its start-up lines stay out of the CLI's output.
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "moonwatch",
            dependencies: [
                "Bindings", "Runtime", "Lua", "Services", "Emulator", "Journal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks only: a plain C function to compare bound Swift functions against.
        .target(name: "BenchSupport", dependencies: ["CLua"]),
        .executableTarget(name: "moonwatch-bench", dependencies: ["Lua", "CLua", "BenchSupport"]),
        // libFuzzer targets (scripts/fuzz). Each names the code it fuzzes here and nowhere else.
        .target(name: "FuzzSupport", path: "Sources/Fuzz/Support"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", "Services"], path: "Sources/Fuzz/JSON"),
        .executableTarget(name: "FuzzTOML", dependencies: ["FuzzSupport", "Services"], path: "Sources/Fuzz/TOML"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", "Journal"], path: "Sources/Fuzz/CSV"),
        .executableTarget(name: "FuzzLuaValues", dependencies: ["FuzzSupport", "Lua", "CLua"], path: "Sources/Fuzz/LuaValues"),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "CLua"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Bindings", "Lua"]),
        .testTarget(
            name: "ServicesTests",
            dependencies: [
                "Services",
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
        .testTarget(name: "EndToEndTests", dependencies: ["moonwatch", "Emulator"]),
        .testTarget(
            name: "BatchTests",
            dependencies: ["moonwatch", "Emulator", .product(name: "Crypto", package: "swift-crypto")]
        ),
    ]
)
