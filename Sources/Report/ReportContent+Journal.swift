import Foundation
import JSON
import Journal
import Services

extension ReportContent {
    /// A batch's report, from its journal: every item, every file any machine
    /// downloaded. `counters` are this process's service figures; nil for
    /// `moonwatch report`, which has only the journal.
    package static func batch(
        journal: any JournalStore, header: ReportHeader, counters: RunCounters.Snapshot?, outDirectory: String
    ) throws(JournalError) -> ReportContent {
        var items: [ItemReport] = []
        var counts = ItemCounts()
        try journal.forEachItem { item in
            items.append(item)
            counts[item.status] += 1
        }
        var files: [Int: [ReportFile]] = [:]
        try journal.forEachDownload { line, download in
            files[line, default: []].append(ReportFile(path: download.path, bytes: download.bytes, sha256: download.sha256))
        }
        var outsideItems: [ReportFile] = []
        try journal.forEachRecord { line, json in
            guard let image = EmittedImage.named(in: json) else { return }
            let file = EmittedImage.file(image, outDirectory: outDirectory)
            if let line { files[line, default: []].append(file) } else { outsideItems.append(file) }
        }
        var gallery: [GalleryEntry] = []
        for item in items {
            guard let itemFiles = files[item.line] else { continue }
            let id = ItemIdentifier.of(row: item.row)
            gallery.append(GalleryEntry(
                title: id.map { "line \(item.line) · \($0)" } ?? "line \(item.line)", status: item.status.rawValue, files: itemFiles))
        }
        if !outsideItems.isEmpty { gallery.append(GalleryEntry(title: "emitted outside any item", status: nil, files: outsideItems)) }
        return ReportContent(
            header: header, outcomes: counts, failureGroups: FailureGroup.grouping(items),
            services: counters.map(ServiceFigures.of) ?? [], coinsSpent: counters?.coinsSpent, gallery: gallery)
    }
}
