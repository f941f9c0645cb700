import Foundation

/// The journal of live sessions: a plain-text file a person can read, grep and sync, in jrnl's
/// format (`[YYYY-MM-DD HH:MM] Title.` then the body, a blank line between entries), so jrnl
/// itself reads it.
///
/// bodo only ever appends, one entry per `write` on an `O_APPEND` descriptor, so two sessions
/// ending together never interleave and a journal edited by hand (other entries, other text)
/// is never rewritten. bodo finds its own entries again by their last body line, which starts
/// `bodo:` and holds the facts as `key=value` words; everything else in the file is the
/// person's and is skipped.
public struct Journal: Sendable {
    public let path: String

    /// What one live session leaves in the journal.
    public struct Entry: Sendable, Equatable {
        public var date: Date
        /// The routine's name as it reads ("Back"), and the side worked.
        public var routine: String
        public var side: Side
        /// Completed, or where it stopped ("point 7", "stretch 2", "the introduction").
        public var completed: Bool
        public var stoppedAt: String?
        /// The session's length as played, in seconds (pauses not counted).
        public var seconds: Double
        /// With `--listen`: how long each point's search took, in seconds, by point number.
        public var searches: [Int: Double]

        public init(date: Date, routine: String, side: Side, completed: Bool, stoppedAt: String? = nil,
                    seconds: Double, searches: [Int: Double] = [:]) {
            self.date = date
            self.routine = routine
            self.side = side
            self.completed = completed
            self.stoppedAt = stoppedAt
            self.seconds = seconds
            self.searches = searches
        }
    }

    public init(path: String) {
        self.path = path
    }

    /// Where the journal is when `--journal` does not say: `$BODO_JOURNAL`, else
    /// `$XDG_DATA_HOME/bodo/journal.txt` (by default `~/.local/share/bodo/journal.txt`); nil
    /// with `BODO_JOURNAL=off` (no journal at all) or no home to put it in.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["BODO_JOURNAL"], !path.isEmpty { return path == "off" ? nil : path }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/bodo/journal.txt" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/bodo/journal.txt" }
        return nil
    }

    // MARK: Writing

    /// The entry as jrnl writes one, ending in the blank line that separates entries.
    public static func text(of entry: Entry, timeZone: TimeZone = .current) -> String {
        let side = entry.side == .center ? "" : ", \(entry.side.rawValue) side"
        let how = entry.completed ? "completed" : "stopped at \(entry.stoppedAt ?? "the start")"
        var body = entry.completed
            ? "The whole routine, in \(clock(entry.seconds))."
            : "Stopped at \(entry.stoppedAt ?? "the start") after \(clock(entry.seconds))."
        if !entry.searches.isEmpty {
            let searches = entry.searches.sorted { $0.key < $1.key }.map { "point \($0.key) \(Int(saturating: $0.value)) s" }
            body += "\nSearches: " + searches.joined(separator: ", ") + "."
        }
        var facts = ["routine=\(word(entry.routine))", "side=\(entry.side.rawValue)", "outcome=\(entry.completed ? "completed" : "stopped")",
                     "seconds=\(String(format: "%.1f", entry.seconds))"]
        if let stoppedAt = entry.stoppedAt, !entry.completed { facts.append("stopped=\(word(stoppedAt))") }
        if !entry.searches.isEmpty {
            facts.append("searches=" + entry.searches.sorted { $0.key < $1.key }.map { "\($0.key):\(String(format: "%.1f", $0.value))" }.joined(separator: ","))
        }
        return "[\(stamp(entry.date, timeZone))] \(oneLine(entry.routine))\(side): \(how).\n\(body)\nbodo: \(facts.joined(separator: " "))\n\n"
    }

    /// Appends the entry in one write. Throws a message for one line on stderr; the session
    /// itself never depends on it.
    public func append(_ entry: Entry) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        Self.makeFolders(folder)
        let fd = withSystemPath(path) { open($0, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0o644) }
        guard fd >= 0 else { throw BodoError(.failure, at: .path(path), "cannot write the journal: \(systemError())") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw BodoError(.failure, at: .path(path), "the journal is not a regular file")
        }
        // A journal edited by hand may not end in a blank line: start with what it lacks.
        // (Opened for reading too, for this look at its last two bytes.)
        var lead = ""
        if status.st_size > 0 {
            var tail = [UInt8](repeating: 0, count: 2)
            let count = pread(fd, &tail, 2, off_t(max(0, Int(status.st_size) - 2)))
            if count >= 1, tail[count - 1] != 10 { lead = "\n\n" } else if count == 2, tail[0] != 10 { lead = "\n" }
        }
        let bytes = Array((lead + Self.text(of: entry)).utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw BodoError(.failure, at: .path(path), written < 0 ? "cannot write the journal: \(systemError())" : "the journal entry was cut short")
        }
    }

    private static func makeFolders(_ folder: String) {
        var built = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            built += "/" + part
            _ = withSystemPath(built) { mkdir($0, 0o700) }
        }
    }

    // MARK: Reading

    /// The most bodo reads of a journal: its last 4 MiB (about a century of sessions).
    static let readLimit = 4 << 20

    /// bodo's own entries, oldest first. A journal that is missing is empty; one that cannot be
    /// read throws.
    public func entries(timeZone: TimeZone = .current) throws -> [Entry] {
        let fd = withSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) }
        if fd < 0, errno == ENOENT || errno == ENOTDIR { return [] }
        guard fd >= 0 else { throw BodoError(.failure, at: .path(path), "cannot read the journal: \(systemError())") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw BodoError(.failure, at: .path(path), "the journal is not a regular file")
        }
        let start = max(0, Int(status.st_size) - Self.readLimit)
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) - start)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard count >= 0 else { throw BodoError(.failure, at: .path(path), "cannot read the journal: \(systemError())") }
        return Self.parse(String(decoding: bytes.prefix(count), as: UTF8.self), timeZone: timeZone)
    }

    /// bodo's entries in a journal's text: each `[date time] ...` heading whose entry has a
    /// `bodo:` line, read from that line.
    static func parse(_ text: String, timeZone: TimeZone) -> [Entry] {
        var result: [Entry] = []
        var date: Date?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                date = parseStamp(String(line[line.index(after: line.startIndex)..<close]), timeZone)
                continue
            }
            guard line.hasPrefix("bodo: "), let when = date else { continue }
            var facts: [String: String] = [:]
            for pair in line.dropFirst(6).split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { facts[String(parts[0])] = String(parts[1]) }
            }
            guard let routine = facts["routine"], let side = facts["side"].flatMap(Side.init(rawValue:)),
                  let outcome = facts["outcome"], let seconds = facts["seconds"].flatMap(Double.init), seconds.isFinite, seconds >= 0 else { continue }
            var searches: [Int: Double] = [:]
            for item in (facts["searches"] ?? "").split(separator: ",") {
                let parts = item.split(separator: ":")
                if parts.count == 2, let point = Int(parts[0]), let time = Double(parts[1]), time.isFinite, time >= 0, time < 3600 {
                    searches[point] = time
                }
            }
            result.append(Entry(date: when, routine: unword(routine), side: side, completed: outcome == "completed",
                                stoppedAt: facts["stopped"].map(unword), seconds: seconds, searches: searches))
            date = nil
        }
        return result
    }

    // MARK: Formats

    /// `2026-11-25 19:40`, jrnl's default time stamp.
    public static func stamp(_ date: Date, _ timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(c.year!.zeroPadded(4))-\(c.month!.zeroPadded(2))-\(c.day!.zeroPadded(2)) \(c.hour!.zeroPadded(2)):\(c.minute!.zeroPadded(2))"
    }

    static func parseStamp(_ text: String, _ timeZone: TimeZone) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0) }
        guard parts.count == 5, parts.allSatisfy({ $0 != nil }), text.count == 16 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]))
    }

    /// m:ss, or h:mm:ss.
    public static func clock(_ seconds: Double) -> String {
        let total = Swift.max(0, Int(saturating: seconds))
        return total >= 3600 ? "\(total / 3600):\((total / 60 % 60).zeroPadded(2)):\((total % 60).zeroPadded(2))"
            : "\(total / 60):\((total % 60).zeroPadded(2))"
    }

    /// A value on the `bodo:` line: one word, spaces as `_` and `_` and `%` escaped.
    static func word(_ text: String) -> String {
        oneLine(text).replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "_", with: "%5F")
            .replacingOccurrences(of: "=", with: "%3D").replacingOccurrences(of: " ", with: "_")
    }

    static func unword(_ text: String) -> String {
        text.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "%3D", with: "=")
            .replacingOccurrences(of: "%5F", with: "_").replacingOccurrences(of: "%25", with: "%")
    }

    /// A routine's name on one line, whatever its file held.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.isControl ? " " : Character($0) }).trimmingCharacters(in: .whitespaces)
    }
}
