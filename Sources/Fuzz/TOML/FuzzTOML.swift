import FuzzSupport

/// Fuzzes `TOMLParser` (see ``TOMLInvariants``).
@main
enum FuzzTOML {
    static func main() {
        FuzzEntry.main { data, size in
            TOMLInvariants.check(FuzzEntry.bytes(data, size))
            return 0
        }
    }
}
