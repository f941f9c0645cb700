import Foundation

/// How bodo sounds: an espeak-ng voice and variant with its speaking parameters.
/// Profiles are YAML files in `voices/` (format in docs/voices.md).
public struct VoiceProfile: Sendable, Equatable {
    public var name: String
    public var description: String
    /// An espeak-ng voice name such as `en-us` (see `bodo voices`).
    public var espeakVoice: String
    /// An espeak-ng variant such as `m3` or `f2`; nil keeps the voice's own.
    public var variant: String?
    public var rate: Int
    public var pitch: Int
    public var volume: Int
    /// Extra pause between words, in 10 ms units.
    public var wordGap: Int
    /// The voice above or below the target loudness, and the tick above or below its usual
    /// level, in dB.
    public var voiceVolume = 0
    public var tickVolume = 0
    public static let levelRange = -30...6

    /// Where `espeak_voice` and `variant` were written, so an unknown one is reported at its place.
    public var voiceSource: ErrorSource?
    public var variantSource: ErrorSource?

    public static let rateRange = 80...450
    public static let pitchRange = 0...100
    /// espeak-ng's amplitude. Under 10 its samples are too small to level: at 0 the voice is
    /// silent and at 1 it stays 14 dB under the target, so every spoken cue would vanish and
    /// leave a session of ticks (measured); a quieter voice is `voice_volume`'s work.
    public static let volumeRange = 10...200
    public static let wordGapRange = 0...100

    public init(name: String, description: String = "", espeakVoice: String, variant: String? = nil,
                rate: Int = 175, pitch: Int = 50, volume: Int = 100, wordGap: Int = 0, voiceSource: ErrorSource? = nil) {
        self.name = name
        self.description = description
        self.espeakVoice = espeakVoice
        self.variant = variant
        self.rate = rate
        self.pitch = pitch
        self.volume = volume
        self.wordGap = wordGap
        self.voiceSource = voiceSource
    }

    /// The name espeak-ng's SetVoiceByName takes: `en-us+m3`.
    public var espeakName: String { variant.map { "\(espeakVoice)+\($0)" } ?? espeakVoice }

    /// A YAML mapping with an `espeak_voice` key and no `points`: a profile, not a routine.
    static func looksLikeProfile(_ root: YAMLValue) -> Bool {
        guard case let .mapping(map) = root.node else { return false }
        let keys = Set(map.keys.compactMap { $0.scalar?.string })
        return keys.contains("espeak_voice") && !keys.contains("points")
    }

    public static func load(_ data: Data, file: String) throws -> VoiceProfile {
        try load(YAMLValue.parse(data, file: file), file: file)
    }

    static func load(_ root: YAMLValue, file: String) throws -> VoiceProfile {
        let map = try root.mapping("the voice profile",
                                   keys: ["name", "description", "espeak_voice", "variant", "rate", "pitch", "volume", "word_gap",
                                          "voice_volume", "tick_volume"])
        let voice = try map.required("espeak_voice")
        var profile = VoiceProfile(name: try map.required("name").text("name"),
                                   espeakVoice: try voice.text("espeak_voice"),
                                   voiceSource: voice.source)
        profile.description = try map["description"]?.text("description") ?? ""
        profile.variant = try map["variant"]?.text("variant")
        profile.variantSource = map["variant"]?.source
        if let v = map["rate"] { profile.rate = try v.int("rate (words per minute)", in: rateRange) }
        if let v = map["pitch"] { profile.pitch = try v.int("pitch", in: pitchRange) }
        if let v = map["volume"] { profile.volume = try v.int("volume (espeak-ng's amplitude; for a quieter voice, use voice_volume)", in: volumeRange) }
        if let v = map["word_gap"] { profile.wordGap = try v.int("word_gap (10 ms units)", in: wordGapRange) }
        if let v = map["voice_volume"] { profile.voiceVolume = try v.int("voice_volume (dB)", in: levelRange) }
        if let v = map["tick_volume"] { profile.tickVolume = try v.int("tick_volume (dB)", in: levelRange) }
        return profile
    }
}
