import Services

extension ReportContent {
    /// A `moonwatch run`'s report: no items, so the files are grouped by the
    /// folder they are in.
    /// - Parameters:
    ///   - downloads: the files the run's downloader completed, in order.
    ///   - emittedImages: `emit{image = ...}` paths, relative to `outDirectory`.
    package static func run(
        header: ReportHeader, counters: RunCounters.Snapshot, downloads: [DownloadResult], emittedImages: [String],
        outDirectory: String
    ) -> ReportContent {
        var files = downloads.map { ReportFile(path: $0.path, bytes: Int($0.bytes), sha256: $0.sha256) }
        files += emittedImages.map { EmittedImage.file($0, outDirectory: outDirectory) }
        var folders: [String] = []
        var byFolder: [String: [ReportFile]] = [:]
        for file in files {
            let folder = file.path.split(separator: "/").dropLast().joined(separator: "/")
            if byFolder[folder] == nil { folders.append(folder) }
            byFolder[folder, default: []].append(file)
        }
        return ReportContent(
            header: header, outcomes: nil, failureGroups: [], services: ServiceFigures.of(counters),
            coinsSpent: counters.coinsSpent,
            gallery: folders.map { GalleryEntry(title: $0.isEmpty ? "." : $0, status: nil, files: byFolder[$0] ?? []) })
    }
}
