import Foundation
import Testing
@testable import BodoKit

/// What the fuzz targets found (fuzz/regressions/ holds their inputs), made tests.
@Suite struct FuzzFindingsTests {
    /// A plan laid out with stand-in clip lengths, as the fuzz targets build one.
    func timeline(_ steps: [PlanStep], titles: [CueContext: String] = [:]) throws -> Timeline {
        let plan = CuePlan(steps: steps, titles: titles)
        var scheduler = TimelineScheduler(plan: plan, sampleRate: 22050, tickLength: 661)
        let index = Dictionary(plan.phrases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        try scheduler.scheduleAll { words in (index[words] ?? 0, words.utf8.count * 60) }
        return Timeline(scheduler)
    }

    /// fuzz/regressions/subtitles-control-character-in-a-cue.bin: a text made in code (no
    /// loader to refuse it) with control characters reached an SRT cue as they were.
    @Test func subtitlesCarryNoControlCharactersFromTextsMadeInCode() throws {
        let made = try timeline([.say("One\u{05}two\u{1B}[2J\u{0}three", .intro, .none, pause: .seconds(1))])
        for format in SubtitleFormat.allCases {
            let text = format.render(made, title: "bodo: t\u{07}")
            #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(format): \(text.debugDescription)")
        }
    }

    /// fuzz/regressions/subtitles-a-cue-of-nothing-to-read.bin: a text of spaces made an SRT
    /// cue with no text line, whose block then ended early (3,300 blocks read for 2,200 cues).
    @Test func cuesWithNothingToReadAreNoEntries() throws {
        let made = try timeline([.say("   ", .intro, .none, pause: .seconds(1)), .say("Words.", .intro, .none, pause: .seconds(1))])
        #expect(SubtitleFormat.entries(made).map(\.text) == ["Words."])
        let srt = SubtitleFormat.srt.render(made, title: "t")
        #expect(srt.components(separatedBy: " --> ").count == 2 && srt.hasPrefix("1\n") && srt.hasSuffix("\nWords.\n"), "\(srt)")
    }

    /// LRC's hundredths are rounded, not cut: 6.697 s is [00:06.70] (WebVTT and SubRip write
    /// whole milliseconds, as the chapters do: cut by less than a millisecond).
    @Test func subtitleTimesAreRounded() throws {
        let made = try timeline([6_637, 1_999, 4_321, 995].flatMap { ms in
            [PlanStep.say("Words \(ms).", .intro, .none, pause: ScriptDuration(milliseconds: ms))]
        })
        let lrc = SubtitleFormat.lrc.render(made, title: "t").split(separator: "\n").dropFirst(2)
        let entries = SubtitleFormat.entries(made)
        #expect(entries.count == 4 && lrc.count == 4)
        var sawUp = false
        for (entry, line) in zip(entries, lrc) {
            let seconds = Double(entry.start) / Double(made.sampleRate)
            let cs = Int((seconds * 100).rounded())
            sawUp = sawUp || cs > Int(seconds * 100)
            #expect(line.hasPrefix(String(format: "[%02d:%02d.%02d]", cs / 6000, cs / 100 % 60, cs % 100)), "\(line) for \(seconds) s")
        }
        #expect(sawUp, "some time must round up, or this test proves nothing")
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

    /// fuzz/regressions/tags-chapters-out-of-time-order.bin: closing words planned before a
    /// point made the "Closing" chapter come after a later one, and an MP3 chapter end before
    /// its start.
    @Test func chaptersComeInTimeOrder() throws {
        let here = CueContext(point: 1)
        let made = try timeline([.say("Done for today.", .outro, .none, pause: .seconds(1)),
                                 .say("Point one.", .announce, here, pause: .seconds(1)),
                                 .hold(seconds: 2, count: [], here)], titles: [here: "Point 1"])
        let positions = made.chapters.map(\.position)
        #expect(positions == positions.sorted() && positions.count == 2, "\(made.chapters)")
    }
}
