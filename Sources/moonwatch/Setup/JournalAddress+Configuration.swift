import Batch
import Foundation
import Journal
import RunConfiguration
import Services

extension JournalAddress {
    /// The journal `--state` names, else `[journal] url`, else `OUT/.moonwatch/state.sqlite`;
    /// a PostgreSQL password comes from the URL or the variable `[journal] password_env`
    /// names (PGPASSWORD by default), and is registered with `redactor` so no log line shows it.
    static func of(state: String?, configuration: MoonwatchConfiguration, redactor: Redactor) throws(JournalError) -> JournalAddress {
        let text = state ?? configuration.journal.url ?? configuration.out + "/.moonwatch/state.sqlite"
        let address = try JournalAddress(text, password: configuration.journal.password(environment: ProcessInfo.processInfo.environment))
        if case .postgres(let location, let password) = address, let secret = location.password ?? password, !secret.isEmpty {
            redactor.register(secret)
        }
        return address
    }
}
