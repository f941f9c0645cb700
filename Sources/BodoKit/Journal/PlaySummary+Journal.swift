import Foundation

extension PlaySummary {
    /// The journal's entry for this session as played from `startAt`: completed, or where it
    /// stopped ("point 7", "stretch 2", "the closing words", "the introduction": the journal's
    /// own words, read back by `Journal`), its length as played, the searches heard, and the
    /// points pressed through (their release reached).
    public func journalEntry(of session: Session, startAt: Int, date: Date = Date()) -> Journal.Entry {
        // How far the session went: its end, or the sample heard last.
        let reached = stoppedBy == nil ? (try? session.timeline().totalSamples) ?? position : position
        let timeline = try? session.source.timeline(through: max(reached, startAt) + 1)
        var stoppedAt: String?
        if stoppedBy != nil {
            let cue = timeline?.cue(at: position)
            stoppedAt = cue.flatMap { Self.place($0.context) } ?? (cue?.phase == .outro ? "the closing words" : "the introduction")
        }
        let pressed = Set(timeline?.cues.filter { $0.phase == .release && $0.start >= startAt && $0.start < reached }
            .compactMap(\.context.point) ?? [])
        let from = startAt == 0 ? nil : timeline?.cue(at: startAt).flatMap { Self.place($0.context) }
        return Journal.Entry(date: date, routine: session.script.name, side: session.options.side ?? session.script.mainSide,
                             completed: stoppedBy == nil, stoppedAt: stoppedAt,
                             seconds: Double(max(0, reached - startAt)) / Double(session.sampleRate), searches: searches,
                             from: from, presses: pressed.count)
    }

    /// "point 4", "stretch 2", or nil between them.
    private static func place(_ context: CueContext) -> String? {
        context.point.map { "point \($0)" } ?? context.stretch.map { "stretch \($0)" }
    }
}
