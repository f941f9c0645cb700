import Foundation
import Synchronization

/// Ctrl-C asks the running command to stop cleanly instead of killing it: `play` fades out and
/// restores the terminal, `export` removes its temporary file; both then exit with status 130.
enum Interrupt {
    static let requested = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in Interrupt.requested.store(true, ordering: .relaxed) }
        // A parent may have started bodo with SIGINT blocked (a test runner's thread, some
        // supervisors); blocked, it would never arrive.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    struct Requested: Error {}
}
