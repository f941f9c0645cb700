import Foundation

/// One run of the pipeline: script -> cue plan -> synthesized speech -> timeline of sample
/// positions -> renderer.
///
/// Creating a session plans it and starts synthesizing its speech on a background thread;
/// `makeRenderer()` can be used at once (it waits only for speech it reaches before it exists),
/// and `timeline()` waits for all of it.
public final class Session: Sendable {
    /// The routine as its file has it: what the journal and the learned pace know it by.
    public let script: Routine
    /// The routine as this session works it, once for every output: mirrored for its side and
    /// its placeholders filled. The plan, the preview, the tags, the subtitles, the map and the
    /// page all read this one, so none can name a side the others do not.
    public let routine: Routine
    public let plan: CuePlan
    /// The options the session was made with.
    public let options: PlanOptions
    public let bank: SpeechBank
    public let tick: Clip
    /// For words outside the plan, such as the "where you are" cue after a pause.
    private let synthesizer: any SpeechSynthesizer
    /// The session's one scheduler, shared by every renderer and every question about the session.
    public let source: TimelineSource

    public init(routine script: Routine, options: PlanOptions = PlanOptions(), synthesizer: some SpeechSynthesizer) throws {
        self.script = script
        let routine = script.worked(on: options.side, hold: options.hold)
        self.routine = routine
        self.options = options
        plan = CuePlanner.plan(worked: routine, options: options)
        // Refuse an absurd session (999 points of 10-minute searches) at once, before a second
        // of speech is made; the scheduler checks the exact length as the speech arrives.
        guard plan.silentMilliseconds <= CuePlan.longestSession.milliseconds else {
            let hours = plan.silentMilliseconds / 3_600_000
            throw BodoError(at: routine.file.map { .path($0) },
                            "this session would last at least \(hours) hours; bodo makes sessions of at most \(CuePlan.longestSessionText)")
        }
        let bank = try SpeechBank(phrases: plan.phrases, sampleRate: synthesizer.sampleRate, levelOffset: options.voiceVolume)
        self.bank = bank
        tick = Tick.clip(sampleRate: synthesizer.sampleRate, offset: options.tickVolume)
        source = TimelineSource(plan: plan, bank: bank, tickLength: tick.count)
        self.synthesizer = synthesizer
        Thread { bank.synthesize(with: synthesizer) }.start()
    }

    public var sampleRate: Int { bank.sampleRate }

    /// What every output calls the session: its tags, subtitles, preview and page.
    public var title: String { routine.title }

    /// The whole timeline, once every phrase is synthesized.
    public func timeline() throws -> Timeline {
        try source.timeline()
    }

    /// The session's chapters and markers before any speech exists: the plan laid out with
    /// silent clips. Their names, order and number are final; their positions are not. Formats
    /// whose tags come first write these and fill in the places once the session is complete,
    /// so they can encode while the speech is still being made.
    public func provisionalTimeline() throws -> Timeline {
        var scheduler = TimelineScheduler(plan: plan, sampleRate: sampleRate, tickLength: tick.count)
        try scheduler.scheduleAll { _ in (index: 0, length: 0) }
        return Timeline(scheduler)
    }

    /// Synthesizes words that are not part of the plan, trimmed like the plan's own.
    public func speak(_ text: String) throws -> Clip {
        var result: Clip = []
        try synthesizer.synthesize([text]) { _, clip in result = Array(trimSilence(clip)) }
        return try bank.waitForLeveler().level(result[...])
    }

    /// Stops the session's work from another thread: everything waiting for speech (a
    /// renderer, `timeline()`) throws `error` at once instead of waiting for synthesis to end.
    public func cancel(with error: any Error) {
        bank.cancel(with: error)
    }

    /// The whole timeline if all speech is ready, without waiting for it; nil before.
    public func timelineIfReady() throws -> Timeline? {
        bank.isFinished ? try timeline() : nil
    }

    /// A fresh renderer at the start of the session. Each output makes its own.
    public func makeRenderer() -> SessionRenderer {
        SessionRenderer(source: source, bank: bank, tick: tick)
    }
}
