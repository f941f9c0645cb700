/// What an exported file says about itself: its title, artist and comment, and its chapters.
public struct ExportMetadata: Sendable, Equatable {
    public var title: String
    public var artist = "bodo"
    /// How the file was made (routine, voice, options), so a file found later can be made again.
    public var comment: String
    public var chapters: [Chapter]
    /// The points and stretches alone: a WAV's cue markers.
    public var markers: [Chapter]
    public var sampleRate: Int
    public var totalSamples: Int

    public init(title: String, comment: String, timeline: Timeline) {
        self.title = Self.tagText(title)
        self.comment = Self.tagText(comment)
        chapters = timeline.chapters.prefix(Self.chapterLimit).map { Chapter(position: $0.position, name: Self.tagText($0.name)) }
        markers = timeline.markers.prefix(Self.chapterLimit).map { Chapter(position: $0.position, name: Self.tagText($0.name)) }
        sampleRate = timeline.sampleRate
        totalSamples = timeline.totalSamples
    }

    /// The most chapters (and WAV markers) a file carries, the same in every format: an MP3's
    /// table of contents counts its entries in one byte, and players read Vorbis-comment
    /// chapter numbers as three digits (ffmpeg takes `CHAPTER1000NAME` for chapter 100's).
    /// A session with more (a routine of hundreds of points) gets the first 255, and the
    /// export says so.
    public static let chapterLimit = 255

    /// Every text that goes into a tag or a chapter, through one check: control characters
    /// (a newline, ESC, BEL from a file's name) shown as visible escapes, so no tag reader
    /// prints a forged `TITLE=` line or sends a terminal a sequence.
    static func tagText(_ text: String) -> String { text.escapedForTerminal }

    /// A chapter's start in whole milliseconds (truncated, as the text preview prints times).
    func milliseconds(_ position: Int) -> Int { position * 1000 / sampleRate }

    /// The Vorbis comments Ogg Vorbis, Opus and FLAC carry: TITLE, ARTIST, COMMENT, and the
    /// chapter convention players read (`CHAPTER001=00:00:48.766`, `CHAPTER001NAME=Point 1, ...`).
    var vorbisComments: [(key: String, value: String)] {
        var comments = [("TITLE", title), ("ARTIST", artist), ("COMMENT", comment)]
        for (index, chapter) in chapters.enumerated() {
            let number = (index + 1).zeroPadded(3)
            let time = SampleTime(chapter.position, sampleRate).hours()
            comments += [("CHAPTER\(number)", time), ("CHAPTER\(number)NAME", chapter.name)]
        }
        return comments
    }
}
