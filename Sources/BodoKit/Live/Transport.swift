import Foundation
import Synchronization

/// What the two threads share. Everything the writer touches in its loop is an atomic or the ring.
final class Transport: Sendable {
    let ring: SampleRing
    /// Signalled once the first block is in the ring (or the session is cancelled).
    let firstData = DispatchSemaphore(value: 0)
    let cancelled = Atomic<Bool>(false)

    /// `finishNow` (a signal) fades only what is already rendered: asking for more could wait
    /// for speech not made yet.
    enum Request: Int { case none = 0, flush = 1, finish = 2, finishNow = 3 }
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
    private let wakeUps = WakePipe()
    var wakeProducer: Int32 { wakeUps.descriptor }
    let dataReady = DispatchSemaphore(value: 0)
    let writerStarved = Atomic<Bool>(false)

    /// The fade's handshake. A request is seen by the writer between two reads of the ring, so
    /// from then on nothing more of the ring plays unfaded; if the ring then holds less than a
    /// fade (an unpaced device always, a starved writer sometimes), the writer asks the producer
    /// for the rest (`fadeWanted`) and waits for it (`fadeFed`). Asked any earlier, the writer
    /// could play the extra samples as ordinary ones and fade nothing: the cut clicked.
    let fadeWanted = Atomic<Bool>(false)
    let fadeFed = DispatchSemaphore(value: 0)

    /// Ring index of the next sample the writer reads, and frames queued in the device before it.
    let consumed = Atomic<Int>(0)
    let deviceDelay = Atomic<Int>(0)
    let underruns = Atomic<Int>(0)
    /// Samples the ring held when the last underrun was found.
    let ringAtUnderrun = Atomic<Int>(0)
    /// The device's buffer now: it grows after an underrun (`PCMDevice.regrow`).
    let bufferFrames = Atomic<Int>(0)
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
    private let opened = Locked<Result<DeviceParameters, BodoError>?>(nil)
    private let openedSignal = DispatchSemaphore(value: 0)
    let failure = Locked<String?>(nil)
    /// How the writer's thread is scheduled (nil: not asked, the device is not paced).
    let scheduling = Locked<RealtimePriority.Outcome?>(nil)

    init(capacity: Int) {
        ring = SampleRing(capacity: capacity)
    }

    /// Producer: empties the wake-up pipe after it has woken.
    func clearWakeUps() { wakeUps.clear() }

    /// Producer: wakes the writer if it is waiting for samples or for a request.
    func wakeWriter() {
        if writerStarved.exchange(false, ordering: .acquiringAndReleasing) { dataReady.signal() }
    }

    /// Writer: wakes the producer's poll at once (the writer has finished).
    func wakeProducerNow() { wakeUps.signal() }

    /// Writer: waits for the producer, unless something it waits for has come meanwhile.
    func awaitProducer() {
        writerStarved.store(true, ordering: .releasing)
        guard ring.readable == 0, request.load(ordering: .acquiring) == Request.none.rawValue,
              !producerDone.load(ordering: .acquiring) || paused.load(ordering: .acquiring) else {
            writerStarved.store(false, ordering: .releasing)
            return
        }
        wakeUps.signal()
        dataReady.wait()
    }

    /// Writer, holding a request: makes sure the ring holds `count` samples to fade, unless the
    /// session has no more to give.
    func awaitFadeMaterial(_ count: Int) {
        guard ring.readable < count, !producerDone.load(ordering: .acquiring) else { return }
        fadeWanted.store(true, ordering: .releasing)
        // A player that has already given up would never answer (see `fadeMaterialDone`).
        if cancelled.load(ordering: .acquiring) { return }
        wakeUps.signal()
        fadeFed.wait()
    }

    /// Producer: the writer's wait for fade material is over (fed, or nothing to feed).
    func fadeMaterialDone() {
        guard fadeWanted.exchange(false, ordering: .acquiringAndReleasing) else { return }
        fadeFed.signal()
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
