import Foundation
import Testing
@testable import BodoKit

/// A worker that cannot be started, or ends without its speech, fails the session in one
/// line; nothing waits for it forever.
@Suite struct SpreadSynthesisFailureTests {
    @Test(arguments: ["/bin/true", "/nonexistent/bodo"])
    func aWorkerThatDoesNotWorkFailsTheSession(executable: String) throws {
        let library = Library(environment: [:])
        var voice = try library.voice("default")
        voice.rate += 1 // no shipped gain: the calibration too is a worker's
        let synthesizer = try EspeakSynthesizer(voice: voice, workers: SynthesisWorkers(executable: executable, count: 2))
        let session = try Session(routine: library.routine("back"), synthesizer: synthesizer)
        // A failure that never reached the bank would wait forever: the watchdog ends the
        // wait with an error of its own, which the message check below then refuses.
        let watchdog = DispatchWorkItem { session.cancel(with: BodoError(.failure, at: nil, "the watchdog: no answer in 30 s")) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        defer { watchdog.cancel() }
        let started = Date()
        let error = #expect(throws: BodoError.self) { try session.timeline() }
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(error?.message.contains("synthesis worker") == true, "\(String(describing: error))")
    }

    @Test func theBatchesCoverEveryPhraseOnceInOrder() {
        let phrases = (0..<50).map { String(repeating: "word ", count: $0 % 7 + 1) }
        let plan = SynthesisPlan(phrases: phrases)
        #expect(plan.batches.first?.lowerBound == 0 && plan.batches.last?.upperBound == phrases.count)
        #expect(zip(plan.batches, plan.batches.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        for batch in plan.batches.dropLast() {
            #expect(phrases[batch].map(\.utf8.count).reduce(0, +) >= SynthesisPlan.batchCharacters)
        }
        #expect(plan.batches.count > 1)
        #expect(SynthesisPlan(phrases: []).batches.isEmpty)
    }
}
