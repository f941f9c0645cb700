import Foundation

/// A self-pipe: one thread makes it readable, another `poll`s it beside its other descriptors.
/// Both ends are non-blocking, so a full pipe never stalls the signalling thread (one byte in
/// it is as good as many), and close-on-exec.
final class WakePipe: Sendable {
    /// The end to poll.
    let descriptor: Int32
    private let input: Int32

    init() {
        var ends: [Int32] = [-1, -1]
        pipe(&ends)
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        descriptor = ends[0]
        input = ends[1]
    }

    deinit {
        close(descriptor)
        close(input)
    }

    func signal() {
        var one: UInt8 = 1
        _ = write(input, &one, 1)
    }

    /// Empties the pipe once it has woken its reader.
    func clear() {
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while read(descriptor, &bytes, MemoryLayout.size(ofValue: bytes)) > 0 {}
    }
}
