import Dispatch
import Foundation
import XCTest

@testable import moonwatch

/// `Console`'s writes: every byte in order through short writes and EAGAIN,
/// and a closed reader ends the write with an error instead of a spin.
final class DescriptorWriterTests: XCTestCase {
    /// F_SETPIPE_SZ from <fcntl.h>, which Glibc's module map hides behind _GNU_SOURCE.
    private let setPipeSize: Int32 = 1031

    override func setUp() {
        // A write to a closed pipe must come back as EPIPE, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// A pipe of one page, non-blocking on the write end: a large write goes
    /// through in many short writes, with EAGAIN whenever the pipe is full.
    private func smallNonBlockingPipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        XCTAssertGreaterThan(fcntl(ends[1], setPipeSize, 4096), 0, "F_SETPIPE_SZ")
        XCTAssertEqual(fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK), 0)
        return (ends[0], ends[1])
    }

    func testASlowReaderGetsEveryByteInOrder() throws {
        let pipe = try smallNonBlockingPipe()
        defer { close(pipe.read) }
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }

        let received = LockedBytes()
        let readerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var chunk = [UInt8](repeating: 0, count: 1000)
            var reads = 0
            while true {
                let count = read(pipe.read, &chunk, chunk.count)
                if count <= 0 { break }
                received.append(chunk[..<count])
                reads += 1
                // Slower than the writer, so the pipe fills and writes come back short.
                if reads % 10 == 0 { usleep(1000) }
            }
            readerDone.signal()
        }
        let failure = LockedFailure()
        let writerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do throws(DescriptorWriter.Failure) {
                try DescriptorWriter.writeAll(bytes, to: pipe.write)
            } catch {
                failure.set(error)
            }
            close(pipe.write)
            writerDone.signal()
        }
        XCTAssertEqual(writerDone.wait(timeout: .now() + 60), .success, "the writer finished")
        XCTAssertEqual(readerDone.wait(timeout: .now() + 60), .success, "the reader saw the end")
        XCTAssertNil(failure.value)
        XCTAssertEqual(received.value.count, bytes.count)
        XCTAssertTrue(received.value == bytes, "every byte, in order")
    }

    func testAClosedReaderEndsTheWriteWithEPIPE() throws {
        let pipe = try smallNonBlockingPipe()
        close(pipe.read)
        defer { close(pipe.write) }
        XCTAssertThrowsError(try DescriptorWriter.writeAll(Array(repeating: 7, count: 10_000), to: pipe.write)) { error in
            let failure = error as? DescriptorWriter.Failure
            XCTAssertEqual(failure?.code, EPIPE)
            XCTAssertEqual(failure?.written, 0)
            XCTAssertTrue("\(error)".contains("descriptor \(pipe.write)"), "\(error)")
        }
    }
}

private final class LockedBytes: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    func append(_ more: ArraySlice<UInt8>) { lock.withLock { bytes += more } }
    var value: [UInt8] { lock.withLock { bytes } }
}

private final class LockedFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: DescriptorWriter.Failure?

    func set(_ failure: DescriptorWriter.Failure) { lock.withLock { self.failure = failure } }
    var value: DescriptorWriter.Failure? { lock.withLock { failure } }
}
