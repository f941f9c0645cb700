/// The one source of a session's audio. Every output (the exported file, the live ALSA stream)
/// pulls its samples from here, so what is exported is exactly what is played.
///
/// It renders block by block on demand from the timeline and the speech clips, so memory stays
/// the same whatever the session's length, and it never allocates after creation.
public struct SessionRenderer: Sendable {
    public let timeline: Timeline
    private let clips: [Clip]
    private let tick: Clip
    /// The next sample to render.
    public private(set) var position = 0
    /// The first cue that has not ended before `position`. Cues never overlap, so their ends
    /// are in order and this only moves forward.
    private var firstLiveCue = 0

    public init(timeline: Timeline, clips: [Clip], tick: Clip) {
        precondition(tick.count >= timeline.cues.filter { $0.sound == .tick }.map(\.length).max() ?? 0)
        self.timeline = timeline
        self.clips = clips
        self.tick = tick
    }

    public var remaining: Int { timeline.totalSamples - position }
    public var isFinished: Bool { position >= timeline.totalSamples }

    /// Fills the front of `buffer` with the next samples; returns how many (0 at the end).
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>) -> Int {
        let count = min(buffer.count, remaining)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        base.update(repeating: 0, count: count)
        let blockEnd = position + count
        var index = firstLiveCue
        let cues = timeline.cues
        while index < cues.count, cues[index].start < blockEnd {
            let cue = cues[index]
            let from = max(cue.start, position), to = min(cue.end, blockEnd)
            if from < to {
                let source: Clip
                switch cue.sound {
                case let .speech(clip): source = clips[clip]
                case .tick: source = tick
                }
                source.withUnsafeBufferPointer { samples in
                    // Saturating mix: cues do not overlap, but a sum never wraps around if they did.
                    for i in 0..<(to - from) {
                        let out = base + (from - position + i)
                        let (sum, overflow) = out.pointee.addingReportingOverflow(samples[from - cue.start + i])
                        out.pointee = overflow ? (sum < 0 ? .max : .min) : sum
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
