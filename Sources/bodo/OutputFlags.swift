import ArgumentParser
import BodoKit
import Foundation

/// What every command that writes a file shares: `--quiet`, `--force`, and a write that shows
/// its progress on a terminal and that Ctrl-C (or SIGTERM, SIGHUP) stops with the file as it was.
struct OutputFlags: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Replace the file even if it is read-only (as `cp --force`).")
    var force = false

    /// Runs `write`, handing it the progress callback an export takes; `doing` names the work
    /// on the progress line ("exporting", "making"). A signal stops the session's waits for
    /// speech at once, so the command ends within moments whatever it is waiting for.
    func writing<T>(_ file: String, doing: String, session: Session, _ write: (_ progress: @escaping (Int) throws -> Void) throws -> T) throws -> T {
        let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        let sampleRate = session.sampleRate
        Interrupt.install { session.cancel(with: Interrupt.Requested()) }
        defer { progress.clear() }
        do {
            return try write { done in
                if Interrupt.requested { throw Interrupt.Requested() }
                progress.show("bodo: \(doing) \(file.escapedForTerminal): \(SampleTime(done, sampleRate).minutes) of audio written")
            }
        } catch is Interrupt.Requested {
            progress.clear()
            Console.error("interrupted; \(file) is as it was before")
            throw ExitCode(Interrupt.exitStatus)
        }
    }
}
