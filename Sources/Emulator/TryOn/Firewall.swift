import Synchronization

/// The try-on service's IP firewall: more than `maxRequests` within `windowSeconds` from one
/// address blocks that address for `blockSeconds`. Requests refused while blocked do not
/// extend the block, so a client that backs off is let in again on time.
final class Firewall: Sendable {
    private struct Client {
        /// Arrival times inside the current window, oldest first.
        var recent: [Double] = []
        var blockedUntil: Double?
    }

    private struct State {
        var rules = TryOnFirewall()
        var clients: [String: Client] = [:]
    }

    private let state = Mutex(State())

    func configure(_ rules: TryOnFirewall) {
        state.withLock { $0 = State(rules: rules) }
    }

    /// Registers a request from `ip` at `now`; false when the address is (or becomes) blocked.
    func admit(ip: String, now: Double) -> Bool {
        state.withLock { s in
            var client = s.clients[ip] ?? Client()
            defer { s.clients[ip] = client }
            if let until = client.blockedUntil {
                if now < until { return false }
                client.blockedUntil = nil
                client.recent.removeAll()
            }
            client.recent.removeAll { $0 <= now - s.rules.windowSeconds }
            client.recent.append(now)
            if client.recent.count > s.rules.maxRequests {
                client.blockedUntil = now + s.rules.blockSeconds
                return false
            }
            return true
        }
    }
}
