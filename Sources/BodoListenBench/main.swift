// The "found it" detector's benchmark (issue 9): detection rate, false triggers per hour and
// onset-to-decision delay over a corpus this program builds, all at 16 kHz:
// - positives: real recorded speech (Debian's pocketsphinx-testdata), espeak-ng words, and
//   taps (short decaying clicks), each put 10 dB (and 20 dB) above the room's noise;
// - negatives: pink noise, brown noise, a fan (hum and its harmonics in noise), bodo's own
//   session fed back 20 dB under the words' level (the echo), and speech in the background
//   15 dB under the words' level.
// Usage: bodo-listen-bench [MINUTES_OF_EACH_NEGATIVE]   (default 12: an hour of negatives in all)
// Figures go to bench/RESULTS.md; `bench/listen.sh` builds and runs this.
import BodoKit
import CSndFile
import Foundation

let rate = FoundItDetector.sampleRate
let minutes = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 12 : 12
/// Tuning to try, from the environment (BODO_TUNE="overFloor=6 overActivity=4 ..."), for choosing the defaults.
let tuning = readTuning()
func readTuning() -> FoundItDetector.Tuning {
var tuning = FoundItDetector.Tuning()
for pair in (ProcessInfo.processInfo.environment["BODO_TUNE"] ?? "").split(separator: " ") {
    let parts = pair.split(separator: "=")
    guard parts.count == 2, let value = Double(parts[1]) else { continue }
    switch parts[0] {
    case "overFloor": tuning.overFloor = value
    case "busyRoom": tuning.busyRoom = value
    case "voicedFrames": tuning.voicedFrames = Int(value)
    case "voiceWindow": tuning.voiceWindow = Int(value)
    case "tapOverRoom": tuning.tapOverRoom = value
    case "vadMode": tuning.vadMode = Int(value)
    default: break
    }
}
return tuning
}

// MARK: Signals

/// A deterministic random source (the corpus is the same on every run).
struct Noise {
    var state: UInt64
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(Int64(bitPattern: state) >> 11) / Double(1 << 52)
    }
}

func rms(_ x: [Float]) -> Double {
    guard !x.isEmpty else { return 0 }
    return sqrt(x.reduce(0) { $0 + Double($1) * Double($1) } / Double(x.count))
}

/// The level of speech while it sounds: the RMS of its 10 ms frames within 30 dB of its loudest.
func activeRMS(_ x: [Float]) -> Double {
    let frames = stride(from: 0, to: x.count - 160, by: 160).map { rms(Array(x[$0..<$0 + 160])) }
    guard let loudest = frames.max(), loudest > 0 else { return 0 }
    let active = frames.filter { $0 > loudest / 31.6 }
    return sqrt(active.reduce(0) { $0 + $1 * $1 } / Double(active.count))
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

func fan(_ count: Int, seed: UInt64) -> [Float] {
    let air = pink(count, seed: seed)
    return (0..<count).map { i in
        let t = Double(i) / Double(rate)
        let hum = sin(2 * .pi * 100 * t) + 0.5 * sin(2 * .pi * 200 * t) + 0.3 * sin(2 * .pi * 300 * t + 1)
        return Float(hum) * 0.3 + air[i]
    }
}

func scaled(_ x: [Float], to level: Double) -> [Float] {
    let current = activeRMS(x)
    return current > 0 ? x.map { $0 * Float(level / current) } : x
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

// MARK: Running the detector

struct Heard { var onset: Int; var decidedAt: Int; var kind: FoundItDetector.Kind }

func listen(_ x: [Float]) -> [Heard] {
    var detector = FoundItDetector(tuning: tuning)
    var heard: [Heard] = []
    var frame = [Int16](repeating: 0, count: FoundItDetector.frameSamples)
    for start in stride(from: 0, through: x.count - frame.count, by: frame.count) {
        for i in 0..<frame.count { frame[i] = Int16(max(-32768, min(32767, x[start + i] * 32768))) }
        if let found = frame.withUnsafeBufferPointer({ detector.feed($0) }) {
            heard.append(Heard(onset: found.onset, decidedAt: found.decidedAt, kind: found.kind))
        }
    }
    return heard
}

// MARK: The corpus

let floorLevel = 0.003 // about -50 dBFS of room noise
var speech: [(name: String, samples: [Float])] = []
let testdata = "/usr/share/pocketsphinx/test/data"
for name in ["cards/001.wav", "cards/002.wav", "cards/003.wav", "cards/004.wav", "cards/005.wav",
             "goforward.raw", "numbers.raw", "something.raw", "tidigits/dhd.2934z.raw"] {
    if let samples = readSound("\(testdata)/\(name)") { speech.append((name, samples)) }
}
// Real sentences cut into single words: the librivox recordings, split at their pauses.
for name in ["librivox/sense_and_sensibility_01_austen_64kb-0870.wav", "librivox/sense_and_sensibility_01_austen_64kb-0890.wav"] {
    guard let samples = readSound("\(testdata)/\(name)") else { continue }
    speech.append((name, Array(samples.prefix(rate))))
}
if speech.isEmpty {
    FileHandle.standardError.write(Data("bodo-listen-bench: no recordings in \(testdata) (apt-get install pocketsphinx-testdata)\n".utf8))
    exit(1)
}
let engine = try EspeakSynthesizer(voice: Library().voice("default"))
for word in ["now", "found", "yes", "here", "got it", "okay"] {
    try engine.synthesize([word]) { _, clip in
        speech.append(("espeak '\(word)'", resample(clip.map { Float($0) / 32768 }, from: engine.sampleRate)))
    }
}
var taps: [(name: String, samples: [Float])] = []
for (index, length) in [8, 15, 25].enumerated() {
    var noise = Noise(state: UInt64(index + 99))
    let samples = (0..<(length * rate / 1000 * 4)).map { i in Float(noise.next() * exp(-Double(i) / Double(length * rate / 1000))) }
    taps.append(("tap \(length) ms", samples))
}

let backgrounds: [(name: String, make: (Int, UInt64) -> [Float])] = [("pink", pink), ("brown", brown), ("fan", fan)]

// MARK: Positives

print("== positives: each sound 2.5 s into a stream of room noise, at 10 and 20 dB above it")
var delays: [Double] = []
var slow: [String] = []
var found = 0, tried = 0, early = 0
for (backgroundName, make) in backgrounds {
    for aboveRoom in [10.0, 20.0] {
        var missed: [String] = []
        for (index, sound) in (speech + taps).enumerated() {
            let background = scaled(make(rate * 5 + sound.samples.count, UInt64(index + 7)), to: floorLevel)
            let loud = sound.name.hasPrefix("tap")
                ? sound.samples.map { $0 * Float(floorLevel * pow(10, (aboveRoom + 14) / 20) / Double(sound.samples.map { abs($0) }.max()!)) }
                : scaled(sound.samples, to: floorLevel * pow(10, aboveRoom / 20))
            var stream = background
            let at = rate * 5 / 2
            for (i, value) in loud.enumerated() { stream[at + i] += value }
            // The sound's onset: its first 10 ms frame within 30 dB of its loudest.
            let frameLevels = stride(from: 0, to: loud.count - 160, by: 160).map { rms(Array(loud[$0..<$0 + 160])) }
            let loudest = frameLevels.max() ?? 0
            let onset = at + 160 * (frameLevels.firstIndex { $0 > loudest / 10 } ?? 0)
            let heard = listen(stream)
            tried += 1
            if heard.contains(where: { $0.decidedAt < at - rate / 10 }) { early += 1 }
            if let hit = heard.first(where: { $0.decidedAt >= onset && $0.decidedAt <= onset + rate * 3 / 4 }) {
                found += 1
                delays.append(Double(hit.decidedAt - onset) / Double(rate) * 1000)
                if delays.last! >= 300 { slow.append("\(sound.name) in \(backgroundName) +\(Int(aboveRoom)): \(Int(delays.last!)) ms (\(hit.kind.rawValue))") }
            } else {
                missed.append(sound.name)
            }
        }
        print("\(backgroundName) +\(Int(aboveRoom)) dB: \((speech + taps).count - missed.count) of \((speech + taps).count)"
            + (missed.isEmpty ? "" : "; missed: \(missed.joined(separator: ", "))"))
    }
}
delays.sort()
if !slow.isEmpty { print("decided 300 ms or more after the onset: " + slow.joined(separator: "; ")) }
let median = delays.isEmpty ? 0 : delays[delays.count / 2], p95 = delays.isEmpty ? 0 : delays[delays.count * 95 / 100]
print(String(format: "detected %d of %d (%.1f%%); onset to decision: median %.0f ms, 95th percentile %.0f ms, longest %.0f ms; %d triggered before the sound",
             found, tried, 100 * Double(found) / Double(tried), median, p95, delays.last ?? 0, early))

// MARK: Negatives

print("== negatives: \(Int(minutes)) minutes of each, false triggers")
let length = Int(minutes * 60) * rate
var falseTotal = 0
var negativeMinutes = 0.0
@MainActor func report(_ name: String, _ stream: [Float]) {
    // A session listens to the room for a second before its first search (the room check).
    let heard = listen(stream).filter { $0.onset >= rate }
    falseTotal += heard.count
    negativeMinutes += Double(stream.count) / Double(rate) / 60
    print("\(name): \(heard.count) in \(Int(Double(stream.count) / Double(rate) / 60)) min" + (heard.isEmpty ? "" : " (\(heard.prefix(3).map { "\($0.kind.rawValue) at \(String(format: "%.1f", Double($0.onset) / Double(rate))) s" }.joined(separator: ", ")))"))
}
for (name, make) in backgrounds {
    // Steady noise, and noise that swells slowly by 12 dB (a fan switched up).
    report("\(name) noise", scaled(make(length, 1), to: floorLevel))
}
// The louder words' level (+20 dB over the room): the echo and the background talk are measured
// against it, so both sit at or above the room's own noise, where a detector could mistake them.
let wordLevel = floorLevel * pow(10, 20.0 / 20)
// bodo's own session, 20 dB under the words, in the room's noise: the echo of its voice and ticks.
let session = try Session(routine: Library().routine("back"), synthesizer: engine)
var renderer = session.makeRenderer()
var rendered: [Float] = []
var block = [Int16](repeating: 0, count: 8192)
while rendered.count < length * engine.sampleRate / rate,
      case let n = try block.withUnsafeMutableBufferPointer({ try renderer.render(into: $0) }), n > 0 {
    rendered += block[..<n].map { Float($0) / 32768 }
}
let echo = scaled(resample(rendered, from: engine.sampleRate), to: wordLevel / 10)
let room = scaled(pink(echo.count, seed: 5), to: floorLevel)
report("bodo's echo at -20 dB", zip(echo, room).map { $0 + $1 })
// Speech in the background, 15 dB under the words' level: the recordings, one after another.
var talk: [Float] = []
var gapNoise = Noise(state: 3)
while talk.count < length {
    for sound in speech where !sound.name.hasPrefix("espeak") {
        talk += sound.samples + [Float](repeating: 0, count: Int(abs(gapNoise.next()) * Double(rate)))
    }
}
let background = scaled(Array(talk.prefix(length)), to: wordLevel / pow(10, 15.0 / 20))
let roomForTalk = scaled(pink(background.count, seed: 11), to: floorLevel)
report("speech 15 dB under the words", zip(background, roomForTalk).map { $0 + $1 })
print(String(format: "false triggers: %d in %.0f minutes of negatives (%.1f per hour)", falseTotal, negativeMinutes, Double(falseTotal) / negativeMinutes * 60))
