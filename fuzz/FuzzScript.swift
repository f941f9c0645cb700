// The fuzz target for the script loader and the script engine: any bytes go in; a routine that
// loads is planned for both sides and laid out on a timeline. Nothing may crash or hang.
// Built and run by fuzz/run.sh (libFuzzer).
#if !BODO_FUZZ
import BodoKit  // fuzz/run.sh compiles the engine's sources into this module instead
#endif
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    guard let routine = try? RoutineLoader.load(bytes, file: "fuzz.yaml") else { return 0 }
    for side in [Side.left, .right] {
        let plan = CuePlanner.plan(routine, options: PlanOptions(side: side))
        let phrases = plan.phrases
        let index = Dictionary(uniqueKeysWithValues: phrases.enumerated().map { ($1, $0) })
        var scheduler = TimelineScheduler(plan: plan, sampleRate: 22050, tickLength: 661)
        // Stand-in lengths: 60 samples a byte, like a fast voice.
        scheduler.scheduleAll { text in (index[text]!, text.utf8.count * 60) }
        let timeline = Timeline(scheduler)
        // The timeline's promises, checked on every input.
        for (a, b) in zip(timeline.cues, timeline.cues.dropFirst()) where a.end > b.start { fatalError("cues overlap") }
        if let last = timeline.cues.last, last.end > timeline.totalSamples { fatalError("a cue runs past the end") }
    }
    return 0
}
