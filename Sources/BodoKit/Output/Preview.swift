import Foundation

/// A way to show a session as text. Both previews read the same timeline the audio is rendered
/// from, so the times they print are the times the sounds play.
public protocol PreviewFormat: Sendable {
    /// Waits for the session's speech (the times depend on its real length). `range` cuts the
    /// session as `export --from/--to` does (times then count from the cut); `measured` are
    /// the levels it reached (`Session.measureLevels`), when they were asked for.
    func format(_ session: Session, range: Range<Int>?, measured: MeasuredLevels?) throws -> String
}

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
            lines.append("\(Self.time(start, rate).leftPadded(to: 10))  \(phase.padded(to: 11)) \(words.escapedForTerminal)")
        }
        for entry in timeline.lines { line(entry.start, entry.phase.rawValue, entry.words) }
        line(timeline.totalSamples, "end", "")
        lines[lines.count - 1] = String(lines[lines.count - 1].reversed().drop { $0 == " " }.reversed())
        lines.append("Total \(Self.time(timeline.totalSamples, rate)) (\(timeline.totalSamples) samples at \(rate) Hz)")
        if let measured { lines.append("Measured: \(measured.summary(target: session.targetLoudness))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// m:ss from a sample position, for progress and summary lines.
    public static func minutes(_ samples: Int, _ sampleRate: Int) -> String {
        String(time(samples, sampleRate).dropLast(4))
    }

    /// m:ss.mmm from a sample position, in integer arithmetic (truncated to the millisecond).
    public static func time(_ samples: Int, _ sampleRate: Int) -> String {
        let ms = samples * 1000 / sampleRate
        let minutes = ms / 60_000, seconds = ms / 1000 % 60, millis = ms % 1000
        return "\(minutes):\(seconds.zeroPadded(2)).\(millis.zeroPadded(3))"
    }
}

/// One line of the cue script: a spoken cue, or a whole hold (its ticks and spoken count).
public struct CueLine: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var phase: Phase
    public var words: String
    public var context: CueContext
}

extension Timeline {
    /// The cue script as people read it (the text preview, the session page): each spoken cue
    /// on its own line, each hold as one line.
    public var lines: [CueLine] {
        var lines: [CueLine] = []
        var index = 0
        while index < cues.count {
            let cue = cues[index]
            guard cue.sound == .tick else {
                lines.append(CueLine(start: cue.start, end: cue.end, phase: cue.phase, words: cue.text ?? "", context: cue.context))
                index += 1
                continue
            }
            var ticks = 0, end = cue.end
            var count: [String] = []
            while index < cues.count, cues[index].phase == .hold, cues[index].context == cue.context {
                if cues[index].sound == .tick { ticks += 1 } else if let word = cues[index].text { count.append(word) }
                end = cues[index].end
                index += 1
            }
            var words = "\(counted(ticks, "tick")), one a second"
            if !count.isEmpty { words += ", counting \(count.joined(separator: " "))" }
            lines.append(CueLine(start: cue.start, end: end, phase: .hold, words: words, context: cue.context))
        }
        return lines
    }
}

/// The timeline for machines: `sampleRate`, `totalSamples`, `cues` in start order (each with
/// `start` and `length` in samples, `kind`, `phase`, and `text`, `point`, `stretch` where they
/// apply) and `markers`.
public struct JSONPreview: PreviewFormat {
    public init() {}

    struct Document: Encodable {
        var sampleRate: Int
        var totalSamples: Int
        var cues: [Cue]
        var markers: [MarkerEntry]
        var chapters: [MarkerEntry]
        var levels: Levels
    }

    /// How loud the session is made (`SpeechLeveler`, `Tick`): the targets, the gain the voice
    /// gets, the tick's peak, and with `--measure` what the rendered session reached
    /// (`integratedLoudness`, `truePeak`).
    struct Levels: Encodable {
        var targetLoudness: Double
        var truePeakCeiling: Double
        var voiceGain: Double
        var tickPeak: Double
        var integratedLoudness: Double?
        var truePeak: Double?
    }

    struct Cue: Encodable {
        var start: Int
        var length: Int
        var kind: String
        var phase: String
        var text: String?
        var point: Int?
        var stretch: Int?
    }

    struct MarkerEntry: Encodable {
        var position: Int
        var name: String
    }

    public func format(_ session: Session, range: Range<Int>? = nil, measured: MeasuredLevels? = nil) throws -> String {
        let full = try session.timeline()
        let timeline = full.window(range ?? 0..<full.totalSamples)
        let document = Document(
            sampleRate: timeline.sampleRate,
            totalSamples: timeline.totalSamples,
            cues: timeline.cues.map {
                Cue(start: $0.start, length: $0.length, kind: $0.sound == .tick ? "tick" : "speech",
                    phase: $0.phase.rawValue, text: $0.text, point: $0.context.point, stretch: $0.context.stretch)
            },
            markers: timeline.markers.map { MarkerEntry(position: $0.position, name: $0.name) },
            chapters: timeline.chapters.map { MarkerEntry(position: $0.position, name: $0.name) },
            levels: Levels(
                targetLoudness: session.targetLoudness,
                truePeakCeiling: SpeechLeveler.truePeakCeiling,
                voiceGain: decibels(try session.bank.waitForLeveler().gain),
                tickPeak: decibels(Double(session.tick.map { abs(Int($0)) }.max() ?? 0) / 32767),
                integratedLoudness: measured.map { tenths($0.integrated) },
                truePeak: measured.map { tenths($0.truePeak) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and integers cannot fail.
        return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
}

/// "1 point", "12 points", "1 stretch", "5 stretches".
public func counted(_ n: Int, _ noun: String) -> String {
    n == 1 ? "1 \(noun)" : "\(n) \(noun)\(noun.hasSuffix("ch") ? "es" : "s")"
}

extension String {
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

extension Int {
    func zeroPadded(_ width: Int) -> String { String(self).leftPadded(to: width).replacingOccurrences(of: " ", with: "0") }
}

/// A factor in decibels, to a tenth.
func decibels(_ factor: Double) -> Double { tenths(20 * log10(max(factor, 1e-10))) }

/// Rounded to a tenth; silence's -inf LUFS stays as low as JSON can say.
func tenths(_ value: Double) -> Double { value.isFinite ? (value * 10).rounded() / 10 : -999 }
