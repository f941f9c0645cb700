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
        /// Where it began when not at the start (`--from`: "point 5", "stretch 2").
        public var from: String?
        /// Points pressed to the end of their hold; nil in entries from before bodo counted them.
        public var presses: Int?

        /// Whether this was practice (`JournalSummary` counts it): completed, or at least one
        /// point pressed through. Six seconds of the introduction is not a session of the week.
        public var counts: Bool { completed || (presses ?? 1) > 0 }

        public init(date: Date, routine: String, side: Side, completed: Bool, stoppedAt: String? = nil,
                    seconds: Double, searches: [Int: Double] = [:], from: String? = nil, presses: Int? = nil) {
            self.from = from
            self.presses = presses
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

    /// Appends the entry in one write. Throws a message for one line on stderr; the session
    /// itself never depends on it.
    ///
    /// bodo appends only to a journal: a new or empty file, or one whose text reads as jrnl's
    /// (see `readsAsJournal`), and never to one of `inputs` (the script and voice being
    /// played), whatever name or link leads there. A copy of /etc/passwd, a YAML file or a
    /// binary named as the journal is left exactly as it is.
    public func append(_ entry: Entry, inputs: [String] = []) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        Self.makeFolders(folder)
        let fd = withSystemPath(path) { open($0, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0o644) }
        guard fd >= 0 else { throw BodoError(.failure, at: .path(path), "cannot write the journal: \(systemError())") }
        defer { close(fd) }
        var status = try check(fd, inputs: inputs)
        // A journal edited by hand may not end in a blank line: start with what it lacks.
        var lead = ""
        if status.st_size > 0 {
            var tail = [UInt8](repeating: 0, count: 2)
            let count = pread(fd, &tail, 2, off_t(max(0, Int(status.st_size) - 2)))
            if count >= 1, tail[count - 1] != 10 { lead = "\n\n" } else if count == 2, tail[0] != 10 { lead = "\n" }
        }
        let bytes = Array((lead + Self.text(of: entry)).utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            // An entry goes in whole or not at all: a write cut short (a full disk, a size
            // limit) is taken back, unless another writer has appended after it meanwhile.
            if written > 0 {
                let end = lseek(fd, 0, SEEK_CUR)
                if fstat(fd, &status) == 0, status.st_size == end { _ = ftruncate(fd, end - off_t(written)) }
            }
            let reason = written < 0 ? systemError() : String(cString: strerror(ENOSPC))
            throw BodoError(.failure, at: .path(path), "cannot write the journal: \(reason)")
        }
    }

    /// Why bodo will not append to this journal, if it will not (the same checks as `append`),
    /// so a session can say so once, before it starts. A journal that does not exist yet is fine.
    public func problem(inputs: [String] = []) -> BodoError? {
        let fd = withSystemPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) }
        guard fd >= 0 else {
            return errno == ENOENT ? nil : BodoError(.failure, at: .path(path), "cannot write the journal: \(systemError())")
        }
        defer { close(fd) }
        do {
            _ = try check(fd, inputs: inputs)
            return nil
        } catch let error as BodoError {
            return error
        } catch {
            return BodoError(.failure, at: .path(path), "\(error)")
        }
    }

    /// The journal's status, once it is known to be a journal bodo may append to.
    private func check(_ fd: Int32, inputs: [String]) throws -> stat {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw BodoError(.failure, at: .path(path), "the journal is not a regular file")
        }
        for input in inputs {
            var other = stat()
            if withSystemPath(input, { stat($0, &other) }) == 0, other.st_dev == status.st_dev, other.st_ino == status.st_ino {
                throw BodoError(.failure, at: .path(path), "is \(input.escapedForTerminal), which this session reads; bodo writes its journal only to a journal")
            }
        }
        if status.st_size > 0 {
            var head = [UInt8](repeating: 0, count: 4096)
            let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0, Self.readsAsJournal(head.prefix(count), whole: count == Int(status.st_size)) else {
                throw BodoError(.failure, at: .path(path), "is not a journal (it does not start with a jrnl entry such as "
                                + "'[2026-11-25 19:40] Back.'), so bodo leaves it alone")
            }
        }
        return status
    }

    /// Whether the start of a file is a journal's: text (UTF-8, no NUL), whose first line that
    /// is not blank is a jrnl heading, `[YYYY-MM-DD HH:MM]`. `whole` says the bytes are the
    /// whole file (else the last character may be cut in half).
    static func readsAsJournal(_ bytes: ArraySlice<UInt8>, whole: Bool) -> Bool {
        var body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes
        if !whole, let lastLine = body.lastIndex(of: 10) { body = body[..<lastLine] }
        guard !body.contains(0), let text = String(validating: body, as: UTF8.self) else { return false }
        guard let first = text.split(whereSeparator: \.isNewline).first(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return whole // blank lines alone: an emptied journal
        }
        guard first.hasPrefix("["), let close = first.firstIndex(of: "]") else { return false }
        return parseStamp(String(first[first.index(after: first.startIndex)..<close]), .current) != nil
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
}
