import Foundation
import Testing

/// `bodo play` for real: through ALSA's file device (unpaced, to compare samples) and through a
/// PulseAudio null sink started here (paced like a sound card, to check timing).
@Suite(.serialized) struct LiveTests {
    let script = fixtures.appendingPathComponent("realtime.yaml").path

    /// What the device receives is what the export writes, sample for sample.
    @Test func playingToAFileGivesTheExportedSamples() async throws {
        try await onItsOwnThread {
            let dir = try scratch()
            let recorded = dir.appendingPathComponent("live.wav").path
            let exported = dir.appendingPathComponent("export.wav").path
            let play = try bodo(["play", "--quiet", "--device", "file:'\(recorded)',wav", "--script", script, "--side", "left"])
            #expect(play.status == 0, "\(play.stderr)")
            #expect(play.stdout.isEmpty)
            #expect(try bodo(["export", "-q", exported, "--script", script, "--side", "left"]).status == 0)
            let live = try wavSamples(recorded), file = try wavSamples(exported)
            #expect(live.count >= file.count)
            #expect(Array(live.prefix(file.count)) == file)
            // ALSA's file device pads the end to a whole period, with silence.
            #expect(live.dropFirst(file.count).allSatisfy { $0 == 0 })
        }
    }

    /// `bodo devices` lists what a person plays through; ALSA's converters only with --all
    /// (this machine has libasound2-plugins, which make test installs).
    @Test func devicesListsWhatAPersonPlaysThrough() async throws {
        try await onItsOwnThread {
            let listed = try bodo(["devices"]), all = try bodo(["devices", "--all"])
            #expect(listed.status == 0 && all.status == 0)
            let names = { (run: Run) in run.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) } }
            #expect(names(listed).contains("pulse") && !names(listed).contains { ["lavrate", "samplerate", "speexrate", "upmix", "vdownmix", "null"].contains($0) }, "\(listed.stdout)")
            #expect(names(all).contains("lavrate") && names(all).contains("upmix") && Set(names(listed)).isSubset(of: names(all)), "\(all.stdout)")
        }
    }

    @Test func noDeviceSaysSoAndExitsThree() async throws {
        try await onItsOwnThread {
            let run = try bodo(["play", "--device", "no-such-device", "--script", script])
            #expect(run.status == 3)
            #expect(run.stderr == "bodo: --device: cannot open sound device 'no-such-device': No such file or directory; `bodo export session.wav` writes the session to a file instead\n")
        }
    }

    @Test func fromStartsAtThatPoint() async throws {
        try await onItsOwnThread {
            let dir = try scratch()
            let recorded = dir.appendingPathComponent("from.wav").path
            let exported = dir.appendingPathComponent("all.wav").path
            #expect(try bodo(["play", "-q", "--device", "file:'\(recorded)',wav", "--script", script, "--from", "2"]).status == 0)
            #expect(try bodo(["export", "-q", exported, "--script", script]).status == 0)
            let timeline = try previewTimeline(["--script", script])
            let point2 = try #require(timeline.cues.first { $0.point == 2 }).start
            let live = try wavSamples(recorded), file = try wavSamples(exported)
            #expect(Array(live.prefix(file.count - point2)) == Array(file[point2...]))

            let bad = try bodo(["play", "--device", "null", "--script", script, "--from", "stretch:1"])
            #expect(bad.status == 2)
            #expect(bad.stderr == "bodo: --from: there is no stretch 1 (this routine's stretches: none)\n")
        }
    }

    /// Through a real-time audio path: the session takes its own length in wall time, and every
    /// tick arrives where the timeline puts it.
    @Test func playsInRealTimeWithTicksOnTheirSamples() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink()
            defer { server.stop() }
            let recording = server.directory.appendingPathComponent("recording.wav")
            let recorder = try server.record(to: recording)
            let timeline = try previewTimeline(["--script", script])

            let play = try await offThePool { [script, environment = server.environment] in
                try bodo(["play", "--verbose", "--script", script], environment: environment)
            }
            let ended = monotonicSeconds()
            recorder.stop()

            // From the first frames handed to ALSA (bodo reports when, on the same clock) to the
            // process's end, which comes after the last sample has been played.
            #expect(play.status == 0, "\(play.stderr)")
            let latency = try grantedLatency(play.stderr)
            let wall = ended - (try firstFramesTime(play.stderr))
            let length = Double(timeline.totalSamples) / Double(timeline.sampleRate)
            // Up to 5 ms early: the null sink takes audio in blocks on its own timer, and the ALSA
            // plugin's drain returns once the server has taken the last block, so the end can be
            // seen a little before the last sample's time (23.3549 s for a 23.3562 s session, in
            // 1 of 3 full runs since the server runs at real-time priority). A lost or skipped write ends a period (a quarter of the granted
            // latency) early or more, and the ticks below must each be within 1 ms of their place.
            #expect(wall >= length - 0.005, "played in \(wall) s, the session is \(length) s")
            #expect(wall - length <= 0.050 + latency, "played in \(wall) s, the session is \(length) s, latency \(latency) s; \(play.stderr)")

            // Ticks, found by their exact waveform, at the timeline's positions plus one offset.
            let samples = try wavSamples(recording.path)
            let expected = timeline.cues.filter { $0.kind == "tick" }.map(\.start)
            #expect(expected.count == 6)
            let found = tickOnsets(in: samples, tick: try tickWaveform())
            #expect(found.count == expected.count, "found ticks at \(found)")
            guard let first = found.first, found.count == expected.count else { return }
            let offset = first - expected[0]
            for (heard, planned) in zip(found, expected) {
                #expect(abs(heard - planned - offset) <= timeline.sampleRate / 1000, "tick at \(heard), planned \(planned) + \(offset)")
            }
        }
    }
}

extension LiveTests {
    /// Stopped for two seconds mid-session (SIGSTOP, then SIGCONT): the device runs dry, bodo
    /// says so in one line, gives the device a longer buffer and finishes the session.
    @Test func stoppedAndContinuedSessionGoesOn() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink()
            defer { server.stop() }
            let (process, stderr) = try startPlay(environment: server.environment)
            defer { if process.isRunning { process.terminate() } }
            try await Task.sleep(for: .seconds(3))
            kill(process.processIdentifier, SIGSTOP)
            try await Task.sleep(for: .seconds(2))
            kill(process.processIdentifier, SIGCONT)
            #expect(await exitStatus(process, seconds: 60) == 0)
            let lines = try #require(stderr.toTheEnd(seconds: 5))
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.contains("the sound device ran out of samples at 0:0") == true, "\(lines)")
            // Once dry, the buffer grows (60 ms to 70, the most that still stops within 100 ms of
            // Ctrl-C), and says what to do.
            #expect(lines.first?.hasSuffix("; going on with a 70 ms buffer (on a busy machine, --latency 70 starts with one)") == true, "\(lines)")
        }
    }

    /// The sound server goes away mid-session: one line, status 1, and no hang.
    @Test func deviceLostMidSessionStopsWithOneLine() async throws {
        try await onItsOwnThread {
            let server = try PulseNullSink()
            let (process, stderr) = try startPlay(environment: server.environment)
            defer { if process.isRunning { process.terminate() } }
            try await Task.sleep(for: .seconds(3))
            server.stop()
            #expect(await exitStatus(process, seconds: 10) == 1, "bodo hung after its device went away, or failed otherwise")
            let lines = try #require(stderr.toTheEnd(seconds: 5))
            #expect(lines.count == 1 && lines[0].hasPrefix("bodo: --device: the sound device failed: "), "\(lines)")
        }
    }

    private func startPlay(environment: [String: String]) throws -> (Process, LineReader) {
        try startBodo(["play", "--script", script], environment: environment)
    }
}
