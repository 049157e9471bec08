import Crypto
import Emulator
import Foundation
import Testing

@Suite struct ObjectStorageTests {
    static let scenario = Scenario(
        modelarts: .init(tasks: [ModelArtsTask(taskID: "t", versionID: "v", samples: [ModelArtsSample(resultProperty: 0, size: 300_000)])]),
        objectStorage: .init(urlLifetimeSeconds: 600)
    )

    static func signedURL(_ h: EmulatorHarness) async throws -> String {
        let r = try await h.signedGET(h.modelArtsPath(task: "t", version: "v"))
        let results = r.json["results"] as? [[String: Any]]
        return try #require(results?.first?["signed_new_source"] as? String)
    }

    @Test func wholeFileHeadersAndDigests() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario) { h in
            let url = try await Self.signedURL(h)
            let full = try await TestHTTP.send(.GET, url)
            #expect(full.status == 200)
            #expect(full.body.count == 300_000)
            #expect(full.header("Content-Length") == "300000")
            #expect(full.header("Accept-Ranges") == "bytes")
            #expect(full.header("x-obs-request-id") == full.header("X-Request-Id"))
            let md5 = Insecure.MD5.hash(data: full.body).map { String(format: "%02x", $0) }.joined()
            #expect(full.header("ETag") == "\"\(md5)\"")
            let path = String(url.dropFirst(h.base.count))
            let info = try await h.admin(.GET, "objects/info?path=" + TestSigner.encode(path)).json
            #expect(info["sha256"] as? String == SHA256.hash(data: full.body).map { String(format: "%02x", $0) }.joined())
            #expect(info["size"] as? Int == 300_000)
            #expect(h.emulator.counters().bytesServedByRoute["obs.object"] == 300_000)
        }
    }

    @Test func rangesAndIfRange() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario) { h in
            let url = try await Self.signedURL(h)
            let full = try await TestHTTP.send(.GET, url)
            let etag = try #require(full.header("ETag")), lastModified = try #require(full.header("Last-Modified"))

            let first = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=0-99"])
            #expect(first.status == 206)
            #expect(first.header("Content-Range") == "bytes 0-99/300000")
            #expect(first.body == Array(full.body[0..<100]))

            let tail = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=-10"])
            #expect(tail.status == 206 && tail.body == Array(full.body.suffix(10)))
            let open = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=299990-"])
            #expect(open.status == 206 && open.body == Array(full.body.suffix(10)))

            let resumed = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=150000-", "If-Range": etag])
            #expect(resumed.status == 206 && resumed.body == Array(full.body[150_000...]))
            let byDate = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=150000-", "If-Range": lastModified])
            #expect(byDate.status == 206)
            let changed = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=150000-", "If-Range": "\"another-etag\""])
            #expect(changed.status == 200 && changed.body.count == 300_000)

            let beyond = try await TestHTTP.send(.GET, url, headers: ["Range": "bytes=300000-"])
            #expect(beyond.status == 416)
            #expect(beyond.header("Content-Range") == "bytes */300000")
            #expect(beyond.text.contains("<Code>InvalidRange</Code>"))
        }
    }

    @Test func headOnPublicFiles() async throws {
        let job = TryOnJob(infID: 42, timeline: [.init(state: 2)], files: .init(body: .init(size: 1234), show: .init(size: 99)))
        try await EmulatorHarness.with(scenario: Scenario(tryon: .init(jobs: [job]))) { h in
            _ = try await h.tryOn(42)
            let head = try await TestHTTP.send(.HEAD, h.base + "/oss/result/42/body.png")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "1234")
            #expect(head.header("ETag") != nil)
            #expect(head.body.isEmpty)
            let get = try await TestHTTP.send(.GET, h.base + "/oss/result/42/body.png")
            #expect(get.header("ETag") == head.header("ETag"))
            let partialHead = try await TestHTTP.send(.HEAD, h.base + "/oss/result/42/body.png", headers: ["Range": "bytes=0-9"])
            #expect(partialHead.status == 206 && partialHead.header("Content-Length") == "10")
        }
    }

    @Test func expiredURLsAreRefusedLikeObjectStorageDoes() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario) { h in
            let url = try await Self.signedURL(h)
            #expect(try await TestHTTP.send(.GET, url).status == 200)
            h.clock.advance(by: 601)
            let expired = try await TestHTTP.send(.GET, url)
            #expect(expired.status == 403)
            #expect(expired.header("Content-Type") == "application/xml")
            #expect(expired.text.contains("<Code>AccessDenied</Code><Message>Request has expired</Message>"))
            #expect(expired.text.contains("<Expires>") && expired.text.contains("<ServerTime>"))
            // A fresh listing hands out a fresh URL.
            #expect(try await TestHTTP.send(.GET, try await Self.signedURL(h)).status == 200)
        }
    }

    @Test func signaturesAreChecked() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario) { h in
            let url = try await Self.signedURL(h)
            let forged = url.replacingOccurrences(of: "Signature=", with: "Signature=AA")
            let r = try await TestHTTP.send(.GET, forged)
            #expect(r.status == 403 && r.text.contains("<Code>SignatureDoesNotMatch</Code>"))
            // The method is signed: HEAD with a GET URL fails, as on real object storage.
            #expect(try await TestHTTP.send(.HEAD, url).status == 403)
            let unsigned = try await TestHTTP.send(.GET, String(url.split(separator: "?")[0]))
            #expect(unsigned.status == 403 && unsigned.text.contains("<Code>AccessDenied</Code>"))
        }
    }

    @Test func missingObjectsAndBuckets() async throws {
        try await EmulatorHarness.with(scenario: Self.scenario) { h in
            let url = try await Self.signedURL(h)
            let noKey = try await TestHTTP.send(.GET, url.replacingOccurrences(of: "/obs/mw-modelarts/t/", with: "/obs/mw-modelarts/zz/"))
            #expect(noKey.status == 403, "the signature covers the key, so a changed key is refused first")
            let missing = try await TestHTTP.send(.GET, h.base + "/oss/result/1/nothing.png")
            #expect(missing.status == 404 && missing.text.contains("<Code>NoSuchKey</Code>"))
        }
    }
}
