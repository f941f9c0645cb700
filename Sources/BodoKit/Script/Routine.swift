/// A routine as the script describes it, checked and complete: what the person does, in order.
/// The format on disk is documented in docs/script-format.md; `RoutineLoader` reads it.
public struct Routine: Sendable, Equatable {
    public var name: String
    public var timing: Timing
    public var intro: [String]
    /// A short introduction for people who know the routine (`--brief`); empty: none.
    public var introShort: [String] = []
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
    /// Quiet time to get into a new position, after its words.
    public var transition = ScriptDuration.seconds(8)
    /// The longest a search may take when the person sets the pace (a learned pace, listening).
    public var searchMax = ScriptDuration.seconds(45)
    /// For someone new to the routine (`timing.beginner`, `--beginner`): see `PlanOptions.beginner`.
    public var beginner = false

    public init() {}

    /// The longest hold that still makes sense as "press as hard as you can stand".
    public static let maximumHold = ScriptDuration.seconds(60)
}

/// The words bodo says at each step of a point. Scripts may override any of them; bodo's own
/// are its wording's (`Wording.cues`).
public struct CueWords: Sendable, Equatable {
    /// The search cue at the first point, where the person still needs the full explanation.
    public var searchFirst: String
    /// The brief reminder at every later point.
    public var search: String
    public var press: String
    /// More ways to say it (a script's `press:` as a list): the points take them in turn, so
    /// twelve presses are not one sentence twelve times.
    public var pressVariants: [String] = []
    /// The press words of the point at `index` (0 for the first), in turn.
    public func press(at index: Int) -> String {
        let all = [press] + pressVariants
        return all[index % all.count]
    }
    public var release: String
    /// Said when a two-sided stretch moves to the other side and the stretch gives no words of its own.
    public var switchSides: String
    /// Said at the end of each stretch.
    public var relax: String
    /// Said once between the last point and the first stretch; nil: bodo's own words, which
    /// say "stretch" or "stretches" as the routine has one or more.
    public var toStretches: String?
    /// Said once after the introduction when bodo listens (`--listen`): what ends each wait.
    /// nil: bodo's own words, which name a word, a tap with the stick, and "ready".
    public var listening: String?

    /// bodo's own words, in English.
    public init() { self = Wording.english.cues }

    public init(searchFirst: String, search: String, press: String, release: String, switchSides: String, relax: String) {
        self.searchFirst = searchFirst
        self.search = search
        self.press = press
        self.release = release
        self.switchSides = switchSides
        self.relax = relax
    }
}

public struct Point: Sendable, Equatable {
    public var number: Int
    public var side: Side
    public var location: String
    /// How to lie or sit and where the stick goes. Spoken, with time to move (`transition`),
    /// when it differs from the position before; a point without one stays in that position.
    public var position: String?
    /// Per-point overrides of the routine's timing; nil means the routine's value.
    public var search: ScriptDuration?
    public var hold: ScriptDuration?
    public var transition: ScriptDuration?
    /// Where the point is drawn on bodo's body outline (`bodo map`); nil: not drawn.
    public var map: MapPlace?

    public init(number: Int, side: Side, location: String, position: String? = nil, search: ScriptDuration? = nil,
                hold: ScriptDuration? = nil, transition: ScriptDuration? = nil, map: MapPlace? = nil) {
        self.number = number
        self.side = side
        self.location = location
        self.position = position
        self.search = search
        self.hold = hold
        self.transition = transition
        self.map = map
    }
}

/// The two views of bodo's body outline.
public enum BodyView: String, Sendable, Equatable, CaseIterable {
    case back, front
}

/// A place on the body outline: a view, and x and y in that view's unit square as it is drawn
/// (x from the drawing's left edge to its right, y from the top of the head to the soles). In
/// the back view the person's right is on the right of the drawing; in the front view, on the left.
public struct MapPlace: Sendable, Equatable {
    public var view: BodyView
    public var x: Double
    public var y: Double

    public init(view: BodyView, x: Double, y: Double) {
        self.view = view
        self.x = x
        self.y = y
    }

    /// The same place on the other side of the body (the outline is symmetric).
    public var mirrored: MapPlace { MapPlace(view: view, x: 1 - x, y: y) }
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
