import Foundation
import Testing
@testable import BodoKit

/// Issue 17 at library level: conversions that cannot trap, the journal's reader and writer,
/// tags and chapters. Each failed before its fix.
@Suite struct NewDoorsLibraryTests {
    @Test(arguments: [
        (Double.nan, 0), (.infinity, Int.max), (-.infinity, Int.min), (1e300, Int.max), (-1e300, Int.min),
        (9.3e18, Int.max), (-9.3e18, Int.min), (2.5, 3), (-2.5, -3), (0.49, 0), (845.0, 845),
    ])
    func doublesBecomeIntsWithoutTrapping(value: Double, expected: Int) {
        #expect(Int(saturating: value) == expected)
    }

    @Test func clampsWhoseBoundsCrossGiveTheUpperOne() {
        #expect(7.0.clamped(atLeast: 1, atMost: 0.5) == 0.5)
        #expect(0.2.clamped(atLeast: 1, atMost: 45) == 1)
        #expect(12.clamped(atLeast: 1, atMost: 45) == 12)
    }

    /// A journal's clock for any number it may hold.
    @Test(arguments: [1e300, -1e300, .nan, .infinity, 86_399.6, 0.4])
    func journalClocksAreTotal(seconds: Double) {
        #expect(!Journal.clock(seconds).isEmpty)
    }

    @Test func journalLinesNoBodoWroteAreSkippedAndWindowsLinesRead() {
        let text = "[2026-11-30 10:00] A.\r\nbodo: routine=Back side=right outcome=completed seconds=845.0\r\n\r\n"
            + "[2026-11-30 11:00] B.\nbodo: routine=Back side=right outcome=completed seconds=1e300\n\n"
            + "[2026-11-30 12:00] C.\rbodo: routine=Back side=right outcome=stopped seconds=5 stopped=\u{1B}[2J\(String(repeating: "x", count: 5000))\r\r"
        let entries = Journal.parse(text, timeZone: TimeZone(identifier: "UTC")!)
        #expect(entries.count == 2)
        #expect(entries.first?.seconds == 845)
        let stopped = try? #require(entries.last?.stoppedAt)
        #expect(stopped?.hasPrefix("\\e[2Jxxx") == true)
        #expect((stopped?.count ?? .max) <= Journal.valueLimit + 1)
    }

    /// Learned times stay within the script's limits however the journal and the script disagree.
    @Test func learnedTimesStayWithinASearchMaxUnderASecond() throws {
        var routine = try RoutineLoader.load(Data(minimalScript.utf8), file: "t.yaml")
        routine.timing.searchMax = ScriptDuration(milliseconds: 500)
        let entries = (0..<3).map { _ in Journal.Entry(date: Date(), routine: routine.name, side: .right, completed: true, seconds: 30, searches: [1: 0.2]) }
        let learned = try #require(LearnedPace.searchTimes(for: routine, from: entries))
        #expect(learned.times[1] == ScriptDuration(milliseconds: 500))
    }

    /// On a full disk an entry goes in whole or not at all. A small tmpfs is the full disk: its
    /// last page is partly used, so the kernel takes the first bytes of the entry and refuses
    /// the rest, as a real disk does.
    @Test func aCutShortEntryIsTakenBack() throws {
        let dir = try temporaryDirectory()
        defer { _ = try? runTool("/bin/umount", [dir.path]) }
        guard (try? runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.path])) == 0 else {
            Issue.record("this test mounts a tmpfs, which needs root (CI runs as root)")
            return
        }
        let journal = dir.appendingPathComponent("journal.txt").path
        // A journal 60 bytes short of a page, then nothing left on the disk.
        let head = "[2026-11-30 10:00] Notes.\n"
        try (head + String(repeating: "n", count: 4096 - 60 - head.utf8.count - 1) + "\n").write(toFile: journal, atomically: false, encoding: .utf8)
        let filler = open(dir.appendingPathComponent("filler").path, O_WRONLY | O_CREAT, 0o600)
        let page = [UInt8](repeating: 7, count: 4096)
        while page.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)
        let before = try Data(contentsOf: URL(fileURLWithPath: journal))
        let entry = Journal.Entry(date: Date(), routine: "Back", side: .right, completed: true, seconds: 845)
        #expect(throws: BodoError.self) { try Journal(path: journal).append(entry) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: journal)) == before)
    }

    /// Every text of a tag or chapter passes one check, and no format carries more chapters
    /// than its players read.
    @Test func tagsAndChaptersAreCheckedOnceForEveryFormat() throws {
        var script = "name: \"Many\"\npoints:\n"
        for n in 1...300 { script += "  - {number: \(n), side: right, location: Here.}\n" }
        let session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"), synthesizer: ToneSynthesizer(samplesPerCharacter: 10))
        let timeline = try session.timeline()
        #expect(timeline.chapters.count == 300)
        let metadata = ExportMetadata(title: "bodo: x\u{1B}[2J", comment: "made from ev\u{07}\nTITLE=forged.yaml", timeline: timeline)
        #expect(metadata.chapters.count == ExportMetadata.chapterLimit && metadata.markers.count == ExportMetadata.chapterLimit)
        let comments = metadata.vorbisComments
        #expect(comments.filter { $0.key.hasPrefix("CHAPTER") && $0.key.hasSuffix("NAME") }.count == 255)
        #expect(comments.allSatisfy { $0.key.count <= "CHAPTER255NAME".count })
        for (_, value) in comments { #expect(!value.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(value.debugDescription)") }
        #expect(comments.contains { $0 == ("COMMENT", "made from ev\\x07\\nTITLE=forged.yaml") })
        // The MP3's table of contents lists every CHAP frame the tag holds.
        let tag = [UInt8](ID3v2Tag.make(metadata))
        func frames(_ id: String) -> [Int] {
            let bytes = Array(id.utf8)
            return (0..<(tag.count - 4)).filter { Array(tag[$0..<($0 + 4)]) == bytes }
        }
        let chaps = frames("CHAP").count
        let toc = try #require(frames("CTOC").first)
        #expect(chaps == 255)
        #expect(Int(tag[toc + 10 + 4 + 1]) == chaps, "the CTOC's entry count")
    }
}
