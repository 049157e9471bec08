import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the connection, which the emulator
/// needs for the client's address (firewall) and to reset it (the reset fault).
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The client's IP address, as the try-on firewall keys it.
    var remoteIP: String {
        channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
