import ArgumentParser
import BodoKit
import Foundation

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the session to an audio file: .opus or .mp3 for a phone, .wav, .flac or .ogg.",
        discussion: """
        The extension picks the format:
          .opus  Ogg Opus, 24 kb/s, the codec made for speech (1.8 MB)
          .mp3   MP3 (LAME -V 6, about 36 kb/s): plays on every phone (3.8 MB)
          .ogg   Ogg Vorbis (1.5 MB)   .flac  lossless (8.7 MB)   .wav  (37 MB)
        (sizes for the default session, 14 minutes)

        Every format carries a title, an artist and a comment saying how it was made, and \
        chapters at the introduction, each point and stretch, and the closing words, which \
        podcast players list (a WAV has its points and stretches as cue markers). \
        --subtitles writes the words beside the file; --from and --to cut the session.

        The file is complete or not there at all: bodo writes a temporary file beside it and \
        renames it into place at the end, so a failed export never leaves half a file and never \
        replaces a good one. The audio is the same, sample for sample, as what `bodo preview` \
        describes for the same options; two exports with the same options are byte-identical.
        """
    )

    @Argument(help: ArgumentHelp("The audio file to write; its extension picks the format.", valueName: "file"))
    var file: String

    @OptionGroup var session: SessionOptions
    @OptionGroup var cut: RangeOptions

    @OptionGroup var output: OutputFlags

    @Flag(help: "Also measure the loudness and true peak the file reached (EBU R128, libebur128).")
    var verbose = false

    @Option(help: ArgumentHelp(
        "Also write the words as subtitles beside the file: vtt (WebVTT, the default with a bare --subtitles), srt (SubRip) or lrc (synced lyrics, which phone music players show).",
        valueName: "vtt|srt|lrc"))
    var subtitles: SubtitleFormat?

    func run() throws {
        let exporter = try AudioFileExporter(path: file, force: output.force)
        try exporter.refuseOverwriting(inputs: session.inputs)
        let subtitleFile = try subtitles.map { try SubtitleFile(beside: file, format: $0, force: output.force) }
        try subtitleFile?.refuseOverwriting(inputs: session.inputs)
        let startPoint = try cut.startPoint()
        let built = try session.makeSession(encoded: exporter.format != .wav) { $0.startPoint = startPoint }
        let meter = verbose ? LoudnessMeter(sampleRate: built.sampleRate) : nil
        let timeline = try output.writing(file, doing: "exporting", session: built) { progress in
            try exporter.export(built, range: cut.range(in: built), comment: session.summary(adding: cut.summary), meter: meter,
                                subtitles: subtitleFile.map { [$0] } ?? [], progress: progress)
        }
        if let meter {
            Console.error(meter.levels.summary(target: built.targetLoudness))
        }
        let places = exporter.format == .wav ? (timeline.markers.count, "marker") : (timeline.chapters.count, "chapter")
        if places.0 > ExportMetadata.chapterLimit, !output.quiet {
            Console.error("the session has \(places.0) \(places.1)s; \(file.escapedForTerminal) carries the first \(ExportMetadata.chapterLimit), "
                + "the most every format's players read")
        }
        if !output.quiet {
            let length = SampleTime(timeline.totalSamples, timeline.sampleRate).clock
            let markers = ", " + counted(min(places.0, ExportMetadata.chapterLimit), places.1)
            Console.error("wrote \(file) (\(length)\(markers), \(exporter.format.rawValue))"
                + (subtitleFile.map { " and \($0.path)" } ?? ""))
        }
    }
}

extension SubtitleFormat: ExpressibleByArgument {}
