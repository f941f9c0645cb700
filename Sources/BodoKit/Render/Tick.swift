import Foundation

/// The hold's metronome: a short, bright click that cuts through speech-free silence without
/// startling. 2 kHz (well above the voice's fundamental, where a quiet room has little noise),
/// a 1 ms rise so it does not click harshly, then a fast exponential fall: 30 ms in all.
public enum Tick {
    public static let frequency = 2000.0
    public static let duration = 0.030
    public static let peak = 0.5

    public static func clip(sampleRate: Int) -> Clip {
        let count = Int(duration * Double(sampleRate))
        let attack = max(1, sampleRate / 1000)
        return (0..<count).map { i in
            let t = Double(i) / Double(sampleRate)
            let envelope = i < attack ? Double(i) / Double(attack) : exp(-Double(i - attack) / (Double(count) / 5))
            return Int16((sin(2 * .pi * frequency * t) * envelope * peak * Double(Int16.max)).rounded())
        }
    }
}
