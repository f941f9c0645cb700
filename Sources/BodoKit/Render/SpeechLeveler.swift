import Foundation

/// Brings speech to the level made for listening: -19 LUFS integrated for this mono signal (the
/// spoken-word target that matches podcasts' -16 LUFS stereo), true peaks at most -1.5 dBTP
/// (headroom for lossy codecs).
///
/// The gain must be known before the first sample plays, so it comes from the voice, not from
/// the finished session: a calibration sentence spoken with the session's voice (by an engine
/// of its own, or measured once and shipped with the voice), and from then on every clip gets the same gain (so no
/// phrase is louder than another, and nothing pumps) and, where a syllable would pass the
/// ceiling, a look-ahead limiter that lowers only that syllable. Clips are separate sounds with
/// silence between them, so each is limited on its own: the same clip always comes out the same.
public struct SpeechLeveler: Sendable {
    public static let targetLoudness = -19.0
    public static let truePeakCeiling = -1.5
    /// Sample peaks are held 2.5 dB under the true-peak ceiling: speech's peaks between samples
    /// rise less than 1 dB above its samples at 22050 Hz, and the rest keeps the decoded Opus,
    /// MP3 and Vorbis files under the ceiling too (their coding noise adds about 1.5 dB at peaks).
    static let sampleCeiling = pow(10, (truePeakCeiling - 2.5) / 20) * 32767

    /// The calibration sentence: ordinary cue words, long enough for a gated measurement. It is
    /// spoken by an engine of its own (a worker's fresh one), so it changes no clip of the session;
    /// the shipped voices carry its result (`VoiceProfile.measuredGain`) and skip it altogether.
    public static let calibration = Wording.english.calibration

    /// The gain, as a factor.
    public let gain: Double
    /// The rate of the clips it levels: the limiter's times are in samples at this rate.
    public let sampleRate: Int

    public init(gain: Double, sampleRate: Int) {
        self.sampleRate = sampleRate
        self.gain = gain
    }

    /// The gain that brings a voice to the target moved by `offset` dB (`--voice-volume`), from
    /// its calibration clip (trimmed). The limiter's own small loss is measured and made up
    /// once, at that target: it takes more off a louder voice.
    public static func gain(calibration clip: Clip, sampleRate: Int, offset: Double) -> Double {
        // A session's phrases lose a little more to the limiter than the calibration sentence
        // does (measured: 0.35 dB on the default session), so the sentence is aimed that much higher.
        let target = Self.targetLoudness + offset + 0.35
        let measured = LoudnessMeter.integrated(clip, sampleRate: sampleRate)
        guard measured.isFinite else { return 1 }
        var gain = pow(10, (target - measured) / 20)
        let limited = LoudnessMeter.integrated(PeakLimiter.level(clip[...], gain: gain, sampleRate: sampleRate), sampleRate: sampleRate)
        if limited.isFinite { gain *= pow(10, (target - limited) / 20) }
        return gain
    }

    /// A clip as the engine gave it, as the session keeps it: trimmed and levelled. The same
    /// call wherever the clip was made (this process or a worker), so both give the same samples.
    public func finish(_ clip: Clip) -> Clip { level(trimSilence(clip)) }

    public func level(_ clip: ArraySlice<Int16>) -> Clip { PeakLimiter.level(clip, gain: gain, sampleRate: sampleRate) }
}
