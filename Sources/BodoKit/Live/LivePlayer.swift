import Foundation
import Synchronization

/// What a person can ask of a live session (none of it is ever needed to follow one).
public enum PlayerCommand: Sendable, Equatable {
    case togglePause, next, back, quit, interrupt
}

/// Where commands come from: a terminal's keys, a signal, or nothing at all.
public protocol PlayerControls {
    /// A descriptor the player watches while it waits (a terminal), or nil.
    var input: Int32? { get }
    /// Called after every wait, with whether `input` has something to read; nil when no command is due.
    mutating func command(inputReady: Bool) -> PlayerCommand?
}

/// Where the session is, for a progress line.
public struct PlayerStatus: Sendable, Equatable {
    /// The sample being heard.
    public var position: Int
    public var totalSamples: Int
    public var context: CueContext
    public var phase: Phase?
    public var paused: Bool
    /// Underruns the device has recovered from so far.
    public var underruns: Int
}

public struct PlayOptions: Sendable {
    public var device = "default"
    /// The device buffer, about four periods.
    public var latencyMilliseconds = 20
    /// The session sample to start at (the start of a point or stretch for `--from`).
    public var startAt = 0

    public init() {}
}

/// How a live session ended.
public struct PlaySummary: Sendable {
    public var parameters: DeviceParameters
    /// How it stopped: at the end, or asked to (`q`, Ctrl-C).
    public var stoppedBy: PlayerCommand?
    /// The session sample heard last.
    public var position: Int
    public var underruns: Int
    /// Frames handed to the device, silences of pauses included.
    public var framesPlayed: Int
    /// Wall time from the first frame handed to the device until it had played the last.
    public var wallSeconds: Double
    /// How far the sound fell behind (+) or ran ahead of (-) the wall clock over the session:
    /// between a moment early on and the last write, the wall time elapsed minus the frames the
    /// device says it played in it (frames written minus its delay) over the rate. Underruns and
    /// a device clock off its nominal rate show here; the pipeline's fixed latency cancels out.
    public var driftSeconds: Double
    /// CLOCK_MONOTONIC when the first frames were handed to ALSA, in nanoseconds.
    public var firstFramesAt: UInt64
}

/// Plays a session live through ALSA.
///
/// Three threads: espeak-ng synthesizes ahead (the session's own thread); the calling thread
/// renders the session into a lock-free ring and handles commands; a writer thread owns the
/// device and only moves ready samples from the ring into it, so its loop has no allocation,
/// no lock and nothing that can wait except the device itself. The device's blocking write is
/// the clock: nothing here sleeps to keep time.
public final class LivePlayer {
    public let session: Session
    public let options: PlayOptions

    /// Samples faded out when a command interrupts the sound: 10 ms, short enough to feel
    /// immediate, long enough not to click.
    static let fadeMilliseconds = 10
    /// Samples rendered ahead of the writer: about 0.37 s, so a slow moment of the rendering
    /// thread never starves the device. Commands drop it, so it adds nothing to their delay.
    static let ringCapacity = 8192

    public init(session: Session, options: PlayOptions) {
        self.session = session
        self.options = options
    }

    /// Plays the session. `started` is told what the device granted and when (CLOCK_MONOTONIC,
    /// nanoseconds) the first frames were handed to it, soon after that happened; `status`
    /// about five times a second where the session is.
    public func play(controls: inout some PlayerControls,
                     started: (DeviceParameters, UInt64) -> Void = { _, _ in },
                     status: (PlayerStatus) -> Void = { _ in }) throws -> PlaySummary {
        let transport = Transport(capacity: Self.ringCapacity)
        let writer = DeviceWriter(transport: transport, device: options.device, sampleRate: session.sampleRate,
                                  latencyMilliseconds: options.latencyMilliseconds,
                                  fadeSamples: session.sampleRate * Self.fadeMilliseconds / 1000)
        Thread { writer.run() }.start()
        // However this ends, a writer still waiting for the first block must not wait forever.
        defer { transport.cancelled.store(true, ordering: .releasing); transport.firstData.signal() }
        var producer = try Producer(session: session, transport: transport, startAt: options.startAt)

        // Render the first block while the device opens on the writer thread.
        try producer.refill()
        transport.firstData.signal()
        let parameters = try transport.awaitOpened()

        var nextStatus = ContinuousClock.now
        var reportedStart = false
        while !transport.writerDone.load(ordering: .acquiring) {
            try producer.refill()
            if !reportedStart, case let first = transport.firstFramesAt.load(ordering: .acquiring), first != 0 {
                reportedStart = true
                started(parameters, UInt64(first))
            }
            if ContinuousClock.now >= nextStatus {
                nextStatus = ContinuousClock.now + .milliseconds(200)
                if let current = try producer.status() { status(current) }
            }
            // Wait for a key, a signal (poll is never restarted after one), the writer running
            // dry, or a quarter of the ring's worth of time. This only decides when to render
            // more; the session's time is the device's.
            var watched = [pollfd(fd: transport.wakeProducer, events: Int16(POLLIN), revents: 0)]
            if let input = controls.input { watched.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
            let waitMilliseconds = Self.ringCapacity * 250 / session.sampleRate
            if poll(&watched, nfds_t(watched.count), Int32(waitMilliseconds)) > 0, watched[0].revents != 0 {
                transport.clearWakeUps()
            }
            if let command = controls.command(inputReady: watched.count > 1 && watched[1].revents & Int16(POLLIN) != 0) {
                try producer.handle(command)
            }
            try producer.completeFlush()
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
            firstFramesAt: UInt64(transport.firstFramesAt.load(ordering: .acquiring)))
    }
}

/// What the two threads share. Everything the writer touches in its loop is an atomic or the ring.
final class Transport: Sendable {
    let ring: SampleRing
    /// Signalled once the first block is in the ring (or the session is cancelled).
    let firstData = DispatchSemaphore(value: 0)
    let cancelled = Atomic<Bool>(false)

    enum Request: Int { case none = 0, flush = 1, finish = 2 }
    /// Set by the producer, cleared by the writer when done.
    let request = Atomic<Int>(Request.none.rawValue)
    /// Counts completed flushes; `flushedAt` is the ring index where the fade ended.
    let flushes = Atomic<Int>(0)
    let flushedAt = Atomic<Int>(0)
    /// While paused the writer plays silence instead of reading the ring.
    let paused = Atomic<Bool>(false)
    /// The producer has put the whole session (up to its end) in the ring.
    let producerDone = Atomic<Bool>(false)
    let writerDone = Atomic<Bool>(false)

    /// When the ring runs dry the writer asks for more through `wakeProducer` (a pipe the
    /// producer polls) and waits on `dataReady`. Only then: a healthy session never gets there,
    /// but a device that is not paced (ALSA's file and null devices) always does.
    let wakeProducer: Int32
    private let wakeProducerInput: Int32
    let dataReady = DispatchSemaphore(value: 0)
    let writerStarved = Atomic<Bool>(false)

    /// Ring index of the next sample the writer reads, and frames queued in the device before it.
    let consumed = Atomic<Int>(0)
    let deviceDelay = Atomic<Int>(0)
    let underruns = Atomic<Int>(0)
    let framesPlayed = Atomic<Int>(0)
    let wallNanoseconds = Atomic<Int>(0)
    let firstFramesAt = Atomic<Int>(0)
    /// Two readings of (wall time, frames heard so far), for the drift: one taken once the device
    /// has been running a moment, one after every write. Read only after the writer is done.
    let anchorTime = Atomic<Int>(0), anchorHeard = Atomic<Int>(0)
    let latestTime = Atomic<Int>(0), latestHeard = Atomic<Int>(0)

    func drift(sampleRate: Int) -> Double {
        let anchor = anchorTime.load(ordering: .acquiring), latest = latestTime.load(ordering: .acquiring)
        guard anchor != 0, latest > anchor else { return 0 }
        let heard = latestHeard.load(ordering: .acquiring) - anchorHeard.load(ordering: .acquiring)
        return Double(latest - anchor) / 1e9 - Double(heard) / Double(sampleRate)
    }

    /// Written once, outside the writer's loop: the device's parameters or why it failed.
    private let opened = Mutex<Result<DeviceParameters, BodoError>?>(nil)
    private let openedSignal = DispatchSemaphore(value: 0)
    let failure = Mutex<String?>(nil)

    init(capacity: Int) {
        ring = SampleRing(capacity: capacity)
        var ends: [Int32] = [-1, -1]
        pipe(&ends)
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeProducer = ends[0]
        wakeProducerInput = ends[1]
    }

    deinit {
        close(wakeProducer)
        close(wakeProducerInput)
    }

    /// Producer: empties the wake-up pipe after it has woken.
    func clearWakeUps() {
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while read(wakeProducer, &bytes, MemoryLayout.size(ofValue: bytes)) > 0 {}
    }

    /// Producer: wakes the writer if it is waiting for samples or for a request.
    func wakeWriter() {
        if writerStarved.exchange(false, ordering: .acquiringAndReleasing) { dataReady.signal() }
    }

    /// Writer: wakes the producer's poll at once (the writer has finished).
    func wakeProducerNow() {
        var one: UInt8 = 1
        _ = write(wakeProducerInput, &one, 1)
    }

    /// Writer: waits for the producer, unless something it waits for has come meanwhile.
    func awaitProducer() {
        writerStarved.store(true, ordering: .releasing)
        guard ring.readable == 0, request.load(ordering: .acquiring) == Request.none.rawValue,
              !producerDone.load(ordering: .acquiring) || paused.load(ordering: .acquiring) else {
            writerStarved.store(false, ordering: .releasing)
            return
        }
        var one: UInt8 = 1
        _ = write(wakeProducerInput, &one, 1)
        dataReady.wait()
    }

    func reportOpened(_ result: Result<DeviceParameters, BodoError>) {
        opened.withLock { $0 = result }
        openedSignal.signal()
    }

    func awaitOpened() throws -> DeviceParameters {
        openedSignal.wait()
        return try opened.withLock { $0! }.get()
    }
}

/// The device's one owner thread.
struct DeviceWriter: Sendable {
    let transport: Transport
    let device: String
    let sampleRate: Int
    let latencyMilliseconds: Int
    let fadeSamples: Int

    func run() {
        defer {
            transport.writerDone.store(true, ordering: .releasing)
            // The producer may be asleep in its poll for a quarter of the ring: wake it, so the
            // session ends when its last sample has played, not up to that long after.
            transport.wakeProducerNow()
        }
        var pcm: PCMDevice
        do {
            pcm = try PCMDevice(name: device, sampleRate: sampleRate, latencyMilliseconds: latencyMilliseconds)
        } catch {
            transport.reportOpened(.failure(error))
            return
        }
        transport.reportOpened(.success(pcm.parameters))
        transport.firstData.wait()
        if transport.cancelled.load(ordering: .acquiring) { return }

        let ring = transport.ring
        let period = UnsafeMutableBufferPointer<Int16>.allocate(capacity: pcm.parameters.periodFrames)
        let silence = UnsafeMutableBufferPointer<Int16>.allocate(capacity: pcm.parameters.periodFrames)
        let fade = UnsafeMutableBufferPointer<Int16>.allocate(capacity: fadeSamples)
        defer { period.deallocate(); silence.deallocate(); fade.deallocate() }
        silence.initialize(repeating: 0)
        var clock = timespec()
        var firstWrite = 0
        var played = 0

        func write(_ samples: UnsafeBufferPointer<Int16>) -> Bool {
            if firstWrite == 0 {
                clock_gettime(CLOCK_MONOTONIC, &clock)
                firstWrite = clock.tv_sec * 1_000_000_000 + clock.tv_nsec
                transport.firstFramesAt.store(firstWrite, ordering: .releasing)
            }
            if let failure = pcm.write(samples) {
                transport.failure.withLock { $0 = failure }
                return false
            }
            played += samples.count
            let delay = pcm.delay()
            clock_gettime(CLOCK_MONOTONIC, &clock)
            let now = clock.tv_sec * 1_000_000_000 + clock.tv_nsec
            // The first reading waits until the device has played a second, past its start-up.
            if transport.anchorTime.load(ordering: .relaxed) == 0, played - delay > sampleRate {
                transport.anchorHeard.store(played - delay, ordering: .relaxed)
                transport.anchorTime.store(now, ordering: .releasing)
            }
            transport.latestHeard.store(played - delay, ordering: .relaxed)
            transport.latestTime.store(now, ordering: .releasing)
            transport.framesPlayed.store(played, ordering: .releasing)
            transport.underruns.store(pcm.underruns, ordering: .relaxed)
            transport.deviceDelay.store(delay, ordering: .releasing)
            transport.consumed.store(ring.readIndex, ordering: .releasing)
            return true
        }

        loop: while true {
            let request = Transport.Request(rawValue: transport.request.load(ordering: .acquiring)) ?? .none
            if request != .none {
                // Fade out what is about to play, then drop the rest of what was rendered.
                let count = ring.read(into: fade)
                for i in 0..<count {
                    fade[i] = Int16(Int(fade[i]) * (count - i) / (count + 1))
                }
                guard write(UnsafeBufferPointer(rebasing: fade[..<count])) else { break loop }
                transport.flushedAt.store(ring.readIndex, ordering: .releasing)
                _ = ring.discardAll()
                transport.consumed.store(ring.readIndex, ordering: .releasing)
                transport.request.store(Transport.Request.none.rawValue, ordering: .releasing)
                transport.flushes.add(1, ordering: .releasing)
                if request == .finish { break loop }
                continue
            }
            if transport.paused.load(ordering: .acquiring) {
                // Keep the device running on silence, so resuming needs no restart.
                guard write(UnsafeBufferPointer(silence)) else { break loop }
                continue
            }
            let count = ring.read(into: period)
            if count == 0 {
                // The producer finishes after its last write: look once more before stopping.
                if transport.producerDone.load(ordering: .acquiring), ring.readable == 0 { break loop }
                transport.awaitProducer()
                continue
            }
            guard write(UnsafeBufferPointer(rebasing: period[..<count])) else { break loop }
        }
        pcm.drain()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        if firstWrite > 0 {
            transport.wallNanoseconds.store(clock.tv_sec * 1_000_000_000 + clock.tv_nsec - firstWrite, ordering: .releasing)
        }
    }
}

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

    init(session: Session, transport: Transport, startAt: Int) throws {
        self.session = session
        self.transport = transport
        renderer = session.makeRenderer()
        segments = [(0, startAt)]
        lastHeard = startAt
        try renderer.seek(to: startAt)
    }

    /// Renders into every free place of the ring.
    mutating func refill() throws {
        guard pausedAt == nil, pending == nil else { return }
        let ring = transport.ring
        if inserted < insert.count {
            inserted += insert.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[inserted...])) }
            transport.wakeWriter()
            guard inserted == insert.count else { return }
            segments.append((ring.writeIndex, afterInsert))
        }
        guard !transport.producerDone.load(ordering: .relaxed) else { return }
        while case let room = ring.writable, room > 0 {
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
        switch command {
        case .quit, .interrupt:
            stoppedBy = command
            lastHeard = heardPosition() ?? lastHeard
            transport.paused.store(false, ordering: .releasing)
            transport.request.store(Transport.Request.finish.rawValue, ordering: .releasing)
            transport.wakeWriter()
        case .togglePause where pausedAt != nil:
            try resume()
        case .togglePause, .next, .back:
            if pausedAt != nil, command != .togglePause { pausedAt = nil }
            pending = command
            transport.request.store(Transport.Request.flush.rawValue, ordering: .releasing)
            transport.wakeWriter()
        }
    }

    /// Once the writer has faded and dropped the ring, carries out the command that asked for it.
    mutating func completeFlush() throws {
        guard let command = pending else { return }
        let flushes = transport.flushes.load(ordering: .acquiring)
        guard flushes != handledFlushes else { return }
        handledFlushes = flushes
        pending = nil
        let heard = sessionPosition(ofRingIndex: transport.flushedAt.load(ordering: .acquiring)) ?? lastHeard
        let timeline = try session.timeline()
        switch command {
        case .togglePause:
            pausedAt = heard
            lastHeard = heard
            transport.paused.store(true, ordering: .releasing)
            transport.wakeWriter()
        case .next:
            let target = timeline.markers.first { $0.position > heard }?.position ?? timeline.totalSamples
            try jump(to: target)
        case .back:
            let target = timeline.markers.last { $0.position <= heard }?.position ?? 0
            try jump(to: target)
        case .quit, .interrupt:
            break
        }
    }

    /// Picks up where the pause was, after a short cue that says where that is.
    private mutating func resume() throws {
        guard let heard = pausedAt else { return }
        let (restart, words) = Self.resumePoint(after: heard, in: try session.timeline())
        insert = try session.speak(words) + Clip(repeating: 0, count: session.sampleRate * 4 / 10)
        inserted = 0
        afterInsert = restart
        segments.append((transport.ring.writeIndex, nil))
        try renderer.seek(to: restart)
        pausedAt = nil
        transport.producerDone.store(false, ordering: .releasing)
        transport.paused.store(false, ordering: .releasing)
        try refill()
    }

    private mutating func jump(to target: Int) throws {
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
        let cue = timeline.cues.last { $0.start <= position }
        var restart = position
        if let cue {
            if cue.phase == .hold, let press = timeline.cues.last(where: { $0.phase == .press && $0.start <= cue.start }) {
                restart = press.start
            } else if position < cue.end {
                restart = cue.start
            }
        }
        let context = cue?.context ?? .none
        let phase = timeline.cues.last { $0.start <= restart }?.phase
        var words: String
        if let point = context.point {
            words = "Point \(point)"
        } else if let stretch = context.stretch {
            words = "Stretch \(stretch)"
        } else {
            words = "Continuing"
        }
        if let phase, context != .none, phase != .announce {
            words += ", \(phase == .hold ? "press" : phase.rawValue)"
        }
        return (restart, words + ".")
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
        let cue = timeline.cues.last { $0.start <= position }
        return PlayerStatus(position: position, totalSamples: timeline.totalSamples,
                            context: cue?.context ?? .none, phase: cue?.phase, paused: pausedAt != nil,
                            underruns: transport.underruns.load(ordering: .relaxed))
    }
}
