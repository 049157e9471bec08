import NIOSSL

/// A self-signed certificate for `localhost` and 127.0.0.1 (P-256, valid until 2126),
/// made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 36500 -nodes
/// -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1`; for TLS tests only.
enum TestCertificate {
    static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUacmWMUdrITNgM5dvo0Y8BYrhdjUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTA3NTcwN1oYDzIxMjYxMDI4
MDc1NzA3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATNvoiWq5t+uvj6bP3MizojWP79Zes/ZzFxSjqDlMkRrnJVsxalBJyT
1YkODtd1QCub/xI/ugHk5NYQxMfr3n1Vo28wbTAdBgNVHQ4EFgQUQvvvmr5BQSKC
u3IUErcZge6qtscwHwYDVR0jBBgwFoAUQvvvmr5BQSKCu3IUErcZge6qtscwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSAAwRQIhALGhZcxc9Zfwym3Hzg6QpNcpli8cHX93NNXnuyh3mEhTAiBB
FNo4dzmZSzev5NiqjUEhb3DUJrF+oYZYdevxaMRvOw==
-----END CERTIFICATE-----
"""

    static let privateKeyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiZtsdZI5yD/rA029
P5bgrB/A8Dk2eKNO5Z4CqVrE/mOhRANCAATNvoiWq5t+uvj6bP3MizojWP79Zes/
ZzFxSjqDlMkRrnJVsxalBJyT1YkODtd1QCub/xI/ugHk5NYQxMfr3n1V
-----END PRIVATE KEY-----
"""

    static func certificate() throws -> NIOSSLCertificate {
        try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
    }

    /// A server context presenting the certificate.
    static func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try certificate())],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }
}
