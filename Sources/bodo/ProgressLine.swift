import Foundation

/// One line on a terminal that redraws itself at most ten times a second; nothing at all when
/// it is not enabled (the stream is not a terminal, or --quiet).
final class ProgressLine {
    let enabled: Bool
    private let stream: FileHandle
    private var lastDrawn: ContinuousClock.Instant?

    init(enabled: Bool, stream: FileHandle = .standardError) {
        self.enabled = enabled
        self.stream = stream
    }

    func show(_ text: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        stream.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Erases the line; the next `show` draws at once.
    func clear() {
        guard enabled, lastDrawn != nil else { return }
        stream.write(Data("\r\u{1B}[K".utf8))
        lastDrawn = nil
    }
}
