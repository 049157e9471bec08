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
        // Already a dependency of async-http-client; named so Services and its tests may import NIO modules.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
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
            ]
        ),
        .target(name: "Bindings", dependencies: ["Lua", "Runtime", "Services"]),
        .target(
            name: "Emulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "moonwatch",
            dependencies: [
                "Bindings", "Runtime", "Lua", "Services", "Emulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks only: a plain C function to compare bound Swift functions against.
        .target(name: "BenchSupport", dependencies: ["CLua"]),
        .executableTarget(name: "moonwatch-bench", dependencies: ["Lua", "CLua", "BenchSupport"]),
        .testTarget(name: "LuaTests", dependencies: ["Lua", "CLua"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Bindings", "Lua"]),
        .testTarget(
            name: "ServicesTests",
            dependencies: [
                "Services",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "EmulatorTests", dependencies: ["Emulator"]),
        .testTarget(name: "EndToEndTests", dependencies: ["moonwatch", "Emulator"]),
    ]
)
