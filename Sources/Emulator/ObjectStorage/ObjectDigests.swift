import Crypto
import NIOCore
import Synchronization

/// SHA-256 and MD5 of generated objects, computed once per object. The MD5 is the ETag, as
/// object storage reports it for single-part uploads; the SHA-256 is for tests and scripts
/// that verify downloads (`GET /_emulator/objects/info`).
final class ObjectDigests: Sendable {
    struct Digests: Sendable, Equatable {
        let sha256: String
        let md5: String

        var etag: String { "\"\(md5)\"" }
    }

    private let cache = Mutex<[UInt64: Digests]>([:])

    func digests(of object: StoredObject) -> Digests {
        if let known = cache.withLock({ $0[object.identity] }) { return known }
        var sha = SHA256()
        var md5 = Insecure.MD5()
        var buffer = ByteBuffer()
        let chunk = 256 * 1024
        var offset = 0
        while offset < object.size {
            let end = min(offset + chunk, object.size)
            buffer.clear()
            object.write(offset..<end, into: &buffer)
            buffer.withUnsafeReadableBytes {
                sha.update(bufferPointer: $0)
                md5.update(bufferPointer: $0)
            }
            offset = end
        }
        let digests = Digests(sha256: Hex.encode(sha.finalize()), md5: Hex.encode(md5.finalize()))
        cache.withLock { $0[object.identity] = digests }
        return digests
    }

}
