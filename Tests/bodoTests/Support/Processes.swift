import Foundation
import Testing

/// Runs the built `bodo` executable the way a person or a script would.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

func bodo(_ arguments: String...) throws -> Run { try bodo(arguments) }

func bodo(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil) throws -> Run {
    let process = Process()
    process.executableURL = try executable ?? bodoExecutable()
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["XDG_CONFIG_HOME"] = "/nonexistent-bodo-test-config"
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a large preview cannot fill a pipe and block.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
               stderr: String(decoding: errData, as: UTF8.self))
}

/// `swift test` builds `bodo` beside the test bundle.
func bodoExecutable() throws -> URL {
    // Every bodo the tests start, by any route, leaves the tester's own journal alone (and
    // plays exactly what it exports: no "your third session this week"). A test of the
    // journal gives its own --journal or BODO_JOURNAL.
    setenv("BODO_JOURNAL", "off", 0)
    // Another build, to see a test fail on the code before its fix: BODO_UNDER_TEST=/path/bodo.
    if let other = ProcessInfo.processInfo.environment["BODO_UNDER_TEST"], !other.isEmpty {
        return URL(fileURLWithPath: other)
    }
    var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                      Bundle.main.bundleURL, Bundle.module.bundleURL.deletingLastPathComponent()]
    candidates += candidates.map { $0.deletingLastPathComponent() }
    for dir in candidates {
        let url = dir.appendingPathComponent("bodo")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "bodo beside \(candidates)"])
}

func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bodo-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs bodo with a file size limit standing in for a full disk: writes past `blocks` (of the
/// shell's `ulimit -f` unit) fail with EFBIG. bodo itself ignores the SIGXFSZ that would
/// otherwise kill it. Returns the exit status and standard error.
func bodoWithFileSizeLimit(_ arguments: [String], blocks: Int, environment: [String: String] = [:]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "ulimit -f \(blocks); exec \"$@\"", "sh", try bodoExecutable().path] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, message)
}

/// Runs a shell script with `$BODO` (the built binary), `$SMALL` (a short routine) and `$D` (a
/// fresh folder): for what Process cannot express, such as closed descriptors and file names
/// that are not UTF-8.
func shell(_ script: String, environment: [String: String] = [:]) throws -> (run: Run, folder: URL) {
    let dir = try scratch()
    var env = ["BODO": try bodoExecutable().path, "SMALL": fixtures.appendingPathComponent("small.yaml").path, "D": dir.path]
    env.merge(environment) { $1 }
    return (try bodo(["-c", script], environment: env, executable: URL(fileURLWithPath: "/bin/sh")), dir)
}

/// Waits for a spawned child; its exit status, or 128 + the signal that killed it; nil on timeout.
func waitForExit(_ pid: pid_t, seconds: Double) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    var status: Int32 = 0
    while Date() < deadline {
        if waitpid(pid, &status, WNOHANG) == pid {
            return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
    kill(pid, SIGKILL)
    waitpid(pid, &status, 0)
    return nil
}

/// Runs bodo under `timeout` (a device that blocks, such as a FIFO nobody reads, must fail the
/// test, not hang it): status 124 when it ran out of time.
func bodoWithin(_ seconds: Int, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    try bodo(["--kill-after=5", "\(seconds)", try bodoExecutable().path] + arguments, environment: environment,
             executable: URL(fileURLWithPath: try toolPath("timeout")))
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
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

/// Runs a tool, returning its status and what it printed (stopped after a minute).
func runStatus(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try runWithTimeout(path, arguments, seconds: 60)
}

/// Runs a program, killing it if it runs past `seconds`; returns its status and output.
func runWithTimeout(_ path: String, _ arguments: [String], seconds: Double) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    // The watchdog: the read below ends when the program does, killed or not.
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { if process.isRunning { process.terminate() } }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal ? "stopped after \(seconds) s: " + output : output)
}
