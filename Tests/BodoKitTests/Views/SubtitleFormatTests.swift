import Foundation
import Testing
@testable import BodoKit

/// Subtitles as text: what the fuzz targets found (fuzz/regressions/ holds their inputs).
@Suite struct SubtitleFormatTests {
    /// fuzz/regressions/subtitles-control-character-in-a-cue.bin: a text made in code (no
    /// loader to refuse it) with control characters reached an SRT cue as they were.
    @Test func subtitlesCarryNoControlCharactersFromTextsMadeInCode() throws {
        let made = try laidOut([.say("One\u{05}two\u{1B}[2J\u{0}three", .intro, .none, pause: .seconds(1))])
        for format in SubtitleFormat.allCases {
            let text = format.render(made, title: "bodo: t\u{07}")
            #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(format): \(text.debugDescription)")
        }
    }

    /// fuzz/regressions/subtitles-a-cue-of-nothing-to-read.bin: a text of spaces made an SRT
    /// cue with no text line, whose block then ended early (3,300 blocks read for 2,200 cues).
    @Test func cuesWithNothingToReadAreNoEntries() throws {
        let made = try laidOut([.say("   ", .intro, .none, pause: .seconds(1)), .say("Words.", .intro, .none, pause: .seconds(1))])
        #expect(SubtitleFormat.entries(made).map(\.text) == ["Words."])
        let srt = SubtitleFormat.srt.render(made, title: "t")
        #expect(srt.components(separatedBy: " --> ").count == 2 && srt.hasPrefix("1\n") && srt.hasSuffix("\nWords.\n"), "\(srt)")
    }

    /// LRC's hundredths are rounded, not cut: 6.697 s is [00:06.70] (WebVTT and SubRip write
    /// whole milliseconds, as the chapters do: cut by less than a millisecond).
    @Test func subtitleTimesAreRounded() throws {
        let made = try laidOut([6_637, 1_999, 4_321, 995].flatMap { ms in
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
}
