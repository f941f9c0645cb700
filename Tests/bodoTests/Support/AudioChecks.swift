import Foundation
import Testing

struct PreviewTimeline: Decodable {
    struct Cue: Decodable {
        var start: Int
        var length: Int
        var kind: String
        var phase: String
        var point: Int?
    }

    var sampleRate: Int
    var totalSamples: Int
    var cues: [Cue]
}

func previewTimeline(_ arguments: [String]) throws -> PreviewTimeline {
    let run = try bodo(["preview", "--format", "json"] + arguments)
    return try JSONDecoder().decode(PreviewTimeline.self, from: Data(run.stdout.utf8))
}

/// The tick as bodo renders it: the samples of the first tick in an export of the test script.
func tickWaveform() throws -> [Int16] {
    let dir = try scratch()
    let path = dir.appendingPathComponent("tick.wav").path
    let script = fixtures.appendingPathComponent("realtime.yaml").path
    _ = try bodo(["export", "-q", path, "--script", script, "--no-count"])
    let tick = try #require(try previewTimeline(["--script", script, "--no-count"]).cues.first { $0.kind == "tick" })
    return Array(try wavSamples(path)[tick.start..<tick.start + tick.length])
}

/// Every place the tick's waveform occurs exactly (the null sink passes 22050 Hz mono through unchanged).
func tickOnsets(in samples: [Int16], tick: [Int16]) -> [Int] {
    guard let lead = tick.firstIndex(where: { $0 != 0 }) else { return [] }
    var onsets: [Int] = []
    var i = lead
    while i + tick.count - lead <= samples.count {
        if samples[i] == tick[lead], samples[(i - lead)..<(i - lead + tick.count)].elementsEqual(tick) {
            onsets.append(i - lead)
            i += tick.count
        } else {
            i += 1
        }
    }
    return onsets
}

/// "first frames to ALSA at 7502592.033 ms (CLOCK_MONOTONIC)", in seconds.
func firstFramesTime(_ verbose: String) throws -> Double {
    let range = try #require(verbose.range(of: #"first frames to ALSA at [\d.]+ ms"#, options: .regularExpression))
    let text = verbose[range].split(separator: " ")[5]
    return try #require(Double(text)) / 1000
}

func grantedLatency(_ verbose: String) throws -> Double {
    // "... buffer 440 frames (20.0 ms) ..."
    let range = try #require(verbose.range(of: #"buffer \d+ frames \(([\d.]+) ms\)"#, options: .regularExpression))
    let text = verbose[range].split(separator: "(").last!.split(separator: " ").first!
    return try #require(Double(text)) / 1000
}

/// The 16-bit samples of a WAV file's `data` chunk.
func wavSamples(_ path: String) throws -> [Int16] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var offset = 12
    while offset + 8 <= data.count {
        let id = String(decoding: data[offset..<offset + 4], as: UTF8.self)
        var size = data[offset + 4..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        if id == "data" {
            // A recorder stopped by a signal may leave the size unset.
            if size == 0 || size == 0xFFFF_FFFF || offset + 8 + size > data.count { size = data.count - offset - 8 }
            return data[(offset + 8)..<(offset + 8 + size / 2 * 2)].withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        }
        offset += 8 + size + size % 2
    }
    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
}

/// Writes 16-bit mono samples as a stereo WAV file with them on the left channel only.
func writeLeftOnly(_ samples: [Int16], rate: Int, to url: URL) throws {
    try writeWAV(samples, rate: rate, channels: 2, to: url)
}

/// Writes 16-bit samples as a WAV file: mono, or stereo with them on the left channel only.
func writeWAV(_ samples: [Int16], rate: Int, channels: Int = 1, to url: URL) throws {
    var data = Data()
    func le<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    let bytes = samples.count * 2 * channels
    data.append(contentsOf: Array("RIFF".utf8)); le(UInt32(36 + bytes)); data.append(contentsOf: Array("WAVEfmt ".utf8))
    le(UInt32(16)); le(UInt16(1)); le(UInt16(channels)); le(UInt32(rate)); le(UInt32(rate * 2 * channels)); le(UInt16(2 * channels)); le(UInt16(16))
    data.append(contentsOf: Array("data".utf8)); le(UInt32(bytes))
    for sample in samples {
        le(sample)
        if channels == 2 { le(Int16(0)) }
    }
    try data.write(to: url)
}

/// A stereo 22050 Hz recording in 10 ms frames: the RMS of left minus right (what was fed on
/// the left only) and of right (bodo's own sound).
func stereoFrameLevels(_ path: String) throws -> [(word: Double, bodo: Double)] {
    let samples = try wavSamples(path)
    let frame = 220
    let count = samples.count / 2 / frame
    #expect(count > 100, "the recording has \(count) frames")
    return (0..<count).map { index in
        var word = 0.0, bodo = 0.0
        for i in index * frame..<(index + 1) * frame {
            let left = Double(samples[2 * i]), right = Double(samples[2 * i + 1])
            word += (left - right) * (left - right)
            bodo += right * right
        }
        return ((word / Double(frame)).squareRoot(), (bodo / Double(frame)).squareRoot())
    }
}

/// Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter measures them.
func ffmpegLoudness(_ path: String, arguments: [String] = []) throws -> (Double, Double) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try toolPath("ffmpeg"))
    process.arguments = ["-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let summary = text.components(separatedBy: "Summary:").last ?? ""
    func value(_ label: String) -> Double? {
        summary.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
            .flatMap { Double($0.split(separator: " ").dropFirst().first ?? "") }
    }
    return (try #require(value("I:")), try #require(value("Peak:")))
}

func rms(_ samples: ArraySlice<Int16>) -> Double {
    guard !samples.isEmpty else { return 0 }
    return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
}
