/// Everything one run needs, built once by the one pipeline:
/// script -> cue plan -> synthesized speech -> timeline of sample positions -> renderer.
public struct Session: Sendable {
    public let routine: Routine
    public let plan: CuePlan
    public let bank: SpeechBank
    public let timeline: Timeline
    public let tick: Clip

    public init(routine: Routine, options: PlanOptions = PlanOptions(), synthesizer: some SpeechSynthesizer) throws {
        self.routine = routine
        plan = CuePlanner.plan(routine, options: options)
        bank = try SpeechBank(phrases: plan.phrases, synthesizer: synthesizer)
        tick = Tick.clip(sampleRate: bank.sampleRate)
        timeline = Timeline(plan: plan, bank: bank, tickLength: tick.count)
    }

    public var sampleRate: Int { timeline.sampleRate }

    /// A fresh renderer at the start of the session. Each output makes its own.
    public func makeRenderer() -> SessionRenderer {
        SessionRenderer(timeline: timeline, bank: bank, tick: tick)
    }
}
