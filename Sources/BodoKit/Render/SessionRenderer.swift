/// The one source of a session's audio. Every output (the exported file, the live ALSA stream)
/// pulls its samples from here, so what is exported is exactly what is played.
///
/// It renders block by block on demand, scheduling the timeline just far enough ahead and
/// reading speech from the bank's store, so memory stays the same whatever the session's length,
/// and a block can be rendered while later speech is still being synthesized (it waits only when
/// the block reaches speech that does not exist yet).
public struct SessionRenderer: Sendable {
    private let source: TimelineSource
    private let bank: SpeechBank
    private let tick: Clip
    /// The next sample to render.
    public private(set) var position = 0
    /// The first cue that has not ended before `position`. Cues never overlap (the scheduler
    /// guarantees it), so their ends are in order and this only moves forward.
    private var firstLiveCue = 0

    public init(source: TimelineSource, bank: SpeechBank, tick: Clip) {
        self.source = source
        self.bank = bank
        self.tick = tick
    }

    /// Fills the front of `buffer` with the next samples; returns how many (0 at the end).
    /// Throws if the speech for these samples could not be synthesized or read back.
    public mutating func render(into buffer: UnsafeMutableBufferPointer<Int16>) throws -> Int {
        try source.grow(through: position + buffer.count)
        let (cues, horizon, complete) = source.cues(from: firstLiveCue, startingBefore: position + buffer.count)
        let end = complete ? horizon : position + buffer.count
        let count = min(buffer.count, end - position)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        base.update(repeating: 0, count: count)
        let blockEnd = position + count
        for cue in cues {
            let from = max(cue.start, position), to = min(cue.end, blockEnd)
            if from < to {
                // Cues never overlap, so each one's samples go straight into place.
                let target = UnsafeMutableBufferPointer(start: base + (from - position), count: to - from)
                switch cue.sound {
                case let .speech(clip):
                    try bank.store.read(bank.clip(clip), from: from - cue.start, into: target)
                case .tick:
                    tick.withUnsafeBufferPointer { samples in
                        _ = target.update(fromContentsOf: samples[(from - cue.start)..<(to - cue.start)])
                    }
                }
            }
        }
        position = blockEnd
        firstLiveCue += cues.prefix { $0.end <= blockEnd }.count
        return count
    }

    /// Renders from `position` up to `end` (or the session's end) in blocks of `blockSize`,
    /// handing each to `body` with the position after it: what files and meters read.
    public mutating func renderBlocks(until end: Int = .max, blockSize: Int = 8192,
                                      _ body: (_ block: UnsafeBufferPointer<Int16>, _ position: Int) throws -> Void) throws {
        var buffer = [Int16](repeating: 0, count: blockSize)
        try buffer.withUnsafeMutableBufferPointer { whole in
            while case let wanted = min(whole.count, end - position), wanted > 0,
                  case let block = UnsafeMutableBufferPointer(rebasing: whole[0..<wanted]),
                  case let count = try render(into: block), count > 0 {
                try body(UnsafeBufferPointer(rebasing: block[0..<count]), position)
            }
        }
    }

    /// Moves to any sample of the session (for skipping in a live session).
    public mutating func seek(to sample: Int) throws {
        let scheduled = try source.grow(through: sample + 1)
        position = min(max(0, sample), scheduled.horizon)
        firstLiveCue = source.firstCue(endingAfter: position)
    }
}
