import Foundation

/// The hold's metronome: a short, bright click that cuts through speech-free silence without
/// startling. 2 kHz (well above the voice's fundamental, where a quiet room has little noise),
/// a 1 ms rise so it does not click harshly, then a fast exponential fall: 30 ms in all.
///
/// A click's integrated loudness means little, so it is set by its peak: 8 dB below the
/// speech's peaks (the leveler's ceiling), clearly heard and never louder than a word.
/// `offset` (dB, `--tick-volume`) moves it.
public enum Tick {
    public static let frequency = 2000.0
    public static let duration = 0.030
    public static let belowSpeechPeaks = 8.0

    public static func clip(sampleRate: Int, offset: Double = 0) -> Clip {
        let peak = min(1, SpeechLeveler.sampleCeiling / 32767 * pow(10, (offset - belowSpeechPeaks) / 20))
        let count = Int(duration * Double(sampleRate))
        let attack = max(1, sampleRate / 1000)
        return (0..<count).map { i in
            let t = Double(i) / Double(sampleRate)
            let envelope = i < attack ? Double(i) / Double(attack) : exp(-Double(i - attack) / (Double(count) / 5))
            return Int16((sin(2 * .pi * frequency * t) * envelope * peak * Double(Int16.max)).rounded())
        }
    }
}
