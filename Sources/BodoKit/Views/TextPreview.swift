import Foundation

/// The cue script for a person: one line per cue with its start (m:ss.mmm), phase and words;
/// each hold's ticks on one line; the total at the end.
public struct TextPreview: PreviewFormat {
    public init() {}

    public func format(_ session: Session, range: Range<Int>? = nil, measured: MeasuredLevels? = nil) throws -> String {
        let full = try session.timeline()
        let timeline = full.window(range ?? 0..<full.totalSamples)
        let rate = timeline.sampleRate
        let routine = session.routine
        var lines = ["\(routine.name.escapedForTerminal): \(counted(routine.points.count, "point")), \(counted(routine.stretches.count, "stretch"))"]
        func line(_ start: Int, _ phase: String, _ words: String) {
            lines.append("\(SampleTime(start, rate).clock.leftPadded(to: 10))  \(phase.padded(to: 11)) \(words.escapedForTerminal)")
        }
        for entry in timeline.lines { line(entry.start, entry.phase.rawValue, entry.words) }
        line(timeline.totalSamples, "end", "")
        lines[lines.count - 1] = String(lines[lines.count - 1].reversed().drop { $0 == " " }.reversed())
        lines.append("Total \(SampleTime(timeline.totalSamples, rate).clock) (\(timeline.totalSamples) samples at \(rate) Hz)")
        if let measured { lines.append("Measured: \(measured.summary(target: session.targetLoudness))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
