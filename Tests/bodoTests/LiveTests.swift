import Foundation
import Testing

/// `bodo play` for real: through ALSA's file device (unpaced, to compare samples) and through a
/// PulseAudio null sink started here (paced like a sound card, to check timing).
@Suite(.serialized) struct LiveTests {
    let script = fixtures.appendingPathComponent("realtime.yaml").path

    /// What the device receives is what the export writes, sample for sample.
    @Test func playingToAFileGivesTheExportedSamples() throws {
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

    /// `bodo devices` lists what a person plays through; ALSA's converters only with --all
    /// (this machine has libasound2-plugins, which make test installs).
    @Test func devicesListsWhatAPersonPlaysThrough() throws {
        let listed = try bodo(["devices"]), all = try bodo(["devices", "--all"])
        #expect(listed.status == 0 && all.status == 0)
        let names = { (run: Run) in run.stdout.split(separator: "\n").map { String($0.prefix { $0 != " " }) } }
        #expect(names(listed).contains("pulse") && !names(listed).contains { ["lavrate", "samplerate", "speexrate", "upmix", "vdownmix", "null"].contains($0) }, "\(listed.stdout)")
        #expect(names(all).contains("lavrate") && names(all).contains("upmix") && Set(names(listed)).isSubset(of: names(all)), "\(all.stdout)")
    }

    @Test func noDeviceSaysSoAndExitsThree() throws {
        let run = try bodo(["play", "--device", "no-such-device", "--script", script])
        #expect(run.status == 3)
        #expect(run.stderr == "bodo: --device: cannot open sound device 'no-such-device': No such file or directory; `bodo export session.wav` writes the session to a file instead\n")
    }

    @Test func fromStartsAtThatPoint() throws {
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

    /// Through a real-time audio path: the session takes its own length in wall time, and every
    /// tick arrives where the timeline puts it.
    @Test func playsInRealTimeWithTicksOnTheirSamples() throws {
        let server = try PulseNullSink()
        defer { server.stop() }
        let recording = server.directory.appendingPathComponent("recording.wav")
        let recorder = try server.record(to: recording)
        let timeline = try previewTimeline(["--script", script])

        let play = try bodo(["play", "--verbose", "--script", script], environment: server.environment)
        let ended = monotonicSeconds()
        recorder.stop()

        // From the first frames handed to ALSA (bodo reports when, on the same clock) to the
        // process's end, which comes after the last sample has been played.
        #expect(play.status == 0, "\(play.stderr)")
        let latency = try grantedLatency(play.stderr)
        let wall = ended - (try firstFramesTime(play.stderr))
        let length = Double(timeline.totalSamples) / Double(timeline.sampleRate)
        #expect(wall >= length, "played in \(wall) s, the session is \(length) s")
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

extension LiveTests {
    /// Stopped for two seconds mid-session (SIGSTOP, then SIGCONT): the device runs dry, bodo
    /// says so in one line, gives the device a longer buffer and finishes the session.
    @Test func stoppedAndContinuedSessionGoesOn() throws {
        let server = try PulseNullSink()
        defer { server.stop() }
        let (process, stderr) = try startPlay(environment: server.environment)
        Thread.sleep(forTimeInterval: 3)
        kill(process.processIdentifier, SIGSTOP)
        Thread.sleep(forTimeInterval: 2)
        kill(process.processIdentifier, SIGCONT)
        let finished = waitForExit(process, seconds: 60)
        #expect(finished)
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("the sound device ran out of samples at 0:0") == true, "\(lines)")
        // Once dry, the buffer grows (60 ms to 70, the most that still stops within 100 ms of
        // Ctrl-C), and says what to do.
        #expect(lines.first?.hasSuffix("; going on with a 70 ms buffer (on a busy machine, --latency 70 starts with one)") == true, "\(lines)")
    }

    /// The sound server goes away mid-session: one line, status 1, and no hang.
    @Test func deviceLostMidSessionStopsWithOneLine() throws {
        let server = try PulseNullSink()
        let (process, stderr) = try startPlay(environment: server.environment)
        Thread.sleep(forTimeInterval: 3)
        server.stop()
        let finished = waitForExit(process, seconds: 10)
        if !finished { process.terminate() }
        #expect(finished, "bodo hung after its device went away")
        #expect(process.terminationStatus == 1)
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.hasPrefix("bodo: --device: the sound device failed: ") && text.split(separator: "\n").count == 1, "\(text)")
    }

    private func startPlay(environment: [String: String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try bodoExecutable()
        process.arguments = ["play", "--script", script]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, stderr)
    }

    private func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }
}

struct PreviewTimeline: Decodable {
    struct Cue: Decodable {
        var start: Int
        var length: Int
        var kind: String
        var phase: String
        var point: Int?
    }

    var sampleRate: Int
    var totalSamples: Int
    var cues: [Cue]
}

func previewTimeline(_ arguments: [String]) throws -> PreviewTimeline {
    let run = try bodo(["preview", "--format", "json"] + arguments)
    return try JSONDecoder().decode(PreviewTimeline.self, from: Data(run.stdout.utf8))
}

/// The tick as bodo renders it: the samples of the first tick in an export of the test script.
func tickWaveform() throws -> [Int16] {
    let dir = try scratch()
    let path = dir.appendingPathComponent("tick.wav").path
    let script = fixtures.appendingPathComponent("realtime.yaml").path
    _ = try bodo(["export", "-q", path, "--script", script, "--no-count"])
    let tick = try #require(try previewTimeline(["--script", script, "--no-count"]).cues.first { $0.kind == "tick" })
    return Array(try wavSamples(path)[tick.start..<tick.start + tick.length])
}

/// Every place the tick's waveform occurs exactly (the null sink passes 22050 Hz mono through unchanged).
func tickOnsets(in samples: [Int16], tick: [Int16]) -> [Int] {
    guard let lead = tick.firstIndex(where: { $0 != 0 }) else { return [] }
    var onsets: [Int] = []
    var i = lead
    while i + tick.count - lead <= samples.count {
        if samples[i] == tick[lead], samples[(i - lead)..<(i - lead + tick.count)].elementsEqual(tick) {
            onsets.append(i - lead)
            i += tick.count
        } else {
            i += 1
        }
    }
    return onsets
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// "first frames to ALSA at 7502592.033 ms (CLOCK_MONOTONIC)", in seconds.
func firstFramesTime(_ verbose: String) throws -> Double {
    let range = try #require(verbose.range(of: #"first frames to ALSA at [\d.]+ ms"#, options: .regularExpression))
    let text = verbose[range].split(separator: " ")[5]
    return try #require(Double(text)) / 1000
}

func grantedLatency(_ verbose: String) throws -> Double {
    // "... buffer 440 frames (20.0 ms) ..."
    let range = try #require(verbose.range(of: #"buffer \d+ frames \(([\d.]+) ms\)"#, options: .regularExpression))
    let text = verbose[range].split(separator: "(").last!.split(separator: " ").first!
    return try #require(Double(text)) / 1000
}

/// The 16-bit samples of a WAV file's `data` chunk.
func wavSamples(_ path: String) throws -> [Int16] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var offset = 12
    while offset + 8 <= data.count {
        let id = String(decoding: data[offset..<offset + 4], as: UTF8.self)
        var size = data[offset + 4..<offset + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        if id == "data" {
            // A recorder stopped by a signal may leave the size unset.
            if size == 0 || size == 0xFFFF_FFFF || offset + 8 + size > data.count { size = data.count - offset - 8 }
            return data[(offset + 8)..<(offset + 8 + size / 2 * 2)].withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
        }
        offset += 8 + size + size % 2
    }
    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
}

/// A PulseAudio server of the test's own, in a private folder, with one null sink at 22050 Hz
/// mono. ALSA's `default` reaches it through libasound2-plugins when PULSE_SERVER names it.
///
/// The server and the recorder are started with posix_spawn, not Foundation's Process: the
/// daemon closes every descriptor it inherits, which Foundation takes for the child's exit and
/// then blocks its run loop waiting for it.
final class PulseNullSink {
    let directory: URL
    let environment: [String: String]
    private let server: pid_t

    /// `microphone`: a second null sink, `mic`, whose monitor is the default source, so what is
    /// played into `mic` is what bodo hears; `echo` also sends bodo's own sound into it.
    /// `feed`: the output sink is stereo (bodo's mono sound on both channels), and `both` plays
    /// a sound into the microphone and into the recording beside bodo's, on one clock.
    init(microphone: Bool = false, echo: Bool = false, feed: Bool = false) throws {
        directory = try scratch()
        let socket = directory.appendingPathComponent("native").path
        var config = """
        load-module module-native-protocol-unix auth-anonymous=1 socket=\(socket)
        load-module module-null-sink sink_name=null rate=22050 channels=\(feed ? 2 : 1) format=s16le norewinds=1
        set-default-sink null

        """
        if microphone {
            config += """
            load-module module-null-sink sink_name=mic rate=16000 channels=1 format=s16le
            load-module module-remap-source source_name=room master=mic.monitor
            set-default-source room

            """
        }
        if echo || feed {
            config += """
            load-module module-combine-sink sink_name=both slaves=null,mic

            """
        }
        if echo { config += "set-default-sink both\n" }
        let configURL = directory.appendingPathComponent("default.pa")
        try Data(config.utf8).write(to: configURL)
        environment = [
            "PULSE_SERVER": "unix:\(socket)",
            "PULSE_RUNTIME_PATH": directory.path,
            "PULSE_STATE_PATH": directory.path,
            "PULSE_COOKIE": directory.appendingPathComponent("cookie").path,
            "HOME": directory.path,
        ]
        server = try spawn("pulseaudio", ["-n", "-F", configURL.path, "--daemonize=no", "--exit-idle-time=-1",
                                          "--use-pid-file=no", "--log-target=file:\(directory.appendingPathComponent("log").path)"],
                           environment: environment)
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline else {
                stop()
                throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: "pulseaudio did not start; see \(directory.path)/log"])
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Starts recording what the sink plays; recording has begun when this returns.
    func record(to url: URL, channels: Int = 1) throws -> Recorder {
        let recorder = Recorder(pid: try spawn("parecord", ["-d", "null.monitor", "--rate=22050", "--channels=\(channels)", "--format=s16le",
                                                            "--latency-msec=20", "--file-format=wav", url.path],
                                               environment: environment))
        let deadline = ContinuousClock.now + .seconds(10)
        while try !run("pactl", ["list", "short", "source-outputs"], environment: environment).contains("\t") {
            guard ContinuousClock.now < deadline else {
                recorder.stop()
                throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: "parecord did not start recording"])
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return recorder
    }

    func stop() {
        kill(server, SIGTERM)
        var status: Int32 = 0
        waitpid(server, &status, 0)
    }

    struct Recorder {
        let pid: pid_t

        /// Stops recording; parecord finishes the WAV file on SIGTERM.
        func stop() {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

func toolPath(_ name: String) throws -> String {
    if name.hasPrefix("/") { return name }
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name) is not installed; `make test` installs it"])
}

/// Starts a program with its output discarded; returns its pid.
func spawn(_ name: String, _ arguments: [String], environment: [String: String]) throws -> pid_t {
    let path = try toolPath(name)
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // The test runner's threads block signals; the child must start with none blocked and the
    // default actions, or SIGTERM would never reach it.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var signals = sigset_t()
    sigemptyset(&signals)
    posix_spawnattr_setsigmask(&attributes, &signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGHUP)
    posix_spawnattr_setsigdefault(&attributes, &signals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: path]) }
    return pid
}

/// Runs a short program to its end and returns what it printed.
func run(_ name: String, _ arguments: [String], environment: [String: String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try toolPath(name))
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // A stalled sound server must fail the test, not hang it: the read ends when the tool does.
    DispatchQueue.global().asyncAfter(deadline: .now() + 30) { if process.isRunning { process.terminate() } }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// `bodo play --listen` for real: PulseAudio's null sinks stand in for the speaker and the
/// microphone; a recorded word is played into the microphone during the search.
@Suite(.serialized) struct ListeningLiveTests {
    let script = fixtures.appendingPathComponent("listen.yaml").path

    /// Starts `bodo play --listen --verbose`; returns the process and a reader of its stderr lines.
    func start(_ environment: [String: String], journal: String? = nil, script: String? = nil) throws -> (Process, LineReader) {
        let process = Process()
        process.executableURL = try bodoExecutable()
        process.arguments = ["play", "--listen", "--verbose", "--script", script ?? self.script] + (journal.map { ["--journal", $0] } ?? ["--no-journal"])
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, LineReader(stderr.fileHandleForReading))
    }

    /// A word 2 s into the search: bodo goes straight on, and the press starts at the device
    /// within 350 ms of the word's onset. The word goes into the microphone and, on the left
    /// channel only, into the recording beside bodo's sound, so both are timed on one clock:
    /// left minus right is the word, right alone is bodo.
    @Test func aWordDuringTheSearchGoesStraightOnToPress() throws {
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
        #expect(lines.waitFor("listening on", seconds: 20) != nil, "\(lines.all)")
        #expect(lines.waitFor("listening: Point 1, right side, search", seconds: 30) != nil, "\(lines.all)")
        // Two seconds into the search, the word.
        Thread.sleep(forTimeInterval: 2)
        _ = try run("paplay", ["-d", "both", word.path], environment: server.environment)
        let heard = lines.waitFor("heard a word", seconds: 10)
        #expect(heard?.contains(" into the search at Point 1, right side (decided ") == true, "\(lines.all)")
        #expect(exitStatus(process, seconds: 30) == 0)
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

    /// The waits of listen-session.yaml, in order.
    static let sessionWaits = ["Point 1, right side, position", "Point 1, right side, search", "Point 2, left side, search",
                               "Point 3, right side, position", "Point 3, right side, search"]

    /// Plays a recorded word into the microphone in each of the session's waits, `after` seconds
    /// (by the wait's index) once bodo says it listens, and expects each to be heard there.
    func sayAWordInEachWait(_ server: PulseNullSink, _ lines: LineReader, after: (Int) -> Double) throws {
        for (index, wait) in Self.sessionWaits.enumerated() {
            guard lines.waitFor("listening: \(wait)", seconds: 40) != nil else {
                Issue.record("never listened for \(wait): \(lines.all)")
                return
            }
            if after(index) > 0 { Thread.sleep(forTimeInterval: after(index)) }
            _ = try run("paplay", ["-d", "mic", "/usr/share/pocketsphinx/test/data/cards/001.wav"], environment: server.environment)
            let heard = lines.waitFor("heard a word", seconds: 10, occurrence: index + 1)
            #expect(heard?.contains(" at \(wait.split(separator: ",").prefix(2).joined(separator: ",")) (decided ") == true, "\(wait): \(lines.all)")
        }
    }

    /// A whole session as a person runs it: "ready" once in each new position, "now" at each
    /// point, a few seconds apart. Every wait is heard and moves on, the second word as well as
    /// the first (a word once raised the bar for the next for 16 s), and the session takes a
    /// fraction of its longest.
    @Test func aWordAtEveryWaitMovesOnEachTime() throws {
        let server = try PulseNullSink(microphone: true)
        defer { server.stop() }
        let (process, lines) = try start(server.environment, script: fixtures.appendingPathComponent("listen-session.yaml").path)
        defer { if process.isRunning { process.terminate() } }
        let began = monotonicSeconds()
        try sayAWordInEachWait(server, lines, after: { _ in 1 })
        #expect(exitStatus(process, seconds: 40) == 0)
        // Without words the waits alone last 64 s (three of 16, two of 8) and the session about
        // 105 s; with a word 1.5 s into each, about 47 s.
        #expect(monotonicSeconds() - began < 75, "\(lines.all)")
        #expect(lines.all.first { $0.hasPrefix("bodo: searches: ") }.map { !$0.contains("no word") } == true, "\(lines.all)")
    }

    /// A speaker's echo: bodo's own sound goes into the microphone at full level, as loud as
    /// the word. It once taught the detector that the room was as loud as bodo, so no word after
    /// it was heard; and a word begun within 300 ms of bodo's last sound was dropped whole. Here
    /// the first word starts as soon as bodo falls silent, the others a second into their waits:
    /// each is heard, each moves on, and bodo's echo is never taken for a word.
    @Test func wordsAfterBodosOwnEchoAreHeard() throws {
        let server = try PulseNullSink(microphone: true, echo: true)
        defer { server.stop() }
        let (process, lines) = try start(server.environment, script: fixtures.appendingPathComponent("listen-session.yaml").path)
        defer { if process.isRunning { process.terminate() } }
        try sayAWordInEachWait(server, lines, after: { $0 == 0 ? 0 : 1 })
        #expect(exitStatus(process, seconds: 40) == 0)
        #expect(lines.all.filter { $0.contains("heard a") }.count == Self.sessionWaits.count, "\(lines.all)")
    }

    /// A clock ticking in the room, from before the session to after its one search: every
    /// tick a sharp click, as loud as a tap, after quiet. Each tick was once a tap that ended
    /// the search; now the clock is the room's, and the search runs its whole time.
    @Test func aClockTickingDoesNotEndTheSearch() throws {
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
        #expect(exitStatus(process, seconds: 60) == 0)
        #expect(!lines.all.contains { $0.contains("heard a") }, "\(lines.all)")
        #expect(lines.all.contains { $0.hasPrefix("bodo: searches: point 1 no word (") }, "\(lines.all)")
    }

    @Test func withoutAMicrophoneTheSearchesKeepTheirTimes() throws {
        let run = try bodo(["play", "--listen", "--mic", "no-such-mic", "--device", "null", "--no-journal",
                            "--script", fixtures.appendingPathComponent("small.yaml").path])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("bodo: --mic: cannot open the microphone 'no-such-mic': ") && run.stderr.hasSuffix("; the searches keep their fixed times\n"),
                "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test func withNoWordTheSearchLastsItsLongestAndBodoNeverHearsItself() throws {
        // bodo's own sound goes into the microphone too (the echo case).
        let server = try PulseNullSink(microphone: true, echo: true)
        defer { server.stop() }
        let journal = server.directory.appendingPathComponent("journal.txt").path
        let (process, lines) = try start(server.environment, journal: journal)
        defer { if process.isRunning { process.terminate() } }
        #expect(exitStatus(process, seconds: 90) == 0)
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

    /// The process's exit status once it has ended (Foundation reaps it), or nil after `seconds`.
    func exitStatus(_ process: Process, seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// Writes 16-bit mono samples as a stereo WAV file with them on the left channel only.
func writeLeftOnly(_ samples: [Int16], rate: Int, to url: URL) throws {
    try writeWAV(samples, rate: rate, channels: 2, to: url)
}

/// Writes 16-bit samples as a WAV file: mono, or stereo with them on the left channel only.
func writeWAV(_ samples: [Int16], rate: Int, channels: Int = 1, to url: URL) throws {
    var data = Data()
    func le<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    let bytes = samples.count * 2 * channels
    data.append(contentsOf: Array("RIFF".utf8)); le(UInt32(36 + bytes)); data.append(contentsOf: Array("WAVEfmt ".utf8))
    le(UInt32(16)); le(UInt16(1)); le(UInt16(channels)); le(UInt32(rate)); le(UInt32(rate * 2 * channels)); le(UInt16(2 * channels)); le(UInt16(16))
    data.append(contentsOf: Array("data".utf8)); le(UInt32(bytes))
    for sample in samples {
        le(sample)
        if channels == 2 { le(Int16(0)) }
    }
    try data.write(to: url)
}

/// A stereo 22050 Hz recording in 10 ms frames: the RMS of left minus right (what was fed on
/// the left only) and of right (bodo's own sound).
func stereoFrameLevels(_ path: String) throws -> [(word: Double, bodo: Double)] {
    let samples = try wavSamples(path)
    let frame = 220
    let count = samples.count / 2 / frame
    #expect(count > 100, "the recording has \(count) frames")
    return (0..<count).map { index in
        var word = 0.0, bodo = 0.0
        for i in index * frame..<(index + 1) * frame {
            let left = Double(samples[2 * i]), right = Double(samples[2 * i + 1])
            word += (left - right) * (left - right)
            bodo += right * right
        }
        return ((word / Double(frame)).squareRoot(), (bodo / Double(frame)).squareRoot())
    }
}

/// Reads a pipe's lines on a thread of its own, so a test can wait for one with a timeout.
final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    init(_ handle: FileHandle) {
        Thread { [self] in
            var pending = Data()
            while case let data = handle.availableData, !data.isEmpty {
                pending += data
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending = Data(pending[(newline + 1)...])
                    lock.withLock { lines.append(line) }
                }
            }
        }.start()
    }

    var all: [String] { lock.withLock { lines } }

    /// The first line containing `text`, waiting for it at most `seconds`.
    /// The `occurrence`th line (from 1) containing `text`, once it has come; nil after `seconds`.
    func waitFor(_ text: String, seconds: Double, occurrence: Int = 1) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let found = all.filter { $0.contains(text) }
            if found.count >= occurrence { return found[occurrence - 1] }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }
}
