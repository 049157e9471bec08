import FuzzSupport

/// Fuzzes the `.csv` batch input reader (see ``CSVInvariants``).
@main
enum FuzzCSV {
    static func main() {
        FuzzEntry.main { data, size in
            CSVInvariants.check(FuzzEntry.bytes(data, size))
            return 0
        }
    }
}
