import Foundation
import Synchronization

/// Plays a session live through ALSA.
///
/// Three threads: espeak-ng synthesizes ahead (the session's own thread); the calling thread
/// renders the session into a lock-free ring and handles commands; a writer thread owns the
/// device and only moves ready samples from the ring into it, so its loop has no allocation,
/// no lock and nothing that can wait except the device itself. The device's blocking write is
/// the clock: nothing here sleeps to keep time.
///
/// The parts, each in its own file: `PlayerTypes` (what callers see: commands, controls,
/// events, status, options, summary), this loop, `Transport` (what the threads share: the
/// ring, the flush handshake, the wake-ups), `DeviceWriter` (the device's thread), `Producer`
/// (rendering and commands), `PCMDevice` (ALSA), `SampleRing`, `MonotonicClock`.
public final class LivePlayer {
    public let session: Session
    public let options: PlayOptions

    /// Samples faded out when a command interrupts the sound: 10 ms, short enough to feel
    /// immediate, long enough not to click.
    static let fadeMilliseconds = 10
    /// Samples rendered ahead of the writer: about 1.5 s, so the rendering thread (ordinary
    /// priority, on a machine that may be busy) can wait that long for a core before the
    /// device starves. Commands drop it, so it adds nothing to their delay.
    static let ringCapacity = 32768
    /// Samples rendered before the first are handed to the device: about 0.19 s, more than
    /// the default buffer starts with (two periods); a larger `--latency` starts once the
    /// loop's first refills have reached its threshold.
    static let firstBlock = 4096
    /// The rendering thread looks at the ring and the status at least this often.
    static let turnMilliseconds = 100

    public init(session: Session, options: PlayOptions) {
        self.session = session
        self.options = options
    }

    /// Plays the session. `events` hears what happens soon after it happens (`PlayerEvent`);
    /// `status` is told about five times a second where the session is.
    public func play(controls: inout some PlayerControls,
                     events: (PlayerEvent) -> Void = { _ in },
                     status: (PlayerStatus) -> Void = { _ in }) throws -> PlaySummary {
        // A listened plan's waits are long (up to search_max) because a word ends them; played
        // without a listener they would be silence that nothing ends, and a listener beside a
        // plan made without listening would hear waits the plan never gave it.
        guard (options.listener != nil) == session.options.listen else {
            throw BodoError(.failure, at: nil, options.listener == nil ? "a listened session needs a listener" : "a listener needs a listened session")
        }
        let transport = Transport(capacity: Self.ringCapacity)
        let writer = DeviceWriter(transport: transport, device: options.device, sampleRate: session.sampleRate,
                                  latencyMilliseconds: options.latencyMilliseconds,
                                  fadeSamples: session.sampleRate * Self.fadeMilliseconds / 1000,
                                  mayOverwriteFiles: options.mayOverwriteFiles)
        Thread { writer.run() }.start()
        // However this ends, a writer still waiting for the first block or for samples to fade
        // must not wait forever.
        defer {
            transport.cancelled.store(true, ordering: .releasing)
            transport.firstData.signal()
            transport.fadeMaterialDone()
        }
        var producer = try Producer(session: session, transport: transport, startAt: options.startAt, listener: options.listener)

        // Render the first block while the device opens on the writer thread: a short one, so
        // the first sound waits only for the first words (a whole ring could reach into the
        // next phrase and wait for its synthesis too); the loop fills the rest.
        try producer.refill(atMost: Self.firstBlock)
        transport.firstData.signal()
        let parameters = try transport.awaitOpened()

        var nextStatus = ContinuousClock.now
        var reportedStart = false
        var underruns = 0
        /// Hands the events on in the order they happened: the start first (the writer has
        /// always written before anything a command does can be heard), then the device's, then
        /// the producer's.
        func report() {
            if !reportedStart, case let first = transport.firstFramesAt.load(ordering: .acquiring), first != 0 {
                reportedStart = true
                events(.started(parameters, firstFramesAt: UInt64(first)))
            }
            if case let count = transport.underruns.load(ordering: .acquiring), count > underruns {
                underruns = count
                let buffer = transport.bufferFrames.load(ordering: .relaxed)
                events(.underrun(at: producer.heardPosition() ?? producer.lastHeard, count: count,
                                 bufferMilliseconds: (buffer * 1000 + parameters.sampleRate / 2) / parameters.sampleRate,
                                 ringMilliseconds: transport.ringAtUnderrun.load(ordering: .relaxed) * 1000 / parameters.sampleRate))
            }
            producer.drainEvents(into: events)
        }
        while !transport.writerDone.load(ordering: .acquiring) {
            try producer.refill()
            report()
            if ContinuousClock.now >= nextStatus {
                nextStatus = ContinuousClock.now + .milliseconds(200)
                if let current = try producer.status() { status(current) }
            }
            // Wait for a key, a signal (poll is never restarted after one), the writer running
            // dry, or `turnMilliseconds`. This only decides when to render more; the session's
            // time is the device's.
            // Each descriptor is found again by the index `watch` gave it, never by position.
            var watched: [pollfd] = []
            func watch(_ descriptor: Int32) -> Int {
                watched.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
                return watched.count - 1
            }
            let writerWoke = watch(transport.wakeProducer)
            let inputs = controls.inputs.map { ($0, watch($0)) }
            // "Found it" from the microphone: `producer.listen()` below reads it.
            let heard = options.listener.map { watch($0.heardDescriptor) }
            var ready: Set<Int32> = []
            if poll(&watched, nfds_t(watched.count), Int32(Self.turnMilliseconds)) > 0 {
                if watched[writerWoke].revents != 0 { transport.clearWakeUps() }
                if let heard, watched[heard].revents != 0 { options.listener?.clearWakeUps() }
                for (descriptor, index) in inputs where watched[index].revents & Int16(POLLIN) != 0 { ready.insert(descriptor) }
            }
            try producer.feedFade()
            if let command = controls.command(ready: ready) {
                try producer.handle(command)
            }
            try producer.completeFlush()
            try producer.listen()
            report()
        }
        if let failure = transport.failure.withLock({ $0 }) {
            throw BodoError(.failure, at: .option("--device"), failure)
        }
        return PlaySummary(
            parameters: parameters, stoppedBy: producer.stoppedBy, position: producer.lastHeard,
            underruns: transport.underruns.load(ordering: .relaxed),
            framesPlayed: transport.framesPlayed.load(ordering: .acquiring),
            wallSeconds: Double(transport.wallNanoseconds.load(ordering: .acquiring)) / 1e9,
            driftSeconds: transport.drift(sampleRate: parameters.sampleRate),
            firstFramesAt: UInt64(transport.firstFramesAt.load(ordering: .acquiring)),
            searches: producer.searches, searchesWithoutWord: producer.searchesWithoutWord)
    }
}
