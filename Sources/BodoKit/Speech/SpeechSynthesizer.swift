/// Speech as mono signed 16-bit samples.
public typealias Clip = [Int16]

/// Something that turns phrases into audio. The product uses `EspeakSynthesizer`; tests may wrap
/// it or stand a tone generator beside it to check timing rules independently of a voice.
public protocol SpeechSynthesizer: Sendable {
    var sampleRate: Int { get }
    /// Synthesizes the phrases in exactly this order (which is what keeps the output identical
    /// from run to run) and hands each clip to `take` as soon as it is done, so no more than one
    /// phrase's audio is in memory at a time.
    func synthesize(_ phrases: [String], take: (_ index: Int, _ clip: Clip) throws -> Void) throws
    /// The voice's gain for a target moved by `offset` dB, if it is known without speaking the
    /// calibration sentence.
    func gain(offset: Double) -> Double?
    /// How to spread the session's synthesis over worker processes; nil makes it all here, in order.
    func spread() -> SpreadSynthesis?
}

extension SpeechSynthesizer {
    public func gain(offset: Double) -> Double? { nil }
    public func spread() -> SpreadSynthesis? { nil }
}

/// What a synthesizer needs to have its batches made by workers (see `SpeechBank.synthesize`).
public struct SpreadSynthesis: Sendable {
    public var workers: SynthesisWorkers
    /// The voice every worker sets, as this process does.
    public var voice: VoiceProfile
    /// Runs its body holding this process's engine, with a way to speak from its fresh state
    /// if it has never spoken (the first batch is then made here), else nil.
    public var whileFresh: @Sendable (_ body: (_ speak: FreshSpeech?) throws -> Void) throws -> Void
}

/// Makes phrases from an engine that has never spoken before (`SpreadSynthesis.whileFresh`).
public typealias FreshSpeech = (_ phrases: [String], _ take: (_ index: Int, _ clip: Clip) throws -> Void) throws -> Void

/// Anything quieter than this (about -54 dBFS) at the ends of a clip counts as silence.
let silenceThreshold: Int16 = 64

/// Drops the engine's lead-in and trailing silence, keeping a few milliseconds so that onsets and
/// decays are not clipped.
func trimSilence(_ clip: Clip) -> ArraySlice<Int16> {
    let margin = 64
    guard let first = clip.firstIndex(where: { abs(Int($0)) > Int(silenceThreshold) }),
          let last = clip.lastIndex(where: { abs(Int($0)) > Int(silenceThreshold) }) else { return [] }
    return clip[max(0, first - margin)...min(clip.count - 1, last + margin)]
}
