import Foundation
import Testing

@Suite struct NewDoorsJournalTests {
    /// Values no bodo wrote: a seconds count past any clock, escape sequences, an 8,000-character
    /// place. `bodo journal` neither traps nor passes them to the terminal.
    @Test func journalValuesCannotTrapOrReachTheTerminal() throws {
        let dir = try scratch()
        let journal = dir.appendingPathComponent("j.txt")
        let now = journalStampNow()
        try journalText([
            (now, "routine=Back side=right outcome=completed seconds=1e300"),
            (now, "routine=Back side=right outcome=completed seconds=-5"),
            (now, "routine=Back side=right outcome=stopped seconds=61.0 stopped=\u{1B}[2J\u{1B}]0;pwned\u{07}" + String(repeating: "x", count: 8000)),
            (now, "routine=\u{1B}[31mBack side=right outcome=completed seconds=845.0 searches=1:1e300,2:nan,3:4.0"),
        ]).write(to: journal, atomically: true, encoding: .utf8)
        for format in ["text", "json"] {
            let run = try bodo(["journal", "--journal", journal.path, "--format", format])
            #expect(run.status == 0, "\(format): status \(run.status) \(run.stderr)")
            #expect(!run.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(run.stdout.debugDescription.prefix(300))")
            // Text for people is cut short; JSON keeps what bodo could have written (a text of up
            // to 1,000 characters) and no more.
            let longest = run.stdout.split(separator: "\n").map(\.count).max() ?? 0
            #expect(longest < (format == "text" ? 200 : 1100), "\(format): a line of \(longest)")
            #expect(run.stdout.contains("2 sessions") || run.stdout.contains("\"total\" : 2"), "\(run.stdout)")
        }
    }

    /// A journal saved with Windows line endings reads as the same sessions.
    @Test func windowsLineEndingsReadTheSame() throws {
        let dir = try scratch()
        let journal = dir.appendingPathComponent("crlf.txt")
        let now = journalStampNow()
        try journalText([(now, "routine=Back side=right outcome=completed seconds=845.0"),
                         (now, "routine=Back side=left outcome=completed seconds=845.0")], ending: "\r\n")
            .write(to: journal, atomically: true, encoding: .utf8)
        let run = try bodo(["journal", "--journal", journal.path])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("Sessions this week: 2."), "\(run.stdout)")
    }

    /// `--search learned` with a search_max under bodo's one-second floor (the clamp built the
    /// range 1.0...0.5 and trapped). The searches are quicker still: a search at search_max or
    /// over ran out and teaches nothing.
    @Test(arguments: ["500ms", "1ms", "999ms"])
    func learnedPaceWithinATinySearchMax(searchMax: String) throws {
        let dir = try scratch()
        let script = dir.appendingPathComponent("tiny.yaml")
        try "name: Tiny\ntiming: {search_max: \(searchMax)}\npoints:\n  - {number: 1, side: right, location: Here.}\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let journal = dir.appendingPathComponent("j.txt")
        try journalText((0..<3).map { _ in (journalStampNow(), "routine=Tiny side=right outcome=completed seconds=30.0 searches=1:0.0") })
            .write(to: journal, atomically: true, encoding: .utf8)
        let run = try bodo(["preview", "--script", script.path, "--journal", journal.path, "--search", "learned"])
        #expect(run.status == 0, "status \(run.status): \(run.stderr)")
        #expect(run.stderr.hasPrefix("bodo: --search learned: times from 3 sessions: point 1 \(searchMax)"), "\(run.stderr)")
    }

    /// Files that are not a journal, named as one: never appended to, one line, the session goes on.
    @Test(arguments: ["passwd", "script", "link-to-yaml", "binary", "hard-link-to-script"])
    func onlyJournalsAreAppendedTo(kind: String) throws {
        let dir = try scratch()
        let small = dir.appendingPathComponent("small.yaml")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("small.yaml"), to: small)
        let journal = dir.appendingPathComponent("journal")
        switch kind {
        case "passwd": try FileManager.default.copyItem(atPath: "/etc/passwd", toPath: journal.path)
        case "script": try FileManager.default.createSymbolicLink(at: journal, withDestinationURL: small)
        case "link-to-yaml":
            let other = dir.appendingPathComponent("other.yaml")
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("realtime.yaml"), to: other)
            try FileManager.default.createSymbolicLink(at: journal, withDestinationURL: other)
        case "binary": try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: journal)
        default: #expect(link(small.path, journal.path) == 0)
        }
        let before = try Data(contentsOf: journal)
        let beforeScript = try Data(contentsOf: small)
        let run = try bodo(["play", "--device", "null", "-q", "--script", small.path, "--journal", journal.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Data(contentsOf: journal) == before)
        #expect(try Data(contentsOf: small) == beforeScript)
        #expect(run.stderr.hasSuffix("(this session will not be in the journal)\n"), "\(run.stderr)")
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
    }

    /// A journal that is not a file at all is said once, not once on reading and again on writing.
    @Test func aJournalThatIsAPipeIsSaidOnce() throws {
        let dir = try scratch()
        let fifo = dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let run = try bodo(["play", "--device", "null", "-q", "--script", fixtures.appendingPathComponent("small.yaml").path, "--journal", fifo])
        #expect(run.status == 0)
        #expect(run.stderr == "bodo: \(fifo): the journal is not a regular file (this session will not be in the journal)\n", "\(run.stderr)")
    }

    /// An empty journal, a new one and a hand-written one (with a byte order mark) are journals.
    @Test func journalsAreStillAppendedTo() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let handWritten = "\u{FEFF}\n[2026-11-20 08:00] Walked the dog.\nIt rained.\n"
        for (name, text) in [("empty", ""), ("hand", handWritten)] {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        for name in ["empty", "hand", "new"] {
            let journal = dir.appendingPathComponent(name)
            for _ in 0..<2 {
                let run = try bodo(["play", "--device", "null", "-q", "--script", small, "--journal", journal.path])
                #expect(run.status == 0 && run.stderr.isEmpty, "\(name): \(run.stderr)")
            }
            let bytes = try Data(contentsOf: journal)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.components(separatedBy: "bodo: routine=Small_test").count == 3, "\(name): \(text)")
            if name == "hand" { #expect(bytes.starts(with: Data(handWritten.utf8))) }
        }
    }
}
