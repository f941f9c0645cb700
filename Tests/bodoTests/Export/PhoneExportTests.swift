import Foundation
import Testing

/// Files for a phone: every format carries its title, artist, comment and chapters as players
/// read them (ffprobe is the code mpv and many players use), is the session's audio in time,
/// and is byte-identical from one export to the next.
@Suite(.serialized) struct PhoneExportTests {
    static let formats = ["opus", "mp3", "ogg", "flac", "wav"]

    struct Probe: Decodable {
        struct Chapter: Decodable {
            var start_time: String
            var tags: [String: String]?
        }
        struct Format: Decodable {
            var tags: [String: String]?
        }
        struct Stream: Decodable {
            var tags: [String: String]?
        }
        var chapters: [Chapter]
        var format: Format
        var streams: [Stream]
    }

    func probe(_ path: String) throws -> Probe {
        let json = try run("ffprobe", ["-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json", path], environment: [:])
        return try JSONDecoder().decode(Probe.self, from: Data(json.utf8))
    }

    /// The chapters a file must have, in milliseconds, from the preview's timeline.
    func expectedChapters(_ arguments: [String], wav: Bool) throws -> [(ms: Int, name: String)] {
        let preview = try bodo(["preview", "--format", "json"] + arguments)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
        let markers = try #require(json["markers"] as? [[String: Any]])
        let cues = try #require(json["cues"] as? [[String: Any]])
        var chapters = markers.map { ((($0["position"] as? Int) ?? -1) * 1000 / 22050, ($0["name"] as? String) ?? "") }
        guard !wav else { return chapters }
        if cues.first?["phase"] as? String == "intro" { chapters.insert((0, "Introduction"), at: 0) }
        if let outro = cues.first(where: { $0["phase"] as? String == "outro" }), let start = outro["start"] as? Int {
            chapters.append((start * 1000 / 22050, "Closing"))
        }
        return chapters
    }

    @Test(arguments: formats)
    func chaptersAndTagsAsPlayersReadThem(ext: String) throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("session.\(ext)").path
        let options = ["--side", "left", "--hold", "5"]
        let export = try bodo(["export", path] + options)
        #expect(export.status == 0, "\(export.stderr)")
        let info = try probe(path)
        let expected = try expectedChapters(options, wav: ext == "wav")
        #expect(expected.count == (ext == "wav" ? 17 : 19))
        #expect(info.chapters.count == expected.count)
        for (chapter, want) in zip(info.chapters, expected) {
            #expect(chapter.tags?["title"] == want.name)
            let ms = Int((Double(chapter.start_time) ?? -1) * 1000 + 0.5)
            // WAV cue markers are in samples; the others are written in whole milliseconds.
            #expect(ext == "wav" ? abs(ms - want.ms) <= 1 : ms == want.ms, "\(want.name): \(chapter.start_time)")
        }
        // Loudness made for listening, by a meter that is not bodo's: ffmpeg's ebur128 filter.
        let (integrated, truePeak) = try ffmpegLoudness(path)
        #expect(abs(integrated - -19) <= 0.7, "\(ext): \(integrated) LUFS")
        #expect(truePeak <= -1.5, "\(ext): true peak \(truePeak) dBTP")

        // Every format, WAV too (its LIST INFO chunk).
        let tags = (info.format.tags ?? [:]).merging(info.streams.first?.tags ?? [:]) { $1 }
        let lower = Dictionary(tags.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        #expect(lower["title"] == "bodo: Back")
        #expect(lower["artist"] == "bodo")
        #expect(lower["comment"] == "Made by bodo from the routine 'back' with the voice 'default'; options: --side left --hold 5.")
    }

    @Test(arguments: formats)
    func twoExportsAreByteIdentical(ext: String) throws {
        let dir = try scratch()
        let a = dir.appendingPathComponent("a.\(ext)").path, b = dir.appendingPathComponent("b.\(ext)").path
        let small = fixtures.appendingPathComponent("small.yaml").path
        #expect(try bodo("export", a, "--script", small, "--voice", "calm").status == 0)
        #expect(try bodo("export", b, "--script", small, "--voice", "calm").status == 0)
        #expect(FileManager.default.contentsEqual(atPath: a, andPath: b))
    }

    /// Decoded as a player decodes it, each file is the session: as long, with sound where the
    /// timeline has cues and quiet between them (the lossy ones too, so no codec delay shifts
    /// the words away from their chapters). FLAC is the WAV, sample for sample.
    @Test(arguments: ["opus", "mp3", "ogg", "flac"])
    func decodedFilesAreTheSessionInTime(ext: String) throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let wav = dir.appendingPathComponent("s.wav").path, file = dir.appendingPathComponent("s.\(ext)").path
        #expect(try bodo("export", wav, "--script", small).status == 0)
        #expect(try bodo("export", file, "--script", small).status == 0)
        let decodedPath = dir.appendingPathComponent("decoded.wav").path
        _ = try run("ffmpeg", ["-v", "error", "-y", "-i", file, "-ar", "22050", "-ac", "1", "-c:a", "pcm_s16le", decodedPath], environment: [:])
        let reference = try wavSamples(wav), decoded = try wavSamples(decodedPath)
        #expect(abs(decoded.count - reference.count) <= 2, "\(decoded.count) samples, the session has \(reference.count)")
        if ext == "flac" { #expect(decoded == reference) }

        let timeline = try previewTimeline(["--script", small])
        var checked = 0
        for cue in timeline.cues where cue.kind == "speech" && cue.length > 4410 {
            let spoken = decoded[cue.start..<min(cue.start + cue.length, decoded.count)]
            let original = reference[cue.start..<cue.start + cue.length]
            #expect(rms(spoken) > rms(original) * 0.7 && rms(spoken) < rms(original) * 1.3, "cue at \(cue.start)")
            checked += 1
        }
        #expect(checked > 5)
        // A second of quiet a second after the last cue ends: near silence, not shifted speech.
        let lastEnd = timeline.cues.map { $0.start + $0.length }.max() ?? 0
        if lastEnd + 2 * 22050 <= decoded.count {
            #expect(rms(decoded[(lastEnd + 22050)..<(lastEnd + 2 * 22050)]) < 30)
        }
    }
}
