import Foundation
import Testing

/// A journal of bodo entries, one per `(date, facts)`, with `ending` between lines.
func journalText(_ entries: [(String, String)], ending: String = "\n") -> String {
    entries.map { "[\($0.0)] Back: completed.\(ending)Some words.\(ending)bodo: \($0.1)\(ending)\(ending)" }.joined()
}

/// Today, as a journal stamps it (entries this week count as this week's).
func journalStampNow() -> String { String(ISO8601DateFormatter().string(from: Date()).prefix(16)).replacingOccurrences(of: "T", with: " ") }
