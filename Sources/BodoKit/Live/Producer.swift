import Foundation

/// The rendering side: fills the ring from the session and carries out commands.
struct Producer {
    let session: Session
    let transport: Transport
    private var renderer: SessionRenderer
    private var block = [Int16](repeating: 0, count: 1024)
    /// Where each stretch of the ring comes from: a session position, or nil for words said
    /// outside the session (the cue after a pause).
    private var segments: [(ringIndex: Int, sessionStart: Int?)]
    private var pausedAt: Int?
    /// Words to play before going on with the session at `afterInsert`, and how much of them is in the ring.
    private var insert: Clip = []
    private var inserted = 0
    private var afterInsert = 0
    private var pending: PlayerCommand?
    private var handledFlushes = 0
    private(set) var stoppedBy: PlayerCommand?
    private(set) var lastHeard = 0
    /// What happened since the player last asked (`drainEvents`).
    private var events: [PlayerEvent] = []

    /// Listening (`--listen`): which wait is heard, and the jump "found it" asked for,
    /// carried out after the fade.
    private var listening: WaitListening?
    private var foundJump: (target: Int, event: PlayerEvent)?
    var searches: [Int: Double] { listening?.searches ?? [:] }
    var searchesWithoutWord: [Int: Double] { listening?.searchesWithoutWord ?? [:] }

    init(session: Session, transport: Transport, startAt: Int, listener: Listener? = nil) throws {
        self.session = session
        self.transport = transport
        listening = listener.map { WaitListening(listener: $0, sampleRate: session.sampleRate) }
        renderer = session.makeRenderer()
        segments = [(0, startAt)]
        lastHeard = startAt
        try renderer.seek(to: startAt)
    }

    /// Renders into the free places of the ring, at most a ring's worth per call: an unpaced
    /// device empties the ring as fast as it is filled, and an unbounded loop here would keep
    /// the player from its commands (a key came ever later into the session, on a busy machine
    /// past the words it was meant to cut).
    /// `atMost`: fewer samples still (the first block, which the device waits for).
    mutating func refill(atMost: Int? = nil) throws {
        guard pausedAt == nil, pending == nil else { return }
        let ring = transport.ring
        if inserted < insert.count {
            inserted += insert.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[inserted...])) }
            transport.wakeWriter()
            guard inserted == insert.count else { return }
            segments.append((ring.writeIndex, afterInsert))
        }
        guard !transport.producerDone.load(ordering: .relaxed) else { return }
        var budget = min(ring.capacity, atMost ?? .max)
        while case let room = min(ring.writable, budget), room > 0 {
            budget -= min(room, block.count)
            let count = try block.withUnsafeMutableBufferPointer { buffer in
                try renderer.render(into: UnsafeMutableBufferPointer(rebasing: buffer[..<min(room, buffer.count)]))
            }
            if count == 0 {
                transport.producerDone.store(true, ordering: .releasing)
                transport.wakeWriter()
                return
            }
            _ = block.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[..<count])) }
            transport.wakeWriter()
        }
    }

    mutating func handle(_ command: PlayerCommand) throws {
        guard stoppedBy == nil else { return }
        if pending != nil, command != .quit, command != .interrupt { return }
        var command = command
        // A media player's Pause while paused, or Play while playing, leaves the session as it is.
        switch command {
        case .pause where pausedAt != nil, .resume where pausedAt == nil: return
        case .pause, .resume: command = .togglePause
        default: break
        }
        switch command {
        case .quit, .interrupt:
            stoppedBy = command
            lastHeard = heardPosition() ?? lastHeard
            transport.paused.store(false, ordering: .releasing)
            // A signal is answered at once, with what is rendered: more could wait for speech.
            let request: Transport.Request = command == .quit ? .finish : .finishNow
            transport.request.store(request.rawValue, ordering: .releasing)
            transport.wakeWriter()
        case .togglePause where pausedAt != nil:
            try resume()
        case .togglePause, .next, .back:
            if pausedAt != nil, command != .togglePause { pausedAt = nil }
            pending = command
            transport.request.store(Transport.Request.flush.rawValue, ordering: .releasing)
            transport.wakeWriter()
        case .pause, .resume:
            break // made a toggle above, or nothing to do
        }
    }

    /// When the writer, holding a request, asks for samples to fade (`Transport.fadeWanted`):
    /// renders what follows the ring, up to a fade's length, without waking anything else.
    mutating func feedFade() throws {
        guard transport.fadeWanted.load(ordering: .acquiring) else { return }
        defer { transport.fadeMaterialDone() }
        let ring = transport.ring
        let wanted = min(session.sampleRate * LivePlayer.fadeMilliseconds / 1000 - ring.readable, ring.writable, block.count)
        guard pausedAt == nil, wanted > 0 else { return }
        if inserted < insert.count {
            inserted += insert.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[inserted..<min(insert.count, inserted + wanted)])) }
            if inserted == insert.count { segments.append((ring.writeIndex, afterInsert)) }
            return
        }
        guard !transport.producerDone.load(ordering: .relaxed) else { return }
        let count = try block.withUnsafeMutableBufferPointer { buffer in
            try renderer.render(into: UnsafeMutableBufferPointer(rebasing: buffer[..<wanted]))
        }
        // At the session's end there is nothing to fade; the next refill finds the end again.
        _ = block.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// Once the writer has faded and dropped the ring, carries out the command that asked for it.
    mutating func completeFlush() throws {
        guard let command = pending else { return }
        let flushes = transport.flushes.load(ordering: .acquiring)
        guard flushes != handledFlushes else { return }
        handledFlushes = flushes
        pending = nil
        let heard = sessionPosition(ofRingIndex: transport.flushedAt.load(ordering: .acquiring)) ?? lastHeard
        // Each jump asks the session's one scheduler only as far as it needs: the next point's
        // start waits for the speech up to it, never for the whole session's.
        let source = session.source
        switch command {
        case .togglePause:
            pausedAt = heard
            lastHeard = heard
            transport.paused.store(true, ordering: .releasing)
            transport.wakeWriter()
            events.append(.paused(at: heard))
        case .next where foundJump != nil:
            // "Found it": the press, with everything after it where the timeline has it.
            let (target, event) = foundJump!
            foundJump = nil
            try jump(to: target)
            events.append(event)
        case .next:
            let timeline = Timeline(scheduledSoFar: try source.grow { $0.markers.last.map { $0.position > heard } ?? false })
            let target = timeline.marker(after: heard)?.position ?? timeline.totalSamples
            try jump(to: target)
            events.append(.jumped(from: heard, to: target))
        case .back:
            let target = try source.timeline(through: heard + 1).marker(atOrBefore: heard)?.position ?? 0
            try jump(to: target)
            events.append(.jumped(from: heard, to: target))
        case .quit, .interrupt, .pause, .resume:
            break // never pending: `handle` stops at once, or makes them a toggle
        }
    }

    /// Picks up where the pause was, after a short cue that says where that is.
    private mutating func resume() throws {
        guard let heard = pausedAt else { return }
        let (restart, words) = Self.resumePoint(after: heard, in: try session.source.timeline(through: heard + 1))
        insert = try session.speak(words) + Clip(repeating: 0, count: session.sampleRate * 4 / 10)
        inserted = 0
        afterInsert = restart
        segments.append((transport.ring.writeIndex, nil))
        try renderer.seek(to: restart)
        pausedAt = nil
        transport.producerDone.store(false, ordering: .releasing)
        transport.paused.store(false, ordering: .releasing)
        events.append(.resumed(at: restart))
        try refill()
    }

    /// While the person's wait is being heard, listens; on "found it", fades out and goes on
    /// at the wait's end (the press), as `n` goes on at the next point.
    mutating func listen() throws {
        guard var listening, stoppedBy == nil else { return }
        defer { self.listening = listening }
        if let ended = listening.endedSound() { events.append(ended) }
        guard pending == nil, pausedAt == nil else { return }
        guard let found = try listening.hear(at: heardPosition() ?? lastHeard, in: session.source, events: &events) else { return }
        foundJump = found
        pending = .next
        transport.request.store(Transport.Request.flush.rawValue, ordering: .releasing)
        transport.wakeWriter()
    }

    /// Hands what happened to `sink`, in order, and forgets it.
    mutating func drainEvents(into sink: (PlayerEvent) -> Void) {
        guard !events.isEmpty else { return }
        events.forEach(sink)
        events.removeAll(keepingCapacity: true)
    }

    private mutating func jump(to target: Int) throws {
        listening?.jumped(to: target)
        insert = []
        inserted = 0
        try renderer.seek(to: target)
        segments.append((transport.ring.writeIndex, target))
        lastHeard = target
        transport.producerDone.store(false, ordering: .releasing)
        transport.paused.store(false, ordering: .releasing)
    }

    /// Where to pick up after a pause at `position`, and what to say first: the start of the
    /// words that were cut, or the press before a hold that was cut; in a quiet time, right there.
    static func resumePoint(after position: Int, in timeline: Timeline) -> (position: Int, words: String) {
        let cue = timeline.cue(at: position)
        var restart = position
        if let cue {
            if cue.phase == .hold, let press = timeline.cues.last(where: { $0.phase == .press && $0.start <= cue.start }) {
                restart = press.start
            } else if position < cue.end {
                restart = cue.start
            }
        }
        return (restart, CuePlanner.whereYouAre(cue?.context ?? .none, timeline.cue(at: restart)?.phase))
    }

    /// The session sample at a ring index, or nil inside words said outside the session.
    func sessionPosition(ofRingIndex index: Int) -> Int? {
        guard let segment = segments.last(where: { $0.ringIndex <= index }) else { return nil }
        return segment.sessionStart.map { $0 + index - segment.ringIndex }
    }

    /// The session sample being heard now.
    func heardPosition() -> Int? {
        let index = transport.consumed.load(ordering: .acquiring) - transport.deviceDelay.load(ordering: .acquiring)
        return sessionPosition(ofRingIndex: max(0, index))
    }

    /// Where the session is, once its timeline is known (never waits for synthesis, which
    /// would let the ring run dry at the start of a long routine).
    mutating func status() throws -> PlayerStatus? {
        let position = pausedAt ?? heardPosition() ?? lastHeard
        lastHeard = position
        guard let timeline = try session.timelineIfReady() else { return nil }
        let cue = timeline.cue(at: position)
        let context = cue?.context ?? .none
        return PlayerStatus(position: position, totalSamples: timeline.totalSamples,
                            context: context, title: session.plan.titles[context], phase: cue?.phase, paused: pausedAt != nil,
                            listening: listening?.isListening ?? false)
    }
}
