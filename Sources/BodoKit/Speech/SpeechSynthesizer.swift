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
}

/// The synthesized speech of a session: each distinct phrase once, silence trimmed from both
/// ends so the timeline, not the engine, decides every pause.
public struct SpeechBank: Sendable {
    public let sampleRate: Int
    public let store: ClipStore
    /// Where each phrase's clip is in `store`, in the order of the phrases given.
    public private(set) var slices: [ClipStore.Slice] = []
    private var index: [String: Int]

    public init(phrases: [String], synthesizer: some SpeechSynthesizer, store: ClipStore? = nil) throws {
        sampleRate = synthesizer.sampleRate
        self.store = try store ?? ClipStore()
        index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
        var slices: [ClipStore.Slice] = []
        slices.reserveCapacity(phrases.count)
        try synthesizer.synthesize(phrases) { _, clip in
            slices.append(try trimSilence(clip).withUnsafeBufferPointer { try self.store.append($0) })
        }
        self.slices = slices
    }

    public func clipIndex(for phrase: String) -> Int? { index[phrase] }

    public func length(ofClip clip: Int) -> Int { slices[clip].count }

    /// A clip's samples (for tests and tools; rendering reads the store block by block).
    public func samples(ofClip clip: Int) throws -> Clip {
        var samples = Clip(repeating: 0, count: slices[clip].count)
        try samples.withUnsafeMutableBufferPointer { try store.read(slices[clip], from: 0, into: $0) }
        return samples
    }
}

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
