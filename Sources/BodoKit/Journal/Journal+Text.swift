import Foundation

/// The journal as text, both ways: an entry as jrnl writes one (a heading, a sentence for
/// people, a `bodo:` line of facts), and bodo's entries read back from a journal's text.
extension Journal {
    /// The entry as jrnl writes one, ending in the blank line that separates entries.
    public static func text(of entry: Entry, timeZone: TimeZone = .current) -> String {
        let side = entry.side == .center ? "" : ", \(entry.side.rawValue) side"
        let how = entry.completed ? "completed" : "stopped at \(entry.stoppedAt ?? "the start")"
        let start = entry.from.map { "From \(oneLine($0))" }
        var body = entry.completed
            ? (start.map { "\($0) to the end" } ?? "The whole routine") + ", in \(clock(entry.seconds))."
            : (start.map { "\($0), stopped" } ?? "Stopped") + " at \(entry.stoppedAt ?? "the start") after \(clock(entry.seconds))."
        if let presses = entry.presses {
            body += presses == 1 ? " One point pressed." : " \(presses == 0 ? "No" : String(presses)) points pressed."
        }
        if !entry.searches.isEmpty {
            let searches = entry.searches.sorted { $0.key < $1.key }.map { "point \($0.key) \(Int(saturating: $0.value)) s" }
            body += "\nSearches: " + searches.joined(separator: ", ") + "."
        }
        var facts = ["routine=\(word(entry.routine))", "side=\(entry.side.rawValue)", "outcome=\(entry.completed ? "completed" : "stopped")",
                     "seconds=\(String(format: "%.1f", entry.seconds))"]
        if let stoppedAt = entry.stoppedAt, !entry.completed { facts.append("stopped=\(word(stoppedAt))") }
        if let from = entry.from { facts.append("from=\(word(from))") }
        if let presses = entry.presses { facts.append("presses=\(presses)") }
        if !entry.searches.isEmpty {
            facts.append("searches=" + entry.searches.sorted { $0.key < $1.key }.map { "\($0.key):\(String(format: "%.1f", $0.value))" }.joined(separator: ","))
        }
        return "[\(stamp(entry.date, timeZone))] \(oneLine(entry.routine))\(side): \(how).\n\(body)\nbodo: \(facts.joined(separator: " "))\n\n"
    }

    /// bodo's entries in a journal's text: each `[date time] ...` heading whose entry has a
    /// `bodo:` line, read from that line.
    static func parse(_ text: String, timeZone: TimeZone) -> [Entry] {
        var result: [Entry] = []
        var date: Date?
        // A journal saved on Windows ends its lines in CR LF, which Swift reads as one
        // Character (so splitting at "\n" alone would find no line at all).
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                date = parseStamp(String(line[line.index(after: line.startIndex)..<close]), timeZone)
                continue
            }
            // The `bodo:` line is split by code points, not Characters: a name starting with a
            // combining mark joins `=` or a space into one Character with it (found by the fuzzer).
            let scalars = Substring(line).unicodeScalars
            guard scalars.starts(with: "bodo: ".unicodeScalars), let when = date else { continue }
            var facts: [String: String] = [:]
            for pair in scalars.dropFirst(6).split(separator: " ") {
                // `routine=` (an empty value) is a value too: bodo writes whatever name it had.
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { facts[String(String.UnicodeScalarView(parts[0]))] = String(String.UnicodeScalarView(parts[1])) }
            }
            // bodo never writes a session longer than a day: a line that says so is not bodo's.
            guard let routine = facts["routine"], let side = facts["side"].flatMap(Side.init(rawValue:)),
                  let outcome = facts["outcome"], let seconds = facts["seconds"].flatMap(Double.init), seconds.isFinite, seconds >= 0,
                  seconds <= Double(CuePlan.longestSession.milliseconds) / 1000 else { continue }
            var searches: [Int: Double] = [:]
            for item in (facts["searches"] ?? "").split(separator: ",") {
                let parts = item.split(separator: ":")
                if parts.count == 2, let point = Int(parts[0]), let time = Double(parts[1]), time.isFinite, time >= 0, time < 3600 {
                    searches[point] = time
                }
            }
            result.append(Entry(date: when, routine: unword(routine), side: side, completed: outcome == "completed",
                                stoppedAt: facts["stopped"].map(unword), seconds: seconds, searches: searches,
                                from: facts["from"].map(unword), presses: facts["presses"].flatMap { Int($0) }.map { $0.clamped(atLeast: 0, atMost: 10_000) }))
            date = nil
        }
        return result
    }

    /// `2026-11-25 19:40`, jrnl's default time stamp.
    public static func stamp(_ date: Date, _ timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year!.zeroPadded(4))-\(c.month!.zeroPadded(2))-\(c.day!.zeroPadded(2)) \(c.hour!.zeroPadded(2)):\(c.minute!.zeroPadded(2))"
    }

    /// Exactly jrnl's shape, `YYYY-MM-DD HH:MM`, each field in its range: anything else is not
    /// a stamp bodo wrote (`20216-1-30 19:40` has sixteen characters too, and written again it
    /// would not be read back).
    static func parseStamp(_ text: String, _ timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            bytes[range].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                ? bytes[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } : nil
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), year >= 1, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))
    }

    /// m:ss, or h:mm:ss.
    public static func clock(_ seconds: Double) -> String {
        let total = Swift.max(0, Int(saturating: seconds))
        return total >= 3600 ? "\(total / 3600):\((total / 60 % 60).zeroPadded(2)):\((total % 60).zeroPadded(2))"
            : "\(total / 60):\((total % 60).zeroPadded(2))"
    }

    /// A value on the `bodo:` line: one word, spaces as `_` and `_` and `%` escaped.
    /// Code point by code point, as the line is read: a space or `=` followed by a combining
    /// mark is one Character, which a Character-wise replace would leave alone.
    static func word(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in oneLine(text).unicodeScalars {
            switch scalar {
            case "%": out.append(contentsOf: "%25".unicodeScalars)
            case "_": out.append(contentsOf: "%5F".unicodeScalars)
            case "=": out.append(contentsOf: "%3D".unicodeScalars)
            case " ": out.append("_")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// A value read back from the `bodo:` line, which anyone may have edited: on one line,
    /// with control characters shown as escapes, and at most `valueLimit` characters.
    static func unword(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let escape = index + 2 < scalars.count && scalars[index] == "%" ? String(String.UnicodeScalarView(scalars[(index + 1)...(index + 2)])) : ""
            switch (scalars[index], escape) {
            case ("%", "25"): out.append("%"); index += 3
            case ("%", "5F"): out.append("_"); index += 3
            case ("%", "3D"): out.append("="); index += 3
            case ("_", _): out.append(" "); index += 1
            default: out.append(scalars[index]); index += 1
            }
        }
        let value = String(out)
        let shown = value.escapedForTerminal
        return shown.count > valueLimit ? String(shown.prefix(valueLimit)) + "…" : shown
    }

    /// As long as any text of a routine may be (`RoutineLoader`), so bodo's own values come
    /// back whole; `bodo journal` shows less of them.
    static let valueLimit = 1000

    /// A routine's name on one line, whatever its file held.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isControl ? " " : Character($0) }).trimmingCharacters(in: .whitespaces)
    }
}
