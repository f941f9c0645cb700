/// One sound on the timeline, at an exact sample position.
public struct TimelineCue: Sendable, Equatable {
    public enum Sound: Sendable, Equatable {
        /// A clip of the session's `SpeechBank`, by its index there.
        case speech(clip: Int)
        case tick
    }

    public var start: Int
    public var length: Int
    public var sound: Sound
    public var phase: Phase
    /// The words, for speech; nil for a tick.
    public var text: String?
    public var context: CueContext

    public var end: Int { start + length }
}

/// A named place in the session: where each point and stretch begins.
public struct Marker: Sendable, Equatable {
    public var position: Int
    public var name: String
    public var context: CueContext
}

/// The session as integer sample positions: the one truth every output reads.
///
/// Scheduling rules:
/// - Steps follow each other in plan order; a spoken cue starts where the previous step's
///   time ends, and its own time is its real synthesized length plus its pause. So nothing can
///   overlap: a longer phrase pushes everything after it.
/// - A hold of N seconds has N ticks, the first at its start and one every `sampleRate` samples
///   after it, and the next step (the release) starts exactly N x `sampleRate` after the first
///   tick. A spoken count is placed right after each tick only if every number of that hold
///   ends before the next tick; otherwise that hold is ticks only.
public struct Timeline: Sendable {
    public let sampleRate: Int
    public let cues: [TimelineCue]
    public let markers: [Marker]
    public let totalSamples: Int

    /// Silence the count keeps before the next tick, so a number never runs into it.
    public static func countClearance(sampleRate: Int) -> Int { sampleRate / 20 }

    public init(plan: CuePlan, bank: SpeechBank, tickLength: Int) {
        let rate = bank.sampleRate
        var cues: [TimelineCue] = []
        var markers: [Marker] = []
        var cursor = 0

        func clip(_ text: String) -> (index: Int, length: Int) {
            guard let index = bank.clipIndex(for: text) else {
                preconditionFailure("the speech bank was not made from this plan: no clip for '\(text)'")
            }
            return (index, bank.length(ofClip: index))
        }
        func mark(_ context: CueContext) {
            guard context != .none, markers.last?.context != context, let name = plan.titles[context] else { return }
            markers.append(Marker(position: cursor, name: name, context: context))
        }

        for step in plan.steps {
            switch step {
            case let .say(text, phase, context, pause):
                mark(context)
                let (index, length) = clip(text)
                cues.append(TimelineCue(start: cursor, length: length, sound: .speech(clip: index),
                                        phase: phase, text: text, context: context))
                cursor += length + pause.samples(at: rate)

            case let .hold(seconds, count, context):
                mark(context)
                let room = rate - tickLength - Self.countClearance(sampleRate: rate)
                let numbers = count.map(clip)
                let spoken = numbers.count == seconds && numbers.allSatisfy { $0.length <= room }
                for second in 0..<seconds {
                    let tick = cursor + second * rate
                    cues.append(TimelineCue(start: tick, length: tickLength, sound: .tick,
                                            phase: .hold, text: nil, context: context))
                    if spoken {
                        cues.append(TimelineCue(start: tick + tickLength, length: numbers[second].length,
                                                sound: .speech(clip: numbers[second].index),
                                                phase: .hold, text: count[second], context: context))
                    }
                }
                cursor += seconds * rate
            }
        }
        sampleRate = rate
        self.cues = cues
        self.markers = markers
        totalSamples = cursor
    }
}
