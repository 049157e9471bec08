import Crypto
import Transport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running SHA-256 (always: it is in every result) and MD5 (only when a
/// check asks for it) of the bytes written so far.
struct FileDigests {
    private var sha256 = SHA256()
    private var md5: Insecure.MD5?
    /// Bytes hashed so far.
    private(set) var count: Int64 = 0

    init(md5: Bool) {
        self.md5 = md5 ? Insecure.MD5() : nil
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        md5?.update(bufferPointer: bytes)
        count += Int64(bytes.count)
    }

    /// Hex digests of everything hashed.
    func finish() -> (sha256: String, md5: String?) {
        (AKSKSigner.hex(sha256.finalize()), md5.map { AKSKSigner.hex($0.finalize()) })
    }

    /// What `checks` finds wrong with these bytes, one phrase per failed check.
    func problems(against checks: DownloadChecks) -> [String] {
        let (sha256, md5) = finish()
        var problems: [String] = []
        if let size = checks.size, size != count { problems.append("size is \(count) bytes, expected \(size)") }
        if let expected = checks.sha256, expected != sha256 { problems.append("sha256 is \(sha256), expected \(expected)") }
        if let expected = checks.md5, let md5, expected != md5 { problems.append("md5 is \(md5), expected \(expected)") }
        return problems
    }

    /// Hashes `range` of a file in fixed-size reads, so memory does not grow with it.
    mutating func update(from read: (UnsafeMutableRawBufferPointer, Int64) throws(ServiceError) -> Int, upTo end: Int64) throws(ServiceError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while count < end {
            let wanted = Int(min(Int64(buffer.count), end - count))
            let got = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), count)
            guard got > 0 else {
                throw ServiceError(.download, "the file ended after \(count) bytes while hashing it", retryable: false)
            }
            update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        }
    }

    /// The digests of a whole file, or nil when it cannot be read.
    static func ofFile(_ path: String, md5: Bool) -> FileDigests? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        var digests = FileDigests(md5: md5)
        let reader = { (buffer: UnsafeMutableRawBufferPointer, offset: Int64) throws(ServiceError) -> Int in
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            guard count >= 0 else { throw ServiceError(.download, "cannot read \(path): \(errnoText())") }
            return count
        }
        do {
            try digests.update(from: reader, upTo: Int64(status.st_size))
        } catch {
            return nil
        }
        return digests
    }
}
