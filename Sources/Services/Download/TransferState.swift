import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One download's progress within a call: the open `.part`, how many of its
/// bytes are good, what they belong to, and their running digests.
struct TransferState {
    let part: PartFile
    let target: DownloadTarget
    let checks: DownloadChecks
    /// Good bytes in the `.part`; the next request asks for the rest from here.
    private(set) var offset: Int64
    /// The validator and size of the file the bytes belong to.
    private(set) var metadata: PartMetadata?
    /// Digests of the first `digests.count` bytes; they catch up with `offset`
    /// (by reading the `.part`) only once a server agrees to continue it.
    private(set) var digests: FileDigests
    /// Whether the file continues bytes from an earlier attempt, call or run.
    private(set) var resumed = false
    /// Bytes this call wrote.
    private(set) var received: Int64 = 0
    /// Where the last ``PartFile/startWriteback(_:)`` ended.
    private var writtenBack: Int64 = 0

    /// Opens (and locks) the `.part` and reads what is known about its bytes.
    init(target: DownloadTarget, checks: DownloadChecks) throws(ServiceError) {
        self.target = target
        self.checks = checks
        part = try PartFile(path: target.part, shownPath: target.path + ".part")
        offset = try part.length()
        metadata = PartMetadata.load(target.meta)
        digests = FileDigests(md5: checks.md5 != nil)
        if offset > 0, metadata == nil || offset > metadata?.total ?? .max {
            // Without a validator the rest might come from another version of the file.
            try restart()
        }
    }

    /// Whether the `.part` already holds the whole file (the run before ended
    /// between the last byte and the rename).
    var isComplete: Bool {
        guard let total = metadata?.total else { return false }
        return offset > 0 && offset == total
    }

    /// Forgets every byte: the next request asks for the whole file.
    mutating func restart() throws(ServiceError) {
        try part.truncate(to: 0)
        PartMetadata.remove(target.meta)
        offset = 0
        writtenBack = 0
        metadata = nil
        digests = FileDigests(md5: checks.md5 != nil)
        resumed = false
    }

    /// Removes a `.part` that holds nothing, so a failed call leaves no clutter.
    func discardIfEmpty() {
        guard offset == 0 else { return }
        unlink(target.part)
        PartMetadata.remove(target.meta)
    }

    /// Records what the bytes from offset 0 belong to (a 200 answer); without a
    /// validator nothing is recorded and the bytes will not be resumed by a later run.
    mutating func begin(_ metadata: PartMetadata?) throws(ServiceError) {
        self.metadata = metadata
        if let metadata {
            try metadata.save(to: target.meta, shownPath: target.path + ".part.meta")
        } else {
            PartMetadata.remove(target.meta)
        }
    }

    /// The server agreed to send the rest: hashes the bytes already there.
    mutating func continuing(total: Int64?) throws(ServiceError) {
        if let total, metadata?.total == nil, let validator = metadata?.validator {
            try begin(PartMetadata(validator: validator, total: total))
        }
        let part = self.part
        try digests.update(from: { buffer, at throws(ServiceError) in try part.read(into: buffer, at: at) }, upTo: offset)
        resumed = offset > 0
    }

    /// Appends bytes that arrived.
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws(ServiceError) {
        try part.write(bytes, at: offset)
        digests.update(bytes)
        offset += Int64(bytes.count)
        received += Int64(bytes.count)
        if offset - writtenBack >= Self.writebackStep {
            // The window before the last one: its writeback has had a step's time to finish.
            part.startWriteback(max(0, writtenBack - Self.writebackStep)..<offset)
            writtenBack = offset
        }
    }

    /// How often the bytes so far are handed to the disk.
    static let writebackStep: Int64 = 8 << 20
}
