#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to 127.0.0.1:`port` holding the start of a request it
/// never finishes: the client that keeps a graceful shutdown waiting longest.
package struct HalfOpenRequest {
    private let descriptor: Int32

    package init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let descriptor = self.descriptor
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            _ = Glibc.close(descriptor)
            throw Scrape.Failure(description: "cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        let start = Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)
        _ = start.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    package func close() { _ = Glibc.close(descriptor) }
}
