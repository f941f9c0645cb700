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
    public var transition: ScriptDuration?
    /// The longest a listened wait lasts (`--search-max`), instead of the script's `search_max`.
    public var searchMax: ScriptDuration?
    /// The script's short introduction (`intro_short`), for people who know the routine.
    public var brief = false
    /// For someone new to it (`--beginner`, or the script's `timing.beginner`): every search
    /// twice as long (learned times aside), and halfway through it what to do when the sharp
    /// pain is not there yet; at the first three points, also what the right pain feels like.
    public var beginner = false
    /// Search times by point number, learned from the journal (`--search learned`); they
    /// replace the script's and `--search`.
    public var learnedSearch: [Int: ScriptDuration] = [:]
    /// Which session of the week this is (from the journal), said in the outro; nil: not said.
    public var sessionOfTheWeek: Int?
    /// bodo listens for "found it" (`--listen`): each search, and each move into a position,
    /// lasts until the person says so, at most `timing.search_max`, with a reminder halfway.
    public var listen = false
    /// The point a session starts at (`--from N`): its position is said even when it is the
    /// one before, which the person never heard.
    public var startPoint: Int?
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
/// -> release, then the stretches, then the outro. What comes when is decided here; the words
/// bodo adds are its `Wording`'s.
public enum CuePlanner {
    /// The words bodo adds (one language for now: issue 23 chooses among catalogs).
    static let wording = Wording.english
    /// Short breaths between cues, so sentences do not run into each other.
    static let afterIntroLine = ScriptDuration(milliseconds: 700)
    static let afterAnnounce = ScriptDuration(milliseconds: 500)
    static let beforeFirstTick = ScriptDuration(milliseconds: 400)
    static let afterStretchAnnounce = ScriptDuration(milliseconds: 500)
    /// Silence at the very end, so no player cuts off the last word.
    static let tail = ScriptDuration(milliseconds: 1000)

    /// The plan of `script` as written, worked on `options.side` first.
    public static func plan(_ script: Routine, options: PlanOptions = PlanOptions()) -> CuePlan {
        plan(worked: script.worked(on: options.side), options: options)
    }

    /// The plan of a routine already worked for the session's side (`Session.routine`).
    static func plan(worked routine: Routine, options: PlanOptions) -> CuePlan {
        var timing = routine.timing
        if let v = options.hold { timing.hold = v }
        if let v = options.search { timing.search = v }
        if let v = options.stretch { timing.stretch = v }
        if let v = options.release { timing.release = v }
        if let v = options.transition { timing.transition = v }
        if let v = options.searchMax { timing.searchMax = v }
        let values = PlaceholderValues(hold: timing.hold.milliseconds / 1000, points: routine.points.count,
                                       stretches: routine.stretches.count)

        var titles: [CueContext: String] = [:]
        let intro = options.brief && !routine.introShort.isEmpty ? routine.introShort : routine.intro
        var steps: [PlanStep] = intro.map { .say(values.fill($0), .intro, .none, pause: afterIntroLine) }
        var waits: Set<Int> = []
        if options.listen { steps.append(.say(values.fill(routine.cues.listening ?? wording.listening), .intro, .none, pause: afterIntroLine)) }
        /// A wait that is the person's: fixed, or with listening, a search up to `search_max` in
        /// two halves around a reminder. A move into position is as long as a move needs (its
        /// transition), listened to, so "ready" goes on sooner and silence goes on by itself:
        /// waiting up to `search_max` for a word nobody was asked for left a person lying still
        /// for 50 s.
        func wait(_ text: String, _ phase: Phase, _ context: CueContext, fixed: ScriptDuration, reminder: String?) -> [PlanStep] {
            guard options.listen else { return [.say(text, phase, context, pause: fixed)] }
            guard let reminder else {
                waits.insert(steps.count)
                return [.say(text, phase, context, pause: fixed)]
            }
            let half = ScriptDuration(milliseconds: max(1, timing.searchMax.milliseconds / 2))
            waits.formUnion([steps.count, steps.count + 1])
            return [.say(text, phase, context, pause: half), .say(reminder, phase, context, pause: half)]
        }
        let beginner = options.beginner || routine.timing.beginner
        /// Words, then `time` in two halves around `middle` (said in the quiet, not counted in it).
        func halves(_ words: String, _ middle: String, _ phase: Phase, _ context: CueContext, _ time: ScriptDuration) -> [PlanStep] {
            let half = ScriptDuration(milliseconds: time.milliseconds / 2)
            return [.say(words, phase, context, pause: half),
                    .say(middle, phase, context, pause: ScriptDuration(milliseconds: time.milliseconds - half.milliseconds))]
        }
        /// A stretch's time: "Now hold it.", then the time in silence; from 20 s on, in two halves
        /// around a word, so half a minute of quiet is not taken for a session that stopped.
        func held(_ time: ScriptDuration, _ context: CueContext) -> [PlanStep] {
            guard time.milliseconds >= 20_000 else { return [.say(wording.holdIt, .stretch, context, pause: time)] }
            return halves(wording.holdIt, wording.halfway, .stretch, context, time)
        }
        let words = routine.cues
        // "Point 3 of 12" only when the points are numbered 1, 2, 3... as they are worked; a
        // routine that keeps another routine's numbers (points 9 to 12 alone) says "Point 9".
        let numbered = routine.points.map(\.number) == Array(1...max(1, routine.points.count))
        let total = numbered && routine.points.count > 1 ? routine.points.count : nil
        var position: String?
        /// The point whose position is in force, for saying it again at the start point (its
        /// words also place the stick for that point, so they are said as that point's).
        var positionPoint: Int?
        for (index, point) in routine.points.enumerated() {
            let here = CueContext(point: point.number)
            titles[here] = wording.pointTitle(point.number, point.side)
            let seconds = (point.hold ?? timing.hold).milliseconds / 1000
            var own = values
            own.hold = seconds
            steps.append(.say(own.fill(announcement(point, of: total)), .announce, here, pause: afterAnnounce))
            // A new position is said, then the person gets time to move before the search; at the
            // point a session starts at, the one in force is said too.
            if let next = point.position, next != position {
                steps += wait(own.fill(next), .position, here, fixed: point.transition ?? timing.transition, reminder: nil)
                position = next
                positionPoint = point.number
            } else if let position, let from = positionPoint, options.startPoint == point.number {
                let again = wording.positionAgain(from, own.fill(position))
                steps += wait(again, .position, here, fixed: point.transition ?? timing.transition, reminder: nil)
            }
            let search = options.learnedSearch[point.number]
                ?? (point.search ?? timing.search).scaled(by: beginner ? 2 : 1)
            let searchWords = own.fill(index == 0 ? words.searchFirst : words.search)
            if beginner {
                let help = (index < 3 ? wording.rightPain + " " : "") + wording.notFoundYet
                steps += options.listen
                    ? wait(searchWords, .search, here, fixed: search, reminder: help)
                    : halves(searchWords, help, .search, here, search)
            } else {
                steps += wait(searchWords, .search, here, fixed: search, reminder: wording.searchReminder)
            }
            steps += [
                .say(own.fill(words.press(at: index)), .press, here, pause: beforeFirstTick),
                .hold(seconds: seconds, count: options.count ? stride(from: seconds, to: 0, by: -1).map(String.init) : [], here),
                .say(own.fill(words.release), .release, here, pause: timing.release),
            ]
        }
        let stretches = routine.stretches.count
        if stretches > 0 {
            let toStretches = words.toStretches ?? (stretches == 1 ? wording.toStretch : wording.toStretches)
            steps.append(.say(values.fill(toStretches), .announce, .none, pause: afterAnnounce))
        }
        for (index, stretch) in routine.stretches.enumerated() {
            let number = index + 1
            let here = CueContext(stretch: number)
            let name = values.fill(stretch.name)
            titles[here] = wording.stretchTitle(number, name)
            let hold = stretch.hold ?? timing.stretch
            steps.append(.say(wording.stretchAnnouncement(number, stretches == 1 ? nil : stretches, name), .announce, here,
                              pause: afterStretchAnnounce))
            // Like a point: the words, time to get into it (heard, with --listen, so "ready" goes
            // on sooner), and only then the stretch's time, with a word halfway through a long one.
            steps += wait(values.fill(stretch.instruction), .position, here, fixed: timing.transition, reminder: nil)
            steps += held(hold, here)
            if stretch.bothSides {
                steps += wait(values.fill(stretch.switchWords ?? words.switchSides), .switchSide, here, fixed: timing.transition, reminder: nil)
                steps += held(hold, here)
            }
            steps.append(.say(values.fill(words.relax), .release, here, pause: timing.release))
        }
        steps += routine.outro.map { .say(values.fill($0), .outro, .none, pause: afterIntroLine) }
        if let count = options.sessionOfTheWeek, count > 0 {
            steps.append(.say(wording.sessionOfTheWeek(count), .outro, .none, pause: afterIntroLine))
        }
        if case let .say(text, phase, context, _) = steps.last {
            steps[steps.count - 1] = .say(text, phase, context, pause: tail)
        }
        return CuePlan(steps: steps, titles: titles, waits: waits)
    }

    /// After a pause, where the session picks up ("Point 5, press."): the player's resume words.
    public static func whereYouAre(_ context: CueContext, _ phase: Phase?) -> String { wording.whereYouAre(context, phase) }

    /// "Point 4 of 12, right side. Directly at your right side, on the belt line."
    static func announcement(_ point: Point, of total: Int?) -> String {
        wording.announcement(point.number, total, point.side) + " " + point.location
    }
}
