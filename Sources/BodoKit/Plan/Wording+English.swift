extension Wording {
    /// bodo's own words in English.
    public static let english = Wording(
        cues: CueWords(
            searchFirst: "Search now. Move the tip in small steps until you find the sharp, needle-like pain.",
            search: "Find the sharp pain.",
            press: "Press, as hard as you can stand.",
            release: "And release, slowly.",
            switchSides: "Now the other side.",
            relax: "And relax."),
        toStretch: "That was the last point. Now the stretch. Take your time getting into it.",
        toStretches: "That was the last point. Now the stretches. Take your time getting into each one.",
        listening: "I am listening. When you have found the point, say now, or tap the floor once with the stick, "
            + "and I go on at once. When I name a new position, say ready once you are in it, or I go on by myself.",
        searchReminder: "Take your time. Say now when you have found it.",
        holdIt: "Now hold it.",
        halfway: "Halfway. Keep breathing.",
        rightPain: "You are looking for a sharp, stabbing pain, like a needle going in. A dull ache is only muscle.",
        notFoundYet: "Not found it yet? Move the tip a little, and search again. Pressing on plain muscle does nothing.",
        calibration: "Find the point, then press as hard as you can stand. Hold it, and release slowly.",
        introductionChapter: "Introduction",
        closingChapter: "Closing",
        announcement: { number, total, side in
            "Point \(number)\(total.map { " of \($0)" } ?? ""), \(side == .center ? "in the middle" : "\(side.rawValue) side")."
        },
        pointTitle: { number, side in "Point \(number), \(side == .center ? "center" : "\(side.rawValue) side")" },
        stretchTitle: { number, name in "Stretch \(number), \(name)" },
        stretchAnnouncement: { number, total, name in total.map { "Stretch \(number) of \($0): \(name)." } ?? "The stretch: \(name)." },
        positionAgain: { point, position in "The position, as for point \(point): \(position) Then move the stick to this point." },
        sessionOfTheWeek: { count in "That is your \(englishOrdinal(count)) session this week." },
        sideLabel: { side in side == .center ? "Center" : "\(side.rawValue.prefix(1).uppercased())\(side.rawValue.dropFirst()) side" },
        whereYouAre: { context, phase in
            var words = context.point.map { "Point \($0)" } ?? context.stretch.map { "Stretch \($0)" } ?? "Continuing"
            // A hold resumes at its press, so it is said as "press".
            if let phase, context != .none, phase != .announce { words += ", \(phase == .hold ? "press" : phase.rawValue)" }
            return words + "."
        })

    /// "first", "second", "third"... "twentieth", then "21st" and on.
    static func englishOrdinal(_ n: Int) -> String {
        let words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
                     "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
        return n >= 1 && n <= words.count ? words[n - 1] : ordinal(n)
    }
}
