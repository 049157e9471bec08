import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.part` a download writes, opened without following symlinks and
/// locked (`flock`), so that no other task or process writes it at the same
/// time; the lock goes with the descriptor.
///
/// Bytes land at explicit offsets; the file's length is always the number of
/// good bytes, which is where a later attempt, call or run resumes.
final class PartFile {
    let path: String
    /// The name shown in messages (the destination as the run names it, plus `.part`).
    let shownPath: String
    private let descriptor: Int32

    init(path: String, shownPath: String) throws(ServiceError) {
        self.path = path
        self.shownPath = shownPath
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            if errno == ELOOP {
                throw ServiceError(.sandbox, "\(shownPath) is a symlink; refusing to write through it")
            }
            throw ServiceError(.download, "cannot open \(shownPath): \(errnoText())")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw ServiceError(.download, "\(shownPath) is being written by another download (same destination twice at once?)")
            }
            throw ServiceError(.download, "cannot lock \(shownPath): \(errnoText(code))")
        }
    }

    deinit { close(descriptor) }

    /// Bytes in the file.
    func length() throws(ServiceError) -> Int64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("inspect") }
        return Int64(status.st_size)
    }

    /// Drops everything from `offset` on.
    func truncate(to offset: Int64) throws(ServiceError) {
        guard ftruncate(descriptor, off_t(offset)) == 0 else { throw failure("truncate") }
    }

    /// Writes all of `bytes` at `offset`. A full disk is a `download` error that
    /// says the bytes so far are kept.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(ServiceError) {
        var done = 0
        while done < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += written
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ServiceError) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw failure("read") }
        }
    }

    /// Starts writing `range` to the disk without waiting, so the final
    /// ``sync()`` has little left to do and a large download does not fill the
    /// page cache with dirty pages (on Linux, advising `DONTNEED` on dirty pages
    /// starts their writeback; pages already written are dropped from the cache).
    func startWriteback(_ range: Range<Int64>) {
        _ = posix_fadvise(descriptor, off_t(range.lowerBound), off_t(range.count), Int32(POSIX_FADV_DONTNEED))
    }

    /// Flushes the bytes to the disk.
    func sync() throws(ServiceError) {
        guard fsync(descriptor) == 0 else { throw failure("sync") }
    }

    private func failure(_ action: String) -> ServiceError {
        let code = errno
        if code == ENOSPC || code == EDQUOT {
            let kept = (try? length()).map { " (\($0) bytes kept in it to resume later)" } ?? ""
            return ServiceError(
                .download, "no space left on the device while writing \(shownPath)\(kept)", retryable: false)
        }
        return ServiceError(.download, "cannot \(action) \(shownPath): \(errnoText(code))", retryable: false)
    }
}

/// Renames `from` over `to` and makes the new name durable: fsync of the folder.
func publish(_ from: String, as to: String, folder: String, shownPath: String) throws(ServiceError) {
    guard rename(from, to) == 0 else {
        throw ServiceError(.download, "cannot move the finished download to \(shownPath): \(errnoText())")
    }
    let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else { return }
    defer { close(directory) }
    // A folder that cannot be synced (some network file systems) still has the
    // file under its new name; the rename itself is atomic either way.
    _ = fsync(directory)
}
