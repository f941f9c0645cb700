import Foundation
import Testing

/// Media keys and headset buttons, for real: `bodo play` on a private session bus, through a
/// PulseAudio null sink (paced like a sound card), driven by `playerctl` as a desktop's media
/// panel or a headset's button drives it.
@Suite(.serialized) struct MediaKeysTests {
    let script = fixtures.appendingPathComponent("realtime.yaml").path

    /// Pause holds the session where it is, Play picks it up, Next skips the rest of point 1:
    /// the recording has point 2's three ticks only, each on its sample.
    @Test func pausePlayAndNextFromAMediaPlayer() async throws {
        try await onItsOwnThread {
            let sound = try PulseNullSink()
            defer { sound.stop() }
            let bus = try SessionBus()
            defer { bus.stop() }
            let recording = sound.directory.appendingPathComponent("recording.wav")
            let recorder = try sound.record(to: recording)
            let timeline = try previewTimeline(["--script", script])
            let (process, stderr) = try startBodo(["play", "--verbose", "--script", script],
                                                  environment: sound.environment.merging(bus.environment) { $1 })
            defer { if process.isRunning { process.terminate() } }

            let named = await stderr.waitFor("media keys:", seconds: 10)
            #expect(named?.hasSuffix("bodo is org.mpris.MediaPlayer2.bodo on the session bus") == true, "\(stderr.all)")
            #expect(try await bus.await("Playing", from: "status", seconds: 5) == "Playing")
            #expect(try bus.playerctl("metadata", "album") == "Real time")

            try _ = bus.playerctl("pause")
            #expect(try await bus.await("Paused", from: "status", seconds: 2) == "Paused")
            let held = try bus.playerctl("position")
            // A second Pause is not a toggle: the session stays paused.
            try _ = bus.playerctl("pause")
            try await Task.sleep(for: .seconds(1))
            #expect(try bus.playerctl("status") == "Paused")
            #expect(try bus.playerctl("position") == held)

            try _ = bus.playerctl("play")
            #expect(try await bus.await("Playing", from: "status", seconds: 2) == "Playing")
            // Point 1 is heard from its name on; its hold begins seconds later, so Next, sent
            // as soon as the title says point 1, skips all of its ticks.
            #expect(try await bus.await("Point 1, right side", from: "metadata", "title", seconds: 10) == "Point 1, right side")
            try _ = bus.playerctl("next")
            #expect(try await bus.await("Point 2, left side", from: "metadata", "title", seconds: 2) == "Point 2, left side")

            #expect(await exitStatus(process, seconds: 60) == 0, "\(stderr.all)")
            recorder.stop()
            let planned = timeline.cues.filter { $0.kind == "tick" && $0.point == 2 }.map(\.start)
            #expect(planned.count == 3)
            let heard = tickOnsets(in: try wavSamples(recording.path), tick: try tickWaveform())
            #expect(heard.count == planned.count, "ticks heard at \(heard), point 2's planned at \(planned)")
            guard let first = heard.first, heard.count == planned.count else { return }
            for (tick, plan) in zip(heard, planned) {
                #expect(abs(tick - first - (plan - planned[0])) <= timeline.sampleRate / 1000, "tick at \(tick), planned \(plan)")
            }
        }
    }

    /// Previous goes back to the start of what is playing (as `b`); a second bodo beside the
    /// first takes the instance name the specification gives it; Stop ends each as `q` does, at
    /// once, and the names leave the bus with them.
    @Test func previousASecondPlayerAndStop() async throws {
        try await onItsOwnThread {
            let sound = try PulseNullSink()
            defer { sound.stop() }
            let bus = try SessionBus()
            defer { bus.stop() }
            let environment = sound.environment.merging(bus.environment) { $1 }
            let (first, firstErrors) = try startBodo(["play", "--verbose", "--script", script], environment: environment)
            defer { if first.isRunning { first.terminate() } }
            #expect(await firstErrors.waitFor("media keys:", seconds: 10) != nil, "\(firstErrors.all)")

            // Into the intro, then back to its start: the position goes back (the panel hears Seeked).
            let deadline = ContinuousClock.now + .seconds(10)
            while (Double(try bus.playerctl("position")) ?? 0) < 1.0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try _ = bus.playerctl("previous")
            let back = ContinuousClock.now + .seconds(2)
            var position = Double(try bus.playerctl("position")) ?? -1
            while position >= 0.5, ContinuousClock.now < back {
                try await Task.sleep(for: .milliseconds(50))
                position = Double(try bus.playerctl("position")) ?? -1
            }
            #expect((0..<0.5).contains(position), "at \(position) s after Previous")

            let (second, secondErrors) = try startBodo(["play", "--verbose", "--script", script], environment: environment)
            defer { if second.isRunning { second.terminate() } }
            let named = await secondErrors.waitFor("media keys:", seconds: 10)
            #expect(named?.hasSuffix("bodo is org.mpris.MediaPlayer2.bodo.instance\(second.processIdentifier) on the session bus") == true,
                    "\(secondErrors.all)")

            let asked = monotonicSeconds()
            _ = try run("playerctl", ["--all-players", "stop"], environment: bus.environment)
            #expect(await exitStatus(first, seconds: 5) == 0, "\(firstErrors.all)")
            #expect(await exitStatus(second, seconds: 5) == 0, "\(secondErrors.all)")
            #expect(monotonicSeconds() - asked < 1.0)
            #expect(try run("playerctl", ["--list-all"], environment: bus.environment).contains("bodo") == false)
        }
    }

    /// A bus that hangs (its daemon stopped) and then goes away (killed) costs the session
    /// nothing: bodo never waits for it, plays to the end on time and says nothing about it.
    @Test func aBusThatHangsAndGoesAwayCostsNothing() async throws {
        try await onItsOwnThread {
            let sound = try PulseNullSink()
            defer { sound.stop() }
            let bus = try SessionBus()
            defer { bus.stop() }
            let (process, stderr) = try startBodo(["play", "--verbose", "--script", script, "--from", "2"], environment: sound.environment.merging(bus.environment) { $1 })
            defer { if process.isRunning { process.terminate() } }
            #expect(await stderr.waitFor("media keys:", seconds: 10) != nil, "\(stderr.all)")
            kill(bus.daemon, SIGSTOP)
            try await Task.sleep(for: .seconds(2))
            kill(bus.daemon, SIGKILL)
            #expect(await exitStatus(process, seconds: 60) == 0, "\(stderr.all)")
            let lines = try #require(stderr.toTheEnd(seconds: 5))
            let played = try #require(lines.first { $0.hasPrefix("bodo: played ") }, "\(lines)")
            // "played N frames (X s) in Y s ...; 0 underruns": the sound never ran dry, and took
            // its own length in wall time.
            #expect(played.hasSuffix("; 0 underruns"), "\(played)")
            let seconds = played.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "(")))  }
            #expect(seconds.count >= 3 && abs(seconds[2] - seconds[1]) < 0.1, "\(played)")
            // The device, the first frames, the bus name and the summary: nothing about the bus.
            #expect(lines.count == 4, "\(lines)")
        }
    }

    /// Without a session bus (a console, ssh), bodo says nothing about it and plays as always.
    @Test func withoutASessionBusNothingChanges() async throws {
        try await onItsOwnThread {
            let dir = try scratch()
            let recorded = dir.appendingPathComponent("live.wav").path
            let exported = dir.appendingPathComponent("export.wav").path
            let play = try bodo(["play", "--quiet", "--device", "file:'\(recorded)',wav", "--script", script],
                                environment: ["DBUS_SESSION_BUS_ADDRESS": "unix:path=\(dir.path)/no-bus", "XDG_RUNTIME_DIR": dir.path])
            #expect(play.status == 0, "\(play.stderr)")
            #expect(play.stderr.isEmpty, "\(play.stderr)")
            #expect(try bodo(["export", "-q", exported, "--script", script]).status == 0)
            let live = try wavSamples(recorded), file = try wavSamples(exported)
            #expect(!file.isEmpty)
            #expect(Array(live.prefix(file.count)) == file)
        }
    }
}
