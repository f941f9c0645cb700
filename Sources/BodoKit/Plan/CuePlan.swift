/// What part of the routine a cue belongs to; shown in the preview and the JSON timeline.
/// (`position`: how to lie or sit for the next points, and the time to get there.)
public enum Phase: String, Sendable, Equatable, CaseIterable, Codable {
    case intro, announce, position, search, press, hold, release, stretch
    case switchSide = "switch side"
    case outro
}

/// Which point or stretch a cue belongs to (numbers as the script gives them; nil for neither).
public struct CueContext: Sendable, Equatable, Hashable {
    public var point: Int?
    public var stretch: Int?

    public init(point: Int? = nil, stretch: Int? = nil) {
        self.point = point
        self.stretch = stretch
    }

    public static let none = CueContext()
}

/// One step of the routine, before anything is synthesized: the order and the rules of timing,
/// not yet the sample positions (those depend on how long each phrase really sounds).
public enum PlanStep: Sendable, Equatable {
    /// Words, then at least `pause` of silence before the next step starts.
    case say(String, Phase, CueContext, pause: ScriptDuration)
    /// `seconds` ticks one second apart, the first at the start; the next step starts exactly
    /// `seconds` after the first tick. `count` words (one per tick) are spoken after their tick
    /// when they fit before the next one.
    case hold(seconds: Int, count: [String], CueContext)
}

/// The routine as a list of steps, plus every distinct phrase in first-use order (the order they
/// are synthesized in, which keeps espeak-ng's output the same from one run to the next).
public struct CuePlan: Sendable, Equatable {
    public var steps: [PlanStep]
    /// A short name for each point and stretch ("Point 4, right side"), for markers and progress.
    public var titles: [CueContext: String]

    /// Steps whose quiet time belongs to the person (searching, getting into position) when
    /// bodo listens: "found it" ends it early. Never a hold or a stretch: that time is the therapy.
    public var waits: Set<Int> = []

    public init(steps: [PlanStep], titles: [CueContext: String] = [:], waits: Set<Int> = []) {
        self.steps = steps
        self.titles = titles
        self.waits = waits
    }

    /// The longest session bodo makes. A day is more than any routine needs, and it keeps every
    /// output within its format: at 22050 Hz a day of 16-bit mono WAV is 3.8 GB, under the 4 GiB
    /// a RIFF size field can hold (so RF64 is never needed).
    public static let longestSession = ScriptDuration(milliseconds: 24 * 3600 * 1000)
    static let longestSessionText = "24 hours"

    /// The plan's silences and holds alone: a floor under the session's length, known before
    /// any speech is synthesized.
    public var silentMilliseconds: Int {
        steps.reduce(0) { total, step in
            switch step {
            case let .say(_, _, _, pause): total + pause.milliseconds
            case let .hold(seconds, _, _): total + seconds * 1000
            }
        }
    }

    public var phrases: [String] {
        var seen = Set<String>()
        var ordered: [String] = []
        func add(_ text: String) { if seen.insert(text).inserted { ordered.append(text) } }
        for step in steps {
            switch step {
            case let .say(text, _, _, _): add(text)
            case let .hold(_, count, _): count.forEach(add)
            }
        }
        return ordered
    }
}
