/// A stretch of the session by its points and stretches (`--from 5 --to 7`, `--from stretch:2`),
/// as sample positions on the timeline: so `preview`, `export` and `play` cut the same session
/// at the same samples.
public enum SessionRange {
    /// `5` or `stretch:2`, and the option it came from, for messages.
    public struct Place: Sendable, Equatable {
        public var stretch: Bool
        public var number: Int

        public init(_ text: String, option: String) throws {
            let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
            let kind = parts.count == 2 ? parts[0] : "point"
            guard let number = Int(parts.last ?? ""), ["point", "stretch"].contains(kind) else {
                throw BodoError(at: .option(option), "write a point number such as 5, or stretch:2, not \(excerpt(text))")
            }
            stretch = kind == "stretch"
            self.number = number
        }

        /// The point's number, or nil for a stretch.
        public var point: Int? { stretch ? nil : number }

        func matches(_ context: CueContext) -> Bool { stretch ? context.stretch == number : context.point == number }
    }

    /// The samples from the start of `from` (or the session's start) to the end of `to` (the
    /// next point or stretch, or the session's end).
    public static func resolve(from: Place?, to: Place?, in timeline: Timeline,
                               fromOption: String = "--from", toOption: String = "--to") throws -> Range<Int> {
        let start = try from.map { try index(of: $0, in: timeline, option: fromOption) }
        let last = try to.map { try index(of: $0, in: timeline, option: toOption) }
        let lower = start.map { timeline.markers[$0].position } ?? 0
        let upper = last.map { $0 + 1 < timeline.markers.count ? timeline.markers[$0 + 1].position : timeline.totalSamples }
            ?? timeline.totalSamples
        guard lower < upper else {
            throw BodoError(at: .option(toOption), "comes before --from: the range would be empty")
        }
        return lower..<upper
    }

    /// Where `place` starts, scheduling the session only as far as that: `play --from 5`
    /// starts as soon as the speech up to point 5 exists, not after all of it.
    public static func start(of place: Place, in session: Session, option: String = "--from") throws -> Int {
        let contexts = Array(session.plan.titles.keys)
        guard contexts.contains(where: place.matches) else { throw noSuch(place, among: contexts, option: option) }
        let scheduled = try session.source.grow { $0.markers.contains { place.matches($0.context) } }
        guard let marker = scheduled.markers.first(where: { place.matches($0.context) }) else {
            throw noSuch(place, among: contexts, option: option)
        }
        return marker.position
    }

    private static func index(of place: Place, in timeline: Timeline, option: String) throws -> Int {
        if let index = timeline.markers.firstIndex(where: { place.matches($0.context) }) { return index }
        throw noSuch(place, among: timeline.markers.map(\.context), option: option)
    }

    private static func noSuch(_ place: Place, among contexts: [CueContext], option: String) -> BodoError {
        let kind = place.stretch ? "stretch" : "point"
        let numbers = contexts.compactMap { place.stretch ? $0.stretch : $0.point }
        let range = numbers.isEmpty ? "none" : "\(numbers.min()!) to \(numbers.max()!)"
        return BodoError(at: .option(option), "there is no \(kind) \(place.number) (this routine's \(place.stretch ? "stretches" : "points"): \(range))")
    }
}
