/// This build's version: in `--version`, the `User-Agent` and every report.
package enum MoonwatchVersion {
    package static let current = "0.1.0"
}
