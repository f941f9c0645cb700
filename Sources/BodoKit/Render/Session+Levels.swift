import Foundation

/// The loudness and true peak a session reached, measured on its rendered samples.
public struct MeasuredLevels: Sendable, Equatable {
    public var integrated: Double
    public var truePeak: Double

    /// One line for people, with what the session was made for (`target`: -19 LUFS, moved by
    /// `--voice-volume`).
    public func summary(target: Double) -> String {
        String(format: "loudness %.1f LUFS integrated, true peak %.1f dBTP (made for %.0f LUFS, at most %.1f dBTP)",
               integrated, truePeak, target, SpeechLeveler.truePeakCeiling)
    }
}

extension Session {
    /// The session's loudness, target and true peak, from the renderer every output reads.
    /// Renders all of it (or `range`) through libebur128: about a second for the default session,
    /// most of it the 4x oversampling a true peak needs.
    public func measureLevels(range: Range<Int>? = nil) throws -> MeasuredLevels {
        let meter = LoudnessMeter(sampleRate: sampleRate)
        var renderer = makeRenderer()
        if let range { try renderer.seek(to: range.lowerBound) }
        try renderer.renderBlocks(until: range?.upperBound ?? .max) { block, _ in meter.add(block) }
        return meter.levels
    }

    /// The integrated loudness the session is made for.
    public var targetLoudness: Double { SpeechLeveler.targetLoudness + options.voiceVolume }
}
