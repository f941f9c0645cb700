import Foundation
import Testing
@testable import BodoKit

/// The detector as a wait hears it: bodo's own voice and its echo teach nothing about the room,
/// and a word said right after bodo falls silent is heard. The live tests do the same through
/// the virtual microphone (`ListenedSessionTests`); these pin it offline, frame by frame.
@Suite struct GuardedDetectorTests {
    let sounds = FoundItDetectorTests()
    let room = 0.003

    /// bodo speaks a sentence from 3 s on, at 20 dB over the room, and its echo rings out for
    /// 300 ms after it (falling 60 dB in half a second); the person's word, if any, begins to
    /// sound `milliseconds` after bodo's voice ends.
    func session(word: [Double]?, wordAfter milliseconds: Int) throws -> (signal: [Double], voiceEnd: Int, wordAt: Int) {
        let voice = try sounds.recording("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav")
        var signal = sounds.noise(16000 * 12, rms: room)
        let voiceGain = room * 10 / sounds.loudness(voice)
        let start = 16000 * 3
        for (i, value) in voice.enumerated() { signal[start + i] += value * voiceGain }
        let end = start + voice.count
        let tail = sounds.noise(16000 * 3 / 10, rms: room * 10, seed: 9)
        for (i, value) in tail.enumerated() { signal[end + i] += value * exp(-6.9 * Double(i) / 8000) }
        // The word's sound begins at its first 10 ms within 20 dB of its loudest (a recording
        // starts with a little silence).
        let frames = stride(from: 0, to: (word?.count ?? 0) - 160, by: 160).map { start in word![start..<start + 160].reduce(0) { $0 + $1 * $1 } }
        let lead = 160 * (frames.firstIndex { $0 > (frames.max() ?? 0) / 100 } ?? 0)
        let wordAt = end + 16 * milliseconds
        if let word {
            let gain = room * pow(10, 10.0 / 20) / sounds.loudness(word)
            for (i, value) in word.enumerated() { signal[wordAt - lead + i] += value * gain }
        }
        return (signal, end, wordAt)
    }

    /// What the wait after bodo's voice hears, and the room's floor as the detector measured it
    /// at the wait's end.
    func hear(_ signal: [Double], voiceFrom start: Int, to end: Int) -> (heard: [FoundItDetector.Detection], floor: Double) {
        var guarded = GuardedDetector()
        var window = GuardedDetector.Window()
        window.bodoSounds(from: start)
        var heard: [FoundItDetector.Detection] = []
        var frame = [Int16](repeating: 0, count: FoundItDetector.frameSamples)
        var frames = 0
        for position in stride(from: 0, through: signal.count - frame.count, by: frame.count) {
            if position == end / frame.count * frame.count { window = GuardedDetector.Window(afterBodoStopsAt: end, nextSoundAt: signal.count) }
            for i in frame.indices { frame[i] = Int16(max(-32768, min(32767, signal[position + i] * 32768))) }
            if let found = frame.withUnsafeBufferPointer({ guarded.feed($0, in: window) }) { heard.append(found) }
            frames += 1
        }
        #expect(frames == signal.count / frame.count, "every frame was fed")
        return (heard, guarded.detector.noiseFloor)
    }

    @Test func bodosEchoTeachesTheRoomNothingAndIsNeverHeard() throws {
        let (signal, end, _) = try session(word: nil, wordAfter: 0)
        let (heard, floor) = hear(signal, voiceFrom: 16000 * 3, to: end)
        #expect(heard.isEmpty, "bodo's own voice or its echo was heard: \(heard)")
        // The room is white noise at `room`: about -50.5 dBFS. bodo spoke 20 dB over it.
        let roomLevel = 20 * log10(room)
        #expect(abs(floor - roomLevel) < 3, "the room's floor is \(floor) dBFS, the room \(roomLevel)")
    }

    @Test(arguments: [50, 200, 500, 2000])
    func aWordSaidRightAfterBodoIsHeardOnce(milliseconds: Int) throws {
        let word = try sounds.recording(FoundItDetectorTests.word)
        let (signal, end, wordAt) = try session(word: word, wordAfter: milliseconds)
        let (heard, _) = hear(signal, voiceFrom: 16000 * 3, to: end)
        #expect(heard.count == 1, "heard \(heard.count) times: \(heard)")
        // A word begun inside the echo's margin (150 ms) is heard once it rises over the echo's
        // tail, which takes longer (measured: 490 ms after it began, 50 ms after bodo).
        let intoTheEcho = milliseconds < GuardedDetector.Window.echoMilliseconds
        if let first = heard.first {
            #expect(first.kind == .voice)
            #expect(abs(first.onset - wordAt) < 16000 * (intoTheEcho ? 40 : 20) / 100, "the word's onset is \(first.onset), said at \(wordAt)")
            #expect(first.decidedAt - wordAt < 16000 * (intoTheEcho ? 60 : 35) / 100, "decided \(first.decidedAt - wordAt) samples after the word")
        }
    }
}
