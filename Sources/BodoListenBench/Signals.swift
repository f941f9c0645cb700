// The building blocks of the benchmark's corpus: deterministic noises, levels, filters and a
// small reverberator, all at the detector's 16 kHz.
import BodoKit
import CSndFile
import Foundation

let rate = FoundItDetector.sampleRate

/// A deterministic random source (the corpus is the same on every run): -1..<1.
struct Noise {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(Int64(bitPattern: state) >> 11) / Double(1 << 52)
    }
}

func rms(_ x: ArraySlice<Float>) -> Double {
    guard !x.isEmpty else { return 0 }
    return sqrt(x.reduce(0) { $0 + Double($1) * Double($1) } / Double(x.count))
}

/// The level of a sound while it sounds: the RMS of its 10 ms frames within 30 dB of its loudest.
func activeRMS(_ x: [Float]) -> Double {
    let frames = stride(from: 0, to: x.count - 160, by: 160).map { rms(x[$0..<$0 + 160]) }
    guard let loudest = frames.max(), loudest > 0 else { return 0 }
    let active = frames.filter { $0 > loudest / 31.6 }
    return sqrt(active.reduce(0) { $0 + $1 * $1 } / Double(active.count))
}

func dBFS(_ level: Double) -> Double { pow(10, level / 20) }

func scaled(_ x: [Float], to level: Double) -> [Float] {
    let current = activeRMS(x)
    return current > 0 ? x.map { $0 * Float(level / current) } : x
}

/// Scales a sound so that its highest peak is `level` (linear).
func peakScaled(_ x: [Float], to level: Double) -> [Float] {
    let peak = Double(x.map { abs($0) }.max() ?? 0)
    return peak > 0 ? x.map { $0 * Float(level / peak) } : x
}

/// `sound` added into `stream` at `at` (in place).
func mix(_ sound: [Float], into stream: inout [Float], at: Int) {
    for (i, value) in sound.enumerated() where at + i < stream.count { stream[at + i] += value }
}

func pink(_ count: Int, seed: UInt64) -> [Float] {
    var noise = Noise(state: seed)
    var b = [Double](repeating: 0, count: 7)
    return (0..<count).map { _ in
        let white = noise.next()
        b[0] = 0.99886 * b[0] + white * 0.0555179; b[1] = 0.99332 * b[1] + white * 0.0750759
        b[2] = 0.96900 * b[2] + white * 0.1538520; b[3] = 0.86650 * b[3] + white * 0.3104856
        b[4] = 0.55000 * b[4] + white * 0.5329522; b[5] = -0.7616 * b[5] - white * 0.0168980
        let value = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + white * 0.5362
        b[6] = white * 0.115926
        return Float(value)
    }
}

func brown(_ count: Int, seed: UInt64) -> [Float] {
    var noise = Noise(state: seed), last = 0.0
    return (0..<count).map { _ in
        last = (last + 0.02 * noise.next()) * 0.998
        return Float(last)
    }
}

/// A fan: a 100 Hz hum with two harmonics in pink noise (the air).
func fan(_ count: Int, seed: UInt64) -> [Float] {
    let air = pink(count, seed: seed)
    return (0..<count).map { i in
        let t = Double(i) / Double(rate)
        let hum = sin(2 * .pi * 100 * t) + 0.5 * sin(2 * .pi * 200 * t) + 0.3 * sin(2 * .pi * 300 * t + 1)
        return Float(hum) * 0.3 + air[i]
    }
}

/// A resonance struck at its start: a sine at `frequency` decaying by 1/e every `decay` seconds.
func mode(_ frequency: Double, decay: Double, count: Int) -> [Float] {
    (0..<count).map { i in
        let t = Double(i) / Double(rate)
        return Float(sin(2 * .pi * frequency * t) * exp(-t / decay))
    }
}

/// Two one-pole low-pass filters in a row (12 dB an octave above `cutoff`): a wall between rooms.
func lowPassed(_ x: [Float], cutoff: Double) -> [Float] {
    let a = Float(exp(-2 * .pi * cutoff / Double(rate)))
    var first: Float = 0, second: Float = 0
    return x.map { value in
        first = (1 - a) * value + a * first
        second = (1 - a) * first + a * second
        return second
    }
}

/// A room's reverberation (Schroeder's: four combs in parallel, two all-passes after them),
/// decaying by 60 dB in `seconds`, mixed with the dry sound at equal energy.
func reverberated(_ x: [Float], seconds: Double = 0.5) -> [Float] {
    let tail = Int(seconds * Double(rate))
    let input = x + [Float](repeating: 0, count: tail)
    var wet = [Float](repeating: 0, count: input.count)
    for delay in [0.0297, 0.0371, 0.0411, 0.0437].map({ Int($0 * Double(rate)) }) {
        let gain = Float(pow(10, -3 * Double(delay) / Double(rate) / seconds))
        var line = [Float](repeating: 0, count: input.count)
        for i in input.indices { line[i] = input[i] + (i >= delay ? gain * line[i - delay] : 0) }
        for i in input.indices { wet[i] += line[i] }
    }
    for delay in [0.005, 0.0017].map({ Int($0 * Double(rate)) }) {
        var out = [Float](repeating: 0, count: wet.count)
        for i in wet.indices {
            let back = i >= delay ? out[i - delay] : 0, forward = i >= delay ? wet[i - delay] : 0
            out[i] = -0.7 * wet[i] + forward + 0.7 * back
        }
        wet = out
    }
    let gain = Float(rms(input[...]) / max(rms(wet[...]), 1e-12))
    return zip(input, wet).map { $0 + gain * $1 }
}

/// Linear resampling: enough for a detector's input.
func resample(_ x: [Float], from source: Int) -> [Float] {
    guard source != rate else { return x }
    let count = x.count * rate / source
    return (0..<count).map { i in
        let position = Double(i) * Double(source) / Double(rate)
        let j = Int(position), f = Float(position - Double(j))
        return j + 1 < x.count ? x[j] * (1 - f) + x[j + 1] * f : x[min(j, x.count - 1)]
    }
}

func readSound(_ path: String) -> [Float]? {
    if path.hasSuffix(".raw") {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)).map { Float($0) / 32768 } }
    }
    var info = SF_INFO()
    guard let file = sf_open(path, Int32(SFM_READ), &info) else { return nil }
    defer { sf_close(file) }
    var samples = [Float](repeating: 0, count: Int(info.frames) * Int(info.channels))
    _ = sf_readf_float(file, &samples, info.frames)
    let mono = stride(from: 0, to: samples.count, by: Int(info.channels)).map { samples[$0] }
    return resample(mono, from: Int(info.samplerate))
}
