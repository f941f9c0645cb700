import Foundation

/// Reads a routine script (YAML) into a `Routine`, or fails with one `BodoError` that names
/// file:line:column. Every key is checked, so a typo is caught instead of silently ignored.
public enum RoutineLoader {
    public static func load(_ data: Data, file: String) throws -> Routine {
        try load(YAMLValue.parse(data, file: file), file: file)
    }

    /// A script already parsed (`bodo check` parses a file once to tell a script from a profile).
    static func load(_ root: YAMLValue, file: String) throws -> Routine {
        let top = try root.mapping("the script", keys: ["name", "timing", "intro", "intro_short", "cues", "points", "stretches", "outro"])

        var routine = Routine(name: try top.required("name").spoken("name"), points: [])
        routine.file = file
        if let timing = top["timing"] {
            routine.timing = try readTiming(timing)
        }
        routine.intro = try top["intro"]?.lines("intro") ?? []
        routine.introShort = try top["intro_short"]?.lines("intro_short") ?? []
        routine.outro = try top["outro"]?.lines("outro") ?? []
        if let cues = top["cues"] {
            routine.cues = try readCues(cues)
        }

        let pointList = try top.required("points").sequence("points")
        guard !pointList.isEmpty else { throw try top.required("points").error("points is empty: a routine needs at least one point") }
        // Numbers go up in the order the points are worked: they are what the person hears
        // ("Point 5"), and a number that goes back would send them to the wrong place.
        var seen: [Int: Int] = [:]
        for (index, item) in pointList.enumerated() {
            let (point, numberNode) = try readPoint(item, index: index + 1)
            if let earlier = seen[point.number] {
                throw numberNode.error("point number \(point.number) is used twice (also by the \(ordinal(earlier)) point)")
            }
            if let previous = routine.points.last, point.number < previous.number {
                throw numberNode.error("point \(point.number) comes after point \(previous.number); number the points in the order they are worked")
            }
            seen[point.number] = index + 1
            routine.points.append(point)
        }
        routine.stretches = try top["stretches"]?.sequence("stretches").enumerated().map {
            try readStretch($1, index: $0 + 1)
        } ?? []
        return routine
    }

    private static func readTiming(_ value: YAMLValue) throws -> Timing {
        let map = try value.mapping("timing", keys: ["search", "hold", "release", "stretch", "transition", "search_max", "beginner"])
        var timing = Timing()
        if let v = map["search"] { timing.search = try v.duration("timing.search") }
        if let v = map["hold"] { timing.hold = try hold(v, "timing.hold") }
        if let v = map["release"] { timing.release = try v.duration("timing.release") }
        if let v = map["stretch"] { timing.stretch = try v.duration("timing.stretch") }
        if let v = map["transition"] { timing.transition = try v.duration("timing.transition") }
        if let v = map["search_max"] { timing.searchMax = try v.duration("timing.search_max") }
        if let v = map["beginner"] { timing.beginner = try v.bool("timing.beginner") }
        return timing
    }

    /// A hold is counted in ticks, one a second: only whole seconds make sense.
    private static func hold(_ value: YAMLValue, _ what: String) throws -> ScriptDuration {
        let duration = try value.duration(what)
        if let problem = Timing.holdProblem(duration) { throw value.error("\(what): \(problem)") }
        return duration
    }

    private static func readCues(_ value: YAMLValue) throws -> CueWords {
        let map = try value.mapping("cues", keys: ["search_first", "search", "press", "release", "switch", "relax", "to_stretches", "listening"])
        var cues = CueWords()
        if let v = map["search_first"] { cues.searchFirst = try v.spoken("cues.search_first") }
        if let v = map["search"] { cues.search = try v.spoken("cues.search") }
        if let v = map["press"] {
            let all = try v.lines("cues.press")
            guard let first = all.first else { throw v.error("cues.press must hold at least one text") }
            cues.press = first
            cues.pressVariants = Array(all.dropFirst())
        }
        if let v = map["release"] { cues.release = try v.spoken("cues.release") }
        if let v = map["switch"] { cues.switchSides = try v.spoken("cues.switch") }
        if let v = map["relax"] { cues.relax = try v.spoken("cues.relax") }
        if let v = map["to_stretches"] { cues.toStretches = try v.spoken("cues.to_stretches") }
        if let v = map["listening"] { cues.listening = try v.spoken("cues.listening") }
        return cues
    }

    /// The point, and where its number is written (to point at a duplicate).
    private static func readPoint(_ value: YAMLValue, index: Int) throws -> (Point, YAMLValue) {
        let what = "the \(ordinal(index)) point"
        let map = try value.mapping(what, keys: ["number", "side", "location", "position", "search", "hold", "transition", "map"])
        let number = try map.required("number")
        return (Point(
            number: try number.int("number of \(what)", in: 1...999),
            side: try map.required("side").oneOf("side of \(what)", Side.self),
            location: try map.required("location").spoken("location of \(what)"),
            position: try map["position"].map { try $0.spoken("position of \(what)") },
            search: try map["search"].map { try $0.duration("search of \(what)") },
            hold: try map["hold"].map { try hold($0, "hold of \(what)") },
            transition: try map["transition"].map { try $0.duration("transition of \(what)") },
            map: try map["map"].map { try readPlace($0, "map of \(what)") }
        ), number)
    }

    /// `{view: back, x: 0.56, y: 0.49}`: a place on the body outline.
    private static func readPlace(_ value: YAMLValue, _ what: String) throws -> MapPlace {
        let map = try value.mapping(what, keys: ["view", "x", "y"])
        return MapPlace(view: try map.required("view").oneOf("view of \(what)", BodyView.self),
                        x: try map.required("x").fraction("x of \(what)", in: 0...1),
                        y: try map.required("y").fraction("y of \(what)", in: 0...1))
    }

    private static func readStretch(_ value: YAMLValue, index: Int) throws -> Stretch {
        let what = "the \(ordinal(index)) stretch"
        let map = try value.mapping(what, keys: ["name", "instruction", "both_sides", "switch", "hold"])
        let bothSides = try map["both_sides"]?.bool("both_sides of \(what)") ?? false
        if let words = map["switch"], !bothSides {
            throw words.error("switch of \(what) is only spoken when both_sides is true")
        }
        return Stretch(
            name: try map.required("name").spoken("name of \(what)"),
            instruction: try map.required("instruction").spoken("instruction of \(what)"),
            bothSides: bothSides,
            switchWords: try map["switch"].map { try $0.spoken("switch of \(what)") },
            hold: try map["hold"].map { try $0.duration("hold of \(what)") }
        )
    }
}

extension Timing {
    /// Why a duration cannot be a hold, or nil when it can.
    public static func holdProblem(_ duration: ScriptDuration) -> String? {
        if !duration.isWholeSeconds { return "a hold is counted in ticks, one a second, so it must be whole seconds, not \(duration)" }
        if duration > maximumHold { return "a hold longer than \(maximumHold) is not a trigger point press" }
        return nil
    }
}

func ordinal(_ n: Int) -> String {
    let suffix: String
    switch (n % 10, n % 100) {
    case (_, 11...13): suffix = "th"
    case (1, _): suffix = "st"
    case (2, _): suffix = "nd"
    case (3, _): suffix = "rd"
    default: suffix = "th"
    }
    return "\(n)\(suffix)"
}
