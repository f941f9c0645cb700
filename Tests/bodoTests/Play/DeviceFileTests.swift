import Foundation
import Testing

/// ALSA device names that write files (its `file` plugin, however it is spelled or hidden).
@Suite struct DeviceFileTests {
    let small = fixtures.appendingPathComponent("small.yaml").path

    /// A folder with an existing file `x` (and a FIFO `fifo`), and a HOME whose .asoundrc defines
    /// PCMs that write `x`: directly, as a plug's slave, and through a pcm_slave.
    func setUp() throws -> (dir: URL, existing: String, environment: [String: String]) {
        let dir = try scratch()
        let existing = dir.appendingPathComponent("x").path
        try Data("a file someone cares about\n".utf8).write(to: URL(fileURLWithPath: existing))
        #expect(mkfifo(dir.appendingPathComponent("fifo").path, 0o600) == 0)
        let home = dir.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try """
            pcm.mine { type file slave.pcm null file "\(existing)" format raw }
            pcm.indirect { type plug slave { pcm "mine" } }
            pcm_slave.sl { pcm "mine" }
            pcm.viaslave { type plug slave sl }
            pcm.fresh { type file slave.pcm null file "\(dir.path)/fresh.raw" format raw }
            """.write(to: home.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        return (dir, existing, ["HOME": home.path])
    }

    /// Each spelling, for playback and for the microphone: status 2, one line naming the option,
    /// and the file byte for byte as it was.
    @Test(arguments: [
        (["play", "--device", "file:'X',raw"], "--device"),
        (["play", "--device", "file:FILE=X,FORMAT=raw"], "--device"),
        (["play", "--device", "tee:null,'X',raw"], "--device"),
        (["play", "--device", "mine"], "--device"),
        (["play", "--device", "indirect"], "--device"),
        (["play", "--device", "viaslave"], "--device"),
        (["play", "--device", "file:'DIR/fifo',raw"], "--device"),
        (["play", "--device", "file:'DIR/new%r.raw',raw"], "--device"),
        (["play", "--listen", "--device", "null", "--mic", "file:'X',raw"], "--mic"),
        (["play", "--listen", "--device", "null", "--mic", "file:FILE=X,FORMAT=raw"], "--mic"),
        (["play", "--listen", "--device", "null", "--mic", "mine"], "--mic"),
        // Told before the microphone is opened.
        (["play", "--listen", "--device", "tee:null,'X',raw", "--mic", "null"], "--device"),
    ])
    func aDeviceThatWouldOverwriteAFileIsRefused(arguments: [String], option: String) throws {
        let (dir, existing, environment) = try setUp()
        let before = try Data(contentsOf: URL(fileURLWithPath: existing))
        let args = arguments.map { $0.replacingOccurrences(of: "X", with: existing).replacingOccurrences(of: "DIR", with: dir.path) }
        let run = try bodoWithin(30, args + ["--script", small, "--no-journal"], environment: environment)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("bodo: \(option): device '") && run.stderr.contains(" is not opened: ")
                && run.stderr.hasSuffix("; name a new file, or give --force\n"), "\(run.stderr)")
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/new%r.raw"))
    }

    /// --force opens the device all the same: the file is replaced by what was played or heard.
    @Test(arguments: [["--device", "file:'X',raw"], ["--device", "mine"], ["--listen", "--device", "null", "--mic", "file:'X',raw"]])
    func forceOverwrites(arguments: [String]) throws {
        let (_, existing, environment) = try setUp()
        let before = try Data(contentsOf: URL(fileURLWithPath: existing))
        let run = try bodoWithin(60, ["play", "-q", "--force"] + arguments.map { $0.replacingOccurrences(of: "X", with: existing) }
                                    + ["--script", small, "--no-journal"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) != before)
    }

    /// A file that does not exist yet is made, without --force; so is /dev/null written to.
    @Test(arguments: [["--device", "file:'DIR/new.wav',wav"], ["--device", "fresh"], ["--device", "file:'/dev/null',raw"],
                      ["--listen", "--device", "null", "--mic", "file:'DIR/new.raw',raw"]])
    func aNewFileIsFine(arguments: [String]) throws {
        let (dir, _, environment) = try setUp()
        let run = try bodoWithin(60, ["play", "-q"] + arguments.map { $0.replacingOccurrences(of: "DIR", with: dir.path) }
                                    + ["--script", small, "--no-journal"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let made = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("new") || $0.hasPrefix("fresh") }
        #expect(made.count == (arguments.contains { $0.contains("/dev/null") } ? 0 : 1), "\(made)")
    }

    /// A broken ~/.asoundrc is named, in one line, wherever a device fails because of it.
    @Test(arguments: [(["play", "--device", "null"], Int32(3), "bodo: --device: cannot open sound device 'null': ALSA's configuration file '"),
                      (["devices"], Int32(3), "bodo: ALSA's configuration file '"),
                      (["play", "--listen", "--mic", "null", "--device", "null"], Int32(3), "bodo: --mic: cannot open the microphone 'null': ALSA's configuration file '")])
    func aBrokenAsoundrcIsNamed(arguments: [String], status: Int32, prefix: String) throws {
        let home = try scratch()
        try "pcm.broken {\n  type plug\n  slave.pcm \"null\"\n".write(to: home.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        let run = try bodoWithin(30, arguments + ["--script", small, "--no-journal"].filter { _ in arguments[0] == "play" },
                                 environment: ["HOME": home.path])
        #expect(run.status == status, "\(run.stderr)")
        let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix(prefix) && first.contains("/.asoundrc' is broken: line "), "\(run.stderr)")
        #expect(!run.stderr.contains("ALSA lib"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == (arguments.contains("--listen") ? 2 : 1), "\(run.stderr)")
    }

    /// A microphone that opens and then fails: one line, which names --mic once.
    @Test func aFailingMicrophoneNamesItsOptionOnce() throws {
        let run = try bodoWithin(60, ["play", "-q", "--listen", "--mic", "file:'/dev/full',raw", "--device", "null", "--script", small, "--no-journal"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("bodo: --mic: 'file:'/dev/full',raw' gave no sound: the microphone failed: "), "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "--mic").count == 2, "\(run.stderr)")
    }
}
