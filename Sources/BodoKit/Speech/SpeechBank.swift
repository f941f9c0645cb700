import Foundation

/// The synthesized speech of a session: each distinct phrase once, in first-use order, with
/// silence trimmed from both ends so the timeline, not the engine, decides every pause.
///
/// One thread fills it (`synthesize`) while others already use what is there (`clip(_:)` waits
/// for a phrase that is not done yet). That lets a session be written, or played, while the
/// rest of its speech is still being made, instead of after all of it.
public final class SpeechBank: @unchecked Sendable {
    public let sampleRate: Int
    public let phrases: [String]
    public let store: ClipStore
    private let index: [String: Int]

    /// Guards `slices`, `leveler` and `failure`, and wakes the waiters in `clip(_:)` when any changes.
    private let arrival = NSCondition()
    private var slices: [ClipStore.Slice] = []
    private var leveler: SpeechLeveler?
    private var failure: (any Error)?
    /// The voice's level above or below the target loudness, in dB (`--voice-volume`).
    private let levelOffset: Double

    public init(phrases: [String], sampleRate: Int, levelOffset: Double = 0) throws {
        self.phrases = phrases
        self.sampleRate = sampleRate
        self.levelOffset = levelOffset
        store = try ClipStore()
        index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
    }

    /// Synthesizes every phrase in order, publishing each as soon as it is stored. Runs once,
    /// on whichever thread calls it; a failure is handed to everyone waiting for a clip.
    ///
    /// The voice's calibration sentence comes first (`SpeechLeveler`): its gain is known before
    /// the first phrase is stored, and every phrase is stored at its final level.
    public func synthesize(with synthesizer: some SpeechSynthesizer) {
        do {
            var leveler: SpeechLeveler?
            try synthesizer.synthesize([SpeechLeveler.calibration] + phrases) { index, clip in
                guard let level = leveler else {
                    let calibrated = SpeechLeveler(calibration: Array(trimSilence(clip)), sampleRate: sampleRate, offset: levelOffset)
                    leveler = calibrated
                    arrival.withLock { self.leveler = calibrated }
                    arrival.broadcast()
                    return
                }
                let slice = try level.level(trimSilence(clip)).withUnsafeBufferPointer { try store.append($0) }
                arrival.withLock { slices.append(slice) }
                arrival.broadcast()
            }
        } catch {
            arrival.withLock { failure = error }
            arrival.broadcast()
        }
    }

    /// Makes every wait for a clip, now and later, throw `error` (see `Session.cancel`).
    public func cancel(with error: any Error) {
        arrival.withLock { if failure == nil { failure = error } }
        arrival.broadcast()
    }

    /// The voice's leveler, waiting for the calibration sentence if need be.
    public func waitForLeveler() throws -> SpeechLeveler {
        arrival.lock()
        defer { arrival.unlock() }
        while leveler == nil {
            if let failure { throw failure }
            arrival.wait()
        }
        return leveler!
    }

    /// Every phrase is synthesized (or synthesis failed); nothing more will arrive.
    public var isFinished: Bool {
        arrival.withLock { slices.count == phrases.count || failure != nil }
    }

    /// Where clip `index` is in the store, waiting until it has been synthesized.
    public func clip(_ index: Int) throws -> ClipStore.Slice {
        arrival.lock()
        defer { arrival.unlock() }
        while slices.count <= index {
            if let failure { throw failure }
            arrival.wait()
        }
        return slices[index]
    }

    /// The phrase's clip index and length in samples, waiting for it if need be.
    public func clip(for phrase: String) throws -> (index: Int, length: Int) {
        guard let index = index[phrase] else {
            preconditionFailure("the speech bank was not made from this plan: no clip for '\(phrase)'")
        }
        return (index, try clip(index).count)
    }

    /// A clip's samples (for tests and tools; rendering reads the store block by block).
    public func samples(ofClip index: Int) throws -> Clip {
        let slice = try clip(index)
        var samples = Clip(repeating: 0, count: slice.count)
        try samples.withUnsafeMutableBufferPointer { try store.read(slice, from: 0, into: $0) }
        return samples
    }
}
