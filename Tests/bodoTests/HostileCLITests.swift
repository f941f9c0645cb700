import Foundation
import Testing

/// Hostile options, names, files, descriptors and signals, through the command line.
@Suite struct HostileCLITests {
    /// Each refusal: status 2, one inert line on stderr, nothing on stdout, no file made.
    @Test(arguments: [
        (["preview", "--hold", "0.0004"], "--hold: duration '0.0004' is less than half a millisecond, which rounds to zero"),
        (["preview", "--search", "0.0004"], "--search: duration '0.0004' is less than half a millisecond"),
        (["export", "DIR/x.wav", "--stretch", "0.0001s"], "--stretch: duration '0.0001s' is less than half"),
        (["export", "DIR/x.wav", "--release=-0"], "--release: duration '-0' must be more than zero"),
        (["play", "--latency", "0"], "--latency: must be between 4 and 2000 milliseconds, not 0"),
        // With --listen, bad input is told before the microphone is tried (one line, not two).
        (["play", "--listen", "--mic", "no-such-mic", "--search-max", "\u{1B}[2J"], "--search-max: '\\e[2J' is not a duration"),
        (["play", "--listen", "--mic", "no-such-mic", "--search-max", "601s"], "--search-max: duration '601s' is longer than"),
        (["play", "--listen", "--mic", "no-such-mic", "--hold", "0"], "--hold: duration '0' must be more than zero"),
        (["play", "--listen", "--mic", "no-such-mic", "--voice", "/nonexistent"], "--voice: no such file: /nonexistent"),
        (["preview", "--voice-volume", "9"], "--voice-volume: must be between -30 and 6 dB, not 9"),
        (["export", "DIR/x.opus", "--tick-volume=-31"], "--tick-volume: must be between -30 and 6 dB, not -31"),
        (["play", "--latency", "100000"], "--latency: must be between 4 and 2000 milliseconds"),
        (["play", "--latency=-1"], "--latency: must be between 4 and 2000 milliseconds, not -1"),
        (["preview", "--side", "\u{1B}[2J\u{1B}]0;pwned\u{07}"], "--side: must be left or right, not '\\e[2J\\e]0;pwned\\x07'"),
        (["preview", "--script", "/nonexistent/\u{1B}[31m.yaml"], "--script: no such file: /nonexistent/\\e[31m.yaml"),
        (["export", "DIR/\u{1B}[2J.mp4"], "DIR/\\e[2J.mp4: unsupported file type '.mp4'"),
        (["preview", "--voice", "\u{9B}2J"], "--voice: no voice named '\\x9B2J'"),
        (["preview", "--side", String(repeating: "x", count: 100_000)], "--side: must be left or right, not 'xxxx"),
        (["check", "/etc/passwd"], "/etc/passwd:1:1: the script must be a mapping of keys, not a single text"),
        (["check", "/nonexistent/" + String(repeating: "d/", count: 30_000) + "x.yaml"], "…/d/d/d/"),
        (["export", "/nonexistent/" + String(repeating: "\u{1B}", count: 50_000) + ".wav"], "…\\e\\e\\e"),
        (["export", "DIR/" + String(repeating: "\u{1B}", count: 50_000) + ".wav"], "…\\e\\e\\e"),
        (["export", "DIR/" + String(repeating: "n", count: 252) + ".wav"], "…nnnnnnnnnnnn"),
        (["preview", "--voice", "/etc/passwd"], "/etc/passwd:1:1: the voice profile must be a mapping of keys, not a single text"),
        (["check", "/dev/zero"], "/dev/zero: is larger than 256 KiB"),
        (["check", "DIR"], "DIR: is a folder, not a YAML file"),
    ])
    func refusedWithOneInertLine(arguments: [String], expected: String) throws {
        let dir = try scratch()
        let run = try bodo(arguments.map { $0.replacingOccurrences(of: "DIR", with: dir.path) })
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("bodo: " + expected.replacingOccurrences(of: "DIR", with: dir.path)), "\(run.stderr.prefix(300))")
        #expect(run.stderr.filter { $0 == "\n" }.count == 1 && run.stderr.hasSuffix("\n"))
        #expect(!run.stderr.dropLast().unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(run.stderr.debugDescription)")
        #expect(run.stderr.count < 600)
        #expect(!run.stderr.contains("root:"), "quoted a file that is not a routine")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// A file name full of escape sequences is shown escaped even on success.
    @Test func namesAreEscapedOnSuccessToo() throws {
        let (run, _) = try shell(#"n="$D/$(printf '\033]0;title\007')x.yaml"; cp "$SMALL" "$n" && "$BODO" check "$n""#)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\\e]0;title\\x07x.yaml: ok: 'Small test'"), "\(run.stdout.debugDescription)")
        #expect(!run.stdout.contains("\u{1B}"))
    }

    /// File names are bytes: a name that is not UTF-8 is used exactly, never "repaired".
    @Test func namesThatAreNotUTF8AreUsedAsGiven() throws {
        let (run, dir) = try shell(#"""
            e=$(printf '\351')
            "$BODO" export -q "$D/caf$e.wav" --script "$SMALL" || exit 10
            test -f "$D/caf$e.wav" || exit 11
            cp "$SMALL" "$D/lat$e.yaml" && "$BODO" check "$D/lat$e.yaml"
            """#)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("/lat\\xE9.yaml: ok: 'Small test', 2 points, 1 stretch, hold 3s/4s, search 2s, stretch 2s\n"), "\(run.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 2)
    }

    /// A script from a pipe is read (within the size limit).
    @Test func scriptsFromPipesAreRead() throws {
        let (run, _) = try shell(#"cat "$SMALL" | "$BODO" check /dev/stdin && "$BODO" preview --script /dev/stdin < "$SMALL" | head -1"#)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "/dev/stdin: ok: 'Small test', 2 points, 1 stretch, hold 3s/4s, search 2s, stretch 2s\nSmall test: 2 points, 1 stretch\n")
        let (large, _) = try shell(#"head -c 300000 /dev/zero | "$BODO" check /dev/stdin"#)
        #expect(large.status == 2)
        #expect(large.stderr == "bodo: /dev/stdin: is larger than 256 KiB, which no routine or voice profile needs; is it the right file?\n")
    }

    /// Output that cannot be delivered is an error: status 1 and one line, never a silent 0.
    @Test(arguments: [(">&-", "Bad file descriptor"), ("> /dev/full", "No space left on device")])
    func undeliverableOutputFails(redirect: String, reason: String) throws {
        let (run, _) = try shell(#""$BODO" preview --script "$SMALL" \#(redirect)"#)
        #expect(run.status == 1)
        #expect(run.stderr == "bodo: standard output: cannot write: \(reason)\n")
    }

    /// With descriptors 0-2 closed, nothing bodo opens can become one of them, so no message
    /// lands in the speech store: the export is the same, byte for byte.
    @Test func closedStandardDescriptorsChangeNothing() throws {
        let (run, dir) = try shell(#"""
            "$BODO" export -q "$D/a.wav" --script "$SMALL" || exit 10
            "$BODO" export "$D/b.wav" --script "$SMALL" <&- >&- 2>&- || exit 11
            "$BODO" preview --script "$SMALL" <&- 2>&- > "$D/preview.txt" || exit 12
            """#)
        #expect(run.status == 0, "\(run.stderr)")
        let a = try Data(contentsOf: dir.appendingPathComponent("a.wav"))
        #expect(a.count > 100_000)
        #expect(try Data(contentsOf: dir.appendingPathComponent("b.wav")) == a)
        let preview = try String(contentsOf: dir.appendingPathComponent("preview.txt"), encoding: .utf8)
        #expect(preview.hasPrefix("Small test: 2 points, 1 stretch\n"))
    }

    /// A replaced file keeps its mode; a read-only one is left alone unless --force.
    @Test func replacingKeepsModesAndRespectsReadOnlyFiles() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        for (name, mode) in [("private.wav", 0o600), ("shared.wav", 0o664), ("locked.wav", 0o444), ("plain.wav", 0o000)] {
            let path = dir.appendingPathComponent(name).path
            try Data("older".utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, mode_t(mode))
            let run = try bodo("export", "-q", path, "--script", small)
            var status = stat()
            stat(path, &status)
            if mode & 0o222 == 0 {
                #expect(run.status == 2)
                #expect(run.stderr == "bodo: \(path): is read-only, so bodo leaves it alone (--force replaces it anyway)\n")
                chmod(path, 0o600)
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("older".utf8))
                chmod(path, mode_t(mode))
                let forced = try bodo("export", "-q", "--force", path, "--script", small)
                #expect(forced.status == 0, "\(forced.stderr)")
                stat(path, &status)
            } else {
                #expect(run.status == 0, "\(run.stderr)")
            }
            #expect(Int(status.st_mode & 0o7777) == mode, "\(name)")
            #expect(status.st_size > 100_000, "\(name)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 4)
    }

    /// A large file replaced is freed by a detached process (OutputTarget.putInPlace): the old
    /// file's hidden second name is gone soon after, and nothing else is left in the folder. A
    /// file with another link elsewhere is not given one, and that link keeps the old content.
    @Test func aLargeReplacedFileLeavesNothingBehind() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let old = Data(repeating: 7, count: 8 << 20)
        let path = dir.appendingPathComponent("x.wav").path
        let linked = dir.appendingPathComponent("y.wav").path
        let keep = dir.appendingPathComponent("keep.bin").path
        try old.write(to: URL(fileURLWithPath: path))
        try old.write(to: URL(fileURLWithPath: linked))
        try FileManager.default.linkItem(atPath: linked, toPath: keep)
        func listingSettles() throws -> [String] {
            var listing: [String] = []
            for _ in 0..<200 {
                listing = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                if listing.count == 3 { break }
                usleep(50_000)
            }
            return listing
        }
        // Each export replaces a large file, and each is checked before the next one could tidy
        // up what it left.
        for (round, target) in [linked, path, path].enumerated() {
            if round == 2 { try old.write(to: URL(fileURLWithPath: path)) }
            let run = try bodo("export", "-q", target, "--script", small)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)).prefix(4) == Data("RIFF".utf8))
            #expect(try listingSettles() == ["keep.bin", "x.wav", "y.wav"], "export \(round + 1)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: keep)) == old)
    }

    /// `lnk/../x.wav` with `lnk` on another file system: the temporary file is made where the
    /// name resolves, so the final rename cannot fail across devices. A target that is a link
    /// is written through, as cp does.
    @Test func targetsAreResolvedBeforeWriting() throws {
        let dir = try scratch()
        let elsewhere = URL(fileURLWithPath: "/dev/shm/bodo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("lnk").path,
                                                   withDestinationPath: elsewhere.appendingPathComponent("sub").path)
        let small = fixtures.appendingPathComponent("small.yaml").path
        let run = try bodo("export", "-q", dir.path + "/lnk/../x.wav", "--script", small)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).sorted() == ["sub", "x.wav"])

        let real = elsewhere.appendingPathComponent("real.wav").path
        try Data("older".utf8).write(to: URL(fileURLWithPath: real))
        let link = dir.appendingPathComponent("link.wav").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let through = try bodo("export", "-q", link, "--script", small)
        #expect(through.status == 0, "\(through.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try Data(contentsOf: URL(fileURLWithPath: real)).count > 100_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["link.wav", "lnk"])
    }

    /// An output that is, through a link, the script or voice being read is refused, even with
    /// --force: the export would destroy its own input.
    @Test func exportNeverOverwritesItsOwnInput() throws {
        let dir = try scratch()
        let script = dir.appendingPathComponent("mine.yaml")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("small.yaml"), to: script)
        let before = try Data(contentsOf: script)
        let link = dir.appendingPathComponent("out.wav").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "mine.yaml")
        for extra in [[], ["--force"]] {
            let run = try bodo(["export", link, "--script", script.path] + extra)
            #expect(run.status == 2)
            #expect(run.stderr == "bodo: \(link): is \(script.path), which this export reads; give another name\n")
        }
        #expect(try Data(contentsOf: script) == before)
        // The subtitles beside an export are checked the same way: `mine.srt` is the script.
        let named = dir.appendingPathComponent("mine.srt")
        try FileManager.default.copyItem(at: script, to: named)
        let subtitles = try bodo(["export", dir.appendingPathComponent("mine.wav").path, "--subtitles", "srt", "--script", named.path])
        #expect(subtitles.status == 2)
        #expect(subtitles.stderr == "bodo: \(named.path): is \(named.path), which this export reads; give another name\n")
        #expect(try Data(contentsOf: named) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("mine.wav").path))
    }

    /// A named pipe that nobody writes to reads as an empty file instead of hanging.
    /// (`timeout` turns a hang into status 124, a failure.)
    @Test func aPipeWithoutAWriterDoesNotHang() throws {
        let (run, dir) = try shell(#"mkfifo "$D/fifo.yaml" && timeout 10 "$BODO" check "$D/fifo.yaml""#)
        #expect(run.status == 2)
        #expect(run.stderr == "bodo: \(dir.path)/fifo.yaml:1:1: the file is empty\n")
    }

    /// The longest legal name still gets a temporary file (its name is cut to fit NAME_MAX).
    @Test func longestNamesWork() throws {
        let dir = try scratch()
        let name = String(repeating: "n", count: 251) + ".wav"
        let run = try bodo("export", "-q", dir.appendingPathComponent(name).path, "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [name])
    }

    /// A routine whose silences alone pass a day (79 points, ten-minute searches and releases):
    /// refused at once, before a byte of the 4 GiB WAV it would make.
    @Test func sessionsPastADayAreRefusedBeforeWriting() throws {
        let dir = try scratch()
        let script = dir.appendingPathComponent("long.yaml")
        var yaml = "name: long\ntiming: {search: 10m, release: 10m}\npoints:\n"
        for number in 1...79 { yaml += "  - {number: \(number), side: left, location: here}\n" }
        try Data(yaml.utf8).write(to: script)
        let started = Date()
        let run = try bodo("export", dir.appendingPathComponent("long.wav").path, "--script", script.path)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(run.status == 2)
        #expect(run.stderr == "bodo: \(script.path): this session would last at least 26 hours; bodo makes sessions of at most 24 hours\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["long.yaml"])
    }

    /// A JACK device with no server: bodo's one line, not libjack's six.
    @Test func pluginsDoNotTalkOverBodo() throws {
        let run = try bodo("play", "--device", "jack", "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 3)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("bodo: --device: cannot open sound device 'jack'"))
    }

    /// One broken profile among the user's: marked, and the rest still listed.
    @Test func voicesListsTheRestAroundABrokenProfile() throws {
        let config = try scratch()
        let voices = config.appendingPathComponent("bodo/voices")
        try FileManager.default.createDirectory(at: voices, withIntermediateDirectories: true)
        try Data("name: mine\nespeak_voice: en-gb-x-rp\nrate: 160\n".utf8).write(to: voices.appendingPathComponent("mine.yaml"))
        try Data("name: broken\nespeak_voice: en\nvariant: ../../../etc/passwd\n".utf8).write(to: voices.appendingPathComponent("broken.yaml"))
        try Data("name: [\n".utf8).write(to: voices.appendingPathComponent("garbled.yaml"))
        let run = try bodo(["voices"], environment: ["XDG_CONFIG_HOME": config.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("  broken     [unusable: ") && $0.contains("broken.yaml:3:10: espeak-ng has no variant") })
        #expect(lines.contains { $0.hasPrefix("  garbled    [unusable: ") && $0.contains("YAML syntax") })
        #expect(lines.contains { $0.hasPrefix("  mine       en-gb-x-rp, rate 160") })
        #expect(lines.contains { $0.hasPrefix("  default    en-us+m3") })
    }

    /// `check` validates a voice profile as a profile (espeak-ng's names included).
    @Test func checkValidatesVoiceProfiles() throws {
        let dir = try scratch()
        let good = dir.appendingPathComponent("good.yaml"), bad = dir.appendingPathComponent("bad.yaml")
        try Data("name: good\ndescription: Mine.\nespeak_voice: en-us\nvariant: f2\n".utf8).write(to: good)
        try Data("name: bad\nespeak_voice: en-us\nvariant: nosuch\n".utf8).write(to: bad)
        let ok = try bodo("check", good.path)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "\(good.path): ok: voice profile 'good', espeak-ng en-us+f2, rate 175, pitch 50\n")
        let refused = try bodo("check", bad.path)
        #expect(refused.status == 2)
        #expect(refused.stderr == "bodo: \(bad.path):3:10: espeak-ng has no variant 'nosuch' (`bodo voices --all` lists them)\n")
        #expect(try bodo("check", "calm").stdout == "calm: ok: voice profile 'calm', espeak-ng en+f2, rate 125, pitch 38\n")
    }

    /// SIGTERM and SIGHUP mid-export are handled as Ctrl-C is: the old file stays, the
    /// temporary file goes, and the status says which signal (128 + its number).
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func signalsMidExportKeepTheOldFile(signal: Int32, status: Int32) throws {
        let dir = try scratch()
        let target = dir.appendingPathComponent("long.flac")
        try Data("older".utf8).write(to: target)
        // Six hours of session: FLAC-encoding it takes seconds, so the signal lands mid-export.
        let pid = try spawn(try bodoExecutable().path, ["export", "-q", target.path, "--search", "600s", "--stretch", "600s",
                                                         "--release", "600s"], environment: [:])
        let deadline = Date().addingTimeInterval(10)
        while try FileManager.default.contentsOfDirectory(atPath: dir.path).count < 2, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: 0.1)
        kill(pid, signal)
        let exit = try #require(waitForExit(pid, seconds: 10), "bodo did not stop after the signal")
        #expect(exit == status)
        #expect(try Data(contentsOf: target) == Data("older".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["long.flac"])
    }

    /// SIGTERM and SIGHUP while playing on a terminal: the terminal gets its echo back and the
    /// status says which signal. A pseudo-terminal stands in for the person's.
    @Test(arguments: [(SIGTERM, 143), (SIGHUP, 129), (SIGINT, 130)])
    func signalsWhilePlayingRestoreTheTerminal(signal: Int32, status: Int) throws {
        let harness = #"""
            import os, pty, select, signal, sys, termios, time
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], [sys.argv[1], "play", "--device", "null", "-q", "--search", "600s",
                                       "--stretch", "600s", "--release", "600s"])
            def drain():
                while select.select([fd], [], [], 0)[0]:
                    try:
                        if not os.read(fd, 4096): return
                    except OSError: return
            deadline = time.time() + 20
            while termios.tcgetattr(fd)[3] & termios.ECHO:
                drain(); time.sleep(0.01)
                if time.time() > deadline: print("never entered key mode"); os.kill(pid, 9); sys.exit(0)
            time.sleep(0.3)
            os.kill(pid, int(sys.argv[2]))
            deadline = time.time() + 10
            while True:
                drain()
                done, code = os.waitpid(pid, os.WNOHANG)
                if done: break
                if time.time() > deadline: print("did not stop"); os.kill(pid, 9); sys.exit(0)
                time.sleep(0.01)
            echo = termios.tcgetattr(fd)[3] & termios.ECHO
            print("status=%d echo=%s" % (os.waitstatus_to_exitcode(code), bool(echo)))
            """#
        let run = try bodo(["-c", harness, try bodoExecutable().path, "\(signal)"], executable: URL(fileURLWithPath: try toolPath("python3")))
        #expect(run.stdout == "status=\(status) echo=True\n", "\(run.stdout) \(run.stderr)")
    }
}
