import Foundation
import Testing
@testable import BodoKit

/// The journal's text read back whatever it holds: stamps, names, numbers, line endings and
/// lines bodo did not write (fuzz/regressions/ holds the inputs the fuzz targets found).
@Suite struct JournalTextTests {
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

    /// fuzz/regressions/journal-a-stamp-of-five-digit-year.bin: `[20216-1-30 19:40]` has
    /// sixteen characters too; read as a stamp, its entry was written back as one that is not.
    @Test func onlyJrnlStampsAreStamps() {
        let utc = TimeZone(identifier: "UTC")!
        for stamp in ["20216-1-30 19:40", "2026-1-30  19:40", "2026-13-30 19:40", "2026-11-30 24:00", "2026-11-30 19:60", "+026-11-30 19:40", "2026-11-30T19:40"] {
            #expect(Journal.parseStamp(stamp, utc) == nil, "\(stamp)")
        }
        #expect(Journal.parseStamp("2026-11-30 19:40", utc) != nil)
    }

    /// fuzz/regressions/journal-a-name-that-starts-with-a-combining-mark.bin: after `routine=`
    /// a combining mark made `=` part of another Character, and the entry read back as none.
    @Test func namesWithCombiningMarksReadBack() {
        let utc = TimeZone(identifier: "UTC")!
        for name in ["\u{0486} ] ._ck%5Flu", "-l0 \u{0486}edq%lkoubuf", "\u{0301}Back", "Back\u{0301}", "é_=%"] {
            let entry = Journal.Entry(date: Date(timeIntervalSince1970: 1_800_000_000), routine: name, side: .left, completed: true, seconds: 61)
            let read = Journal.parse(Journal.text(of: entry, timeZone: utc), timeZone: utc)
            #expect(read.count == 1 && read.first?.routine == name, "\(name.debugDescription): \(read)")
        }
    }
}
