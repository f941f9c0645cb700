/// Speech as mono signed 16-bit samples.
public typealias Clip = [Int16]

/// Something that turns phrases into audio. The product uses `EspeakSynthesizer`; tests may wrap
/// it or stand a tone generator beside it to check timing rules independently of a voice.
public protocol SpeechSynthesizer: Sendable {
    var sampleRate: Int { get }
    /// One clip per phrase, in the same order. Phrases are synthesized in exactly this order,
    /// which is what keeps the output identical from run to run.
    func synthesize(_ phrases: [String]) throws -> [Clip]
}

/// The synthesized speech of a session: each distinct phrase once, silence trimmed from both
/// ends so the timeline, not the engine, decides every pause.
public struct SpeechBank: Sendable {
    public let sampleRate: Int
    public private(set) var clips: [Clip]
    private var index: [String: Int]

    public init(phrases: [String], synthesizer: some SpeechSynthesizer) throws {
        sampleRate = synthesizer.sampleRate
        clips = try synthesizer.synthesize(phrases).map(trimSilence)
        index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
    }

    public func clipIndex(for phrase: String) -> Int? { index[phrase] }
}

/// Anything quieter than this (about -54 dBFS) at the ends of a clip counts as silence.
let silenceThreshold: Int16 = 64

/// Drops the engine's lead-in and trailing silence, keeping a few milliseconds so that onsets and
/// decays are not clipped.
func trimSilence(_ clip: Clip) -> Clip {
    let margin = 64
    guard let first = clip.firstIndex(where: { abs(Int($0)) > Int(silenceThreshold) }),
          let last = clip.lastIndex(where: { abs(Int($0)) > Int(silenceThreshold) }) else { return [] }
    return Array(clip[max(0, first - margin)...min(clip.count - 1, last + margin)])
}
