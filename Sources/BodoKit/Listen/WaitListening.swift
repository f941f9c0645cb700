/// The "found it" side of a live session (`--listen`): which of the person's waits is heard
/// now, how long each search took, and when a sound the listener decided on means going on.
///
/// The producer asks at every turn, with the position the person hears; this never touches the
/// ring or the device, so the rules for waits can be read apart from the rendering.
struct WaitListening {
    let listener: Listener
    /// The session's rate: positions are the session's samples, the listener counts its own.
    let sampleRate: Int
    /// The wait whose quiet the listener is hearing.
    private var listeningTo: PersonWait?
    /// The wait group being heard (a point's search, or its move into position) and where it
    /// began: the end of its first words.
    private var group: (context: CueContext, phase: Phase)?
    private var waitBegan = 0
    /// The onset of the last "found it", until its length is known (`endedSound`).
    private var soundToTime: Int?
    /// After a jump, what is still heard is the old place until the new one plays: no wait
    /// counts until this position is heard.
    private var settlingUntil: Int?
    /// How long each point's search took until "found it", in seconds; and the searches that
    /// took all their time with no word (they say nothing of the person's pace).
    private(set) var searches: [Int: Double] = [:]
    private(set) var searchesWithoutWord: [Int: Double] = [:]

    var isListening: Bool { listeningTo != nil }

    init(listener: Listener, sampleRate: Int) {
        self.listener = listener
        self.sampleRate = sampleRate
        // What the microphone hears from here on is bodo's, until a wait's quiet.
        listener.bodoSounds(from: listener.now)
    }

    /// How long the last "found it" sounded, once the listener knows.
    mutating func endedSound() -> PlayerEvent? {
        guard let onset = soundToTime, let sound = listener.sound(startingAt: onset) else { return nil }
        soundToTime = nil
        return .soundEnded(sound.kind, seconds: Double(sound.end - sound.onset) / Double(FoundItDetector.sampleRate))
    }

    /// One turn at `heard`: starts and ends the listening as waits come and go (saying so in
    /// `events`), and when the person was heard, where the session goes on and what to report.
    mutating func hear(at heard: Int, in source: TimelineSource, events: inout [PlayerEvent]) throws -> (target: Int, event: PlayerEvent)? {
        if let until = settlingUntil {
            guard heard >= until else { return nil }
            settlingUntil = nil
        }
        let timeline = try source.timeline(through: heard + 1)
        let wait = timeline.wait(at: heard)
        // Never while bodo speaks (the reminder halfway): a wait is listened to from the moment
        // its quiet is heard; the listener itself leaves out the echo of the last words
        // (`GuardedDetector.Window.echoMilliseconds`).
        if listeningTo != nil, wait.map({ $0.start != listeningTo?.start }) ?? true {
            listener.stopListening()
            listeningTo = nil
        }
        // A wait and its reminder are one group (a point's search, or its move): it is over
        // once what is heard is no longer part of it, and then it took all of its time.
        if let group, timeline.cue(at: heard).map({ $0.context != group.context || $0.phase != group.phase }) ?? true {
            if let point = group.context.point, group.phase == .search {
                searchesWithoutWord[point] = Double(heard - waitBegan) / Double(sampleRate)
            }
            self.group = nil
        }
        guard let wait else { return nil }
        if group == nil {
            group = (wait.context, wait.phase)
            waitBegan = wait.start
            events.append(.listening(wait.context, wait.phase))
        }
        if listeningTo == nil {
            listeningTo = wait
            // The wait's start and end on the microphone's clock, from where the session is
            // heard now: bodo's last sound ended at its start, and the next begins at its end.
            let now = listener.now
            func captured(_ position: Int) -> Int {
                now + (position - heard) * FoundItDetector.sampleRate / sampleRate
            }
            listener.listen(from: captured(wait.start), until: captured(wait.end))
        }
        guard let found = listener.take().first else { return nil }
        // Where the session goes on: the step after the wait and its reminder, scheduled now if need be.
        let scheduled = try source.grow { $0.waits.first { $0.start == wait.start }?.resume != nil }
        let resume = scheduled.waits.first { $0.start == wait.start }?.resume ?? scheduled.horizon
        let waited = Double(heard - waitBegan) / Double(sampleRate)
        if let point = wait.context.point, wait.phase == .search { searches[point] = waited }
        listener.stopListening()
        listeningTo = nil
        group = nil
        soundToTime = found.onset
        let rate = Double(FoundItDetector.sampleRate)
        return (resume, .found(FoundIt(kind: found.kind, aboveRoom: found.aboveRoom,
                                       heardFor: Double(found.decidedAt - found.onset) / rate,
                                       actedAfter: Double(max(0, listener.now - found.decidedAt)) / rate,
                                       waited: waited, context: wait.context, phase: wait.phase, to: resume)))
    }

    /// The session jumped (a key, a found wait): whatever was being listened to is over, and
    /// the new place counts once it is heard.
    mutating func jumped(to target: Int) {
        if listeningTo != nil { listener.stopListening() }
        listeningTo = nil
        group = nil
        settlingUntil = target
    }
}
