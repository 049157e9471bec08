import FuzzSupport

/// Fuzzes `JSONParser` (see ``JSONRoundTrip``).
@main
enum FuzzJSON {
    static func main() {
        FuzzEntry.main { data, size in
            JSONRoundTrip.check(FuzzEntry.bytes(data, size))
            return 0
        }
    }
}
