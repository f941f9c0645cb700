import Foundation
import Testing
@testable import BodoKit

/// Commands given in order, one after each wait of the player.
struct ScriptedControls: PlayerControls {
    var commands: [PlayerCommand]
    var input: Int32? { nil }

    mutating func command(inputReady: Bool) -> PlayerCommand? {
        commands.isEmpty ? nil : commands.removeFirst()
    }
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
        let script = minimalScript + "\nintro: A long enough introduction, so that the skip lands inside it.\n"
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
        // Before the jump: the session as it was, its last samples on a linear fade (as many as
        // were rendered ahead when the key came, at most the fade's length).
        let unchanged = zip(out[..<jump], expected[..<jump]).prefix { $0 == $1 }.count
        let faded = jump - unchanged
        #expect(faded > 0 && faded <= fadeLength, "faded \(faded) samples")
        for k in 0..<faded {
            let original = Int(expected[unchanged + k])
            #expect(Int(out[unchanged + k]) == original * (faded - k) / (faded + 1), "sample \(unchanged + k) of the fade")
        }
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
