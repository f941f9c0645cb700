import Foundation

/// The look-ahead limiter every clip passes through once (`SpeechLeveler.level`): lowers only
/// the syllables that would pass the ceiling, the same way every time, so one clip always
/// comes out the same.
enum PeakLimiter {
    /// `clip` times `gain`, its peaks held under the ceiling by a gain curve that falls before
    /// each peak (about 2 ms ahead at 22050 Hz, smoothed so it makes no click) and recovers over 60 ms.
    ///
    /// The curve is worked out per block of 16 samples (0.7 ms) and drawn between block values
    /// sample by sample: each block's value is the least any sample allows within two blocks
    /// around it, so a line between two neighbours stays under every sample it passes. That
    /// keeps the per-sample work to a multiply: this runs over every sample of the speech.
    static func level(_ clip: ArraySlice<Int16>, gain: Double, sampleRate: Int) -> Clip {
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
        let quiet = SpeechLeveler.sampleCeiling / gain
        var curve = [Double](repeating: 1, count: blocks + 1)
        if loudest.contains(where: { Double($0) > quiet }) {
            // The gain each block may have at most, then the least of it within `reach` blocks
            // (2 ms and the block on either side), smoothed over half that, and allowed to
            // recover only as fast as a 60 ms time constant.
            let allowed = loudest.map { Double($0) > quiet ? quiet / Double($0) : 1 }
            let reach = 4
            let widest = slidingMinimum(allowed, radius: reach)
            let half = reach / 2
            let recovery = 1 - exp(-Double(block) / (0.060 * Double(sampleRate)))
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
