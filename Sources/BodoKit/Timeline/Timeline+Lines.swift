/// One line of the cue script: a spoken cue, or a whole hold (its ticks and spoken count).
public struct CueLine: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var phase: Phase
    /// What a person reads: the cue's words, or for a hold "7 ticks, one a second, counting
    /// 7 6 5 4 3 2 1".
    public var words: String
    public var context: CueContext
    /// A hold's ticks and the words of its spoken count (none when it is counted by ticks
    /// alone); 0 and empty for any other line.
    public var ticks = 0
    public var count: [String] = []
}

extension Timeline {
    /// The cue script as people read it (the text preview, the subtitles, the session page):
    /// each spoken cue on its own line, and each hold (every cue of one hold's phase and
    /// context in a row: its ticks and its count) as one line from its first sound to the end
    /// of its last.
    public var lines: [CueLine] {
        var lines: [CueLine] = []
        var index = 0
        while index < cues.count {
            let cue = cues[index]
            guard cue.phase == .hold else {
                lines.append(CueLine(start: cue.start, end: cue.end, phase: cue.phase, words: cue.text ?? "", context: cue.context))
                index += 1
                continue
            }
            var ticks = 0, end = cue.end
            var count: [String] = []
            while index < cues.count, cues[index].phase == .hold, cues[index].context == cue.context {
                if cues[index].sound == .tick { ticks += 1 } else if let word = cues[index].text { count.append(word) }
                end = max(end, cues[index].end)
                index += 1
            }
            var words = "\(counted(ticks, "tick")), one a second"
            if !count.isEmpty { words += ", counting \(count.joined(separator: " "))" }
            lines.append(CueLine(start: cue.start, end: end, phase: .hold, words: words, context: cue.context, ticks: ticks, count: count))
        }
        return lines
    }
}
