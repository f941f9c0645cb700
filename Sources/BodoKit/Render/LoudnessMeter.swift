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
