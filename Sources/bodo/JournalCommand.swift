import ArgumentParser
import BodoKit
import Foundation

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Show your recent sessions, this week's count and your streak of weeks.",
        discussion: """
        Every live session (`bodo play`), finished or stopped, adds one entry to a plain-text \
        journal in jrnl's format, which you can read, grep, sync or open with jrnl: \
        $XDG_DATA_HOME/bodo/journal.txt (by default ~/.local/share/bodo/journal.txt), or \
        $BODO_JOURNAL, or --journal PATH (BODO_JOURNAL=off: no journal). An export is not a session. bodo only ever appends to \
        it, one whole entry at a time: edit it, add your own entries; bodo reads its own back \
        from the rest. A file that is not a journal (its first line is no jrnl entry such as \
        `[2026-11-25 19:40] Back.`), or is the script being played, is never written to.

        The streak counts ISO weeks (Monday to Sunday) in a row with at least one session, up \
        to this week (or last week, while this one has none yet).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: ArgumentHelp("The journal (default: $BODO_JOURNAL, else $XDG_DATA_HOME/bodo/journal.txt).", valueName: "path"))
    var journal: String?

    @Option(help: "text for people, json for programs.")
    var format: Format = .text

    @Option(help: ArgumentHelp("How many recent sessions to list.", valueName: "N"))
    var recent = 10

    func validate() throws {
        guard (0...10_000).contains(recent) else { throw BodoError(at: .option("--recent"), "must be between 0 and 10000, not \(recent)") }
    }

    func run() throws {
        guard let path = journal ?? Journal.defaultPath() else {
            throw BodoError(at: .option("--journal"), "no journal: BODO_JOURNAL is off, or there is no HOME or XDG_DATA_HOME to find it by; give --journal PATH")
        }
        let entries = try Journal(path: path).entries()
        let summary = JournalSummary(entries)
        let shown = entries.suffix(recent)
        switch format {
        case .json:
            try Console.out(json(summary, Array(shown)))
        case .text:
            var lines = ["Sessions this week: \(summary.sessionsThisWeek). Streak: \(counted(summary.streakWeeks, "week")) in a row. "
                + "In the journal: \(counted(summary.total, "session")) (\(path.escapedForTerminal))."]
            if !shown.isEmpty { lines.append("Recent sessions:") }
            for entry in shown {
                let side = entry.side == .center ? "" : ", \(entry.side.rawValue) side"
                let outcome = entry.completed ? "completed" : "stopped at \(readable(entry.stoppedAt ?? "the start"))"
                var line = "  \(Journal.stamp(entry.date))  \(readable(entry.routine))\(side): \(outcome), \(Journal.clock(entry.seconds))"
                if !entry.searches.isEmpty {
                    line += "; searches " + entry.searches.sorted { $0.key < $1.key }.map { "\($0.key): \(Int(saturating: $0.value)) s" }.joined(separator: ", ")
                }
                lines.append(line)
            }
            try Console.out(lines.joined(separator: "\n") + "\n")
        }
    }

    /// A value from the journal on a line for people: escaped (the reader did that already,
    /// this holds for any text) and cut, as anyone may have edited the file.
    private func readable(_ value: String) -> String {
        let escaped = value.escapedForTerminal
        return escaped.count > 60 ? escaped.prefix(60) + "…" : escaped
    }

    private func json(_ summary: JournalSummary, _ entries: [Journal.Entry]) -> String {
        struct Document: Encodable {
            var sessionsThisWeek: Int
            var streakWeeks: Int
            var total: Int
            var sessions: [Session]
        }
        struct Session: Encodable {
            var date: String
            var routine: String
            var side: String
            var completed: Bool
            var stoppedAt: String?
            var seconds: Double
            var searches: [String: Double]
        }
        let document = Document(
            sessionsThisWeek: summary.sessionsThisWeek, streakWeeks: summary.streakWeeks, total: summary.total,
            sessions: entries.map {
                Session(date: ISO8601DateFormatter().string(from: $0.date), routine: $0.routine, side: $0.side.rawValue,
                        completed: $0.completed, stoppedAt: $0.stoppedAt, seconds: $0.seconds,
                        searches: Dictionary(uniqueKeysWithValues: $0.searches.map { (String($0.key), $0.value) }))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}
