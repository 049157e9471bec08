import JSON

/// What names an item to a person: its row's `id`, else `job_id`, `task_id`
/// or `inf_id` (the fields the services' jobs go by), as text.
enum ItemIdentifier {
    static let fields = ["id", "job_id", "task_id", "inf_id"]

    static func of(row: String?) -> String? {
        guard let row, let object = (try? JSONParser.parse(row))?.objectValue else { return nil }
        for field in fields {
            if let value = object[field]?.scalarText { return value }
        }
        return nil
    }
}
