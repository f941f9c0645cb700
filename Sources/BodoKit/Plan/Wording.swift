/// Every fixed sentence bodo says, and the names it gives points and stretches, in one
/// language: the planner, the player's resume words, the map and the leveler's calibration
/// read them from here and nowhere else, so a second language is one more catalog
/// (`Wording+English.swift` is the first), not a search through the code.
///
/// A routine's own words (its locations, positions, stretches, intro and outro, and any `cues:`
/// it sets) are the script's; these are the words bodo adds around them.
public struct Wording: Sendable {
    /// The words of a point's steps when the script sets none (`CueWords`' defaults).
    public var cues: CueWords
    /// Said once between the last point and the first stretch: for one stretch, and for more.
    public var toStretch: String
    public var toStretches: String
    /// Said once after the introduction when bodo listens: what ends each wait.
    public var listening: String
    /// Halfway through a listened search.
    public var searchReminder: String
    /// The start of a stretch's time, and halfway through a long one.
    public var holdIt: String
    public var halfway: String
    /// The beginner's help halfway through a search: what the right pain feels like (at the
    /// first three points), and what to do when it is not there yet.
    public var rightPain: String
    public var notFoundYet: String
    /// Said to level every voice alike (`SpeechLeveler`): ordinary cue words, long enough for a
    /// gated measurement.
    public var calibration: String

    /// The chapters before the first point and at the closing words, in players' chapter lists.
    public var introductionChapter: String
    public var closingChapter: String

    /// "Point 4 of 12, right side. " before the point's location; `total` nil: no "of 12".
    public var announcement: @Sendable (_ number: Int, _ total: Int?, _ side: Side) -> String
    /// "Point 4, right side": the point's name in markers, chapters, the progress line and the map.
    public var pointTitle: @Sendable (_ number: Int, _ side: Side) -> String
    /// "Stretch 2, Knee to chest": the stretch's name in the same places.
    public var stretchTitle: @Sendable (_ number: Int, _ name: String) -> String
    /// "Stretch 2 of 5: Knee to chest." (`total` nil: the routine's only stretch).
    public var stretchAnnouncement: @Sendable (_ number: Int, _ total: Int?, _ name: String) -> String
    /// The position in force said again where a session starts (`--from`), with the point it
    /// was first said for.
    public var positionAgain: @Sendable (_ firstSaidFor: Int, _ position: String) -> String
    /// "That is your third session this week." in the outro.
    public var sessionOfTheWeek: @Sendable (_ count: Int) -> String
    /// The side of a point as the map's list says it: "Right side", "Center".
    public var sideLabel: @Sendable (_ side: Side) -> String
    /// After a pause, where the session picks up: "Point 5, press.", "Stretch 2.",
    /// "Continuing." (`phase` nil or announce: the place alone).
    public var whereYouAre: @Sendable (_ context: CueContext, _ phase: Phase?) -> String
}
