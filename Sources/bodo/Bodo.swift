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
        subcommands: [Play.self, Preview.self, Export.self, Check.self, Voices.self, Devices.self],
        defaultSubcommand: Play.self
    )

    /// Exit statuses: 0 done, 1 something outside the input failed, 2 bad input or usage,
    /// 3 no sound device, 130 stopped with Ctrl-C.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as BodoError {
            FileHandle.standardError.write(Data("bodo: \(error)\n".utf8))
            Foundation.exit(error.kind == .badInput ? 2 : error.kind == .noDevice ? 3 : 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // Usage mistakes are bad input like any other: one line, status 2.
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("bodo: \(message)\n".utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
