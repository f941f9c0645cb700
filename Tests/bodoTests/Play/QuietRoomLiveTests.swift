import Foundation
import Testing

/// The listening sessions in which nothing should be heard: a clock in the room, no
/// microphone, bodo's own echo alone (see `ListeningLiveTests`).
@Suite(.serialized) struct QuietRoomLiveTests {
    let script = fixtures.appendingPathComponent("listen.yaml").path
    let listening = ListeningLiveTests()

    func start(_ environment: [String: String], journal: String? = nil) throws -> (Process, LineReader) {
        try listening.start(environment, journal: journal, script: script)
    }

    /// A clock ticking in the room, from before the session to after its one search: every
    /// tick a sharp click, as loud as a tap, after quiet. Each tick was once a tap that ended
    /// the search; now the clock is the room's, and the search runs its whole time.
    @Test func aClockTickingDoesNotEndTheSearch() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink(microphone: true)
            defer { server.stop() }
            var state: UInt64 = 3
            let click: [Int16] = (0..<240).map { i in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int16(Double(Int64(bitPattern: state) >> 48) * 0.4 * exp(-Double(i) / 60))
            }
            var ticks = [Int16](repeating: 0, count: 16000 * 60)
            for second in 0..<60 { for (i, value) in click.enumerated() { ticks[16000 * second + 4000 + i] = value } }
            let clock = server.directory.appendingPathComponent("clock.wav")
            try writeWAV(ticks, rate: 16000, to: clock)
            let player = try spawn("paplay", ["-d", "mic", clock.path], environment: server.environment)
            defer { kill(player, SIGTERM); var status: Int32 = 0; waitpid(player, &status, 0) }
            let (process, lines) = try start(server.environment)
            defer { if process.isRunning { process.terminate() } }
            #expect(await exitStatus(process, seconds: 60) == 0)
            #expect(!lines.all.contains { $0.contains("heard a") }, "\(lines.all)")
            #expect(lines.all.contains { $0.hasPrefix("bodo: searches: point 1 no word (") }, "\(lines.all)")
        }
    }

    @Test func withoutAMicrophoneTheSearchesKeepTheirTimes() async throws {
        try await onItsOwnThread {
            let run = try bodo(["play", "--listen", "--mic", "no-such-mic", "--device", "null", "--no-journal",
                                "--script", fixtures.appendingPathComponent("small.yaml").path])
            #expect(run.status == 0)
            #expect(run.stderr.hasPrefix("bodo: --mic: cannot open the microphone 'no-such-mic': ") && run.stderr.hasSuffix("; the searches keep their fixed times\n"),
                    "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func withNoWordTheSearchLastsItsLongestAndBodoNeverHearsItself() async throws {
        try await onItsOwnThread {
            // bodo's own sound goes into the microphone too (the echo case).
            let server = try PulseNullSink(microphone: true, echo: true)
            defer { server.stop() }
            let journal = server.directory.appendingPathComponent("journal.txt").path
            let (process, lines) = try start(server.environment, journal: journal)
            defer { if process.isRunning { process.terminate() } }
            #expect(await exitStatus(process, seconds: 90) == 0)
            #expect(!lines.all.contains { $0.contains("heard a") }, "\(lines.all)")
            // A search that ran out says nothing of the person's pace: the journal keeps none.
            let entry = try String(contentsOfFile: journal, encoding: .utf8)
            #expect(entry.contains("outcome=completed") && !entry.contains("searches="), "\(entry)")
            // One search, heard as one wait: its reminder halfway does not start another.
            #expect(lines.all.filter { $0.hasPrefix("bodo: listening: ") }.count == 1, "\(lines.all)")
            // The whole wait: both halves and the reminder between them, said as a search with no
            // word (the journal does not learn a pace from it).
            let searched = lines.all.first { $0.hasPrefix("bodo: searches: point 1 no word (") }
            let seconds = searched.flatMap { Int($0.dropFirst("bodo: searches: point 1 no word (".count).prefix { $0.isNumber }) }
            #expect(seconds.map { $0 >= 16 && $0 <= 22 } == true, "\(lines.all)")
        }
    }
}
