import Foundation
import Synchronization
import Testing
@testable import BodoKit

/// A small valid script that the bad-input cases below change one thing in.
let minimalScript = """
name: Test
points:
  - number: 1
    side: right
    location: Here.
"""

/// Stands beside espeak-ng to test timing rules with phrase lengths the test chooses:
/// every phrase is a tone `samplesPerCharacter` long per character.
struct ToneSynthesizer: SpeechSynthesizer {
    var sampleRate = 22050
    var samplesPerCharacter = 500

    func synthesize(_ phrases: [String], take: (Int, Clip) throws -> Void) throws {
        for (index, text) in phrases.enumerated() {
            try take(index, (0..<(text.count * samplesPerCharacter)).map { Int16(8000 * sin(Double($0) * 0.1)) })
        }
    }
}

/// The default session, synthesized once for every test that only reads it: twelve tests
/// each synthesizing the whole session queued on espeak-ng's one lock (issue 19).
let sharedDefaultSession = Result { try backSession() }

func backSession(_ options: PlanOptions = PlanOptions(), voice: String = "default") throws -> Session {
    let library = Library(environment: [:])
    return try Session(routine: library.routine("back"), options: options,
                       synthesizer: EspeakSynthesizer(voice: library.voice(voice)))
}

extension Array where Element: Equatable {
    func removingRepeats() -> [Element] {
        reduce(into: []) { result, element in if result.last != element { result.append(element) } }
    }
}

/// Tones, but only the first `open` phrases at once: each later one waits for the test to
/// open the gate (at most 10 s, so a test that forgets fails instead of hanging).
struct GatedSynthesizer: SpeechSynthesizer {
    var sampleRate = 22050
    let open: Int
    let gate: DispatchSemaphore

    func synthesize(_ phrases: [String], take: (Int, Clip) throws -> Void) throws {
        for (index, text) in phrases.enumerated() {
            // The leveller's calibration sentence comes first, as phrase 0.
            if index > open, gate.wait(timeout: .now() + 10) == .timedOut {
                throw BodoError(.failure, at: nil, "the test never opened the gate")
            }
            try take(index, (0..<(text.count * 300)).map { Int16(8000 * sin(Double($0) * 0.1)) })
        }
    }
}

/// A plan laid out with stand-in clip lengths, as the fuzz targets build one.
func laidOut(_ steps: [PlanStep], titles: [CueContext: String] = [:]) throws -> Timeline {
    let plan = CuePlan(steps: steps, titles: titles)
    var scheduler = TimelineScheduler(plan: plan, sampleRate: 22050, tickLength: 661)
    let index = Dictionary(plan.phrases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    try scheduler.scheduleAll { words in (index[words] ?? 0, words.utf8.count * 60) }
    return Timeline(scheduler)
}
