import Foundation

/// One line on a terminal that redraws itself at most ten times a second; nothing at all when
/// it is not enabled (the stream is not a terminal, or --quiet).
final class ProgressLine {
    let enabled: Bool
    private let fd: Int32
    private var lastDrawn: ContinuousClock.Instant?

    init(enabled: Bool, fd: Int32 = STDERR_FILENO) {
        self.enabled = enabled
        self.fd = fd
    }

    func show(_ text: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        Console.write(fd, Array("\r\u{1B}[K\(text.escapedForTerminal)".utf8))
    }

    /// Erases the line; the next `show` draws at once.
    func clear() {
        guard enabled, lastDrawn != nil else { return }
        Console.write(fd, Array("\r\u{1B}[K".utf8))
        lastDrawn = nil
    }
}
