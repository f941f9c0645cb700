import CEspeakNG

extension VoiceProfile {
    /// Everything that decides how the voice sounds to espeak-ng, and the engine's version: two
    /// profiles with the same key make the same samples, whatever they are called.
    public var soundKey: String {
        let version = String(cString: espeak_Info(nil))
        return "espeak-ng \(version) \(espeakName.lowercased()) rate \(EspeakEngine.toldRate(rate)) pitch \(pitch) volume \(volume) gap \(wordGap)"
    }

    /// The calibration's result for this voice at the usual target (no `--voice-volume`) if bodo ships it, so the first sound does not
    /// wait for the calibration sentence. A voice of its own (or a shipped one with a setting
    /// changed) has none and is measured each run, by a worker of its own.
    ///
    /// The figures are exact (a Double written in full), not rounded: a session made with them
    /// is byte-identical to one made with a fresh measurement (`theShippedGainsAreWhatMeasuringGives`
    /// measures each again and says what to write here when the engine changes).
    public var measuredGain: Double? { Self.measuredGains[soundKey] }

    static let measuredGains: [String: Double] = [
        "espeak-ng 1.51 en-us+m3 rate 139 pitch 45 volume 90 gap 0": 1.6236059200590505, // voices/default.yaml
        "espeak-ng 1.51 en+f2 rate 112 pitch 38 volume 100 gap 2": 1.0298580050862176, // voices/calm.yaml
    ]
}

extension VoiceProfile {
    /// Measures the voice's gain as a session does when it has none: the calibration sentence,
    /// spoken by a worker's fresh engine (see `SynthesisWorker`).
    public func measureGain(workers: SynthesisWorkers) throws -> Double {
        let engine = try EspeakEngine.shared()
        let bank = try SpeechBank(phrases: [], sampleRate: engine.sampleRate)
        _ = try WorkerPool(workers, request: WorkerRequest(voice: self, offset: 0, phrases: [], plan: SynthesisPlan(phrases: [])),
                           batches: [], gain: nil, bank: bank)
        return try bank.waitForLeveler().gain
    }
}
