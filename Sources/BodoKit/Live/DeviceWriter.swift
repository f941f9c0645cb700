import Foundation

/// The device's one owner thread.
struct DeviceWriter: Sendable {
    let transport: Transport
    let device: String
    let sampleRate: Int
    let latencyMilliseconds: Int
    let fadeSamples: Int
    let mayOverwriteFiles: Bool

    func run() {
        defer {
            transport.writerDone.store(true, ordering: .releasing)
            // The producer may be asleep in its poll for a turn (`LivePlayer.turnMilliseconds`):
            // wake it, so the session ends when its last sample has played, not a turn after.
            transport.wakeProducerNow()
        }
        // Before the device opens: a plugin's own threads (the PulseAudio client's, which carries
        // every write to the server) are started by the open and inherit the priority.
        let scheduling = RealtimePriority.raiseCallingThread()
        var pcm: PCMDevice
        do {
            pcm = try PCMDevice(name: device, sampleRate: sampleRate, latencyMilliseconds: latencyMilliseconds, mayOverwriteFiles: mayOverwriteFiles)
        } catch {
            transport.reportOpened(.failure(error))
            return
        }
        // Recorded before the player hears the device is open, so it can read it from then on.
        if pcm.isPaced {
            transport.scheduling.withLock { $0 = scheduling }
        } else {
            RealtimePriority.lowerCallingThread()
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
        var firstWrite = 0
        var played = 0

        func write(_ samples: UnsafeBufferPointer<Int16>) -> Bool {
            if firstWrite == 0 {
                firstWrite = MonotonicClock.nanoseconds()
                transport.firstFramesAt.store(firstWrite, ordering: .releasing)
            }
            let underrunsBefore = pcm.underruns
            if let failure = pcm.write(samples) {
                transport.failure.withLock { $0 = failure }
                return false
            }
            if pcm.underruns != underrunsBefore { transport.ringAtUnderrun.store(ring.readable, ordering: .relaxed) }
            played += samples.count
            let delay = pcm.delay()
            let now = MonotonicClock.nanoseconds()
            // The first reading waits until the device has played a second, past its start-up.
            if transport.anchorTime.load(ordering: .relaxed) == 0, played - delay > sampleRate {
                transport.anchorHeard.store(played - delay, ordering: .relaxed)
                transport.anchorTime.store(now, ordering: .releasing)
            }
            transport.latestHeard.store(played - delay, ordering: .relaxed)
            transport.latestTime.store(now, ordering: .releasing)
            transport.framesPlayed.store(played, ordering: .releasing)
            transport.bufferFrames.store(pcm.parameters.bufferFrames, ordering: .relaxed)
            transport.underruns.store(pcm.underruns, ordering: .releasing)
            transport.deviceDelay.store(delay, ordering: .releasing)
            transport.consumed.store(ring.readIndex, ordering: .releasing)
            return true
        }

        loop: while true {
            let request = Transport.Request(rawValue: transport.request.load(ordering: .acquiring)) ?? .none
            if request != .none {
                // Fade out what is about to play, then drop the rest of what was rendered. While
                // paused it is silence: nothing to fade, nothing to ask for.
                if request != .finishNow, !transport.paused.load(ordering: .acquiring) {
                    transport.awaitFadeMaterial(fade.count)
                }
                let count = ring.read(into: fade)
                // Silence needs no fade: dropped at once, the press after "found it" (whose
                // wait is silent) reaches the device 10 ms sooner.
                if fade[..<count].contains(where: { $0 != 0 }) {
                    for i in 0..<count {
                        fade[i] = Int16(Int(fade[i]) * (count - i) / (count + 1))
                    }
                    guard write(UnsafeBufferPointer(rebasing: fade[..<count])) else { break loop }
                }
                transport.flushedAt.store(ring.readIndex, ordering: .releasing)
                _ = ring.discardAll()
                transport.consumed.store(ring.readIndex, ordering: .releasing)
                transport.request.store(Transport.Request.none.rawValue, ordering: .releasing)
                transport.flushes.add(1, ordering: .releasing)
                if request == .finish || request == .finishNow { break loop }
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
        if firstWrite > 0 {
            transport.wallNanoseconds.store(MonotonicClock.nanoseconds() - firstWrite, ordering: .releasing)
        }
    }
}
