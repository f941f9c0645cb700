import Foundation
import Testing

@Suite struct CLITests {
    @Test func previewMatchesTheCheckedInScript() throws {
        let run = try bodo("preview", "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0, "\(run.stderr)")
        let expectedURL = fixtures.appendingPathComponent("small.preview.txt")
        if ProcessInfo.processInfo.environment["BODO_UPDATE_FIXTURES"] != nil {
            let source = packageRoot.appendingPathComponent("Tests/bodoTests/Fixtures/small.preview.txt")
            try Data(run.stdout.utf8).write(to: source)
        }
        #expect(run.stdout == (try String(contentsOf: expectedURL, encoding: .utf8)))
    }

    /// The JSON timeline describes the exact file the export writes, and the text preview the same times.
    @Test func jsonTimelineDescribesTheExportedFile() throws {
        let dir = try scratch()
        let wav = dir.appendingPathComponent("s.wav").path
        let json = try bodo("preview", "--format", "json", "--side", "left", "--hold", "5")
        #expect(json.status == 0, "\(json.stderr)")
        let export = try bodo("export", wav, "--side", "left", "--hold", "5")
        #expect(export.status == 0, "\(export.stderr)")

        let timeline = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let total = try #require(timeline["totalSamples"] as? Int)
        #expect(timeline["sampleRate"] as? Int == 22050)
        #expect(try wavSamples(wav).count == total)

        let cues = try #require(timeline["cues"] as? [[String: Any]])
        let starts = cues.compactMap { $0["start"] as? Int }
        #expect(starts.count == cues.count)
        #expect(starts == starts.sorted())
        #expect(cues.filter { $0["kind"] as? String == "tick" }.count == 12 * 5)
        #expect(Set(cues.compactMap { $0["point"] as? Int }) == Set(1...12))
        #expect(Set(cues.compactMap { $0["stretch"] as? Int }) == Set(1...5))
        #expect(cues.allSatisfy { ($0["kind"] as? String == "tick") == ($0["text"] == nil) })
        let point4 = cues.first { $0["point"] as? Int == 4 }
        #expect(point4?["text"] as? String == "Point 4 of 12, left side. Directly at your left side, on the belt line.")

        // The text preview prints the same start times, to the millisecond.
        let text = try bodo("preview", "--side", "left", "--hold", "5")
        let release = try #require(cues.first { $0["phase"] as? String == "release" }?["start"] as? Int)
        let time = String(format: "%d:%02d.%03d", release * 1000 / 22050 / 60000, release * 1000 / 22050 / 1000 % 60, release * 1000 / 22050 % 1000)
        #expect(text.stdout.contains("\(time)  release     And release, slowly, over five seconds."))
        #expect(text.stdout.hasSuffix("(\(total) samples at 22050 Hz)\n"))
    }

    @Test func twoExportsAreByteIdentical() throws {
        let dir = try scratch()
        let a = dir.appendingPathComponent("a.wav").path, b = dir.appendingPathComponent("b.wav").path
        #expect(try bodo("export", a, "--voice", "calm").status == 0)
        #expect(try bodo("export", b, "--voice", "calm").status == 0)
        #expect(FileManager.default.contentsEqual(atPath: a, andPath: b))
    }

    /// The tests' one way to run a program has a watchdog: a program that hangs fails its own
    /// test, as a recorded issue, within its time, and the run goes on.
    @Test func aProgramThatHangsFailsItsTestInsteadOfTheRun() {
        let began = monotonicSeconds()
        var status: Int32?
        withKnownIssue {
            status = try launch(URL(fileURLWithPath: try toolPath("sleep")), ["60"], seconds: 1).status
        }
        // SIGTERM, or SIGKILL 5 s later for a program that inherited the runner's blocked SIGTERM.
        #expect(status == 128 + SIGTERM || status == 128 + SIGKILL, "\(String(describing: status))")
        #expect(monotonicSeconds() - began < 10)
    }

    /// One line, the version alone, as `dpkg` and scripts read it; a subcommand's `--version`
    /// is the same.
    @Test func versionIsOneLine() throws {
        for arguments in [["--version"], ["preview", "--version"]] {
            let run = try bodo(arguments)
            #expect(run.status == 0, "\(arguments)")
            #expect(run.stdout.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+\n/) != nil, "\(arguments): \(run.stdout)")
            #expect(run.stderr.isEmpty)
        }
    }

    @Test func checkDescribesAValidScript() throws {
        let run = try bodo("check")
        #expect(run.status == 0)
        #expect(run.stdout == "back: ok: 'Back', 12 points, 5 stretches, hold 7s, search 10s, stretch 30s\n")
    }

    /// Every kind of bad input: one line on stderr naming the place, status 2, nothing on stdout.
    @Test(arguments: [
        (["check", "BAD"], "BAD.yaml:5:5: unknown key 'sied' in the 1st point (did you mean 'side'?)"),
        (["preview", "--script", "BAD"], "BAD.yaml:5:5: unknown key 'sied'"),
        (["preview", "--hold", "7.5"], "--hold: a hold is counted in ticks"),
        (["preview", "--search", "soon"], "--search: 'soon' is not a duration"),
        (["preview", "--side", "up"], "--side: must be left or right, not 'up'"),
        (["preview", "--voice", "loud"], "--voice: no voice named 'loud'"),
        (["preview", "--script", "/nonexistent/x.yaml"], "--script: no such file: /nonexistent/x.yaml"),
        (["preview", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
        (["preview", "--bogus"], "Unknown option '--bogus'"),
        (["export"], "Missing expected argument '<file>'"),
        (["export", "BAD", "--script", "BAD"], "BAD.yaml: unsupported file type '.yaml'"),
        (["preview", "--script", "DIR"], "DIR: is a folder, not a YAML file"),
    ])
    func badInputExitsTwoWithOneLine(arguments: [String], expected: String) throws {
        let dir = try scratch()
        let bad = dir.appendingPathComponent("BAD.yaml")
        try Data("name: x\npoints:\n  - number: 1\n    location: here\n    sied: right\n".utf8).write(to: bad)
        let args = arguments.map { $0 == "BAD" ? bad.path : $0 == "DIR" ? dir.path : $0 }
        let before = try Data(contentsOf: bad)
        let process = try bodo(args)
        #expect(try Data(contentsOf: bad) == before)
        #expect(process.status == 2, "\(process.stderr)")
        #expect(process.stdout.isEmpty)
        let lines = process.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(process.stderr)")
        let expectedLine = expected.replacingOccurrences(of: "BAD.yaml", with: bad.path).replacingOccurrences(of: "DIR", with: dir.path)
        #expect(lines.first?.hasPrefix("bodo: \(expectedLine)") == true, "\(process.stderr)")
    }

    /// A failed export creates nothing and changes nothing.
    @Test func failedExportsLeaveFilesAlone() throws {
        let dir = try scratch()
        let existing = dir.appendingPathComponent("old.wav")
        try Data("keep me".utf8).write(to: existing)
        let badScript = try bodo("export", existing.path, "--script", "/nonexistent.yaml")
        #expect(badScript.status == 2)
        let badOption = try bodo("export", existing.path, "--hold", "-1")
        #expect(badOption.status == 2)
        #expect(try Data(contentsOf: existing) == Data("keep me".utf8))
        for target in ["x.mp4", "missing/x.wav", "", "noextension"] {
            let run = try bodo("export", dir.appendingPathComponent(target).path)
            #expect(run.status == 2, "\(target): \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["old.wav"])
    }

    /// A device, pipe or socket at the target is never replaced by a file (as root, renaming
    /// over /dev/full would succeed); a fifo stands in for one here.
    @Test func nonRegularTargetsAreRefused() throws {
        let dir = try scratch()
        let fifo = dir.appendingPathComponent("pipe.wav").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let run = try bodo("export", fifo)
        #expect(run.status == 2)
        #expect(run.stderr == "bodo: \(fifo): is not a regular file (a device, pipe or socket); give a file name such as session.wav\n")
        var status = stat()
        #expect(stat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pipe.wav"])
    }

    /// Ctrl-C during an export: status 130, the old file as it was, no temporary file left.
    @Test func interruptedExportKeepsTheOldFile() async throws {
        try await onItsOwnThread {
            let dir = try scratch()
            let target = dir.appendingPathComponent("long.flac")
            try Data("older".utf8).write(to: target)
            // Six hours of session: FLAC-encoding it takes seconds, so the signal lands mid-export.
            let (process, _) = try startBodo(["export", "-q", target.path, "--search", "600s", "--stretch", "600s", "--release", "600s"],
                                             environment: [:])
            defer { if process.isRunning { process.terminate() } }
            // Wait until the temporary file exists, then interrupt.
            let deadline = Date().addingTimeInterval(10)
            while try FileManager.default.contentsOfDirectory(atPath: dir.path).count < 2, Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(100))
            process.interrupt()
            #expect(await exitStatus(process, seconds: 60) == 130)
            #expect(try Data(contentsOf: target) == Data("older".utf8))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["long.flac"])
        }
    }

    /// The disk filling up mid-export (a file size limit stands in for it): one line, status 1,
    /// the old file as it was, no temporary file.
    @Test func fullDiskKeepsTheOldFile() throws {
        let dir = try scratch()
        let target = dir.appendingPathComponent("full.wav")
        try Data("older".utf8).write(to: target)
        // A routine of few, short words: its speech store stays far under the limit, so the
        // export is what meets it, every time.
        let (status, message) = try bodoWithFileSizeLimit(["export", "-q", target.path, "--script", fixtures.appendingPathComponent("realtime.yaml").path], blocks: 1024)
        #expect(status == 1)
        // (Under the size limit a library of espeak-ng's also prints "ftruncate() failed" for its
        // shared memory; a full disk does not do that.)
        let ours = message.split(separator: "\n").filter { $0.hasPrefix("bodo:") }
        #expect(ours == ["bodo: \(target.path): writing failed: File too large"], "\(message)")
        #expect(try Data(contentsOf: target) == Data("older".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["full.wav"])
    }

    /// The disk holding the speech store fills up while playing: one line naming it, status 1.
    /// The limit (1 MiB in dash's 512-byte blocks) is far below the store's 11 MB, and above the
    /// 512 KiB file ThreadSanitizer's runtime writes into $TMPDIR and maps at start-up (under a
    /// smaller limit that write is cut short and TSan's first read past its end is a SIGBUS).
    @Test func fullSpeechStoreStopsPlayWithOneLine() throws {
        let (status, message) = try bodoWithFileSizeLimit(["play", "--device", "null"], blocks: 2048,
                                                          environment: ["TMPDIR": try scratch().path])
        #expect(status == 1)
        let ours = message.split(separator: "\n").filter { $0.hasPrefix("bodo:") }
        #expect(ours.count == 1 && ours[0].contains(": cannot store synthesized speech (is the disk full?): File too large"), "\(message)")
    }

    /// After an export killed outright, the next export to the same name removes the leftover
    /// temporary file of the dead process, and leaves a live one's alone.
    @Test func killedExportIsCleanedUpByTheNext() throws {
        let dir = try scratch()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let abandoned = dir.appendingPathComponent(".s.wav.bodo-\(dead.processIdentifier)-AbCdEf").path
        let busy = dir.appendingPathComponent(".s.wav.bodo-\(getpid())-GhIjKl").path
        for file in [abandoned, busy] { try Data("partial".utf8).write(to: URL(fileURLWithPath: file)) }
        let run = try bodo("export", "-q", dir.appendingPathComponent("s.wav").path, "--script",
                           fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".s.wav.bodo-\(getpid())-GhIjKl", "s.wav"])
    }

    @Test func helpAndVoices() throws {
        let help = try bodo("--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("bodo export session.wav"))
        let exportHelp = try bodo("help", "export")
        #expect(exportHelp.stdout.contains("--side <left|right>"))
        let voices = try bodo("voices")
        #expect(voices.status == 0)
        #expect(voices.stdout.contains("default    en-us+m3"))
        #expect(voices.stdout.contains("calm       en+f2"))
        #expect(!voices.stdout.contains("unusable"))
    }

    @Test func exportIsQuietWhenPipedAndSaysWhatItWrote() throws {
        let dir = try scratch()
        let path = dir.appendingPathComponent("s.flac").path
        let run = try bodo("export", path, "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("bodo: wrote \(path) ("))
        #expect(!run.stderr.contains("\r"))
        let quiet = try bodo("export", path, "-q", "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(quiet.stderr.isEmpty)
    }
}
