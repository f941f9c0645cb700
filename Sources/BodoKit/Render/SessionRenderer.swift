/// The one source of a session's audio. Every output (the exported file, the live ALSA stream)
/// pulls its samples from here, so what is exported is exactly what is played.
///
/// It renders block by block on demand from the timeline, reading speech from the bank's store,
/// so memory stays the same whatever the session's length, and it never allocates after creation.
public struct SessionRenderer: Sendable {
    public let timeline: Timeline
    private let bank: SpeechBank
    private let tick: Clip
    /// The next sample to render.
    public private(set) var position = 0
    /// The first cue that has not ended before `position`. Cues never overlap (the timeline
    /// guarantees it), so their ends are in order and this only moves forward.
    private var firstLiveCue = 0

    public init(timeline: Timeline, bank: SpeechBank, tick: Clip) {
        precondition(timeline.cues.allSatisfy { $0.sound != .tick || $0.length <= tick.count })
        self.timeline = timeline
        self.bank = bank
        self.tick = tick
    }

    public var remaining: Int { timeline.totalSamples - position }
    public var isFinished: Bool { position >= timeline.totalSamples }

    /// Fills the front of `buffer` with the next samples; returns how many (0 at the end).
    /// Throws only if the speech store cannot be read back.
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        let count = min(buffer.count, remaining)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        base.update(repeating: 0, count: count)
        let blockEnd = position + count
        let cues = timeline.cues
        var index = firstLiveCue
        while index < cues.count, cues[index].start < blockEnd {
            let cue = cues[index]
            let from = max(cue.start, position), to = min(cue.end, blockEnd)
            if from < to {
                // Cues never overlap, so each one's samples go straight into place.
                let target = UnsafeMutableBufferPointer(start: base + (from - position), count: to - from)
                switch cue.sound {
                case let .speech(clip):
                    try bank.store.read(bank.slices[clip], from: from - cue.start, into: target)
                case .tick:
                    tick.withUnsafeBufferPointer { samples in
                        _ = target.update(fromContentsOf: samples[(from - cue.start)..<(to - cue.start)])
                    }
                }
            }
            index += 1
        }
        position = blockEnd
        while firstLiveCue < cues.count, cues[firstLiveCue].end <= position { firstLiveCue += 1 }
        return count
    }

    /// Moves to any sample of the session (for skipping in a live session).
    public mutating func seek(to sample: Int) {
        position = min(max(0, sample), timeline.totalSamples)
        firstLiveCue = timeline.cues.firstIndex { $0.end > position } ?? timeline.cues.count
    }
}
