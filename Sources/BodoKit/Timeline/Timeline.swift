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

/// Quiet time that belongs to the person (searching, getting into position), when bodo listens:
/// from the end of bodo's words to the end of the wait; "found it" goes straight to `resume`,
/// the start of what follows the wait (the press), and everything after moves with it.
public struct PersonWait: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// Where the session goes on when the person is ready; nil until that step is scheduled.
    public var resume: Int?
    public var context: CueContext
    public var phase: Phase
}

/// A named place in the session: where each point and stretch begins.
public struct Marker: Sendable, Equatable {
    public var position: Int
    public var name: String
    public var context: CueContext
}

/// Lays a cue plan out on integer sample positions, one step at a time, so that the start of a
/// session can be rendered while the speech of its end is still being synthesized.
///
/// Scheduling rules:
/// - Steps follow each other in plan order; a spoken cue starts where the previous step's
///   time ends, and its own time is its real synthesized length plus its pause. So nothing can
///   overlap: a longer phrase pushes everything after it.
/// - A hold of N seconds has N ticks, the first at its start and one every `sampleRate` samples
///   after it, and the next step (the release) starts exactly N x `sampleRate` after the first
///   tick. A spoken count is placed right after each tick only if every number of that hold
///   ends before the next tick; otherwise that hold is ticks only.
public struct TimelineScheduler: Sendable {
    public let sampleRate: Int
    public private(set) var cues: [TimelineCue] = []
    public private(set) var markers: [Marker] = []
    public private(set) var waits: [PersonWait] = []
    /// Every sample before this is final: all cues still to come start at or after it.
    public private(set) var horizon = 0
    private let plan: CuePlan
    private let tickLength: Int
    /// The plan step to schedule next.
    public private(set) var nextStep = 0

    public init(plan: CuePlan, sampleRate: Int, tickLength: Int) {
        self.plan = plan
        self.sampleRate = sampleRate
        self.tickLength = tickLength
    }

    public var isComplete: Bool { nextStep == plan.steps.count }

    /// The phrases the next step speaks, whose clips it needs to be scheduled.
    public var nextPhrases: [String] {
        guard !isComplete else { return [] }
        switch plan.steps[nextStep] {
        case let .say(text, _, _, _): return [text]
        case let .hold(_, count, _): return count
        }
    }

    /// Silence the count keeps before the next tick, so a number never runs into it.
    public static func countClearance(sampleRate: Int) -> Int { sampleRate / 20 }

    /// Schedules the next step. `clip` gives a phrase's clip index and length in samples.
    /// Throws when the session grows past `CuePlan.longestSession`.
    public mutating func scheduleNextStep(clip: (String) throws -> (index: Int, length: Int)) throws {
        let step = plan.steps[nextStep]
        switch step {
        case let .say(text, phase, context, pause):
            let (index, length) = try clip(text)
            mark(context)
            resumeWaits(continuing: plan.waits.contains(nextStep) ? phase : nil)
            cues.append(TimelineCue(start: horizon, length: length, sound: .speech(clip: index),
                                    phase: phase, text: text, context: context))
            horizon += length + pause.samples(at: sampleRate)
            if plan.waits.contains(nextStep) {
                waits.append(PersonWait(start: horizon - pause.samples(at: sampleRate), end: horizon, resume: nil, context: context, phase: phase))
            }

        case let .hold(seconds, count, context):
            let numbers = try count.map(clip)
            mark(context)
            resumeWaits(continuing: nil)
            let room = sampleRate - tickLength - Self.countClearance(sampleRate: sampleRate)
            let spoken = numbers.count == seconds && numbers.allSatisfy { $0.length <= room }
            for second in 0..<seconds {
                let tick = horizon + second * sampleRate
                cues.append(TimelineCue(start: tick, length: tickLength, sound: .tick,
                                        phase: .hold, text: nil, context: context))
                if spoken {
                    cues.append(TimelineCue(start: tick + tickLength, length: numbers[second].length,
                                            sound: .speech(clip: numbers[second].index),
                                            phase: .hold, text: count[second], context: context))
                }
            }
            horizon += seconds * sampleRate
        }
        nextStep += 1
        // The plan's silences were checked before synthesis; this is the exact check, with speech.
        guard horizon <= CuePlan.longestSession.samples(at: sampleRate) else {
            throw BodoError(at: nil, "with its speech, the session lasts more than \(CuePlan.longestSessionText); bodo makes sessions of at most that")
        }
    }

    public mutating func scheduleAll(clip: (String) throws -> (index: Int, length: Int)) throws {
        while !isComplete { try scheduleNextStep(clip: clip) }
    }

    /// The open waits just before this step go on here, unless the step continues them (a
    /// wait of the same kind: the reminder halfway through a search). A move into position and
    /// the search after it are two waits: "ready" goes on at the search, not the press.
    private mutating func resumeWaits(continuing phase: Phase?) {
        var index = waits.count - 1
        while index >= 0, waits[index].resume == nil {
            if let phase, waits[index].phase == phase { return }
            waits[index].resume = horizon
            index -= 1
        }
    }

    private mutating func mark(_ context: CueContext) {
        guard context != .none, markers.last?.context != context, let name = plan.titles[context] else { return }
        markers.append(Marker(position: horizon, name: name, context: context))
    }
}

/// The whole session as integer sample positions: the one truth every output reads.
public struct Timeline: Sendable {
    public let sampleRate: Int
    public let cues: [TimelineCue]
    public let markers: [Marker]
    public let totalSamples: Int
    /// The person's waits, when bodo listens (`PersonWait`).
    public let waits: [PersonWait]

    init(sampleRate: Int, cues: [TimelineCue], markers: [Marker], totalSamples: Int, waits: [PersonWait] = []) {
        self.sampleRate = sampleRate
        self.cues = cues
        self.markers = markers
        self.totalSamples = totalSamples
        self.waits = waits
    }

    /// The timeline of a fully scheduled plan.
    public init(_ scheduler: TimelineScheduler) {
        precondition(scheduler.isComplete, "a timeline needs every step of its plan scheduled")
        self.init(scheduledSoFar: scheduler)
    }

    /// What is scheduled so far: every cue and marker before the horizon, which stands in for
    /// the total (`TimelineSource` hands these out while speech is still arriving).
    init(scheduledSoFar scheduler: TimelineScheduler) {
        sampleRate = scheduler.sampleRate
        cues = scheduler.cues
        markers = scheduler.markers
        totalSamples = scheduler.horizon
        waits = scheduler.waits
    }
}

extension Timeline {
    /// The cue sounding at `position`, or the last one begun before it (in a quiet time).
    /// Cues are in start order, so this is a binary search.
    public func cue(at position: Int) -> TimelineCue? {
        var low = 0, high = cues.count
        while low < high {
            let middle = (low + high) / 2
            if cues[middle].start <= position { low = middle + 1 } else { high = middle }
        }
        return low > 0 ? cues[low - 1] : nil
    }

    /// The person's wait that `position` is in, if any.
    public func wait(at position: Int) -> PersonWait? {
        waits.last { $0.start <= position && position < $0.end }
    }

    /// The first point or stretch that begins after `position` (`n`).
    public func marker(after position: Int) -> Marker? {
        markers.first { $0.position > position }
    }

    /// The point or stretch `position` is in: the last one begun at or before it (`b`).
    public func marker(atOrBefore position: Int) -> Marker? {
        markers.last { $0.position <= position }
    }
}
