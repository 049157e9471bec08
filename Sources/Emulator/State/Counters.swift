import Synchronization

/// What the emulator has seen, for `GET /_emulator/counters` and in-process tests.
package struct EmulatorCounters: Codable, Sendable, Equatable {
    /// Route name → HTTP status → requests.
    package var requests: [String: [String: Int]]
    /// Response body bytes written, all routes.
    package var bytesServed: Int
    /// Route name → response body bytes written.
    package var bytesServedByRoute: [String: Int]
    /// openId → coins charged for queries.
    package var coinsCharged: [String: Double]
    /// openId → coins left.
    package var coinBalances: [String: Double]
    /// Try-on requests refused by the firewall.
    package var firewallBlocks: Int
    /// Client IP → requests refused by the firewall.
    package var firewallBlocksByIP: [String: Int]
    /// Route name → fault kind → times injected.
    package var faultsInjected: [String: [String: Int]]
    package var tokensIssued: Int

    enum CodingKeys: String, CodingKey {
        case requests, bytesServed = "bytes_served", bytesServedByRoute = "bytes_served_by_route"
        case coinsCharged = "coins_charged", coinBalances = "coin_balances", firewallBlocks = "firewall_blocks"
        case firewallBlocksByIP = "firewall_blocks_by_ip", faultsInjected = "faults_injected", tokensIssued = "tokens_issued"
    }

    /// Requests on `route` answered with `status`.
    package func requests(_ route: EmulatorRoute, status: Int) -> Int {
        requests[route.rawValue]?[String(status)] ?? 0
    }

    /// All requests on `route`.
    package func requests(_ route: EmulatorRoute) -> Int {
        requests[route.rawValue]?.values.reduce(0, +) ?? 0
    }
}

/// The live counters behind ``EmulatorCounters``.
final class Counters: Sendable {
    private struct State {
        var requests: [EmulatorRoute: [Int: Int]] = [:]
        var bytes: [EmulatorRoute: Int] = [:]
        var firewallBlocks: [String: Int] = [:]
        var faults: [EmulatorRoute: [FaultKind: Int]] = [:]
        var tokensIssued = 0
    }

    private let state = Mutex(State())

    func record(route: EmulatorRoute, status: Int, bodyBytes: Int, faults: [FaultKind]) {
        state.withLock { s in
            s.requests[route, default: [:]][status, default: 0] += 1
            if bodyBytes > 0 { s.bytes[route, default: 0] += bodyBytes }
            for kind in faults { s.faults[route, default: [:]][kind, default: 0] += 1 }
        }
    }

    /// Body bytes of a streamed response, counted as they are written.
    func addBytes(_ count: Int, route: EmulatorRoute) {
        state.withLock { $0.bytes[route, default: 0] += count }
    }

    func recordFirewallBlock(ip: String) {
        state.withLock { $0.firewallBlocks[ip, default: 0] += 1 }
    }

    func recordTokenIssued() {
        state.withLock { $0.tokensIssued += 1 }
    }

    func reset() {
        state.withLock { $0 = State() }
    }

    func snapshot(coins: CoinLedger.Snapshot) -> EmulatorCounters {
        state.withLock { s in
            EmulatorCounters(
                requests: Dictionary(uniqueKeysWithValues: s.requests.map { route, statuses in
                    (route.rawValue, Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), $0.value) }))
                }),
                bytesServed: s.bytes.values.reduce(0, +),
                bytesServedByRoute: Dictionary(uniqueKeysWithValues: s.bytes.map { ($0.key.rawValue, $0.value) }),
                coinsCharged: coins.charged,
                coinBalances: coins.balances,
                firewallBlocks: s.firewallBlocks.values.reduce(0, +),
                firewallBlocksByIP: s.firewallBlocks,
                faultsInjected: Dictionary(uniqueKeysWithValues: s.faults.map { route, kinds in
                    (route.rawValue, Dictionary(uniqueKeysWithValues: kinds.map { ($0.key.rawValue, $0.value) }))
                }),
                tokensIssued: s.tokensIssued
            )
        }
    }
}
