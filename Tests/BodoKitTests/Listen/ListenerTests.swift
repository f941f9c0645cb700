import Foundation
import Testing
@testable import BodoKit

/// The listener's two threads over a real ALSA capture PCM: ALSA's `file` plugin reading a raw
/// file as if it were a microphone (the plugin is not paced; the listener takes it at real time).
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

    /// A microphone that delivers faster than real time (a file) is taken at real time: after
    /// about a second, no more than the clock allows (plus two periods of slack, one period a
    /// read takes, and 0.5% for a sound card's clock running fast), and the CPU stays low.
    @Test func aMicrophoneFasterThanRealTimeIsTakenAtRealTime() throws {
        let (path, _) = try recording(seconds: 60, wordAt: nil)
        let started = MonotonicClock.nanoseconds()
        let cpuBefore = processCPUSeconds()
        let listener = try Listener(device: "virtmic", configuration: microphone(reading: path))
        defer { listener.stop() }
        Thread.sleep(forTimeInterval: 1)
        let taken = listener.now
        let elapsed = Double(MonotonicClock.nanoseconds() - started) / 1e9
        let cpu = processCPUSeconds() - cpuBefore
        let rate = Double(FoundItDetector.sampleRate), period = rate * 0.04
        print(String(format: "faster-than-real-time microphone: %d frames in %.3f s (%.2f s of audio), CPU %.1f%% of a core", taken, elapsed, Double(taken) / rate, cpu / elapsed * 100))
        #expect(taken > 0)
        #expect(Double(taken) <= rate * elapsed * 1.005 + 3 * period, "took \(taken) frames in \(elapsed) s")
        #expect(listener.problem == nil)
    }

    @Test func aMicrophoneThatCannotBeOpenedIsOneLine() {
        let error = #expect(throws: BodoError.self) { try Listener(device: "no-such-microphone") }
        #expect(error?.description.hasPrefix("--mic: cannot open the microphone 'no-such-microphone': ") == true, "\(String(describing: error))")
    }
}
