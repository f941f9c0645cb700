/// Choices a person makes on the command line that shape the plan.
public struct PlanOptions: Sendable, Equatable {
    /// The side to work; nil keeps the script's sides. A side other than the script's main side
    /// mirrors the whole routine.
    public var side: Side?
    /// Replace the script's `timing` defaults; points and stretches that set their own keep them.
    public var hold: ScriptDuration?
    public var search: ScriptDuration?
    public var stretch: ScriptDuration?
    public var release: ScriptDuration?
    /// Speak the seconds left during each hold ("7", "6", ... after each tick).
    public var count: Bool
    /// The voice above or below the target loudness, and the tick above or below its level,
    /// in dB (`--voice-volume`, `--tick-volume`, or the voice profile's).
    public var voiceVolume = 0.0
    public var tickVolume = 0.0

    public init(side: Side? = nil, hold: ScriptDuration? = nil, search: ScriptDuration? = nil,
                stretch: ScriptDuration? = nil, release: ScriptDuration? = nil, count: Bool = true) {
        self.side = side
        self.hold = hold
        self.search = search
        self.stretch = stretch
        self.release = release
        self.count = count
    }
}

/// Turns a routine into its cue plan: intro, then per point announce -> search -> press -> hold
/// -> release, then the stretches, then the outro. All the wording decisions live here.
public enum CuePlanner {
    /// Short breaths between cues, so sentences do not run into each other.
    static let afterIntroLine = ScriptDuration(milliseconds: 700)
    static let afterAnnounce = ScriptDuration(milliseconds: 500)
    static let beforeFirstTick = ScriptDuration(milliseconds: 400)
    static let afterStretchAnnounce = ScriptDuration(milliseconds: 500)
    /// Silence at the very end, so no player cuts off the last word.
    static let tail = ScriptDuration(milliseconds: 1000)

    public static func plan(_ script: Routine, options: PlanOptions = PlanOptions()) -> CuePlan {
        var routine = script
        if let side = options.side, side != .center, side != script.mainSide { routine = script.mirrored() }
        var timing = routine.timing
        if let v = options.hold { timing.hold = v }
        if let v = options.search { timing.search = v }
        if let v = options.stretch { timing.stretch = v }
        if let v = options.release { timing.release = v }

        var titles: [CueContext: String] = [:]
        var steps: [PlanStep] = routine.intro.map { .say($0, .intro, .none, pause: afterIntroLine) }
        let words = routine.cues
        // "Point 3 of 12" only when the points are numbered 1, 2, 3... as they are worked; a
        // routine that keeps another routine's numbers (points 9 to 12 alone) says "Point 9".
        let total = routine.points.map(\.number) == Array(1...max(1, routine.points.count)) ? routine.points.count : nil
        for (index, point) in routine.points.enumerated() {
            let here = CueContext(point: point.number)
            titles[here] = "Point \(point.number), \(point.side == .center ? "center" : "\(point.side.rawValue) side")"
            let seconds = (point.hold ?? timing.hold).milliseconds / 1000
            steps += [
                .say(announcement(point, of: total), .announce, here, pause: afterAnnounce),
                .say(index == 0 ? words.searchFirst : words.search, .search, here, pause: point.search ?? timing.search),
                .say(words.press, .press, here, pause: beforeFirstTick),
                .hold(seconds: seconds, count: options.count ? stride(from: seconds, to: 0, by: -1).map(String.init) : [], here),
                .say(words.release, .release, here, pause: timing.release),
            ]
        }
        if !routine.stretches.isEmpty {
            steps.append(.say(words.toStretches, .announce, .none, pause: afterAnnounce))
        }
        for (index, stretch) in routine.stretches.enumerated() {
            let number = index + 1
            let here = CueContext(stretch: number)
            titles[here] = "Stretch \(number), \(stretch.name)"
            let hold = stretch.hold ?? timing.stretch
            steps.append(.say("Stretch \(number) of \(routine.stretches.count): \(stretch.name).", .announce, here,
                              pause: afterStretchAnnounce))
            steps.append(.say(stretch.instruction, .stretch, here, pause: hold))
            if stretch.bothSides {
                steps.append(.say(stretch.switchWords ?? words.switchSides, .switchSide, here, pause: hold))
            }
            steps.append(.say(words.relax, .release, here, pause: timing.release))
        }
        steps += routine.outro.map { .say($0, .outro, .none, pause: afterIntroLine) }
        if case let .say(text, phase, context, _) = steps.last {
            steps[steps.count - 1] = .say(text, phase, context, pause: tail)
        }
        return CuePlan(steps: steps, titles: titles)
    }

    /// "Point 4 of 12, right side. Directly at your right side, on the belt line."
    static func announcement(_ point: Point, of total: Int?) -> String {
        let side = point.side == .center ? "center" : "\(point.side.rawValue) side"
        return "Point \(point.number)\(total.map { " of \($0)" } ?? ""), \(side). \(point.location)"
    }
}
