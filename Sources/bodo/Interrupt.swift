import Foundation
import Synchronization

/// Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) ask the running command to stop
/// cleanly instead of killing it: `play` fades out and restores the terminal, `export` removes
/// its temporary file; both then exit with 128 + the signal's number (130, 143, 129).
enum Interrupt {
    /// The signal that arrived, or 0.
    static let signal = Atomic<Int32>(0)

    static let handled = [SIGINT, SIGTERM, SIGHUP]

    static var requested: Bool { signal.load(ordering: .relaxed) != 0 }

    /// The exit status for the signal that stopped the command.
    static var exitStatus: Int32 { 128 + signal.load(ordering: .relaxed) }

    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in handled {
            Foundation.signal(number) { received in Interrupt.signal.store(received, ordering: .relaxed) }
            sigaddset(&set, number)
        }
        // A parent may have started bodo with these blocked (a test runner's thread, some
        // supervisors); blocked, they would never arrive.
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    struct Requested: Error {}
}
