import FuzzSupport

/// Fuzzes the Lua value conversions both ways (see ``LuaRoundTrip``).
@main
enum FuzzLuaValues {
    static func main() {
        FuzzEntry.main { data, size in
            LuaRoundTrip.check(FuzzEntry.bytes(data, size))
            return 0
        }
    }
}
