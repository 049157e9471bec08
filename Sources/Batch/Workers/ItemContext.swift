import Journal

/// The item a Lua task is working on: what `handle(item)` emitted and downloaded,
/// held until the item is committed. Attached to the task that runs `handle`
/// (``Runtime/taskLocal``), so tasks spawned by `handle` emit into it too.
final class ItemContext {
    let line: Int
    let attempt: Int
    var records: [String] = []
    var downloads: [DownloadRecord] = []
    /// Set when the item has been committed or failed: later emits are errors.
    var finished = false

    init(line: Int, attempt: Int) {
        self.line = line
        self.attempt = attempt
    }
}
