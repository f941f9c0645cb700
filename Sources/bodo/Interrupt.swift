import Foundation
import Synchronization

/// Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) ask the running command to stop
/// cleanly instead of killing it: `play` fades out and restores the terminal, `export` removes
/// its temporary file; both then exit with 128 + the signal's number (130, 143, 129).
enum Interrupt {
    /// The signal that arrived, or 0.
    static let signal = Atomic<Int32>(0)
    /// The write end of the pipe the handler writes a byte to, or -1 before `install`.
    private static let wakeWriter = Atomic<Int32>(-1)
    /// The pipe's read end, for a loop to poll (`play`), or -1 when a watcher thread reads it.
    private static let wakeReader = Atomic<Int32>(-1)

    static let handled = [SIGINT, SIGTERM, SIGHUP]

    static var requested: Bool { signal.load(ordering: .relaxed) != 0 }

    /// The exit status for the signal that stopped the command.
    static var exitStatus: Int32 { 128 + signal.load(ordering: .relaxed) }

    /// Readable once a signal has arrived, for a loop that polls (`play`): a signal lands on
    /// any thread, so the loop's own poll is not sure to be interrupted by it, and a loop that
    /// noticed it only at its next turn stopped up to a turn (100 ms) late. nil when `install`
    /// was given `onRequest`.
    static var descriptor: Int32? {
        let reader = wakeReader.load(ordering: .relaxed)
        return reader >= 0 ? reader : nil
    }

    /// Handles the signals. `onRequest` runs on a thread of its own as soon as one arrives:
    /// work that waits (an Opus export waits for all of its speech before its first sample)
    /// must be stopped from outside, or it would notice only when the wait was over. Without
    /// it, `descriptor` is there to poll.
    static func install(onRequest: (@Sendable () -> Void)? = nil) {
        if let reader = openPipe() {
            if let onRequest {
                watch(reader, onRequest)
            } else {
                // Polled, and emptied without waiting (`drain`).
                _ = fcntl(reader, F_SETFL, fcntl(reader, F_GETFL) | O_NONBLOCK)
                wakeReader.store(reader, ordering: .relaxed)
            }
        }
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

    /// The pipe the handler writes to; returns its read end.
    private static func openPipe() -> Int32? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // Never let a full pipe block the handler: one byte is as good as many.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        wakeWriter.store(ends[1], ordering: .relaxed)
        return ends[0]
    }

    private static func watch(_ reader: Int32, _ action: @escaping @Sendable () -> Void) {
        let watcher = Thread {
            var byte: UInt8 = 0
            while read(reader, &byte, 1) < 0, errno == EINTR {}
            action()
        }
        watcher.start()
    }

    /// Empties `descriptor`, so a poll that has seen the signal does not see it again.
    static func drain() {
        guard let reader = descriptor else { return }
        var bytes = [UInt8](repeating: 0, count: 16)
        while read(reader, &bytes, bytes.count) > 0 {}
    }

    struct Requested: Error {}
}
