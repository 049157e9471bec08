import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A response as the tests look at it.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The body as a JSON object (fails the caller's expectation by returning an empty one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}

/// A plain HTTP client on AsyncHTTPClient: what it sends is exactly what the test says, apart
/// from Host and Content-Length, which the client adds.
enum TestHTTP {
    /// `client`: one that does not follow redirects, for tests that follow them by hand.
    static func send(
        _ method: HTTPMethod,
        _ url: String,
        headers: [String: String] = [:],
        body: [UInt8]? = nil,
        client: HTTPClient = .shared
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    /// Sends a request and reads the body chunk by chunk, returning what arrived before an error.
    static func sendPartial(_ url: String, headers: [String: String] = [:]) async throws -> (status: Int, headers: HTTPHeaders, received: Int, error: (any Error)?) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var received = 0
        do {
            for try await chunk in response.body { received += chunk.readableBytes }
            return (Int(response.status.code), response.headers, received, nil)
        } catch {
            return (Int(response.status.code), response.headers, received, error)
        }
    }
}
