import Foundation

/// A scrape in the Prometheus text exposition format, read strictly enough to
/// catch a malformed one: `# TYPE` lines, then `name{label="value",...} number` samples.
package struct Exposition: Sendable {
    package struct Sample: Sendable, Equatable {
        package var name: String
        package var labels: [String: String]
        package var value: Double
    }

    package struct Malformed: Error, CustomStringConvertible {
        package var description: String
    }

    /// `# TYPE` by metric name (counter, gauge, histogram, ...).
    package private(set) var types: [String: String] = [:]
    package private(set) var samples: [Sample] = []

    package init(parsing text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3)
                if words.count >= 4, words[1] == "TYPE" { types[String(words[2])] = String(words[3]) }
                continue
            }
            guard let sample = Self.sample(Substring(line)) else {
                throw Malformed(description: "line \(number + 1) is not a sample: \(line)")
            }
            samples.append(sample)
        }
    }

    /// The value of `name` with exactly these labels, if there is such a sample.
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The sum of `name` over every sample whose labels include `matching`.
    package func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        samples.filter { sample in
            sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }

    private static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard !name.isEmpty, name.first.map({ !$0.isNumber }) == true else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                guard !key.isEmpty else { return nil }
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    if character == "\\" {
                        rest = rest.dropFirst()
                        guard let escaped = rest.first else { return nil }
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                    rest = rest.dropFirst()
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { return nil }
        let number = rest.dropFirst().split(separator: " ").first.map(String.init) ?? ""
        let value: Double? = switch number {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(number)
        }
        guard let value else { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
