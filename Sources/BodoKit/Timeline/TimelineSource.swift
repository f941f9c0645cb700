import Foundation

/// The session's one scheduler, grown as far as anyone needs it while speech arrives: every
/// renderer (the file, the live ring, the meter) and every question about the session (where
/// the next point starts, which cue is playing) reads the same cues at the same samples.
///
/// Growing waits only for the speech the next steps need, and waits outside the lock, so a
/// question about what is already scheduled never waits behind synthesis.
public final class TimelineSource: Sendable {
    private let scheduler: Locked<TimelineScheduler>
    private let bank: SpeechBank

    init(plan: CuePlan, bank: SpeechBank, tickLength: Int) {
        scheduler = Locked(TimelineScheduler(plan: plan, sampleRate: bank.sampleRate, tickLength: tickLength))
        self.bank = bank
    }

    /// Schedules step by step until `enough` holds or the plan is complete, then returns the
    /// scheduler as it is (complete, or as far as it got). `enough` runs under the lock: it
    /// must only look at the scheduler it is given.
    @discardableResult
    public func grow(until enough: (TimelineScheduler) -> Bool) throws -> TimelineScheduler {
        while true {
            // Only the answer leaves the lock: a copy of the scheduler kept across a step would
            // make the next append copy every cue.
            let (done, step, phrases) = scheduler.withLock { ($0.isComplete || enough($0), $0.nextStep, $0.nextPhrases) }
            if done { return scheduler.withLock { $0 } }
            // Waits for synthesis here, with the lock free.
            for phrase in phrases { _ = try bank.clip(for: phrase) }
            try scheduler.withLock { scheduler in
                // Another reader may have scheduled this step meanwhile.
                if scheduler.nextStep == step { try scheduler.scheduleNextStep(clip: bank.clip(for:)) }
            }
        }
    }

    /// Every sample before `position` final (or the whole session, if it ends sooner).
    @discardableResult
    public func grow(through position: Int) throws -> TimelineScheduler {
        try grow { $0.horizon >= position }
    }

    /// The whole timeline, waiting for all speech.
    public func timeline() throws -> Timeline {
        Timeline(try grow { _ in false })
    }

    /// The timeline as far as `position` at least: cues and markers are final up to its
    /// `totalSamples`, which is the session's total once it is complete.
    public func timeline(through position: Int) throws -> Timeline {
        Timeline(scheduledSoFar: try grow(through: position))
    }

    /// Scheduled cues from `index` on that start before `end`, and whether the plan is complete
    /// with its horizon: what a renderer needs for one block, copied under the lock.
    func cues(from index: Int, startingBefore end: Int) -> (cues: [TimelineCue], horizon: Int, complete: Bool) {
        scheduler.withLock { scheduler in
            var last = index
            while last < scheduler.cues.count, scheduler.cues[last].start < end { last += 1 }
            return (Array(scheduler.cues[min(index, scheduler.cues.count)..<last]), scheduler.horizon, scheduler.isComplete)
        }
    }

    /// The index of the first scheduled cue that ends after `position`.
    func firstCue(endingAfter position: Int) -> Int {
        scheduler.withLock { scheduler in scheduler.cues.firstIndex { $0.end > position } ?? scheduler.cues.count }
    }
}
