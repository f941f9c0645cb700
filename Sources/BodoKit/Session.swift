import Foundation
import Synchronization

/// One run of the pipeline: script -> cue plan -> synthesized speech -> timeline of sample
/// positions -> renderer.
///
/// Creating a session plans it and starts synthesizing its speech on a background thread;
/// `makeRenderer()` can be used at once (it waits only for speech it reaches before it exists),
/// and `timeline()` waits for all of it.
public final class Session: Sendable {
    public let routine: Routine
    public let plan: CuePlan
    public let bank: SpeechBank
    public let tick: Clip
    private let complete = Mutex<Timeline?>(nil)

    public init(routine: Routine, options: PlanOptions = PlanOptions(), synthesizer: some SpeechSynthesizer) throws {
        self.routine = routine
        plan = CuePlanner.plan(routine, options: options)
        let bank = try SpeechBank(phrases: plan.phrases, sampleRate: synthesizer.sampleRate)
        self.bank = bank
        tick = Tick.clip(sampleRate: synthesizer.sampleRate)
        Thread { bank.synthesize(with: synthesizer) }.start()
    }

    public var sampleRate: Int { bank.sampleRate }

    /// The whole timeline, once every phrase is synthesized.
    public func timeline() throws -> Timeline {
        if let timeline = complete.withLock({ $0 }) { return timeline }
        var scheduler = TimelineScheduler(plan: plan, sampleRate: sampleRate, tickLength: tick.count)
        try scheduler.scheduleAll(clip: bank.clip(for:))
        let timeline = Timeline(scheduler)
        complete.withLock { $0 = timeline }
        return timeline
    }

    /// A fresh renderer at the start of the session. Each output makes its own.
    public func makeRenderer() -> SessionRenderer {
        SessionRenderer(plan: plan, bank: bank, tick: tick)
    }
}
