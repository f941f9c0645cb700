import Foundation
import Testing

/// The journal as a person meets it: live sessions leave entries that jrnl reads and
/// `bodo journal` counts; `--search learned` times a preview from it.
@Suite(.serialized) struct JournalCommandTests {
    static let python = packageRoot.appendingPathComponent(".build/browser-venv/bin/jrnl").path

    @Test func threeSessionsLeaveThreeEntriesThatJrnlReadsAndBodoCounts() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("data/bodo/journal.txt").path
        let small = fixtures.appendingPathComponent("small.yaml").path
        for _ in 0..<3 {
            let run = try bodo(["play", "--device", "null", "--quiet", "--script", small], environment: ["XDG_DATA_HOME": dir.appendingPathComponent("data").path, "BODO_JOURNAL": ""])
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try bodo(["play", "--device", "null", "--quiet", "--no-journal", "--script", small, "--journal", path]).status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.components(separatedBy: "] Small test, right side: completed.\n").count == 4, "\(text)")

        let counted = try bodo("journal", "--journal", path)
        #expect(counted.status == 0)
        #expect(counted.stdout.hasPrefix("Sessions this week: 3. Streak: 1 week in a row. In the journal: 3 sessions"), "\(counted.stdout)")
        let json = try bodo("journal", "--journal", path, "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["sessionsThisWeek"] as? Int == 3 && (document["sessions"] as? [Any])?.count == 3)

        // jrnl itself reads the journal bodo wrote.
        let config = dir.appendingPathComponent("jrnl.yaml")
        try Data("""
        colors: {body: none, date: none, tags: none, title: none}
        default_hour: 9
        default_minute: 0
        editor: ''
        encrypt: false
        highlight: false
        indent_character: '|'
        journals: {default: {journal: \(path)}}
        linewrap: 79
        tagsymbols: '#@'
        template: false
        timeformat: '%Y-%m-%d %H:%M'
        version: v4.6

        """.utf8).write(to: config)
        let jrnl = try runWithTimeout(Self.python, ["--config-file", config.path, "-n", "10", "--format", "json"], seconds: 60)
        let listed = try #require(jrnl.output.range(of: "{").map { String(jrnl.output[$0.lowerBound...]) })
        let read = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any])
        let titles = (read["entries"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
        #expect(titles == Array(repeating: "Small test, right side: completed.", count: 3), "\(jrnl.output)")
    }

    /// A run from a point says so, with the points pressed; one that stopped before any press
    /// (six seconds of the introduction) is in the journal but is not a session of the week.
    @Test func theJournalSaysWhatWasDoneAndCountsOnlyPractice() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("journal.txt").path
        let small = fixtures.appendingPathComponent("small.yaml").path
        let run = try bodo(["play", "--device", "null", "--quiet", "--script", small, "--from", "2", "--journal", path])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\nFrom point 2 to the end, in ") && text.contains(" One point pressed.\n"), "\(text)")
        #expect(text.contains(" from=point_2 presses=1"), "\(text)")
        // An entry stopped in the introduction, as bodo writes it, is not counted.
        try (text + "[\(journalStampNow())] Small test, right side: stopped at the introduction.\nStopped at the introduction after 0:06. No points pressed.\n"
            + "bodo: routine=Small_test side=right outcome=stopped seconds=6.0 stopped=the_introduction presses=0\n\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let counted = try bodo("journal", "--journal", path)
        #expect(counted.stdout.hasPrefix("Sessions this week: 1. "), "\(counted.stdout)")
    }

    @Test func aJournalThatCannotBeWrittenCostsOneLineNotTheSession() throws {
        let dir = try scratch()
        let blocker = dir.appendingPathComponent("file")
        try Data().write(to: blocker)
        let run = try bodo(["play", "--device", "null", "--quiet", "--script", fixtures.appendingPathComponent("small.yaml").path,
                            "--journal", blocker.appendingPathComponent("journal.txt").path])
        #expect(run.status == 0)
        #expect(run.stderr.hasSuffix("cannot write the journal: Not a directory (this session will not be in the journal)\n"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func aPreviewIsTimedFromTheSearchesTheJournalRecorded() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("journal.txt").path
        let small = fixtures.appendingPathComponent("small.yaml").path
        let few = try bodo(["preview", "--script", small, "--search", "learned", "--journal", path])
        #expect(few.status == 0)
        #expect(few.stderr == "bodo: --search learned: no point of this routine has 3 recorded searches yet (the journal has searches from 0 sessions of it); using the script's times\n")
        var journal = ""
        for (index, (first, second)) in [(4.0, 9.0), (5.0, 12.0), (6.0, 10.0)].enumerated() {
            journal += "[2026-11-2\(index) 08:00] Small test, right side: completed.\nThe whole routine.\n"
                + "bodo: routine=Small_test side=right outcome=completed seconds=60.0 searches=1:\(first),2:\(second)\n\n"
        }
        try Data(journal.utf8).write(to: URL(fileURLWithPath: path))
        let learned = try bodo(["preview", "--script", small, "--search", "learned", "--journal", path, "--format", "json"])
        #expect(learned.stderr == "bodo: --search learned: times from 3 sessions: point 1 9s, point 2 15s\n", "\(learned.stderr)")
        let timeline = try JSONSerialization.jsonObject(with: Data(learned.stdout.utf8)) as? [String: Any]
        let cues = try #require(timeline?["cues"] as? [[String: Any]])
        // The quiet after each search cue is the learned time: from the cue's end to the press.
        for (point, seconds) in [(1, 9), (2, 15)] {
            let search = try #require(cues.first { $0["phase"] as? String == "search" && $0["point"] as? Int == point })
            let press = try #require(cues.first { $0["phase"] as? String == "press" && $0["point"] as? Int == point })
            let quiet = (press["start"] as! Int) - (search["start"] as! Int) - (search["length"] as! Int)
            #expect(quiet == seconds * 22050, "point \(point): \(quiet) samples")
        }
    }
}
