import Foundation
import Synchronization

/// Listens through the microphone for "found it" (`bodo play --listen`).
///
/// Two threads, as the player has: the capture thread owns the device and only moves each
/// period it records into a ring (no allocation, no lock, nothing that waits but the device);
/// the detector thread takes 10 ms frames from the ring and runs `FoundItDetector` on every one,
/// so the room is always measured, and keeps what it hears from the moment the player asks
/// (`listen(from:)`, in samples of the capture clock, `now`).
public final class Listener: Sendable {
    /// One thing heard: a word or a tap, where it began on the capture clock, how loud.
    public struct Heard: Sendable, Equatable {
        public var kind: FoundItDetector.Kind
        public var onset: Int
        public var decidedAt: Int
        public var aboveRoom: Double
    }

    public let device: String
    private let ring = SampleRing(capacity: 16384)
    private let dataReady = DispatchSemaphore(value: 0)
    /// The detector has made room in the ring: signalled only while the capture thread waits
    /// for it (`captureWaiting`), which it does only when the ring is full.
    private let spaceReady = DispatchSemaphore(value: 0)
    private let captureWaiting = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Samples recorded so far: the capture clock.
    private let captured = Atomic<Int>(0)
    /// Where bodo is quiet: what begins there counts, and the room is measured there.
    private let window: Locked<GuardedDetector.Window>
    private let heard = Locked<[Heard]>([])
    private let room = Locked<(floor: Double, activity: Double)>((-90, -90))
    private let lastSound = Locked<FoundItDetector.Sound?>(nil)
    private let finished = DispatchGroup()
    private let opened = Locked<Result<Void, BodoError>?>(nil)
    private let openedSignal = DispatchSemaphore(value: 0)
    /// The capture thread's failure, or that the input ended (a file).
    private let failure = Locked<BodoError?>(nil)
    private let captureDone = Atomic<Bool>(false)
    private let ended = Atomic<Bool>(false)
    /// Becomes readable when something is kept: the player polls it beside its own wake-ups,
    /// so "found it" is acted on at once, not at the player's next turn (up to 90 ms later).
    private let heardWakeUps = WakePipe()
    public var heardDescriptor: Int32 { heardWakeUps.descriptor }
    /// Wakes the capture thread from its wait for the clock (`stop`).
    private let stopWakeUps = WakePipe()

    /// Opens `device` on the capture thread and starts both threads; throws if it cannot be
    /// opened. `configuration`: ALSA configuration text to find the device in (tests).
    /// `mayOverwriteFiles` (`--force`): open a device that truncates an existing file (`CaptureDevice`).
    public init(device: String, configuration: String? = nil, listeningFrom: Int = .max, mayOverwriteFiles: Bool = false) throws {
        self.device = device
        var window = GuardedDetector.Window()
        window.words = listeningFrom..<Int.max
        self.window = Locked(window)
        finished.enter()
        Thread { [self] in captureLoop(configuration, mayOverwriteFiles: mayOverwriteFiles) }.start()
        openedSignal.wait()
        if case let .failure(error)? = opened.withLock({ $0 }) {
            finished.wait()
            throw error
        }
        finished.enter()
        Thread { [self] in detectorLoop() }.start()
    }

    deinit { stop() }

    /// The capture clock: samples recorded so far, at `FoundItDetector.sampleRate`.
    public var now: Int { captured.load(ordering: .acquiring) }

    /// Keeps what begins in bodo's quiet from capture sample `sample` (where bodo's last sound
    /// ended) to `until` (where its next one will begin: the wait's end, if no word ends it
    /// sooner), less the echo's margins (`GuardedDetector.Window`). The room is measured there.
    public func listen(from sample: Int, until: Int = .max) {
        window.withLock { $0 = GuardedDetector.Window(afterBodoStopsAt: sample, nextSoundAt: until) }
    }

    /// Stops keeping what is heard (the search is over, bodo sounds again), and forgets what
    /// was kept; the room is no longer measured from now on.
    public func stopListening() {
        let sample = now
        window.withLock { $0.stopListening(at: sample) }
        heard.withLock { $0.removeAll() }
    }

    /// bodo's sound reaches the room from capture sample `sample` on: what the microphone
    /// hears from there is its echo, not the room.
    public func bodoSounds(from sample: Int) {
        window.withLock { $0.bodoSounds(from: sample) }
    }

    /// Empties `heardDescriptor` once it has woken the player (whether or not it then takes).
    public func clearWakeUps() { heardWakeUps.clear() }

    /// What was heard since the last call.
    public func take() -> [Heard] {
        heard.withLock { kept in
            defer { kept.removeAll() }
            return kept
        }
    }

    /// The sound that began at capture sample `onset` (something heard), once it has ended.
    public func sound(startingAt onset: Int) -> FoundItDetector.Sound? {
        lastSound.withLock { $0?.onset == onset ? $0 : nil }
    }

    /// The room as last measured: its noise floor and the level of talk in it, in dBFS.
    public var roomLevel: (floor: Double, activity: Double) { room.withLock { $0 } }

    /// Why capture stopped, if it did.
    public var problem: BodoError? { failure.withLock { $0 } }

    /// Whether the input has ended (a file, in tests) and every frame of it has been heard.
    public var inputEnded: Bool { ended.load(ordering: .acquiring) }

    /// Stops both threads and closes the device; waits for them (at most a second).
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        dataReady.signal()
        spaceReady.signal()
        stopWakeUps.signal()
        _ = finished.wait(timeout: .now() + 1)
    }

    private func captureLoop(_ configuration: String?, mayOverwriteFiles: Bool) {
        defer {
            captureDone.store(true, ordering: .releasing)
            dataReady.signal()
            finished.leave()
        }
        var device: CaptureDevice
        do {
            device = try CaptureDevice(name: self.device, configuration: configuration, mayOverwriteFiles: mayOverwriteFiles)
        } catch {
            opened.withLock { $0 = .failure(error) }
            openedSignal.signal()
            return
        }
        opened.withLock { $0 = .success(()) }
        openedSignal.signal()
        let period = UnsafeMutableBufferPointer<Int16>.allocate(capacity: device.periodFrames)
        defer { period.deallocate() }
        var clock = CaptureClock(sampleRate: device.sampleRate, periodFrames: device.periodFrames, start: MonotonicClock.nanoseconds())
        var wait = [pollfd(fd: stopWakeUps.descriptor, events: Int16(POLLIN), revents: 0)]
        while !stopping.load(ordering: .acquiring) {
            // Never ahead of real time: a microphone that delivers faster (a file, a broken
            // driver) would have both threads spin on it. Wait, on the stop pipe with a timeout,
            // until the next period is due.
            if case let ahead = clock.nanosecondsUntilDue(now: MonotonicClock.nanoseconds()), ahead > 0 {
                _ = poll(&wait, 1, Int32(min(1000, (ahead + 999_999) / 1_000_000)))
                continue
            }
            switch device.read(into: period) {
            case let .success(count) where count > 0:
                // A full ring means the detector is a second behind (or the input is a file, which
                // is not paced): wait for it rather than lose what the person said.
                var written = 0
                while written < count, !stopping.load(ordering: .acquiring) {
                    let n = ring.write(UnsafeBufferPointer(rebasing: period[written..<count]))
                    written += n
                    if n == 0 {
                        captureWaiting.store(true, ordering: .releasing)
                        dataReady.signal()
                        if ring.writable == 0 { _ = spaceReady.wait(timeout: .now() + .milliseconds(100)) }
                        captureWaiting.store(false, ordering: .releasing)
                    }
                }
                captured.add(count, ordering: .releasing)
                clock.taken += count
                dataReady.signal()
            case .success:
                return
            case let .failure(error):
                failure.withLock { $0 = error }
                return
            }
        }
    }

    private func detectorLoop() {
        defer { finished.leave() }
        var guarded = GuardedDetector()
        var frame = [Int16](repeating: 0, count: FoundItDetector.frameSamples)
        var reportedSound: FoundItDetector.Sound?
        while true {
            _ = dataReady.wait(timeout: .now() + .milliseconds(50))
            while ring.readable >= frame.count {
                let quiet = window.withLock { $0 }
                let detection = frame.withUnsafeMutableBufferPointer { buffer -> FoundItDetector.Detection? in
                    _ = ring.read(into: buffer)
                    return guarded.feed(UnsafeBufferPointer(buffer), in: quiet)
                }
                if captureWaiting.exchange(false, ordering: .acquiringAndReleasing) { spaceReady.signal() }
                if guarded.position % 1600 == 0 { room.withLock { $0 = (guarded.detector.noiseFloor, guarded.detector.activity) } }
                if let sound = guarded.detector.lastSound, sound != reportedSound {
                    reportedSound = sound
                    lastSound.withLock { $0 = sound }
                }
                if let detection {
                    heard.withLock {
                        $0.append(Heard(kind: detection.kind, onset: detection.onset, decidedAt: detection.decidedAt, aboveRoom: detection.aboveRoom))
                    }
                    heardWakeUps.signal()
                }
            }
            if stopping.load(ordering: .acquiring) { return }
            // Capture has stopped (the end of a file, a failed device) and all of it is heard.
            if captureDone.load(ordering: .acquiring), ring.readable < frame.count {
                ended.store(true, ordering: .releasing)
                return
            }
        }
    }
}

/// How many frames capture may have taken by now: the monotonic clock's worth since capture
/// started, 0.5% more (a sound card's clock may run fast against it; crystals are within about
/// 0.01%, so a real microphone is never held back), plus two periods of slack (a device hands
/// over a period at a time, and may start with one or two queued).
struct CaptureClock {
    let sampleRate: Int
    let periodFrames: Int
    let start: Int
    var taken = 0

    /// Frames allowed after `nanoseconds` since the start.
    func allowed(after nanoseconds: Int) -> Int {
        nanoseconds / 1000 * sampleRate / 1000 * 201 / 200 / 1000 + 2 * periodFrames
    }

    /// 0 when the next period may be read now; else how long until it is due, in nanoseconds.
    func nanosecondsUntilDue(now: Int) -> Int {
        let wanted = taken + periodFrames
        guard wanted > allowed(after: now - start) else { return 0 }
        // The time at which `allowed` reaches `wanted`, rounded up.
        let frames = wanted - 2 * periodFrames
        let due = (frames * 200 / 201 * 1_000_000 / sampleRate + 1) * 1000
        return max(1, due - (now - start))
    }
}
