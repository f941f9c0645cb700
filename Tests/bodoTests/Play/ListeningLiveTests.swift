import Foundation
import Testing

/// `bodo play --listen` for real: PulseAudio's null sinks stand in for the speaker and the
/// microphone; a recorded word is played into the microphone during the search.
/// The listening sessions, in two serialized suites that may run beside each other: each
/// test has its own PulseAudio server, and they wait on bodo's lines with timeouts, not on
/// time, so they passed beside eight busy processes; in one suite they took about 270 s in a
/// row, the longest part of the whole run. Here: the words a person says.
@Suite(.serialized) struct ListeningLiveTests {
    let script = fixtures.appendingPathComponent("listen.yaml").path

    /// Starts `bodo play --listen --verbose`; returns the process and a reader of its stderr lines.
    func start(_ environment: [String: String], journal: String? = nil, script: String? = nil) throws -> (Process, LineReader) {
        try startBodo(["play", "--listen", "--verbose", "--script", script ?? self.script] + (journal.map { ["--journal", $0] } ?? ["--no-journal"]),
                      environment: environment)
    }

    /// A word 2 s into the search: bodo goes straight on, and the press starts at the device
    /// within 350 ms of the word's onset. The word goes into the microphone and, on the left
    /// channel only, into the recording beside bodo's sound, so both are timed on one clock:
    /// left minus right is the word, right alone is bodo.
    @Test func aWordDuringTheSearchGoesStraightOnToPress() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink(microphone: true, feed: true)
            defer { server.stop() }
            let word = server.directory.appendingPathComponent("word-left.wav")
            try writeLeftOnly(try wavSamples("/usr/share/pocketsphinx/test/data/cards/001.wav"), rate: 16000, to: word)
            let journal = server.directory.appendingPathComponent("journal.txt").path
            let recording = server.directory.appendingPathComponent("recording.wav")
            let recorder = try server.record(to: recording, channels: 2)
            let (process, lines) = try start(server.environment, journal: journal)
            defer { if process.isRunning { process.terminate() } }
            let began = monotonicSeconds()
            #expect(await lines.waitFor("listening on", seconds: 20) != nil, "\(lines.all)")
            #expect(await lines.waitFor("listening: Point 1, right side, search", seconds: 30) != nil, "\(lines.all)")
            // Two seconds into the search, the word.
            try await Task.sleep(for: .seconds(2))
            _ = try await offThePool { [environment = server.environment] in try run("paplay", ["-d", "both", word.path], environment: environment) }
            let heard = await lines.waitFor("heard a word", seconds: 10)
            #expect(heard?.contains(" into the search at Point 1, right side (decided ") == true, "\(lines.all)")
            #expect(await exitStatus(process, seconds: 30) == 0)
            // --verbose also says how long the word was: more than the 160 ms heard before deciding,
            // less than the recording's 1.1 s.
            let lasted = lines.all.first { $0.hasPrefix("bodo: the word lasted ") }
            let milliseconds = lasted.flatMap { Int($0.dropFirst("bodo: the word lasted ".count).prefix { $0.isNumber }) }
            #expect(milliseconds.map { (170...1100).contains($0) } == true, "\(lines.all)")
            recorder.stop()
            // The search took about two seconds, not its sixteen.
            let searched = lines.all.first { $0.hasPrefix("bodo: searches: point 1 ") }
            let seconds = searched.flatMap { Int($0.dropFirst("bodo: searches: point 1 ".count).prefix { $0.isNumber }) }
            #expect(seconds.map { (2...5).contains($0) } == true, "\(lines.all)")
            #expect(monotonicSeconds() - began < 40)
            // The journal keeps the search, for a learned pace.
            let entry = try String(contentsOfFile: journal, encoding: .utf8)
            #expect(entry.contains("\nSearches: point 1 \(seconds ?? -1) s.\n") && entry.contains(" searches=1:"), "\(entry)")

            // From the word's onset (its first 10 ms within 20 dB of its loudest, as bench/listen.sh
            // times the detector) to the first sound of bodo's after it.
            let frames = try stereoFrameLevels(recording.path)
            let loudest = try #require(frames.map(\.word).max())
            let onset = try #require(frames.firstIndex { $0.word >= loudest / 10 })
            // bodo was silent in the search before the word (the half second the recording has of it).
            #expect(onset >= 50 && frames[(onset - 50)..<onset].allSatisfy { $0.bodo == 0 }, "onset at frame \(onset)")
            let press = try #require(frames[onset...].firstIndex { $0.bodo >= 30 }, "bodo never spoke after the word")
            #expect((press - onset) * 10 <= 350, "the press started \((press - onset) * 10) ms after the word's onset; \(lines.all)")
        }
    }

    /// The waits of listen-session.yaml, in order.
    static let sessionWaits = ["Point 1, right side, position", "Point 1, right side, search", "Point 2, left side, search",
                               "Point 3, right side, position", "Point 3, right side, search"]

    /// Plays a recorded word into the microphone in each of the session's waits, `after` seconds
    /// (by the wait's index) once bodo says it listens, and expects each to be heard there.
    func sayAWordInEachWait(_ server: PulseNullSink, _ lines: LineReader, after: (Int) -> Double) async throws {
        for (index, wait) in Self.sessionWaits.enumerated() {
            guard await lines.waitFor("listening: \(wait)", seconds: 40) != nil else {
                Issue.record("never listened for \(wait): \(lines.all)")
                return
            }
            if after(index) > 0 { try await Task.sleep(for: .seconds(after(index))) }
            _ = try await offThePool { [environment = server.environment] in
                try run("paplay", ["-d", "mic", "/usr/share/pocketsphinx/test/data/cards/001.wav"], environment: environment)
            }
            let heard = await lines.waitFor("heard a word", seconds: 10, occurrence: index + 1)
            #expect(heard?.contains(" at \(wait.split(separator: ",").prefix(2).joined(separator: ",")) (decided ") == true, "\(wait): \(lines.all)")
        }
    }

    /// A whole session as a person runs it: "ready" once in each new position, "now" at each
    /// point, a few seconds apart. Every wait is heard and moves on, the second word as well as
    /// the first (a word once raised the bar for the next for 16 s), and the session takes a
    /// fraction of its longest.
    @Test func aWordAtEveryWaitMovesOnEachTime() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink(microphone: true)
            defer { server.stop() }
            let (process, lines) = try start(server.environment, script: fixtures.appendingPathComponent("listen-session.yaml").path)
            defer { if process.isRunning { process.terminate() } }
            let began = monotonicSeconds()
            try await sayAWordInEachWait(server, lines, after: { _ in 1 })
            #expect(await exitStatus(process, seconds: 40) == 0)
            // Without words the waits alone last 64 s (three of 16, two of 8), with bodo's words
            // around them more than 75; with a word a second into each, the test took 39 s.
            #expect(monotonicSeconds() - began < 75, "\(lines.all)")
            #expect(lines.all.first { $0.hasPrefix("bodo: searches: ") }.map { !$0.contains("no word") } == true, "\(lines.all)")
        }
    }

    /// A speaker's echo: bodo's own sound goes into the microphone at full level, as loud as
    /// the word. It once taught the detector that the room was as loud as bodo, so no word after
    /// it was heard; and a word begun within 300 ms of bodo's last sound was dropped whole. Here
    /// the first word starts as soon as bodo falls silent, the others a second into their waits:
    /// each is heard, each moves on, and bodo's echo is never taken for a word.
    @Test func wordsAfterBodosOwnEchoAreHeard() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink(microphone: true, echo: true)
            defer { server.stop() }
            let (process, lines) = try start(server.environment, script: fixtures.appendingPathComponent("listen-session.yaml").path)
            defer { if process.isRunning { process.terminate() } }
            try await sayAWordInEachWait(server, lines, after: { $0 == 0 ? 0 : 1 })
            #expect(await exitStatus(process, seconds: 40) == 0)
            #expect(lines.all.filter { $0.contains("heard a") }.count == Self.sessionWaits.count, "\(lines.all)")
        }
    }
}
