import Foundation

/// What a session's process tells a synthesis worker when it starts it: the voice and every
/// phrase with its batches. One line of JSON on the worker's standard input; after it, one line
/// per batch to make (`SynthesisWorker.command`).
struct WorkerRequest: Codable {
    var espeakVoice: String
    var variant: String?
    var rate: Int
    var pitch: Int
    var volume: Int
    var wordGap: Int
    var offset: Double
    var phrases: [String]
    var batches: [[Int]]

    init(voice: VoiceProfile, offset: Double, phrases: [String], plan: SynthesisPlan) {
        espeakVoice = voice.espeakVoice
        variant = voice.variant
        rate = voice.rate
        pitch = voice.pitch
        volume = voice.volume
        wordGap = voice.wordGap
        self.offset = offset
        self.phrases = phrases
        batches = plan.batches.map { [$0.lowerBound, $0.upperBound] }
    }

    /// Every batch within the phrases and every setting within a profile's ranges: the worker
    /// reads its input like any other, and a request it cannot follow fails in one line
    /// instead of trapping in a child.
    var isWellFormed: Bool {
        batches.allSatisfy { $0.count == 2 && 0 <= $0[0] && $0[0] <= $0[1] && $0[1] <= phrases.count }
            && VoiceProfile.rateRange.contains(rate) && VoiceProfile.pitchRange.contains(pitch)
            && VoiceProfile.volumeRange.contains(volume) && VoiceProfile.wordGapRange.contains(wordGap)
            && offset.isFinite && abs(offset) <= 60
    }

    var voice: VoiceProfile {
        VoiceProfile(name: "worker", espeakVoice: espeakVoice, variant: variant, rate: rate, pitch: pitch, volume: volume, wordGap: wordGap)
    }
}

/// What a worker writes back on its standard output: frames of a header (two native Int32s,
/// a kind or clip index and a count) and a payload. Written by hand because both ends are this
/// program on one machine, and a clip is nothing but its samples.
enum WorkerFrame {
    /// A finished clip: header (phrase index, sample count), then the samples.
    case clip(index: Int, samples: Clip)
    /// The voice's gain from the calibration sentence: header (-1, 8), the Double's bits.
    case gain(Double)
    /// Synthesis failed: header (-2, byte count), the message in UTF-8.
    case failure(String)
    /// A batch is done and the worker can take the next: header (-3, batch number).
    case done(batch: Int)

    func write(to fd: Int32) -> Bool {
        func header(_ kind: Int, _ count: Int) -> Bool {
            var words: (Int32, Int32) = (Int32(kind), Int32(count))
            return withUnsafeBytes(of: &words) { writeAll(fd, $0) }
        }
        switch self {
        case let .clip(index, samples):
            return header(index, samples.count) && samples.withUnsafeBytes { writeAll(fd, $0) }
        case let .gain(gain):
            var bits = gain.bitPattern
            return header(-1, 8) && withUnsafeBytes(of: &bits) { writeAll(fd, $0) }
        case let .failure(message):
            let bytes = Data(message.utf8.prefix(4096))
            return header(-2, bytes.count) && writeAll(fd, bytes)
        case let .done(batch):
            return header(-3, batch)
        }
    }

    /// The next frame, nil at the end of the stream; throws on a stream cut in the middle.
    static func read(from fd: Int32) throws -> WorkerFrame? {
        var words: (Int32, Int32) = (0, 0)
        let complete = withUnsafeMutableBytes(of: &words) { readAll(fd, into: $0) }
        guard complete else {
            if errno == 0 { return nil }
            throw BodoError(.failure, at: nil, "cannot read from a synthesis worker: \(systemError())")
        }
        let (kind, count) = (Int(words.0), Int(words.1))
        func payload<T>(_ value: inout T) throws {
            guard withUnsafeMutableBytes(of: &value, { readAll(fd, into: $0) }) else {
                throw BodoError(.failure, at: nil, "a synthesis worker stopped in the middle of a message")
            }
        }
        switch kind {
        case 0...:
            // Ten minutes of speech at 48 kHz is more than any phrase: a larger count is a broken stream.
            guard count >= 0, count <= 48_000 * 600 else { throw BodoError(.failure, at: nil, "a synthesis worker sent a clip of \(count) samples") }
            var samples = Clip(repeating: 0, count: count)
            guard samples.withUnsafeMutableBytes({ readAll(fd, into: $0) }) else {
                throw BodoError(.failure, at: nil, "a synthesis worker stopped in the middle of a clip")
            }
            return .clip(index: kind, samples: samples)
        case -1:
            var bits: UInt64 = 0
            try payload(&bits)
            return .gain(Double(bitPattern: bits))
        case -2:
            var bytes = [UInt8](repeating: 0, count: max(0, min(count, 4096)))
            guard bytes.withUnsafeMutableBytes({ readAll(fd, into: $0) }) else {
                throw BodoError(.failure, at: nil, "a synthesis worker stopped in the middle of a message")
            }
            return .failure(String(decoding: bytes, as: UTF8.self))
        case -3:
            return .done(batch: count)
        default:
            throw BodoError(.failure, at: nil, "a synthesis worker sent a frame of kind \(kind)")
        }
    }
}
