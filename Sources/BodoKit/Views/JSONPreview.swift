import Foundation

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

/// A factor in decibels, to a tenth.
private func decibels(_ factor: Double) -> Double { tenths(20 * log10(max(factor, 1e-10))) }

/// Rounded to a tenth; silence's -inf LUFS stays as low as JSON can say.
private func tenths(_ value: Double) -> Double { value.isFinite ? (value * 10).rounded() / 10 : -999 }
