import CEspeakNG
import Foundation

/// libespeak-ng, linked into the process.
///
/// espeak-ng keeps all of its state in globals: it must be initialized once per process and two
/// calls must never run at once (they crash). So there is exactly one engine, created on first
/// use, and every call into the library happens inside its one lock. Synchronous output mode
/// makes the library call our callback on the calling thread, inside that same lock.
public final class EspeakEngine: Sendable {
    private let lock = Locked(EngineState())
    public let sampleRate: Int

    private struct EngineState {
        var voice: VoiceProfile?
        /// Whether the engine has spoken (or been promised to a batch that needs it fresh).
        var hasSpoken = false
        /// What `knownNames()` found, listed once.
        var known: (voices: Set<String>, variants: Set<String>)?
    }

    /// The process's engine, or why it could not start (for example, missing voice data).
    public static func shared() throws -> EspeakEngine { try sharedEngine.get() }

    private static let sharedEngine: Result<EspeakEngine, BodoError> = Result { try EspeakEngine() }
        .mapError { $0 as? BodoError ?? BodoError(.failure, at: nil, "\($0)") }

    private init() throws {
        // The espeak_ng_* entry points report errors as status codes; the older espeak_Initialize
        // calls exit() when its data is missing, which a library must never do.
        espeak_ng_InitializePath(nil)
        var context: espeak_ng_ERROR_CONTEXT?
        var status = espeak_ng_Initialize(&context)
        defer { espeak_ng_ClearErrorContext(&context) }
        if status == ENS_OK { status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nil) }
        guard status == ENS_OK else {
            throw BodoError(.failure, at: nil, "espeak-ng could not start: \(Self.message(status))")
        }
        espeak_SetSynthCallback(collectSamples)
        sampleRate = Int(espeak_ng_GetSampleRate())
    }

    /// Synthesizes the phrases in order with the given voice. One lock for the whole batch: the
    /// voice is set once and nothing else can change it half-way.
    public func synthesize(_ phrases: [String], voice: VoiceProfile, take: (Int, Clip) throws -> Void) throws {
        try lock.withLock { state in
            if state.voice != voice {
                try apply(voice, &state)
                state.voice = voice
            }
            state.hasSpoken = true
            for (index, phrase) in phrases.enumerated() {
                try take(index, try speak(phrase))
            }
        }
    }

    /// True once, if nothing has been synthesized yet: the engine is still as it started, and
    /// from now on counts as having spoken.
    public func claimFresh() -> Bool {
        lock.withLock { state in
            defer { state.hasSpoken = true }
            return !state.hasSpoken
        }
    }

    /// Runs `body` holding the engine, so nothing else can speak between the question and the
    /// answer: `speak` is given if the engine has never spoken (it makes phrases with `voice`
    /// from that fresh state), nil if it has. Either way it counts as having spoken after.
    public func whileFresh(voice: VoiceProfile, _ body: (_ speak: FreshSpeech?) throws -> Void) throws {
        try lock.withLock { state in
            // Set (and so checked) before any worker starts: a voice espeak-ng does not have
            // is bad input told here at its place, not by whichever worker meets it first. The
            // workers set it the same way, so their engines and this one start alike.
            if state.voice != voice {
                try apply(voice, &state)
                state.voice = voice
            }
            let fresh = !state.hasSpoken
            state.hasSpoken = true
            guard fresh else { return try body(nil) }
            try body { phrases, take in
                for (index, phrase) in phrases.enumerated() { try take(index, try self.speak(phrase)) }
            }
        }
    }

    /// Checks that espeak-ng knows the profile's voice and variant, without synthesizing.
    public func validate(_ voice: VoiceProfile) throws {
        try lock.withLock { state in
            try apply(voice, &state)
            state.voice = voice
        }
    }

    /// The voices and variants espeak-ng has installed.
    public func installedVoices() -> (voices: [InstalledVoice], variants: [InstalledVoice]) {
        lock.withLock { _ in
            (Self.list(nil), Self.list("variant"))
        }
    }

    public struct InstalledVoice: Sendable, Equatable {
        public var name: String
        public var identifier: String
        public var languages: [String]

        /// The name a profile gives it: the identifier's last part (`gmw/en-US` -> `en-US`, `!v/m3` -> `m3`).
        public var fileName: String { String(identifier.split(separator: "/").last ?? "") }
    }

    /// Only names espeak-ng itself lists ever reach SetVoiceByName: it treats a name as a path
    /// under its data folder, so `../../etc/passwd` made it read (and print, and overflow on)
    /// any file. Must only run inside the lock.
    private func apply(_ voice: VoiceProfile, _ state: inout EngineState) throws {
        let known = state.known ?? knownNames()
        state.known = known
        guard known.voices.contains(voice.espeakVoice.lowercased()) else {
            throw BodoError(at: voice.voiceSource ?? .option("--voice"),
                            "espeak-ng has no voice \(excerpt(voice.espeakVoice)) (`bodo voices --all` lists them)")
        }
        if let variant = voice.variant, !known.variants.contains(variant.lowercased()) {
            throw BodoError(at: voice.variantSource ?? voice.voiceSource ?? .option("--voice"),
                            "espeak-ng has no variant \(excerpt(variant)) (`bodo voices --all` lists them)")
        }
        let status = espeak_ng_SetVoiceByName(voice.espeakName)
        guard status == ENS_OK else {
            throw BodoError(at: voice.voiceSource ?? .option("--voice"),
                            "espeak-ng cannot load voice \(excerpt(voice.espeakName)) (see `bodo voices`)")
        }
        let parameters: [(espeak_PARAMETER, Int)] = [
            (espeakRATE, Self.toldRate(voice.rate)), (espeakPITCH, voice.pitch), (espeakVOLUME, voice.volume), (espeakWORDGAP, voice.wordGap),
        ]
        for (parameter, value) in parameters {
            let status = espeak_ng_SetParameter(parameter, Int32(value), 0)
            guard status == ENS_OK else {
                throw BodoError(.failure, at: nil, "espeak-ng refused a voice parameter: \(Self.message(status))")
            }
        }
    }

    /// What espeak-ng is told for a profile's `rate`, which is the words a minute a person hears.
    /// espeak-ng speaks faster than its rate says: with the default voice (en-us, m3) bodo's 183
    /// phrases of the back routine came out at 172 words a minute of speech when told 155
    /// (measured 2026-12-02: words over the trimmed clips' length; `theDefaultVoiceSpeaksAtItsProfilesRate`
    /// keeps it within 5%). So it is told 155/172 of the profile's rate, within the range it accepts.
    static func toldRate(_ rate: Int) -> Int {
        (rate * 155 / 172).clamped(atLeast: VoiceProfile.rateRange.lowerBound, atMost: VoiceProfile.rateRange.upperBound)
    }

    /// The names a profile may use, lower-cased, as SetVoiceByName matches them: each voice's
    /// file name (`en-us`, `en`) and full name, and each variant's file name (`m3`). (A voice's
    /// languages are not names: the voice `en` speaks `en-gb`, but no voice is called that.)
    /// Must only run inside the lock.
    ///
    /// The voices come from espeak_ListVoices(NULL), whose list SetVoiceByName reuses; listing
    /// the variants too would read every voice file a second time (tens of milliseconds before
    /// the first sound), so they are the file names in the variants' own folder.
    private func knownNames() -> (voices: Set<String>, variants: Set<String>) {
        var data: UnsafePointer<CChar>?
        _ = espeak_Info(&data)
        let folder = data.map { String(cString: $0) + "/voices/!v" } ?? ""
        let variants = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return (Set(Self.list(nil).flatMap { [$0.fileName.lowercased(), $0.name.lowercased()] }),
                Set(variants.map { $0.lowercased() }))
    }

    /// Must only run inside the lock.
    private func speak(_ text: String) throws -> Clip {
        let sink = SampleSink()
        // The boundary: nothing but what `isSpeakable` allows reaches espeak-ng, whoever made the
        // text. Control characters are commands to it (0x01 starts one that changes the rate or
        // silences everything after it, for the rest of the process), and letters of another
        // alphabet switch its translator (where 1.51 reads freed memory). The loader refuses
        // both in scripts, at their place; here they become spaces.
        let text = Self.speakable(text)
        let status = text.withCString { cText in
            espeak_ng_Synthesize(cText, strlen(cText) + 1, 0, POS_CHARACTER, 0,
                                 UInt32(espeakCHARS_UTF8), nil, Unmanaged.passUnretained(sink).toOpaque())
        }
        withExtendedLifetime(sink) {}
        guard status == ENS_OK else {
            throw BodoError(.failure, at: nil, "espeak-ng could not speak \(excerpt(text)): \(Self.message(status))")
        }
        return sink.samples
    }

    /// The text with every character espeak-ng must not see replaced by a space.
    static func speakable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isSpeakable ? $0 : " " }))
    }

    private static func list(_ language: String?) -> [InstalledVoice] {
        func collect(_ list: UnsafeMutablePointer<UnsafePointer<espeak_VOICE>?>?) -> [InstalledVoice] {
            var result: [InstalledVoice] = []
            var cursor = list
            while let entry = cursor?.pointee {
                let voice = entry.pointee
                result.append(InstalledVoice(
                    name: voice.name.map { String(cString: $0) } ?? "",
                    identifier: voice.identifier.map { String(cString: $0) } ?? "",
                    languages: languages(voice.languages)))
                cursor = cursor?.advanced(by: 1)
            }
            return result
        }
        guard let language else { return collect(espeak_ListVoices(nil)) }
        return language.withCString { cLanguage in
            var spec = espeak_VOICE()
            spec.languages = cLanguage
            return collect(espeak_ListVoices(&spec))
        }
    }

    /// espeak_VOICE.languages is a run of (priority byte, NUL-terminated name) pairs ending in a zero byte.
    private static func languages(_ pointer: UnsafePointer<CChar>?) -> [String] {
        guard var p = pointer else { return [] }
        var result: [String] = []
        while p.pointee != 0 {
            p += 1
            let name = String(cString: p)
            result.append(name)
            p += name.utf8.count + 1
        }
        return result
    }

    private static func message(_ status: espeak_ng_STATUS) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        espeak_ng_GetStatusCodeMessage(status, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Where the callback puts the samples of the utterance being synthesized. It travels to the
/// callback as espeak-ng's `user_data`, which comes back in every event.
private final class SampleSink {
    var samples: Clip = []
}

/// The synth callback: a top-level function because C function pointers cannot capture context.
private func collectSamples(_ wav: UnsafeMutablePointer<Int16>?, _ count: Int32, _ events: UnsafeMutablePointer<espeak_EVENT>?) -> Int32 {
    guard let wav, count > 0, let userData = events?.pointee.user_data else { return 0 }
    let sink = Unmanaged<SampleSink>.fromOpaque(userData).takeUnretainedValue()
    sink.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count)))
    return 0
}

/// The product's synthesizer: espeak-ng with one voice profile.
public struct EspeakSynthesizer: SpeechSynthesizer {
    public let voice: VoiceProfile
    /// Where a session's batches are made; nil makes all of it in this process, in order (so
    /// each clip depends on every one before it: fine for tests that only compare runs alike).
    public let workers: SynthesisWorkers?
    private let engine: EspeakEngine

    public init(voice: VoiceProfile, workers: SynthesisWorkers? = nil) throws {
        self.voice = voice
        self.workers = workers
        engine = try EspeakEngine.shared()
    }

    /// The shipped voices carry their gain at the usual target; any other target is measured.
    public func gain(offset: Double) -> Double? { offset == 0 ? voice.measuredGain : nil }

    public func spread() -> SpreadSynthesis? {
        workers.map { [engine, voice] in SpreadSynthesis(workers: $0, voice: voice, whileFresh: { try engine.whileFresh(voice: voice, $0) }) }
    }

    public var sampleRate: Int { engine.sampleRate }

    public func synthesize(_ phrases: [String], take: (Int, Clip) throws -> Void) throws {
        try engine.synthesize(phrases, voice: voice, take: take)
    }
}
