import ArgumentParser
import BodoKit

struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the session as a timed cue script, exactly as it will sound.",
        discussion: """
        Each line is one cue: its start (minutes:seconds.milliseconds), its phase and its words. \
        A hold's ticks share one line. The times are those of the audio that `bodo export` writes \
        for the same options, to the sample.

        --format json prints the timeline for programs: sampleRate, totalSamples, and cues in \
        start order, each with start and length in samples, kind (speech or tick), phase, and \
        text, point and stretch where they apply; chapters and markers; and levels: the \
        loudness the session is made for and the voice's gain.

        --measure renders the session and measures the loudness and true peak it reaches \
        (EBU R128, the same samples `bodo export` writes; about a second more).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var session: SessionOptions
    @OptionGroup var cut: RangeOptions

    @Option(help: "text for people, json for programs.")
    var format: Format = .text

    @Flag(help: "Also measure the loudness and true peak the session reaches (EBU R128, libebur128).")
    var measure = false

    func run() throws {
        let startPoint = try cut.startPoint()
        let built = try session.makeSession { $0.startPoint = startPoint }
        let preview: any PreviewFormat = format == .json ? JSONPreview() : TextPreview()
        let range = try cut.range(in: built)
        try Console.out(try preview.format(built, range: range, measured: measure ? built.measureLevels(range: range) : nil))
    }
}
