import CEBUR128
import Foundation

/// EBU R128 loudness and true peak, measured by libebur128 (ITU-R BS.1770: K-weighting, gating,
/// 4x oversampled true peak). Mono: the one channel counts once.
public final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?

    /// `truePeak: false` skips the 4x oversampling a true peak needs (the calibration does not).
    public init(sampleRate: Int, truePeak: Bool = true) {
        let mode = EBUR128_MODE_I.rawValue | (truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : 0)
        state = ebur128_init(1, UInt(sampleRate), Int32(mode))
    }

    deinit { ebur128_destroy(&state) }

    public func add(_ samples: UnsafeBufferPointer<Int16>) {
        ebur128_add_frames_short(state, samples.baseAddress, samples.count)
    }

    /// Integrated loudness in LUFS (-inf for silence or less than 400 ms of sound).
    public var integrated: Double {
        var value = -Double.infinity
        ebur128_loudness_global(state, &value)
        return value
    }

    /// True peak in dBTP.
    public var truePeak: Double {
        var value = 0.0
        ebur128_true_peak(state, 0, &value)
        return 20 * log10(max(value, 1e-10))
    }

    /// What the meter has measured so far.
    public var levels: MeasuredLevels { MeasuredLevels(integrated: integrated, truePeak: truePeak) }

    /// The integrated loudness of a clip.
    public static func integrated(_ samples: [Int16], sampleRate: Int) -> Double {
        let meter = LoudnessMeter(sampleRate: sampleRate, truePeak: false)
        samples.withUnsafeBufferPointer { meter.add($0) }
        return meter.integrated
    }
}

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

/// Brings speech to the level made for listening: -19 LUFS integrated for this mono signal (the
/// spoken-word target that matches podcasts' -16 LUFS stereo), true peaks at most -1.5 dBTP
/// (headroom for lossy codecs).
///
/// The gain must be known before the first sample plays, so it comes from the voice, not from
/// the finished session: the leveler speaks a calibration sentence with the session's voice
/// before anything else, measures it, and from then on every clip gets the same gain (so no
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

    /// The calibration sentence: ordinary cue words, long enough for a gated measurement.
    ///
    /// It is spoken in every session, though its gain could be remembered per voice: espeak-ng's
    /// sound depends on every utterance before it in the process (the same phrase spoken three
    /// times in a row comes out 132,364, 132,363 and 132,164 samples long), so leaving it out
    /// would change every clip after it, and a session made with a remembered gain would differ
    /// from the same session made fresh.
    public static let calibration = "Find the point, then press as hard as you can stand. Hold it, and release slowly."

    /// The gain, as a factor.
    public let gain: Double

    /// The gain for a voice, from its calibration clip; `offset` (dB) shifts the target
    /// (`--voice-volume`). The limiter's own small loss is measured and made up once.
    public init(calibration clip: Clip, sampleRate: Int, offset: Double = 0) {
        // A session's phrases lose a little more to the limiter than the calibration sentence
        // does (measured: 0.35 dB on the default session), so the sentence is aimed that much higher.
        let target = Self.targetLoudness + offset + 0.35
        let measured = LoudnessMeter.integrated(clip, sampleRate: sampleRate)
        guard measured.isFinite else { gain = 1; return }
        var gain = pow(10, (target - measured) / 20)
        let limited = LoudnessMeter.integrated(Self.level(clip[...], gain: gain), sampleRate: sampleRate)
        if limited.isFinite { gain *= pow(10, (target - limited) / 20) }
        self.gain = gain
    }

    public func level(_ clip: ArraySlice<Int16>) -> Clip { Self.level(clip, gain: gain) }

    /// `clip` times `gain`, its peaks held under the ceiling by a gain curve that falls before
    /// each peak (about 2 ms ahead, smoothed so it makes no click) and recovers over 60 ms.
    ///
    /// The curve is worked out per block of 16 samples (0.7 ms) and drawn between block values
    /// sample by sample: each block's value is the least any sample allows within two blocks
    /// around it, so a line between two neighbours stays under every sample it passes. That
    /// keeps the per-sample work to a multiply: this runs over every sample of the speech.
    static func level(_ clip: ArraySlice<Int16>, gain: Double) -> Clip {
        let count = clip.count
        let block = 16
        let blocks = (count + block - 1) / block
        // The loudest sample of each block.
        var loudest = [Int32](repeating: 0, count: blocks)
        clip.withUnsafeBufferPointer { samples in
            loudest.withUnsafeMutableBufferPointer { loudest in
                for index in 0..<blocks {
                    var peak: Int32 = 0
                    for sample in samples[(index * block)..<min(count, index * block + block)] { peak = max(peak, abs(Int32(sample))) }
                    loudest[index] = peak
                }
            }
        }
        let quiet = sampleCeiling / gain
        var curve = [Double](repeating: 1, count: blocks + 1)
        if loudest.contains(where: { Double($0) > quiet }) {
            // The gain each block may have at most, then the least of it within `reach` blocks
            // (2 ms and the block on either side), smoothed over half that, and allowed to
            // recover only as fast as a 60 ms time constant.
            let allowed = loudest.map { Double($0) > quiet ? quiet / Double($0) : 1 }
            let reach = 4
            let widest = slidingMinimum(allowed, radius: reach)
            let half = reach / 2
            let recovery = 1 - exp(-Double(block) / (0.060 * 22050))
            var envelope = 1.0
            for index in 0..<blocks {
                var sum = 0.0, width = 0
                for neighbour in max(0, index - half)...min(blocks - 1, index + half) { sum += widest[neighbour]; width += 1 }
                let average = sum / Double(width)
                envelope = average == 1 && envelope > 0.9999 ? 1 : min(average, envelope + (1 - envelope) * recovery)
                curve[index] = envelope
            }
            curve[blocks] = curve[blocks - 1]
        }

        // Each sample times its factor in fixed point (24 fraction bits; the factor drawn in a
        // straight line across its block): integer work the compiler vectorizes, with no
        // conversion from floating point per sample.
        let one = Double(1 << 24)
        var result = Clip(repeating: 0, count: count)
        result.withUnsafeMutableBufferPointer { out in
            clip.withUnsafeBufferPointer { samples in
                for index in 0..<blocks {
                    let start = Int64((gain * curve[index] * one).rounded())
                    let step = Int64((gain * (curve[index + 1] - curve[index]) * one / Double(block)).rounded())
                    let first = index * block
                    for offset in 0..<min(block, count - first) {
                        let scaled = (Int64(samples[first + offset]) * (start + step * Int64(offset)) + (1 << 23)) >> 24
                        out[first + offset] = Int16(truncatingIfNeeded: min(max(scaled, -32768), 32767))
                    }
                }
            }
        }
        return result
    }

    /// The least value within `radius` of each place, in three passes whatever the radius
    /// (van Herk and Gil-Werman: minima running forward and backward within blocks of the
    /// window's width; any window spans at most two blocks).
    private static func slidingMinimum(_ values: [Double], radius: Int) -> [Double] {
        let count = values.count, width = 2 * radius + 1
        var forward = values, backward = values
        forward.withUnsafeMutableBufferPointer { f in
            backward.withUnsafeMutableBufferPointer { b in
                for index in 1..<max(1, count) where index % width != 0 { f[index] = min(f[index], f[index - 1]) }
                var index = count - 2
                while index >= 0 {
                    if (index + 1) % width != 0 { b[index] = min(b[index], b[index + 1]) }
                    index -= 1
                }
            }
        }
        var result = [Double](repeating: 1, count: count)
        result.withUnsafeMutableBufferPointer { out in
            forward.withUnsafeBufferPointer { f in
                backward.withUnsafeBufferPointer { b in
                    for centre in 0..<count {
                        let low = max(0, centre - radius), high = min(count - 1, centre + radius)
                        out[centre] = min(b[low], f[high])
                    }
                }
            }
        }
        return result
    }
}
