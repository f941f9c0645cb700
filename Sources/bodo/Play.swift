import ArgumentParser
import BodoKit
import Foundation
import Synchronization

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play the session live through ALSA (what plain `bodo` does).",
        discussion: """
        Lie down and listen: bodo names each point and its side, gives you time to find it, \
        ticks once a second while you press, and says when to release. You never need to touch \
        anything, but when a hand is free, on a terminal:
          space  pause / resume (on resume bodo says where you are)
          n      skip to the next point or stretch
          b      back to the start of this point or stretch
          q      quit            (Ctrl-C also stops, with a short fade)

        What plays is exactly what `bodo export` writes for the same options. With no sound \
        device, bodo says so and exits with status 3; `bodo export session.wav` gives you the \
        session as a file instead. `bodo devices` lists the devices ALSA offers.
        """
    )

    @OptionGroup var session: SessionOptions

    @Option(help: ArgumentHelp("The ALSA playback device (see `bodo devices`).", valueName: "name"))
    var device = "default"

    @Option(help: ArgumentHelp("Output buffer in milliseconds, split in four periods; larger is safer on a busy machine.",
                               valueName: "ms"))
    var latency = 20

    @Option(help: ArgumentHelp("Start at point N, or at a stretch with stretch:N.", valueName: "N|stretch:N"))
    var from: String?

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    @Flag(help: "Also print what the device granted, when the first sound left, and the drift.")
    var verbose = false

    func validate() throws {
        guard (4...2000).contains(latency) else {
            throw BodoError(at: .option("--latency"), "must be between 4 and 2000 milliseconds, not \(latency)")
        }
    }

    func run() throws {
        let built = try session.makeSession()
        var options = PlayOptions()
        options.device = device
        options.latencyMilliseconds = latency
        if let from { options.startAt = try startPosition(from, in: built) }

        let terminal = Terminal()
        let progress = ProgressLine(enabled: !quiet && isatty(STDOUT_FILENO) == 1, fd: STDOUT_FILENO)
        var controls = KeyboardControls(terminal: terminal)
        Interrupt.install()
        defer { terminal.restore() }
        var underruns = 0

        let summary = try LivePlayer(session: built, options: options).play(
            controls: &controls,
            started: { parameters, firstFrames in
                guard verbose else { return }
                Console.error(parameters.description)
                Console.error(String(format: "first frames to ALSA at %.3f ms (CLOCK_MONOTONIC)", Double(firstFrames) / 1e6))
            },
            status: { status in
                if status.underruns > underruns {
                    // The device ran dry and was restarted: say so once, above the progress line.
                    underruns = status.underruns
                    progress.clear()
                    Console.error("the sound device ran out of samples at \(TextPreview.minutes(status.position, built.sampleRate)); recovered, going on")
                }
                progress.show(Self.describe(status, sampleRate: built.sampleRate))
            })
        progress.clear()
        terminal.restore()
        report(summary, session: built)
        if summary.stoppedBy == .interrupt { throw ExitCode(Interrupt.exitStatus) }
    }

    private func report(_ summary: PlaySummary, session: Session) {
        let rate = summary.parameters.sampleRate
        if verbose {
            Console.error(String(
                format: "played %d frames (%.3f s) in %.3f s from the first frame handed to ALSA to the end of the drain; "
                    + "drift against the wall clock %+.1f ms; %d underruns",
                summary.framesPlayed, Double(summary.framesPlayed) / Double(rate), summary.wallSeconds,
                summary.driftSeconds * 1000, summary.underruns))
        }
        guard !quiet, isatty(STDOUT_FILENO) == 1 else { return }
        let total = (try? session.timeline().totalSamples) ?? summary.position
        if summary.stoppedBy == nil {
            try? Console.out("bodo: session complete (\(TextPreview.minutes(total, rate))). Get up slowly.\n")
        } else {
            try? Console.out("bodo: stopped at \(TextPreview.minutes(summary.position, rate)) of \(TextPreview.minutes(total, rate)).\n")
        }
    }

    /// "point 4, press  2:51 / 12:17", or "paused at ..." with how to go on.
    static func describe(_ status: PlayerStatus, sampleRate rate: Int) -> String {
        var place = status.phase?.rawValue ?? "intro"
        if let point = status.context.point { place = "point \(point)" }
        if let stretch = status.context.stretch { place = "stretch \(stretch)" }
        let phase = status.context == .none ? "" : status.phase.map { ", \($0.rawValue)" } ?? ""
        let time = "\(TextPreview.minutes(status.position, rate)) / \(TextPreview.minutes(status.totalSamples, rate))"
        return status.paused ? "paused at \(place)\(phase)  \(time)  (space resumes)" : "\(place)\(phase)  \(time)"
    }

    /// `--from 5` or `--from stretch:2`: the start of that point or stretch.
    private func startPosition(_ text: String, in session: Session) throws -> Int {
        try SessionRange.resolve(from: SessionRange.Place(text, option: "--from"), to: nil, in: session.timeline()).lowerBound
    }
}

/// Keys from a terminal, when standard input is one; otherwise there are no controls.
struct KeyboardControls: PlayerControls {
    let terminal: Terminal
    private var interruptReported = false

    init(terminal: Terminal) {
        self.terminal = terminal
        terminal.enterKeyMode()
    }

    var input: Int32? { terminal.isInteractive ? STDIN_FILENO : nil }

    mutating func command(inputReady: Bool) -> PlayerCommand? {
        if let interrupt = checkInterrupt() { return interrupt }
        var byte: UInt8 = 0
        guard inputReady, read(STDIN_FILENO, &byte, 1) == 1 else { return nil }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "p"): return .togglePause
        case UInt8(ascii: "n"): return .next
        case UInt8(ascii: "b"): return .back
        case UInt8(ascii: "q"), UInt8(ascii: "Q"): return .quit
        default: return nil
        }
    }

    private mutating func checkInterrupt() -> PlayerCommand? {
        guard !interruptReported, Interrupt.requested else { return nil }
        interruptReported = true
        return .interrupt
    }
}

/// Standard input as a keyboard: single keys without Enter and without echo while playing,
/// and the terminal exactly as it was afterwards.
final class Terminal {
    let isInteractive = isatty(STDIN_FILENO) == 1
    private var saved: termios?

    func enterKeyMode() {
        guard isInteractive, saved == nil else { return }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return }
        saved = settings
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
    }

    func restore() {
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        saved = nil
    }
}
