import Foundation
import Testing
@testable import BodoKit

/// Commands given in order, one after each wait of the player (nil: a wait with none).
struct ScriptedControls: PlayerControls {
    var commands: [PlayerCommand?]
    var input: Int32? { nil }

    mutating func command(inputReady: Bool) -> PlayerCommand? {
        commands.isEmpty ? nil : commands.removeFirst()
    }
}

/// Where `tail` ends the recording, allowing for the silence ALSA's file device pads its end
/// with (up to a period): the index it starts at, or nil.
func placeOfTail(_ tail: ArraySlice<Int16>, in out: [Int16], padding: Int) -> Int? {
    for pad in 0..<padding {
        let start = out.count - pad - tail.count
        if start >= 0, out[start..<(start + tail.count)].elementsEqual(tail) { return start }
    }
    return nil
}

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
        let producer = Thread {
            var value = 0
            var block = [Int16](repeating: 0, count: 97)
            while value < total {
                let count = min(block.count, total - value)
                for i in 0..<count { block[i] = Int16(truncatingIfNeeded: value + i) }
                var done = 0
                while done < count {
                    done += block.withUnsafeBufferPointer { ring.write(UnsafeBufferPointer(rebasing: $0[done..<count])) }
                }
                value += count
            }
        }
        producer.start()
        var received = 0
        var mismatches = 0
        var buffer = [Int16](repeating: 0, count: 61)
        // A lost sample must fail the test, not hang it.
        let deadline = ContinuousClock.now + .seconds(20)
        while received < total, ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBufferPointer { ring.read(into: $0) }
            for i in 0..<count where buffer[i] != Int16(truncatingIfNeeded: received + i) { mismatches += 1 }
            received += count
        }
        #expect(received == total, "the ring moved \(received) of \(total) samples in 20 s")
        #expect(mismatches == 0)
    }

    /// `n` fades out what is playing and goes on from the start of the next point.
    @Test func nextFadesOutAndJumpsToTheNextPoint() throws {
        let (session, expected, out, summary, events) = try played([.next])
        let timeline = try session.timeline()
        #expect(summary.stoppedBy == nil)

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
        // Before the jump: the session as it was, its last samples on a linear fade (as many as
        // were rendered ahead when the key came, at most the fade's length).
        let unchanged = zip(out[..<jump], expected[..<jump]).prefix { $0 == $1 }.count
        let faded = jump - unchanged
        // How much fades depends on what was queued when `n` came (an unpaced file device may
        // have taken all of it): none, up to the fade's length; the fade itself is tested below
        // on samples that are all sound.
        #expect(faded <= fadeLength)
        for k in 0..<faded {
            let original = Int(expected[unchanged + k])
            #expect(Int(out[unchanged + k]) == original * (faded - k) / (faded + 1), "sample \(unchanged + k) of the fade")
        }
    }

    /// A session on ALSA's file device with `commands`, and what it wrote.
    func played(_ commands: [PlayerCommand?]) throws -> (session: Session, expected: [Int16], out: [Int16], summary: PlaySummary, events: [PlayerEvent]) {
        let script = minimalScript + "\nintro: A long enough introduction, so that every command lands inside it.\n"
        let session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"), synthesizer: ToneSynthesizer())
        let timeline = try session.timeline()
        var expected = [Int16](repeating: 0, count: timeline.totalSamples)
        var renderer = session.makeRenderer()
        _ = try expected.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }
        let path = try temporaryDirectory().appendingPathComponent("played.wav").path
        var options = PlayOptions()
        options.device = "file:'\(path)',wav"
        var controls = ScriptedControls(commands: commands)
        var events: [PlayerEvent] = []
        let summary = try LivePlayer(session: session, options: options).play(controls: &controls, events: { events.append($0) })
        return (session, expected, try ReadBack(path).samples, summary, events)
    }

    /// `q` ends the session where it is: it says so, and what was written is the session's
    /// start, then at most a fade's length of its samples made quieter (and the file device's
    /// padding), and nothing after.
    @Test func quitEndsTheSessionWithAFade() throws {
        let (session, expected, out, summary, events) = try played([nil, nil, .quit])
        #expect(summary.stoppedBy == .quit)
        #expect(!out.isEmpty && out.count < expected.count / 2, "wrote \(out.count) of \(expected.count)")
        let unchanged = zip(out, expected).prefix { $0 == $1 }.count
        #expect(unchanged > 0)
        let fadeLength = session.sampleRate * LivePlayer.fadeMilliseconds / 1000
        #expect(out.count - unchanged <= fadeLength + summary.parameters.periodFrames, "\(out.count - unchanged) samples after the session's own")
        for index in unchanged..<min(out.count, expected.count) where abs(Int(out[index])) > abs(Int(expected[index])) {
            Issue.record("sample \(index) is louder than the session's: not a fade")
            break
        }
        #expect(!events.contains { if case .jumped = $0 { true } else { false } })
    }

    /// `b` goes back to the start of the step it is in, and the session goes on from there to
    /// its end, every sample where the timeline has it.
    @Test func backReturnsToTheStartOfTheCurrentStep() throws {
        let (session, expected, out, summary, events) = try played([.next, nil, nil, .back])
        #expect(summary.stoppedBy == nil)
        let jumps = events.compactMap { if case let .jumped(from, to) = $0 { (from, to) } else { nil } }
        let point = try #require(try session.timeline().markers.first { $0.context.point == 1 }).position
        #expect(jumps.count == 2 && jumps[0].1 == point, "\(events)")
        guard jumps.count == 2 else { return }
        #expect(jumps[1].0 >= point && jumps[1].1 == point, "back from \(jumps[1].0) to \(jumps[1].1), point 1 at \(point)")
        #expect(placeOfTail(expected[point...], in: out, padding: summary.parameters.periodFrames) != nil, "the session after `b` is not the timeline's")
    }

    /// A pause then a resume: the resume words, then the session from the resume point to its
    /// end, exactly; nothing of it lost.
    @Test func pauseAndResumeLoseNothing() throws {
        let (session, expected, out, summary, events) = try played([.togglePause, nil, nil, nil, .togglePause])
        #expect(summary.stoppedBy == nil)
        let paused = events.compactMap { if case let .paused(at) = $0 { at } else { nil } }
        let resumed = events.compactMap { if case let .resumed(at) = $0 { at } else { nil } }
        #expect(paused.count == 1 && resumed.count == 1, "\(events)")
        guard let at = paused.first, let restart = resumed.first else { return }
        #expect(restart <= at)
        let start = try #require(placeOfTail(expected[restart...], in: out, padding: summary.parameters.periodFrames),
                                 "the session after the resume is not the timeline's from \(restart)")
        // Before it: what played before the pause, silence, and the resume words.
        #expect(start > restart, "no resume words before picking up")
        _ = session
    }

    /// The fade a jump or a stop plays: every sample quieter than it was, falling linearly to
    /// nearly nothing, on sound that is all there (so the check cannot pass on silence).
    @Test func theFadeFallsLinearlyToSilence() {
        let original = (0..<441).map { Int16(20000 * sin(Double($0) * 0.3) + ($0 % 2 == 0 ? 3000 : -3000)) }
        var faded = original
        faded.withUnsafeMutableBufferPointer { DeviceWriter.fadeOut($0) }
        #expect(faded != original)
        var checked = 0
        for (k, (before, after)) in zip(original, faded).enumerated() {
            #expect(Int(after) == Int(before) * (441 - k) / 442, "sample \(k)")
            #expect(abs(Int(after)) <= abs(Int(before)))
            checked += 1
        }
        #expect(checked == 441)
        #expect(abs(Int(faded.last!)) < 100)
    }

    @Test func resumingRepeatsTheCutWordsOrThePressOfACutHold() throws {
        let timeline = try backSession().timeline()
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
}
