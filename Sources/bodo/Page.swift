import ArgumentParser
import BodoKit
import Foundation

struct Page: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the session as one web page: its audio, the body map and every cue.",
        discussion: """
        One self-contained .html file that works offline in any browser, on a phone or a \
        laptop: the session's audio (MP3, inside the file), the map of the points and the cue \
        script. While the audio plays, the current cue is highlighted and kept in view, and its \
        point is marked on the map; tap a cue or a point to go there. Open page.html#t=75 to \
        start at 75 seconds (or #t=1:15).

        The options are those of `bodo export`, and the page's audio is what `bodo export \
        session.mp3` writes for them.
        """
    )

    @Argument(help: ArgumentHelp("The page to write (.html).", valueName: "file"))
    var file: String

    @OptionGroup var session: SessionOptions
    @OptionGroup var cut: RangeOptions

    @OptionGroup var output: OutputFlags

    func run() throws {
        let page = try PageFile(path: file, force: output.force)
        try page.refuseOverwriting(inputs: session.inputs)
        let startPoint = try cut.startPoint()
        let built = try session.makeSession(encoded: true) { $0.startPoint = startPoint }
        let timeline = try output.writing(file, doing: "making", session: built) { progress in
            try page.write(built, range: cut.range(in: built), comment: session.summary(adding: cut.summary), progress: progress)
        }
        if !output.quiet {
            Console.error("wrote \(file) (\(SampleTime(timeline.totalSamples, timeline.sampleRate).clock), \(counted(timeline.lines.count, "cue")))")
        }
    }
}
