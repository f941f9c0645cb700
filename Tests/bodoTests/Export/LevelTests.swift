import Foundation
import Testing

/// The level options: the voice's loudness moves by the decibels asked, the tick's peak too.
@Suite(.serialized) struct LevelTests {
    @Test func voiceAndTickVolumesMoveByTheirDecibels() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let plain = dir.appendingPathComponent("plain.wav").path, quieter = dir.appendingPathComponent("quieter.wav").path
        #expect(try bodo("export", plain, "--script", small).status == 0)
        #expect(try bodo("export", quieter, "--script", small, "--voice-volume=-6", "--tick-volume=-6").status == 0)
        let (loud, _) = try ffmpegLoudness(plain), (soft, _) = try ffmpegLoudness(quieter)
        // About 6 dB: 6 dB quieter, the limiter takes less off the loudest syllables.
        #expect(abs((loud - soft) - 6) <= 0.8, "\(loud) then \(soft) LUFS")

        let ticks = try previewTimeline(["--script", small]).cues.filter { $0.kind == "tick" }
        #expect(ticks.count > 3)
        let a = try wavSamples(plain), b = try wavSamples(quieter)
        func peak(_ samples: [Int16], _ tick: PreviewTimeline.Cue) -> Double {
            Double(samples[tick.start..<tick.start + tick.length].map { abs(Int($0)) }.max() ?? 0)
        }
        for tick in ticks {
            let ratio = peak(b, tick) / peak(a, tick)
            #expect(abs(20 * log10(ratio) - -6) < 0.2, "tick at \(tick.start): \(ratio)")
            // The tick sits well below the voice's peaks: 6 to 10 dB under them.
            let below = 20 * log10(Double(a.map { abs(Int($0)) }.max() ?? 1) / peak(a, tick))
            #expect(below >= 6 && below <= 10, "the tick is \(below) dB below the speech's peaks")
        }
    }

    @Test func verboseExportReportsWhatTheFileReached() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("s.wav").path
        let run = try bodo("export", path, "--verbose", "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0)
        let line = try #require(run.stderr.split(separator: "\n").first { $0.hasPrefix("bodo: loudness ") })
        let (integrated, truePeak) = try ffmpegLoudness(path)
        #expect(line.hasPrefix(String(format: "bodo: loudness %.1f LUFS integrated, true peak %.1f dBTP", integrated, truePeak)), "\(line)")
    }

    /// The JSON timeline carries the levels reached when asked (`--measure`): the same figures
    /// ffmpeg finds in the exported file, for the same options (a negative volume given as
    /// `--voice-volume -4`, no `=`), and a cut measures only itself.
    @Test func previewMeasuresWhatTheExportReaches() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let options = ["--script", small, "--voice-volume", "-4", "--from", "2"]
        let path = dir.appendingPathComponent("s.wav").path
        #expect(try bodo(["export", path] + options).status == 0)
        let (integrated, truePeak) = try ffmpegLoudness(path)

        let run = try bodo(["preview", "--format", "json", "--measure"] + options)
        #expect(run.status == 0, "\(run.stderr)")
        let levels = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["levels"] as? [String: Any])
        #expect(levels["targetLoudness"] as? Double == -23)
        let measured = try #require(levels["integratedLoudness"] as? Double), peak = try #require(levels["truePeak"] as? Double)
        // ffmpeg prints tenths: -22.8 may be -22.85, against bodo's -22.74 (seen once the voice
        // slowed to its profile's rate), so a tenth and a half apart at most.
        #expect(abs(measured - integrated) <= 0.15 && abs(peak - truePeak) <= 0.15, "bodo \(measured) LUFS \(peak) dBTP, ffmpeg \(integrated) \(truePeak)")
        #expect(abs(measured - -23) <= 1 && peak <= -1.5)

        let plain = try bodo(["preview", "--format", "json"] + options)
        #expect(plain.status == 0 && !plain.stdout.contains("integratedLoudness"), "measured only when asked")
        let text = try bodo(["preview", "--measure"] + options)
        #expect(text.stdout.contains(String(format: "Measured: loudness %.1f LUFS integrated, true peak %.1f dBTP (made for -23 LUFS", measured, peak)), "\(text.stdout)")
    }
}
