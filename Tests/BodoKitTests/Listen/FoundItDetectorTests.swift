import CSndFile
import Foundation
import Testing
@testable import BodoKit

/// The "found it" detector on real recorded speech (Debian's pocketsphinx-testdata), clicks and
/// noise. The full corpus, with its figures, is `bench/listen.sh`; these pin the behaviour.
@Suite struct FoundItDetectorTests {
    static let word = "/usr/share/pocketsphinx/test/data/cards/001.wav"

    func recording(_ path: String) throws -> [Double] {
        var info = SF_INFO()
        let file = try #require(sf_open(path, Int32(SFM_READ), &info), "\(path): apt-get install pocketsphinx-testdata (make test does)")
        defer { sf_close(file) }
        #expect(info.samplerate == 16000 && info.channels == 1)
        var samples = [Double](repeating: 0, count: Int(info.frames))
        _ = sf_readf_double(file, &samples, info.frames)
        return samples
    }

    /// White noise from a fixed seed, at `rms` (full scale 1).
    func noise(_ count: Int, rms: Double, seed: UInt64 = 1) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(Int64(bitPattern: state) >> 11) / Double(1 << 52)) * rms * sqrt(3)
        }
    }

    /// What the detector hears in `signal`; `sounds`: each sound it heard to its end.
    /// `listeningFrom`: as the player asks, words from this sample on are said to bodo.
    func listen(_ signal: [Double], listeningFrom: Int = .max, sounds: UnsafeMutablePointer<[FoundItDetector.Sound]>? = nil) -> [FoundItDetector.Detection] {
        var detector = FoundItDetector()
        var found: [FoundItDetector.Detection] = []
        var frame = [Int16](repeating: 0, count: FoundItDetector.frameSamples)
        var frames = 0
        for start in stride(from: 0, through: signal.count - frame.count, by: frame.count) {
            for i in frame.indices { frame[i] = Int16(max(-32768, min(32767, signal[start + i] * 32768))) }
            if let detection = frame.withUnsafeBufferPointer({ detector.feed($0, listeningFrom: listeningFrom) }) { found.append(detection) }
            if let sounds, let sound = detector.lastSound, sounds.pointee.last != sound { sounds.pointee.append(sound) }
            frames += 1
        }
        #expect(frames == signal.count / frame.count, "every frame was fed")
        return found
    }

    /// The word's level while it sounds, as the benchmark measures it.
    func loudness(_ x: [Double]) -> Double {
        let frames = stride(from: 0, to: x.count - 160, by: 160).map { start in sqrt(x[start..<start + 160].reduce(0) { $0 + $1 * $1 } / 160) }
        let loudest = frames.max() ?? 0
        let active = frames.filter { $0 > loudest / 31.6 }
        return sqrt(active.reduce(0) { $0 + $1 * $1 } / Double(active.count))
    }

    @Test func aRecordedWordTenDecibelsOverTheRoomIsHeardAtOnce() throws {
        let word = try recording(Self.word)
        let room = 0.003
        let gain = room * pow(10, 10.0 / 20) / loudness(word)
        var signal = noise(16000 * 5, rms: room)
        let at = 16000 * 5 / 2
        for (i, value) in word.enumerated() { signal[at + i] += value * gain }
        var sounds: [FoundItDetector.Sound] = []
        let found = listen(signal, sounds: &sounds)
        #expect(found.count == 1, "\(found)")
        let detection = try #require(found.first)
        // Heard to its end: at least what was heard before deciding, at most the recording (a
        // word ends after 100 ms without loud voice: here the room's noise swallows "of clubs").
        #expect(sounds.count == 1 && sounds.first?.onset == detection.onset, "\(sounds)")
        #expect(sounds.first.map { (detection.decidedAt - detection.onset...word.count).contains($0.end - $0.onset) } == true, "\(sounds)")
        #expect(detection.kind == .voice)
        // The word's first loud frame, and a decision soon after it.
        let starts = Array(stride(from: 0, to: word.count - 160, by: 160))
        let levels: [Double] = starts.map { start in
            let power: Double = word[start..<start + 160].reduce(0.0) { $0 + $1 * $1 } / 160
            return sqrt(power) * gain
        }
        let firstLoud: Int = levels.firstIndex { $0 > room * 3 } ?? 0
        let onset = at + 160 * firstLoud
        #expect(abs(detection.onset - onset) <= 1600, "onset \(detection.onset) against \(onset)")
        #expect(detection.decidedAt - detection.onset <= 16000 * 35 / 100, "decided \(detection.decidedAt - detection.onset) samples after the onset")
        #expect(detection.aboveRoom > 5)
    }

    @Test func aTapIsHeardAndNoiseIsNot() {
        let room = 0.003
        var signal = noise(16000 * 4, rms: room, seed: 2)
        let click = noise(240, rms: 0.3, seed: 3).enumerated().map { $1 * exp(-Double($0) / 60) }
        for (i, value) in click.enumerated() { signal[16000 * 2 + i] += value }
        var sounds: [FoundItDetector.Sound] = []
        let found = listen(signal, sounds: &sounds)
        #expect(found.map(\.kind) == [.tap], "\(found)")
        // The click decays within 15 ms: a tap of one or two frames.
        #expect(sounds.count == 1 && sounds.first.map { $0.kind == .tap && $0.end - $0.onset <= 320 } == true, "\(sounds)")
        #expect(found.first.map { abs($0.onset - 32000) <= 160 } == true)

        // A minute of steady noise, and noise that swells by 12 dB over it.
        let steady = noise(16000 * 60, rms: room, seed: 4)
        #expect(listen(steady).isEmpty)
        let swelling = noise(16000 * 60, rms: 1, seed: 5).enumerated().map { $1 * room * pow(10, 12.0 / 20 * Double($0) / 960_000) }
        #expect(listen(swelling).isEmpty)
    }

    /// A click as a stick or a clock makes: noise decaying within about 15 ms, at `rms`.
    func click(rms: Double, seed: UInt64) -> [Double] {
        noise(240, rms: rms, seed: seed).enumerated().map { $1 * exp(-Double($0) / 60) }
    }

    func add(_ sound: [Double], at start: Int, to signal: inout [Double]) {
        for (i, value) in sound.enumerated() where start + i < signal.count { signal[start + i] += value }
    }

    /// A clock ticking once a second and someone typing in bursts are the room's, not a tap, in
    /// a search that hears them from its start; a tap twice as loud as the ticks over them is
    /// still heard. (Each tick, each first key after a pause, was once a tap.)
    @Test func aClockOrAKeyboardIsNotATapButATapOverThemIs() throws {
        let room = 0.002, seconds = 40
        // The clock: a tick every second, the room check's first second included.
        var clock = noise(16000 * seconds, rms: room, seed: 8)
        for second in 0..<seconds { add(click(rms: 0.05, seed: 9), at: 16000 * second + 5000, to: &clock) }
        // What the player keeps: what begins once it listens (the room check's second is before).
        func kept(_ signal: [Double]) -> [FoundItDetector.Detection] { listen(signal, listeningFrom: 16000).filter { $0.onset >= 16000 } }
        #expect(kept(clock).isEmpty, "a clock ended a search")
        var tapped = clock
        add(click(rms: 0.1, seed: 10), at: 16000 * 25 + 13000, to: &tapped)
        let found = kept(tapped)
        #expect(found.map(\.kind) == [.tap] && found.first.map { abs($0.onset - (16000 * 25 + 13000)) <= 160 } == true, "\(found)")
        // Typing: bursts of four to nine keys 90 to 250 ms apart, 2 to 8 s between bursts (a
        // pause to think: the room's bar for sharp sounds must last over it).
        var typing = noise(16000 * 90, rms: room, seed: 11)
        var state: UInt64 = 12, at = 16000 / 2
        func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
        var keys = 0
        while at < typing.count - 16000 * 5 {
            for _ in 0..<next(4...9) {
                add(click(rms: Double(next(30...60)) / 1000, seed: UInt64(keys) + 100), at: at, to: &typing)
                at += 16 * next(90...250)
                keys += 1
            }
            at += 16 * next(2000...8000)
        }
        #expect(keys > 50)
        #expect(kept(typing).isEmpty, "typing ended a search")
    }

    @Test func talkInTheBackgroundIsNotTheWord() throws {
        // The recording, over and over, 9 dB over the room: someone talking nearby. After the
        // first seconds (a session listens to the room first) nothing ends a search.
        let word = try recording(Self.word)
        let room = 0.003
        let gain = room * pow(10, 9.0 / 20) / loudness(word)
        var signal = noise(16000 * 40, rms: room, seed: 6)
        var at = 0
        while at + word.count < signal.count {
            for (i, value) in word.enumerated() { signal[at + i] += value * gain }
            at += word.count + 4000
        }
        let late = listen(signal).filter { $0.onset > 16000 * 3 }
        #expect(late.isEmpty, "\(late)")
    }

    /// "Ready" after moving, "now" at the point: the second word, a few seconds after the first,
    /// is heard as well as the first, in a silent room and in a quiet one. (The person's own
    /// word once counted as the room's talk, and raised the bar for the next for 16 s.)
    @Test(arguments: [0.0, 0.000_3])
    func aSecondWordSaidToBodoIsHeardToo(room: Double) throws {
        let word = try recording(Self.word)
        let gain = 0.003 * pow(10, 10.0 / 20) / loudness(word)
        for gap in [4, 7, 10, 13] {
            var signal = noise(16000 * (8 + gap), rms: room, seed: 7)
            let first = 16000 * 3, second = first + 16000 * gap
            for (i, value) in word.enumerated() {
                signal[first + i] += value * gain
                signal[second + i] += value * gain
            }
            let found = listen(signal, listeningFrom: 16000 * 2)
            #expect(found.map(\.kind) == [.voice, .voice], "a second word \(gap) s after the first: \(found)")
            #expect(found.count == 2 && found[1].onset >= second && found[1].onset < second + word.count, "\(found)")
        }
        // The same words not said to bodo (while it speaks) are the room's: they may raise the bar.
        var signal = noise(16000 * 12, rms: room, seed: 7)
        for (i, value) in word.enumerated() { signal[16000 * 3 + i] += value * gain }
        #expect(listen(signal).count == 1)
    }
}
