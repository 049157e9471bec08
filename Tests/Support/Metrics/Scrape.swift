import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reading a `--metrics` endpoint from a test, every wait bounded.
package enum Scrape {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// One `GET url`: the body of a 200 answer, within `timeout` seconds.
    package static func text(_ url: String, timeout: Double = 3) async throws -> String {
        guard let address = URL(string: url) else { throw Failure(description: "not a URL: \(url)") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(from: address)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw Failure(description: "GET \(url) answered \(String(describing: response))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The URL of the line `moonwatch: metrics at URL` once the child has written it
    /// to the file `stderr`; nil if it has not within `timeout` seconds, or the child ended first.
    package static func announcedURL(inFile stderr: URL, of process: Process, timeout: Double = 30) async throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        let marker = "moonwatch: metrics at "
        while Date() < deadline {
            let text = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) {
                return String(line.dropFirst(marker.count))
            }
            if !process.isRunning { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}
