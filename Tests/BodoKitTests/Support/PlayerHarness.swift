import Foundation
import Testing
@testable import BodoKit

/// Commands given in order, one after each wait of the player.
struct ScriptedControls: PlayerControls {
    var commands: [PlayerCommand]
    var inputs: [Int32] { [] }

    mutating func command(ready: Set<Int32>) -> PlayerCommand? {
        commands.isEmpty ? nil : commands.removeFirst()
    }
}

/// What the player reported, for controls that wait for it (`GatedControls`).
final class EventLog: @unchecked Sendable {
    var events: [PlayerEvent] = []
}

/// Commands in order, each once its condition holds for the events reported so far. After 20 s,
/// or once the device's file (`play` sets it) passes 256 MB, it quits whatever happened
/// (`timedOut`), so a command that is never carried out fails the test instead of hanging it. A
/// pause plays silence into the unpaced file device as fast as it can write: a test that pauses
/// and resumes writes 32 to 65 MB, and one left paused wrote 3 GB in its 20 s, which the test
/// then read back whole for many minutes.
struct GatedControls: PlayerControls {
    let log: EventLog
    var steps: [(PlayerCommand, ([PlayerEvent]) -> Bool)]
    let deadline = MonotonicClock.nanoseconds() + 20_000_000_000
    var file: String?
    var timedOut = false
    var inputs: [Int32] { [] }

    mutating func command(ready: Set<Int32>) -> PlayerCommand? {
        var size = stat()
        if MonotonicClock.nanoseconds() > deadline || file.map({ stat($0, &size) == 0 && size.st_size > 256 << 20 }) == true {
            timedOut = true
            return .quit
        }
        guard let (command, ready) = steps.first, ready(log.events) else { return nil }
        steps.removeFirst()
        return command
    }
}

/// Two points of tones (words longer than the player's ring, so a command lands inside them),
/// rendered whole, and the first point's start.
func tonedSession() throws -> (session: Session, expected: [Int16], point: Int) {
    let script = """
        name: Test
        points:
          - {number: 1, side: right, location: At the top of the right shoulder blade next to the spine where the long muscle meets the bone and a little further down.}
          - {number: 2, side: left, location: At the top of the left shoulder blade next to the spine where the long muscle meets the bone and a little further down.}
        """
    let session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"), synthesizer: ToneSynthesizer())
    let timeline = try session.timeline()
    var expected = [Int16](repeating: 0, count: timeline.totalSamples)
    var renderer = session.makeRenderer()
    _ = try expected.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }
    let point = try #require(timeline.markers.first { $0.context.point == 1 }).position
    return (session, expected, point)
}

/// Plays `session` from `start` into ALSA's file device; what the device received.
func play(_ session: Session, from start: Int, controls: inout GatedControls, log: EventLog) throws -> (PlaySummary, [Int16]) {
    let path = try temporaryDirectory().appendingPathComponent("live.wav").path
    var options = PlayOptions()
    options.device = "file:'\(path)',wav"
    options.startAt = start
    controls.file = path
    let summary = try LivePlayer(session: session, options: options).play(controls: &controls, events: { log.events.append($0) })
    return (summary, try ReadBack(path).samples)
}

func fadeLength(_ session: Session) -> Int { session.sampleRate * LivePlayer.fadeMilliseconds / 1000 }

/// Where `out`, which begins as `expected` does, goes on as `fade` samples of `expected` on the
/// player's linear fade, with sound in them (a fade of silence proves nothing); nil if nowhere.
func fadeStart(_ out: [Int16], _ expected: [Int16], fade: Int) -> (start: Int, length: Int)? {
    let unchanged = zip(out, expected).prefix { $0 == $1 }.count
    // Searched from the whole fade down, so a test can say which length it found: shorter only
    // at the session's end. A faded 0 is still 0: it may begin up to its length before the
    // first difference.
    for length in stride(from: fade, through: 1, by: -1) {
        for start in max(0, unchanged - length)...unchanged where start + length <= min(out.count, expected.count) {
            let faded = (0..<length).allSatisfy { k in Int(out[start + k]) == Int(expected[start + k]) * (length - k) / (length + 1) }
            if faded, expected[start..<(start + length)].contains(where: { $0 != 0 }) { return (start, length) }
        }
    }
    return nil
}

/// Whether `out` ends with `tail` followed by at most `padding` samples of silence.
func endsWith(_ out: [Int16], _ tail: [Int16], padding: Int) -> Bool {
    (0..<padding).contains { pad in
        let start = out.count - pad - tail.count
        return start >= 0 && out[(start + tail.count)...].allSatisfy { $0 == 0 } && Array(out[start..<(start + tail.count)]) == tail
    }
}
