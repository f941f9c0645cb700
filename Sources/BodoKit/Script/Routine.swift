/// A routine as the script describes it, checked and complete: what the person does, in order.
/// The format on disk is documented in docs/script-format.md; `RoutineLoader` reads it.
public struct Routine: Sendable, Equatable {
    public var name: String
    public var timing: Timing
    public var intro: [String]
    public var cues: CueWords
    public var points: [Point]
    public var stretches: [Stretch]
    public var outro: [String]
    /// The file it was read from, for messages about the routine as a whole.
    public var file: String?

    public init(name: String, timing: Timing = Timing(), intro: [String] = [], cues: CueWords = CueWords(),
                points: [Point], stretches: [Stretch] = [], outro: [String] = []) {
        self.name = name
        self.timing = timing
        self.intro = intro
        self.cues = cues
        self.points = points
        self.stretches = stretches
        self.outro = outro
    }
}

public enum Side: String, Sendable, Equatable, CaseIterable {
    case left, right, center

    public var mirrored: Side {
        switch self {
        case .left: .right
        case .right: .left
        case .center: .center
        }
    }
}

/// How long each part of the routine lasts. Pauses are silence after the words end, so a slower
/// voice never eats into the time a person has to search, stretch or rest.
public struct Timing: Sendable, Equatable {
    /// Quiet time to find the point, after the search cue.
    public var search = ScriptDuration.seconds(10)
    /// Pressing time: one tick a second, so it must be whole seconds.
    public var hold = ScriptDuration.seconds(7)
    /// Quiet time after the release cue before the next point.
    public var release = ScriptDuration.seconds(3)
    /// Time on each side of a stretch.
    public var stretch = ScriptDuration.seconds(30)

    public init() {}

    /// The longest hold that still makes sense as "press as hard as you can stand".
    public static let maximumHold = ScriptDuration.seconds(60)
}

/// The words bodo says at each step of a point. Scripts may override any of them.
public struct CueWords: Sendable, Equatable {
    /// The search cue at the first point, where the person still needs the full explanation.
    public var searchFirst = "Search now. Move the tip in small steps until you find the sharp, needle-like pain."
    /// The brief reminder at every later point.
    public var search = "Find the sharp pain."
    public var press = "Press, as hard as you can stand."
    public var release = "And release, slowly."
    /// Said when a two-sided stretch moves to the other side and the stretch gives no words of its own.
    public var switchSides = "Now the other side, and hold."
    /// Said at the end of each stretch.
    public var relax = "And relax."
    /// Said once between the last point and the first stretch.
    public var toStretches = "That was the last point. Now the stretches. Take your time getting into each one."

    public init() {}
}

public struct Point: Sendable, Equatable {
    public var number: Int
    public var side: Side
    public var location: String
    /// Per-point overrides of the routine's timing; nil means the routine's value.
    public var search: ScriptDuration?
    public var hold: ScriptDuration?

    public init(number: Int, side: Side, location: String, search: ScriptDuration? = nil, hold: ScriptDuration? = nil) {
        self.number = number
        self.side = side
        self.location = location
        self.search = search
        self.hold = hold
    }
}

public struct Stretch: Sendable, Equatable {
    public var name: String
    public var instruction: String
    public var bothSides: Bool
    /// Words for moving to the second side; nil falls back to `CueWords.switchSides`.
    public var switchWords: String?
    public var hold: ScriptDuration?

    public init(name: String, instruction: String, bothSides: Bool = false, switchWords: String? = nil, hold: ScriptDuration? = nil) {
        self.name = name
        self.instruction = instruction
        self.bothSides = bothSides
        self.switchWords = switchWords
        self.hold = hold
    }
}
