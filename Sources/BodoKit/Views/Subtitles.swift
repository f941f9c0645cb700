import Foundation

/// The session's words as subtitles beside an exported file, so a player shows what is said:
/// WebVTT, SubRip, or LRC (which music players on phones show as synced lyrics). One entry per
/// spoken cue, a hold's count as one entry, times from the same timeline as the audio.
public enum SubtitleFormat: String, Sendable, CaseIterable {
    case vtt, srt, lrc

    struct Entry {
        var start: Int
        var end: Int
        var text: String
    }

    public func render(_ timeline: Timeline, title: String) -> String {
        let rate = timeline.sampleRate
        let entries = Self.entries(timeline)
        switch self {
        case .vtt:
            return "WEBVTT\n\n" + entries.map {
                "\(SampleTime($0.start, rate).hours()) --> \(SampleTime($0.end, rate).hours())\n\(escaped($0.text))\n"
            }.joined(separator: "\n")
        case .srt:
            return entries.enumerated().map { index, entry in
                "\(index + 1)\n\(SampleTime(entry.start, rate).hours(separator: ",")) --> \(SampleTime(entry.end, rate).hours(separator: ","))\n\(escaped(entry.text))\n"
            }.joined(separator: "\n")
        case .lrc:
            return "[ti:\(escaped(title))]\n[ar:bodo]\n" + entries.map { "\(SampleTime($0.start, rate).lrc)\(escaped($0.text))\n" }.joined()
        }
    }

    /// A text on one line, as every format needs it (a line break ends a cue in all three):
    /// line breaks and runs of them become one space, and so does any control character (a
    /// script's texts hold none, but a routine made in code may).
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control && !"\n\r".unicodeScalars.contains($0) ? " " : $0 }))
            .split(whereSeparator: { $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// A text (already on one line) as this format carries it: nothing a reader takes for
    /// structure. Each format by its own rules, all of them here:
    /// - WebVTT escapes `&`, `<` and `>` as HTML does (so `-->` cannot end a cue's text).
    /// - SubRip has no escapes: readers (ffmpeg, VLC, mpv) start a cue at any line holding
    ///   ` --> ` and read `<b>`, `<font>` and `{\an8}` as styling, so `<`, `>`, `{` and `}`
    ///   are written as the look-alikes `‹`, `›`, `(` and `)` (and `-->` cannot be formed).
    /// - LRC has no escapes either: a `[` at a line's start opens a time or id tag, so `[` and
    ///   `]` are written `(` and `)`.
    func escaped(_ text: String) -> String {
        let line = Self.oneLine(text)
        let replacements: [(String, String)] = switch self {
        case .vtt: [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]
        case .srt: [("<", "‹"), (">", "›"), ("{", "("), ("}", ")")]
        case .lrc: [("[", "("), ("]", ")")]
        }
        return replacements.reduce(line) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
    }

    /// Spoken cues as they are; each hold as one entry from its first tick to its end, with
    /// its count ("7 6 5 4 3 2 1") or, counted by ticks alone, how many.
    /// Each text is on one line (see `oneLine`); a cue with nothing to read (a text of spaces,
    /// a tick outside a hold) is no entry, as an empty cue would end its block in SubRip.
    static func entries(_ timeline: Timeline) -> [Entry] {
        timeline.lines.compactMap { line in
            let count = oneLine(line.count.joined(separator: " "))
            let text = line.phase != .hold ? oneLine(line.words) : count.isEmpty ? "(\(counted(line.ticks, "tick")))" : count
            return text.isEmpty ? nil : Entry(start: line.start, end: line.end, text: text)
        }
    }
}

/// A subtitle file beside an exported file (`session.opus` -> `session.vtt`), checked before the
/// export starts and written as the audio is: whole, or not at all.
public struct SubtitleFile: Sendable {
    public let path: String
    public let format: SubtitleFormat
    let target: OutputTarget

    public init(beside audioPath: String, format: SubtitleFormat, force: Bool = false) throws {
        let slash = audioPath.lastIndex(of: "/").map { audioPath.index(after: $0) } ?? audioPath.startIndex
        let stem = audioPath[slash...].lastIndex(of: ".").map { String(audioPath[..<$0]) } ?? audioPath
        path = stem + "." + format.rawValue
        self.format = format
        target = try OutputTarget(path, force: force, example: "session.\(format.rawValue)")
    }

    /// See `AudioFileExporter.refuseOverwriting(inputs:)`.
    public func refuseOverwriting(inputs: [String]) throws {
        try target.refuseOverwriting(inputs, named: path)
    }

    /// The file's bytes for `timeline` (`AudioFileExporter.export` writes them with the audio).
    func contents(_ timeline: Timeline, title: String) -> Data {
        Data(format.render(timeline, title: title).utf8)
    }
}
