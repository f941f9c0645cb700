import Foundation
import Synchronization

/// Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) ask the running command to stop
/// cleanly instead of killing it: `play` fades out and restores the terminal, `export` removes
/// its temporary file; both then exit with 128 + the signal's number (130, 143, 129).
enum Interrupt {
    /// The signal that arrived, or 0.
    static let signal = Atomic<Int32>(0)
    /// The write end of the pipe that wakes the watcher thread, or -1 without one.
    private static let wakeWriter = Atomic<Int32>(-1)

    static let handled = [SIGINT, SIGTERM, SIGHUP]

    static var requested: Bool { signal.load(ordering: .relaxed) != 0 }

    /// The exit status for the signal that stopped the command.
    static var exitStatus: Int32 { 128 + signal.load(ordering: .relaxed) }

    /// Handles the signals. `onRequest` runs on a thread of its own as soon as one arrives:
    /// work that waits (an Opus export waits for all of its speech before its first sample)
    /// must be stopped from outside, or it would notice only when the wait was over.
    static func install(onRequest: (@Sendable () -> Void)? = nil) {
        if let onRequest { watch(onRequest) }
        var set = sigset_t()
        sigemptyset(&set)
        for number in handled {
            Foundation.signal(number) { received in
                Interrupt.signal.store(received, ordering: .relaxed)
                // write(2) is async-signal-safe; the watcher does the rest.
                let writer = Interrupt.wakeWriter.load(ordering: .relaxed)
                if writer >= 0 {
                    var one: UInt8 = 1
                    _ = write(writer, &one, 1)
                }
            }
            sigaddset(&set, number)
        }
        // A parent may have started bodo with these blocked (a test runner's thread, some
        // supervisors); blocked, they would never arrive.
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static func watch(_ action: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // Never let a full pipe block the handler: one byte is as good as many.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        let reader = ends[0]
        wakeWriter.store(ends[1], ordering: .relaxed)
        let watcher = Thread {
            var byte: UInt8 = 0
            while read(reader, &byte, 1) < 0, errno == EINTR {}
            action()
        }
        watcher.start()
    }

    struct Requested: Error {}
}
