import Foundation
import Journal
import Mustache

/// `report.html`: ``ReportContent`` rendered through ``ReportTemplate``.
///
/// Files are linked by paths relative to the page's folder, so the out folder
/// can be zipped and opened anywhere. The gallery is cut into pages of
/// ``entriesPerPage`` items, each a `<details>`; only the first is open, the
/// others hold their items in an inert `<template>` until opened, so a
/// 10,000-item page loads no more thumbnails than a 100-item one.
package struct ReportPage {
    package var content: ReportContent
    /// The folder the page is written to.
    package var directory: String
    /// Shown in the services section when the figures are not known.
    package var servicesNote = "No service was used."

    package static let entriesPerPage = 100
    package static let fileName = "report.html"

    private static let template: MustacheTemplate = {
        do {
            return try MustacheTemplate(string: ReportTemplate.page)
        } catch {
            preconditionFailure("the report template does not parse: \(error)")
        }
    }()

    package init(content: ReportContent, directory: String) {
        self.content = content
        self.directory = directory
    }

    /// The page's path.
    package var path: String { directory + "/" + Self.fileName }

    package func html() -> String {
        Self.template.render(view())
    }

    /// Writes the page (to a temporary file, then renamed) and returns its path.
    @discardableResult
    package func write() throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(html().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    private func view() -> [String: Any] {
        let header = content.header
        var view: [String: Any] = [
            "css": ReportTemplate.css,
            "script": ReportTemplate.script,
            "title": header.command,
            "command": header.command,
            "started": header.started.map(Self.timestamp) ?? "",
            "hasStarted": header.started != nil,
            "ended": Self.timestamp(header.ended),
            "elapsed": header.started.map { Format.duration(header.ended.timeIntervalSince($0)) } ?? "",
            "exitStatus": header.exitStatus.map { String($0) } ?? "not recorded (written from the journal)",
            "exitClass": header.exitStatus.map { $0 == 0 ? "ok" : "bad" } ?? "unknown",
            "version": header.version,
            "details": header.details.map { ["name": $0.name, "value": $0.value] },
            "servicesNote": servicesNote,
            "hasServices": !content.services.isEmpty,
            "services": content.services.map(Self.serviceView),
            "pages": galleryPages(),
        ]
        if let outcomes = content.outcomes {
            view["hasOutcomes"] = true
            view["outcomes"] = ItemStatus.allCases.map { ["name": $0.rawValue, "count": outcomes[$0]] as [String: Any] }
            view["total"] = outcomes.total
            view["failureGroups"] = content.failureGroups.map(Self.groupView)
        }
        let files = content.gallery.flatMap(\.files)
        var totals = "\(files.count) files, \(Format.bytes(files.reduce(0) { $0 + $1.bytes }))"
        if let coins = content.coinsSpent, coins > 0 { totals += String(format: " · try-on coins spent %.1f", coins) }
        view["totals"] = totals
        return view
    }

    private static func groupView(_ group: FailureGroup) -> [String: Any] {
        [
            "kind": group.kind, "code": group.code ?? "", "title": group.title, "count": group.items.count,
            "items": group.items.map { ["line": $0.line, "id": $0.id ?? "", "message": $0.message] as [String: Any] },
        ]
    }

    private static func serviceView(_ service: ServiceFigures) -> [String: Any] {
        let waits = service.waits
        let tallest = max(1, waits.histogram.max() ?? 1)
        func seconds(_ value: Double?) -> String { value.map(Format.duration) ?? "–" }
        return [
            "name": service.name, "polls": service.polls, "retries": service.retries, "throttled": service.throttled,
            "waits": waits.count, "p50": seconds(waits.p50), "p90": seconds(waits.p90), "p99": seconds(waits.p99),
            "max": seconds(waits.max),
            "buckets": zip(WaitFigures.bucketNames, waits.histogram).map { name, count in
                ["name": name, "count": count, "height": count == 0 ? 0 : max(4, count * 100 / tallest)] as [String: Any]
            },
        ]
    }

    private func galleryPages() -> [[String: Any]] {
        let links = RelativePath(folder: directory)
        let entries = content.gallery
        return stride(from: 0, to: entries.count, by: Self.entriesPerPage).map { start in
            let end = min(entries.count, start + Self.entriesPerPage)
            let range = content.outcomes == nil ? "folders \(start + 1)–\(end)" : "items \(start + 1)–\(end) of \(entries.count) with files"
            return [
                "open": start == 0, "range": range,
                "entries": entries[start..<end].map { entryView($0, links: links) },
            ]
        }
    }

    private func entryView(_ entry: GalleryEntry, links: RelativePath) -> [String: Any] {
        var images: [[String: Any]] = []
        var others: [[String: Any]] = []
        for file in entry.files {
            let src = links.link(to: file.path)
            let size = Format.bytes(file.bytes)
            if file.isImage {
                var hover = entry.status.map { $0 + " · " } ?? ""
                hover += size + " · " + (file.sha256.map { "sha256 " + $0 } ?? "no digest")
                if file.emitted { hover += " · emitted" }
                images.append(["src": src, "name": file.name, "hover": hover])
            } else {
                others.append(["src": src, "name": file.name, "size": size, "sha256": file.sha256.map { "sha256 " + $0 } ?? ""])
            }
        }
        return [
            "title": entry.title, "status": entry.status ?? "",
            "hasImages": !images.isEmpty, "images": images, "hasOthers": !others.isEmpty, "others": others,
        ]
    }

    private static func timestamp(_ date: Date) -> String { date.ISO8601Format() }
}
