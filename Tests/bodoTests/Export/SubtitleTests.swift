import Foundation
import Testing

/// Subtitles beside the file: one entry per spoken cue and one per hold, at the preview's
/// times, as ffprobe (and so mpv) reads them.
@Suite struct SubtitleTests {
    @Test(arguments: [("vtt", 1000), ("srt", 1000), ("lrc", 100)])
    func subtitlesFollowTheTimeline(format: String, perSecond: Int) throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let audio = dir.appendingPathComponent("s.opus").path
        let arguments = format == "vtt" ? ["--subtitles"] : ["--subtitles", format]
        let export = try bodo(["export", audio, "--script", small] + arguments)
        #expect(export.status == 0, "\(export.stderr)")
        let subtitles = dir.appendingPathComponent("s.\(format)").path
        #expect(export.stderr.hasSuffix(" and \(subtitles)\n"))
        let csv = try run("ffprobe", ["-v", "error", "-show_entries", "packet=pts_time", "-of", "csv=p=0", subtitles], environment: [:])
        let times = csv.split(separator: "\n").compactMap { Double($0) }.map { Int(($0 * Double(perSecond)).rounded()) }

        let timeline = try previewTimeline(["--script", small])
        // Every cue but the hold's, and each hold once, at its first tick.
        var expected: [Int] = []
        for (index, cue) in timeline.cues.enumerated() {
            let previous = index > 0 ? timeline.cues[index - 1] : nil
            if cue.phase != "hold" || previous?.phase != "hold" || previous?.point != cue.point {
                // LRC's hundredths are rounded; WebVTT's and SubRip's milliseconds are cut.
                expected.append((cue.start * perSecond + (perSecond == 100 ? 11025 : 0)) / 22050)
            }
        }
        #expect(times.count > 10)
        #expect(times == expected)
    }
}
