import Foundation
import Testing
@testable import BodoKit

/// The listener's two threads over a real ALSA capture PCM: ALSA's `file` plugin reading a raw
/// file as if it were a microphone (not paced, so the test is quick and exact).
@Suite(.serialized) struct ListenerTests {
    /// A capture PCM named `virtmic` that records `path`.
    func microphone(reading path: String) -> String {
        "pcm.virtmic { type file slave { pcm { type null } } file \"/dev/null\" infile \"\(path)\" format \"raw\" }\n"
    }

    /// Noise with a recorded word at `at` seconds, as raw 16 kHz samples in a file.
    func recording(seconds: Double, wordAt at: Double?) throws -> (path: String, onset: Int?) {
        var state: UInt64 = 9
        var samples = (0..<Int(seconds * 16000)).map { _ -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state) >> 11) / Double(1 << 52) * 0.003 * sqrt(3)
        }
        var onset: Int?
        if let at {
            let word = try FoundItDetectorTests().recording(FoundItDetectorTests.word)
            let start = Int(at * 16000)
            for (i, value) in word.enumerated() where start + i < samples.count { samples[start + i] += value * 0.5 }
            onset = start + (word.firstIndex { abs($0 * 0.5) > 0.02 } ?? 0)
        }
        let path = try temporaryDirectory().appendingPathComponent("mic.raw").path
        let raw = samples.map { Int16(max(-32768, min(32767, $0 * 32768))) }
        try raw.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
        return (path, onset)
    }

    /// Waits (at most `seconds`) for the listener to have heard `samples` samples.
    func waitUntilHeard(_ listener: Listener, _ samples: Int, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if listener.now >= samples, listener.inputEnded || listener.now >= samples + 16000 { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func aWordInTheMicrophoneIsHeardAtItsPlace() throws {
        let (path, onset) = try recording(seconds: 4, wordAt: 2)
        let listener = try Listener(device: "virtmic", configuration: microphone(reading: path), listeningFrom: 16000)
        defer { listener.stop() }
        #expect(waitUntilHeard(listener, 4 * 16000), "heard \(listener.now) samples")
        Thread.sleep(forTimeInterval: 0.2)
        let heard = listener.take()
        #expect(heard.count == 1, "\(heard) now \(listener.now) ended \(listener.inputEnded)")
        let word = try #require(heard.first)
        #expect(word.kind == .voice)
        #expect(abs(word.onset - onset!) <= 1600, "onset \(word.onset) against \(onset!)")
        #expect(listener.roomLevel.floor < -45 && listener.roomLevel.floor > -60, "\(listener.roomLevel)")
    }

    @Test func nothingIsKeptBeforeListeningStartsOrAfterItStops() throws {
        let (path, _) = try recording(seconds: 4, wordAt: 1)
        let listener = try Listener(device: "virtmic", configuration: microphone(reading: path), listeningFrom: 2 * 16000)
        defer { listener.stop() }
        #expect(waitUntilHeard(listener, 4 * 16000))
        Thread.sleep(forTimeInterval: 0.2)
        #expect(listener.take().isEmpty, "the word came before listening began")
    }

    @Test func aMicrophoneThatCannotBeOpenedIsOneLine() {
        let error = #expect(throws: BodoError.self) { try Listener(device: "no-such-microphone") }
        #expect(error?.description.hasPrefix("--mic: cannot open the microphone 'no-such-microphone': ") == true, "\(String(describing: error))")
    }
}

/// A microphone that gives samples faster than real time (ALSA's file plugin reading a file)
/// is taken at the pace of the clock, so neither thread spins through it.
@Suite(.serialized) struct ListenerPaceTests {
    @Test func aFastMicrophoneIsTakenInRealTime() throws {
        let (path, _) = try ListenerTests().recording(seconds: 20, wordAt: nil)
        let started = ContinuousClock.now
        let listener = try Listener(device: "virtmic", configuration: ListenerTests().microphone(reading: path))
        defer { listener.stop() }
        Thread.sleep(forTimeInterval: 1)
        let taken = listener.now
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(taken > 0, "nothing was captured")
        // Real time, and the two periods it may run ahead (40 ms each), with room for the test's
        // own timing: a file taken as fast as it comes would be 20 s of samples by now.
        #expect(Double(taken) <= seconds * 16000 + 2 * 640 + 1600, "took \(taken) samples in \(seconds) s")
    }
}
