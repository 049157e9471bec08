#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole buffer to a file descriptor, however the kernel takes it:
/// short writes continue where they stopped, EINTR retries, EAGAIN (a
/// non-blocking descriptor, such as a terminal shared with a parent that set
/// O_NONBLOCK) waits with `poll` until the descriptor is writable again.
enum DescriptorWriter {
    /// A write that cannot go on (EPIPE, EBADF, ...): how far it got.
    struct Failure: Error, CustomStringConvertible {
        var descriptor: Int32
        var code: Int32
        var written: Int
        var total: Int

        var description: String {
            "write to descriptor \(descriptor) failed after \(written) of \(total) bytes: \(String(cString: strerror(code)))"
        }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count > 0 {
                written += count
                continue
            }
            let code = count < 0 ? errno : EIO
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try waitUntilWritable(descriptor, written: written, total: bytes.count)
            // A write of zero bytes for a non-empty buffer would repeat forever: give up like on an error.
            default: throw Failure(descriptor: descriptor, code: code, written: written, total: bytes.count)
            }
        }
    }

    private static func waitUntilWritable(_ descriptor: Int32, written: Int, total: Int) throws(Failure) {
        var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        while poll(&request, 1, -1) < 0 {
            guard errno == EINTR else { throw Failure(descriptor: descriptor, code: errno, written: written, total: total) }
        }
        // POLLERR or POLLHUP: the next write reports the error itself.
    }
}
