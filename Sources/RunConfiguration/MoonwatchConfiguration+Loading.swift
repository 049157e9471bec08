import TOML
import Foundation
import Transport

extension MoonwatchConfiguration {
    /// A value from one layer, before conversion to the key's type.
    enum RawValue {
        case toml(TOMLValue)
        case text(String)
    }

    /// Builds the configuration from the file's text (nil: no file), the
    /// profile, the environment and the flags; see the type's documentation.
    ///
    /// Every problem is collected and thrown as one `config` error, one
    /// problem per line, each naming the key and where it was set.
    /// - Parameters:
    ///   - toml: the text of moonwatch.toml, or nil when there is none.
    ///   - file: the file name used in messages.
    ///   - profile: the `--profile` flag; `MOONWATCH_PROFILE` is used when nil.
    ///   - environment: the process environment (injected; tests pass their own).
    ///   - flags: `(dotted key, text)` pairs from the command line, applied last.
    package static func load(
        toml: String?,
        file: String = "moonwatch.toml",
        profile: String? = nil,
        environment: [String: String] = [:],
        flags: [(key: String, value: String)] = []
    ) throws(ServiceError) -> MoonwatchConfiguration {
        var problems: [String] = []
        var configuration = MoonwatchConfiguration()
        var base: [(ConfigKey, RawValue, String)] = []
        var profiles: [String: [(ConfigKey, RawValue, String)]] = [:]
        var profileOrder: [String] = []

        if let toml {
            let document: TOMLDocument
            do {
                document = try TOMLParser.parse(toml, file: file)
            } catch {
                throw ServiceError(.config, error.message)
            }
            for table in document.tables {
                let problem = checkTable(table.path)
                if let problem { problems.append("\(file):\(table.line): \(problem)") }
                if table.path.count >= 2, table.path[0] == "profiles", !profileOrder.contains(table.path[1]) {
                    profileOrder.append(table.path[1])
                }
            }
            for entry in document.entries {
                let origin = "\(file):\(entry.line)"
                var path = entry.path
                var profileName: String?
                if path.first == "profiles" {
                    guard path.count >= 3 else {
                        problems.append("\(origin): 'profiles' holds tables: use [profiles.NAME] or [profiles.NAME.SECTION]")
                        continue
                    }
                    profileName = path[1]
                    if !profileOrder.contains(path[1]) { profileOrder.append(path[1]) }
                    path = Array(path.dropFirst(2))
                }
                let dotted = path.joined(separator: ".")
                guard let key = ConfigKey.named(dotted) else {
                    if path.count == 3, path[0] == "services", let problem = ServiceTable.problem(path[1]) {
                        problems.append("\(origin): \(problem)")
                        continue
                    }
                    let shown = entry.dottedPath
                    var message = "\(origin): unknown key '\(shown)'"
                    if let hint = ConfigKey.suggestion(for: dotted) {
                        message += " (did you mean '\(profileName.map { "profiles.\($0)." } ?? "")\(hint)'?)"
                    }
                    problems.append(message)
                    continue
                }
                if let profileName {
                    profiles[profileName, default: []].append((key, .toml(entry.value), origin))
                } else {
                    base.append((key, .toml(entry.value), origin))
                }
            }
        }

        for (key, value, origin) in base {
            do throws(ServiceError) { try configuration.apply(key, value, origin: origin) } catch { problems.append(error.message) }
        }

        let selected = profile ?? environment["MOONWATCH_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        if let selected {
            if let settings = profiles[selected] ?? (profileOrder.contains(selected) ? [] : nil) {
                configuration.profile = selected
                for (key, value, origin) in settings {
                    do throws(ServiceError) { try configuration.apply(key, value, origin: origin) } catch {
                        problems.append(error.message)
                    }
                }
            } else {
                let known = profileOrder.isEmpty ? "the file defines no profiles" : "defined: " + profileOrder.joined(separator: ", ")
                problems.append("profile '\(selected)' is not defined in \(toml == nil ? "the configuration" : file) (\(known))")
            }
        }

        for name in environment.keys.sorted() {
            guard name.hasPrefix("MOONWATCH_"), let value = environment[name] else { continue }
            if let key = ConfigKey.all.first(where: { $0.environmentName == name }) ?? ConfigKey.serviceKey(environmentName: name) {
                if value.isEmpty { continue }
                do throws(ServiceError) {
                    try configuration.apply(key, .text(value), origin: "environment variable \(name)")
                } catch { problems.append(error.message) }
            } else if ConfigKey.environmentSectionPrefixes.contains(where: { name.hasPrefix($0) }) {
                let known = ConfigKey.all.map(\.environmentName).filter {
                    ConfigKey.editDistance(Array($0.utf8), Array(name.utf8)) <= 3
                }
                problems.append(
                    "environment variable \(name) matches no configuration key"
                        + (known.isEmpty ? "" : " (did you mean \(known[0])?)"))
            }
        }

        for flag in flags {
            guard let key = ConfigKey.named(flag.key) else {
                problems.append("unknown configuration key '\(flag.key)' given on the command line")
                continue
            }
            do throws(ServiceError) {
                try configuration.apply(key, .text(flag.value), origin: "flag --\(flag.key)")
            } catch { problems.append(error.message) }
        }

        if !problems.isEmpty { throw ServiceError(.config, problems.joined(separator: "\n")) }
        return configuration
    }

    /// Reads `path` and loads it (see ``load(toml:file:profile:environment:flags:)``).
    /// A missing file is an error naming it.
    package static func load(
        contentsOf path: String, profile: String? = nil, environment: [String: String] = [:],
        flags: [(key: String, value: String)] = []
    ) throws(ServiceError) -> MoonwatchConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError(.config, "cannot read configuration file \(path)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw ServiceError(.config, "\(path) is not valid UTF-8")
        }
        return try load(toml: text, file: path, profile: profile, environment: environment, flags: flags)
    }

    /// Nil when `[path]` is an allowed table header, else why not.
    static func checkTable(_ path: [String]) -> String? {
        let dotted = path.joined(separator: ".")
        if ConfigKey.sections.contains(dotted) { return nil }
        if let problem = serviceTableProblem(path[...]) { return problem.isEmpty ? nil : problem }
        if path.first == "profiles" {
            if path.count <= 2 { return nil }
            let inner = path.dropFirst(2).joined(separator: ".")
            if ConfigKey.sections.contains(inner) { return nil }
            if let problem = serviceTableProblem(path.dropFirst(2)) { return problem.isEmpty ? nil : problem }
            return "unknown table [\(path.map(TOMLDocument.displayKey).joined(separator: "."))] "
                + "(a profile may hold: \(ConfigKey.sections.sorted().joined(separator: ", ")))"
        }
        return "unknown table [\(path.map(TOMLDocument.displayKey).joined(separator: "."))] "
            + "(known: \(ConfigKey.sections.sorted().joined(separator: ", ")), profiles.NAME, services.NAME)"
    }

    /// For a `[services...]` header: "" when it is a valid `[services.NAME]`, else why not;
    /// nil for any other header.
    private static func serviceTableProblem(_ path: ArraySlice<String>) -> String? {
        guard path.first == "services" else { return nil }
        guard path.count == 2 else { return "use [services.NAME] with endpoint = \"https://...\" (and optionally rate)" }
        return ServiceTable.problem(path[path.startIndex + 1]) ?? ""
    }
}
