import Foundation
import Testing
@testable import BodoKit

@Suite(.serialized) struct LivePlayerTests {
    @Test func ringKeepsOrderAcrossWrapAndDiscard() {
        let ring = SampleRing(capacity: 100)
        #expect(ring.capacity == 128)
        var next: Int16 = 0, expected: Int16 = 0
        var out = [Int16](repeating: 0, count: 50)
        for round in 0..<40 {
            let chunk = (0..<(round % 7 * 13 + 5)).map { _ in defer { next &+= 1 }; return next }
            let written = chunk.withUnsafeBufferPointer { ring.write($0) }
            next = next &- Int16(chunk.count - written)
            let read = out.withUnsafeMutableBufferPointer { ring.read(into: $0) }
            for sample in out[..<read] {
                #expect(sample == expected)
                expected &+= 1
            }
        }
        let dropped = ring.discardAll()
        #expect(ring.readable == 0)
        #expect(ring.writable == ring.capacity)
        #expect(ring.readIndex == ring.writeIndex)
        #expect(dropped == Int(next &- expected))
    }

    @Test func ringMovesEverySampleBetweenTwoThreads() async {
        let ring = SampleRing(capacity: 256)
        let total = 200_000
        // A lost sample must fail the test, not hang it: both loops give up at the deadline.
        let deadline = MonotonicClock.nanoseconds() + 20_000_000_000
        let producer = Thread {
            var value = 0
            var block = [Int16](repeating: 0, count: 97)
            while value < total, MonotonicClock.nanoseconds() < deadline {
                let count = min(block.count, total - value)
                for i in 0..<count { block[i] = Int16(truncatingIfNeeded: value + i) }
                var done = 0
                while done < count, MonotonicClock.nanoseconds() < deadline {
                    done += block.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[done..<count])) }
                }
                value += count
            }
        }
        producer.start()
        var received = 0
        var mismatches = 0
        var buffer = [Int16](repeating: 0, count: 61)
        while received < total {
            guard MonotonicClock.nanoseconds() < deadline else {
                Issue.record("gave up after 20 s with \(received) of \(total) samples")
                break
            }
            let count = buffer.withUnsafeMutableBufferPointer { ring.read(into: $0) }
            for i in 0..<count where buffer[i] != Int16(truncatingIfNeeded: received + i) { mismatches += 1 }
            received += count
        }
        #expect(received == total)
        #expect(mismatches == 0)
    }

    /// `n` fades out what is playing and goes on from the start of the next point.
    @Test func nextFadesOutAndJumpsToTheNextPoint() throws {
        // Longer than two rings (`LivePlayer.ringCapacity`): on this unpaced device the command
        // comes once the writer has taken at most that (the first block, and one turn's refill,
        // each at most a ring), and must land inside the words.
        let script = minimalScript + "\nintro: A long enough introduction, so that the skip lands inside it, however far ahead the player has rendered; it goes on and on, and on again, well past the first second and a half.\n"
        let session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"),
                                  synthesizer: ToneSynthesizer())
        let timeline = try session.timeline()
        var expected = [Int16](repeating: 0, count: timeline.totalSamples)
        var renderer = session.makeRenderer()
        _ = try expected.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }

        let path = try temporaryDirectory().appendingPathComponent("next.wav").path
        var options = PlayOptions()
        options.device = "file:'\(path)',wav"
        var controls = ScriptedControls(commands: [.next])
        var events: [PlayerEvent] = []
        let summary = try LivePlayer(session: session, options: options).play(controls: &controls, events: { events.append($0) })
        #expect(summary.stoppedBy == nil)

        let out = try ReadBack(path).samples
        let point = try #require(timeline.markers.first { $0.context.point == 1 }).position
        let tail = Array(expected[point...])
        // ALSA's file device pads the end with silence to a whole period.
        var jump = -1
        for padding in 0..<summary.parameters.periodFrames {
            let start = out.count - padding - tail.count
            if start >= 0, Array(out[start..<(start + tail.count)]) == tail {
                jump = start
                break
            }
        }
        let fadeLength = session.sampleRate * LivePlayer.fadeMilliseconds / 1000
        try #require(jump > 0 && jump < point, "out \(out.count), tail \(tail.count), point \(point)")
        // The command hears what happened, as events, in order: the start, then the jump.
        guard case .started(summary.parameters, _) = events.first else { Issue.record("first event: \(events)"); return }
        let jumps = events.compactMap { if case let .jumped(from, to) = $0 { (from, to) } else { nil } }
        #expect(jumps.count == 1 && jumps[0].1 == point && jumps[0].0 < point, "\(events)")
        // Before the jump: the session as it was, its last 10 ms on a linear fade. All of them,
        // however far ahead the writer of this unpaced device had got: it asks for what it fades.
        // Outside the macro, so a failure prints one line and not every sample of the session.
        // The first block and one turn's refill, at most a ring each, then the fade: a command
        // is never kept waiting by a writer that empties the ring as fast as it is filled.
        #expect(jump <= 2 * LivePlayer.ringCapacity + fadeLength, "the command was carried out \(jump) samples in")
        let found = fadeStart(Array(out[..<jump]), expected, fade: fadeLength)
        let (fade, faded) = try #require(found, "no fade before the jump at \(jump)")
        #expect(faded == fadeLength && fade + faded == jump, "faded \(faded) samples from \(fade), jump at \(jump)")
    }

    /// Space, then space again once the pause is heard: the session stops on a fade, plays
    /// silence, says where it is and picks up at the start of the cut words, so no sample of the
    /// session is lost.
    @Test func pauseThenResumeLosesNoSampleOfTheSession() throws {
        let (session, expected, point) = try tonedSession()
        let log = EventLog()
        var controls = GatedControls(log: log, steps: [
            (.togglePause, { _ in true }),
            (.togglePause, { $0.contains { if case .paused = $0 { true } else { false } } }),
        ])
        let (summary, out) = try play(session, from: point, controls: &controls, log: log)
        #expect(!controls.timedOut && summary.stoppedBy == nil)
        let paused = log.events.compactMap { if case let .paused(at) = $0 { at } else { nil } }
        let resumed = log.events.compactMap { if case let .resumed(at) = $0 { at } else { nil } }
        try #require(paused.count == 1 && resumed.count == 1, "\(log.events)")
        // Nothing between the pause and where it picks up is skipped.
        #expect(resumed[0] <= paused[0])
        #expect(resumed[0] == Producer.resumePoint(after: paused[0], in: try session.timeline()).position)

        let played = Array(expected[point...])
        // Where the session's own samples end: on a whole fade.
        let found = fadeStart(out, played, fade: fadeLength(session))
        let (fade, faded) = try #require(found, "no fade in \(out.count) samples")
        #expect(faded == fadeLength(session))
        #expect(point + fade + faded == paused[0], "the pause is where the session's sound ended")
        let silence = out[(fade + faded)...].prefix { $0 == 0 }.count
        #expect(silence >= summary.parameters.periodFrames, "\(silence) samples of silence while paused")
        // The rest: the words that say where it is, then the session from the restart to its end.
        let tail = Array(expected[resumed[0]...])
        let ends = endsWith(out, tail, padding: summary.parameters.periodFrames)
        #expect(ends, "out \(out.count), tail \(tail.count)")
    }

    /// A media player's Play while playing and Pause while paused change nothing; Pause and
    /// Play otherwise pause and resume as the space bar does, once each.
    @Test func separatePauseAndPlayAreNotToggles() throws {
        let (session, expected, point) = try tonedSession()
        let log = EventLog()
        func saw(_ kind: String) -> ([PlayerEvent]) -> Bool {
            { events in events.contains { "\($0)".hasPrefix(kind) } }
        }
        var controls = GatedControls(log: log, steps: [
            (.resume, { _ in true }),
            (.pause, { _ in true }),
            (.pause, saw("paused")),
            (.resume, saw("paused")),
            (.resume, saw("resumed")),
        ])
        let (summary, out) = try play(session, from: point, controls: &controls, log: log)
        #expect(!controls.timedOut && summary.stoppedBy == nil)
        let paused = log.events.filter { "\($0)".hasPrefix("paused") }, resumed = log.events.filter { "\($0)".hasPrefix("resumed") }
        #expect(paused.count == 1 && resumed.count == 1, "\(log.events)")
        // The rest of the session is there after the pause, to its last sample.
        guard case let .resumed(at) = resumed.first else { return }
        // Outside the macro, so a failure prints one line and not every sample.
        let ends = endsWith(out, Array(expected[at...]), padding: summary.parameters.periodFrames)
        #expect(ends, "out \(out.count) samples, resumed at \(at)")
    }

    /// `b` fades out and repeats the current point from its start.
    @Test func backRepeatsTheCurrentPointFromItsStart() throws {
        let (session, expected, point) = try tonedSession()
        let log = EventLog()
        var controls = GatedControls(log: log, steps: [(.back, { _ in true })])
        let (summary, out) = try play(session, from: point, controls: &controls, log: log)
        #expect(!controls.timedOut && summary.stoppedBy == nil)
        let jumps = log.events.compactMap { if case let .jumped(from, to) = $0 { (from, to) } else { nil } }
        try #require(jumps.count == 1, "\(log.events)")
        #expect(jumps[0].1 == point && jumps[0].0 > point, "\(jumps)")

        let played = Array(expected[point...])
        let found = fadeStart(out, played, fade: fadeLength(session))
        let (fade, faded) = try #require(found, "no fade in \(out.count) samples")
        #expect(faded == fadeLength(session))
        #expect(point + fade + faded == jumps[0].0, "the jump is where the fade ended")
        // Right after the fade: the whole point again, to the session's end.
        let again = fade + faded
        #expect(out.count - again - played.count >= 0 && out.count - again - played.count < summary.parameters.periodFrames)
        let same = Array(out[again..<min(out.count, again + played.count)]) == played
        #expect(same, "the point again, sample for sample")
    }

    /// `q` ends the session early, on a fade, and says it was asked to.
    @Test func quitEndsEarlyOnAFade() throws {
        let (session, expected, point) = try tonedSession()
        let log = EventLog()
        var controls = GatedControls(log: log, steps: [(.quit, { _ in true })])
        let (summary, out) = try play(session, from: point, controls: &controls, log: log)
        #expect(!controls.timedOut)
        #expect(summary.stoppedBy == .quit)
        let played = Array(expected[point...])
        let found = fadeStart(out, played, fade: fadeLength(session))
        let (fade, faded) = try #require(found, "no fade in \(out.count) samples")
        #expect(faded == fadeLength(session))
        // After the fade only the device's padding to a whole period.
        let end = fade + faded
        #expect(out.count - end < summary.parameters.periodFrames && out[end...].allSatisfy { $0 == 0 }, "\(out.count - end) samples after the fade")
        #expect(out.count < played.count / 2)
        #expect(summary.position >= point && summary.position <= point + end, "\(summary.position)")
    }

    @Test func resumingRepeatsTheCutWordsOrThePressOfACutHold() throws {
        let timeline = try sharedDefaultSession.get().timeline()
        let cues = timeline.cues
        let search = try #require(cues.first { $0.context.point == 5 && $0.phase == .search })
        let inWords = Producer.resumePoint(after: search.start + search.length / 2, in: timeline)
        #expect(inWords.position == search.start)
        #expect(inWords.words == "Point 5, search.")

        let press = try #require(cues.first { $0.context.point == 5 && $0.phase == .press })
        let tick = try #require(cues.last { $0.context.point == 5 && $0.sound == .tick })
        let inHold = Producer.resumePoint(after: tick.start + 10, in: timeline)
        #expect(inHold.position == press.start)
        #expect(inHold.words == "Point 5, press.")

        let quiet = search.end + 22050
        let inQuiet = Producer.resumePoint(after: quiet, in: timeline)
        #expect(inQuiet.position == quiet)
        #expect(inQuiet.words == "Point 5, search.")
    }

    /// A listened plan (waits as long as search_max, ended by a word) played with nothing
    /// listening would leave the person in silence: the player refuses it, before any sound.
    @Test func aListenedPlanIsNeverPlayedWithoutAListener() throws {
        var listened = PlanOptions()
        listened.listen = true
        let session = try Session(routine: RoutineLoader.load(Data(minimalScript.utf8), file: "t.yaml"), options: listened,
                                  synthesizer: ToneSynthesizer())
        var options = PlayOptions()
        options.device = "null"
        var controls = ScriptedControls(commands: [])
        #expect(throws: BodoError.self) { try LivePlayer(session: session, options: options).play(controls: &controls) }
    }
}
