// The fuzz target for everything a shared file or a name can reach: any bytes go in.
// The first byte picks the path:
//   0-127    a routine script: loaded, planned for both sides and laid out on a timeline;
//   128-191  a voice profile: loaded, then checked and used by espeak-ng itself;
//   192-255  a text handed straight to espeak-ng (as a cue's words would be).
// Nothing may crash, hang or leak, and no text may change the engine for the phrases after it.
// Built and run by fuzz/run.sh (libFuzzer + AddressSanitizer).
#if !BODO_FUZZ
import BodoKit  // fuzz/run.sh compiles the engine's sources into this module instead
#endif
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Data(bytes: data + 1, count: size - 1)
    switch data[0] {
    case 0..<128: fuzzRoutine(bytes)
    case 128..<192: fuzzVoice(bytes)
    default: fuzzText(bytes)
    }
    return 0
}

private func fuzzRoutine(_ bytes: Data) {
    guard let routine = try? RoutineLoader.load(bytes, file: "fuzz.yaml") else { return }
    for side in [Side.left, .right] {
        let plan = CuePlanner.plan(routine, options: PlanOptions(side: side))
        let phrases = plan.phrases
        let index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
        var scheduler = TimelineScheduler(plan: plan, sampleRate: 22050, tickLength: 661)
        // Stand-in lengths: 60 samples a byte, like a fast voice. A session past the day's limit
        // is refused, which is a fine answer.
        guard (try? scheduler.scheduleAll { text in (index[text]!, text.utf8.count * 60) }) != nil else { continue }
        let timeline = Timeline(scheduler)
        // The timeline's promises, checked on every input.
        for (a, b) in zip(timeline.cues, timeline.cues.dropFirst()) where a.end > b.start { fatalError("cues overlap") }
        if let last = timeline.cues.last, last.end > timeline.totalSamples { fatalError("a cue runs past the end") }
        for text in phrases where text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            fatalError("a control character reached a cue: \(text.debugDescription)")
        }
    }
}

private let engine = try! EspeakEngine.shared()
private let defaultVoice = VoiceProfile(name: "fuzz", espeakVoice: "en-us", variant: "m3", rate: 155)
/// The reference phrase before any fuzz input, to check that none changes the engine.
private let reference = "Point 4 of 12, right side."
private let referenceSound = try! measure(speak(reference, defaultVoice))

/// Length and loudness (RMS) of a clip.
private func measure(_ clip: Clip) -> (length: Double, rms: Double) {
    let energy = clip.reduce(0.0) { $0 + Double($1) * Double($1) }
    return (Double(clip.count), (energy / Double(max(1, clip.count))).squareRoot())
}

private func speak(_ text: String, _ voice: VoiceProfile) throws -> Clip {
    var clip: Clip = []
    try engine.synthesize([text], voice: voice) { _, samples in clip = samples }
    return clip
}

private func fuzzVoice(_ bytes: Data) {
    guard let profile = try? VoiceProfile.load(bytes, file: "fuzz-voice.yaml") else { return }
    // Only names espeak-ng lists get through; an unknown one is refused, never loaded.
    guard (try? engine.validate(profile)) != nil else { return }
    _ = try? speak("Press.", profile)
    checkEngineUnchanged()
}

private func fuzzText(_ bytes: Data) {
    // A cue is at most 1000 characters; keep inputs short so the fuzzer stays fast.
    let text = String(decoding: bytes.prefix(200), as: UTF8.self)
    _ = try? speak(text, defaultVoice)
    checkEngineUnchanged()
}

/// espeak-ng's output drifts with what it has said before (ordinary words move the reference
/// by up to about 5%); an embedded command changes it far more: `\x01 80S` (rate 80) nearly
/// doubles its length, `\x01 0A` (amplitude 0) silences it.
private func checkEngineUnchanged() {
    let now = measure(try! speak(reference, defaultVoice))
    let length = now.length / referenceSound.length, loudness = now.rms / referenceSound.rms
    if !(0.8...1.25).contains(length) || !(0.5...2).contains(loudness) {
        fatalError("an input changed the engine: the reference phrase is \(length)x as long and \(loudness)x as loud")
    }
}
