import Foundation

/// The synthesized speech of a session: each distinct phrase once, in first-use order, with
/// silence trimmed from both ends so the timeline, not the engine, decides every pause.
///
/// It fills in the background (`synthesize`) while others already use what is there (`clip(_:)`
/// waits for a phrase that is not done yet). That lets a session be written, or played, while
/// the rest of its speech is still being made, instead of after all of it. With workers, clips
/// arrive out of order, each filed by its phrase's index.
public final class SpeechBank: @unchecked Sendable {
    public let sampleRate: Int
    public let phrases: [String]
    public let store: ClipStore
    private let index: [String: Int]

    /// Guards `slices`, `arrived`, `leveler` and `failure`, and wakes the waiters in `clip(_:)` when any changes.
    private let arrival = NSCondition()
    private var slices: [ClipStore.Slice?]
    private var arrived = 0
    private var leveler: SpeechLeveler?
    private var failure: (any Error)?
    /// The workers making the rest of the speech, to let go when the session is cancelled.
    private weak var pool: WorkerPool?
    /// The voice's level above or below the target loudness, in dB (`--voice-volume`).
    let levelOffset: Double

    public init(phrases: [String], sampleRate: Int, levelOffset: Double = 0) throws {
        self.phrases = phrases
        self.sampleRate = sampleRate
        self.levelOffset = levelOffset
        store = try ClipStore()
        slices = Array(repeating: nil, count: phrases.count)
        index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
    }

    /// Synthesizes every phrase, publishing each as soon as it is stored. Runs once, on
    /// whichever thread calls it; a failure is handed to everyone waiting for a clip.
    ///
    /// The voice's gain comes first (`SpeechLeveler`), from the voice if it carries one, else
    /// from its calibration sentence, so every phrase is stored at its final level.
    public func synthesize(with synthesizer: some SpeechSynthesizer) {
        do {
            if let spread = synthesizer.spread() {
                try synthesizeSpread(with: synthesizer, spread)
            } else {
                try synthesizeHere(with: synthesizer)
            }
        } catch {
            cancel(with: error)
        }
    }

    /// Everything in this process, in order: the calibration sentence (unless the gain is
    /// known), then each phrase. For engines whose sound does not depend on what they said before.
    private func synthesizeHere(with synthesizer: some SpeechSynthesizer) throws {
        let known = synthesizer.gain(offset: levelOffset)
        var leveler = known.map { SpeechLeveler(gain: $0, sampleRate: sampleRate) }
        if let leveler { publish(leveler) }
        let calibration = known == nil ? [SpeechLeveler.calibration] : []
        try synthesizer.synthesize(calibration + phrases) { index, clip in
            guard let level = leveler else {
                let gain = SpeechLeveler.gain(calibration: Array(trimSilence(clip)), sampleRate: sampleRate, offset: levelOffset)
                let calibrated = SpeechLeveler(gain: gain, sampleRate: sampleRate)
                leveler = calibrated
                publish(calibrated)
                return
            }
            try store(level.finish(clip), as: index - calibration.count)
        }
    }

    /// The batches of `SynthesisPlan`, each from a fresh engine: the first here if this
    /// process's engine has never spoken (the quickest way to the first sound), every other in
    /// a worker. The calibration, if needed, is a worker's too, so it changes no clip.
    private func synthesizeSpread(with synthesizer: some SpeechSynthesizer, _ spread: SpreadSynthesis) throws {
        let plan = SynthesisPlan(phrases: phrases)
        let gain = synthesizer.gain(offset: levelOffset)
        if let gain { publish(SpeechLeveler(gain: gain, sampleRate: sampleRate)) }
        // The engine is held from the question "has it spoken?" to the end of the first batch,
        // so nothing else in the process can speak in between and change that batch.
        try spread.whileFresh { speakHere in
            let here = speakHere != nil && !plan.batches.isEmpty
            let elsewhere = Array((here ? 1 : 0)..<plan.batches.count)
            let pool: WorkerPool? = elsewhere.isEmpty && gain != nil ? nil
                : try WorkerPool(spread.workers, request: WorkerRequest(voice: spread.voice, offset: levelOffset, phrases: phrases, plan: plan),
                                 batches: elsewhere, gain: gain, bank: self)
            arrival.withLock { self.pool = pool }
            if arrival.withLock({ failure != nil }) { pool?.stop() }
            if here, let speakHere {
                let first = plan.batches[0]
                try speakHere(Array(phrases[first])) { index, clip in
                    try store(try waitForLeveler().finish(clip), as: first.lowerBound + index)
                }
            }
            withExtendedLifetime(pool) {}
        }
    }

    /// Files a finished clip (trimmed and levelled) under its phrase's index.
    func store(_ clip: Clip, as index: Int) throws {
        let slice = try clip.withUnsafeBufferPointer { try store.append($0) }
        arrival.withLock {
            if slices[index] == nil { arrived += 1 }
            slices[index] = slice
        }
        arrival.broadcast()
    }

    func publish(_ leveler: SpeechLeveler) {
        arrival.withLock { self.leveler = leveler }
        arrival.broadcast()
    }

    /// Makes every wait for a clip, now and later, throw `error` (see `Session.cancel`).
    public func cancel(with error: any Error) {
        let pool = arrival.withLock { () -> WorkerPool? in
            if failure == nil { failure = error }
            return self.pool
        }
        arrival.broadcast()
        pool?.stop()
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
        arrival.withLock { arrived == phrases.count || failure != nil }
    }

    /// Where clip `index` is in the store, waiting until it has been synthesized.
    public func clip(_ index: Int) throws -> ClipStore.Slice {
        arrival.lock()
        defer { arrival.unlock() }
        while true {
            if let slice = slices[index] { return slice }
            if let failure { throw failure }
            arrival.wait()
        }
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
