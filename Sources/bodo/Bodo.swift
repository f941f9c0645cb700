import ArgumentParser
import BodoKit
import Foundation

@main
struct Bodo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A spoken coach for trigger point therapy of the back, with a stick (a \"bodo\").",
        discussion: """
        bodo talks you through a routine with your hands on the stick and your eyes on the ceiling: \
        it names each point and its side, gives you time to find the sharp, needle-like pain, \
        ticks once a second while you press, and tells you when to release. Then it leads the stretches.

        The default routine is the built-in 'back' script (12 points, 5 stretches) with the \
        'default' voice. Try:
          bodo                             play the session (same as `bodo play`)
          bodo preview                     the whole session as timed text
          bodo export session.wav          the session as an audio file
          bodo export left.ogg --side left the mirrored routine for the other side
          bodo check my-neck.yaml          validate a script you wrote
        """,
        version: BodoVersion.current,
        subcommands: [Play.self, Preview.self, Export.self, Page.self, Map.self, JournalCommand.self, Check.self, Voices.self, Devices.self],
        defaultSubcommand: Play.self
    )

    /// Exit statuses: 0 done, 1 something outside the input failed (including output that
    /// could not be written), 2 bad input or usage, 3 no sound device, 128 + N stopped by
    /// signal N (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
    static func main() {
        // Before anything else, while the process has one thread: a worker forks (see SynthesisWorker).
        if CommandLine.arguments.dropFirst().first == SynthesisWorker.argument { SynthesisWorker.run() }
        Console.reserveStandardDescriptors()
        // Past a file size limit (`ulimit -f`) a write should fail and be reported, with the
        // temporary file removed, rather than kill bodo mid-export.
        signal(SIGXFSZ, SIG_IGN)
        // A reader that goes away early (rsvg-convert drawing the map, `bodo preview | head`)
        // makes the write fail with EPIPE, which is reported in one line, instead of killing
        // bodo with no word at all.
        signal(SIGPIPE, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try parseAsRoot(try arguments())
        } catch {
            if exitCode(for: error) == .success {
                exit(print: fullMessage(for: error) + "\n")
            }
            // Usage mistakes are bad input like any other, whichever check found them (the
            // parser, or a command's validate()): one line, status 2.
            Console.error(message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
            Foundation.exit(2)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as BodoError {
            Console.error("\(error)")
            Foundation.exit(error.kind == .badInput ? 2 : error.kind == .noDevice ? 3 : 1)
        } catch {
            // `bodo help export` parses into a command whose run() asks for its help page.
            if exitCode(for: error) == .success { exit(print: fullMessage(for: error) + "\n") }
            Console.error(message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }

    /// This program, for its synthesis workers: the very file this process runs, even if it
    /// has been replaced or removed since (an upgrade must not start workers of another build).
    static let executable = "/proc/self/exe"

    /// The command line as given, file names byte for byte (see `RawBytes`).
    private static func arguments() throws -> [String] {
        let decoded = RawBytes.arguments().dropFirst()
        if let index = decoded.firstIndex(of: nil) {
            throw BodoError(at: nil, "argument \(index) holds code points U+10FF80 to U+10FFFF, which bodo reserves for bytes of file names")
        }
        return withBareSubtitles(decoded.compactMap { $0 })
    }

    /// `--subtitles` alone means WebVTT: give the option its value when none follows.
    static func withBareSubtitles(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if argument == "--subtitles", SubtitleFormat(rawValue: next ?? "") == nil { result.append("vtt") }
        }
        return result
    }

    private static func exit(print text: String) -> Never {
        do { try Console.out(text) } catch { Console.error("\(error)"); Foundation.exit(1) }
        Foundation.exit(0)
    }
}
