/// A place a player can jump to in an exported file, named as the WAV markers are.
public struct Chapter: Sendable, Equatable {
    /// In samples from the start of the session.
    public var position: Int
    public var name: String

    public init(position: Int, name: String) {
        self.position = position
        self.name = name
    }
}

extension Timeline {
    /// The introduction (when the session opens with one), each point and stretch (its
    /// marker), and the closing words.
    public var chapters: [Chapter] {
        var chapters: [Chapter] = []
        if let first = cues.first, first.phase == .intro { chapters.append(Chapter(position: 0, name: CuePlanner.wording.introductionChapter)) }
        chapters += markers.map { Chapter(position: $0.position, name: $0.name) }
        if let outro = cues.first(where: { $0.phase == .outro }) { chapters.append(Chapter(position: outro.start, name: CuePlanner.wording.closingChapter)) }
        // In time order, whatever the plan (players list chapters in the order they come, and
        // an MP3 chapter ends where the next begins): the fuzzer built an outro before a point.
        return chapters.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element)
    }
}
