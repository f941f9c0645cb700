import Foundation
import Testing

/// Runs the built `bodo` executable the way a person or a script would.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

/// The package's folder, from this file's place in it (Tests/bodoTests/Support/), for the
/// checked-in fixtures a test may rewrite and the tools beside the tests.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func bodo(_ arguments: String...) throws -> Run { try bodo(arguments) }

func bodo(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil, seconds: Double = 240) throws -> Run {
    let program = try executable ?? bodoExecutable()
    return try launch(program, arguments, environment: inherited(["XDG_CONFIG_HOME": "/nonexistent-bodo-test-config"].merging(environment) { $1 }),
                      seconds: seconds)
}

/// The runner's environment with `changes`, for every program a test starts. Read only after
/// `BODO_JOURNAL=off` is set: an environment read before it let a bodo write the tester's journal.
func inherited(_ changes: [String: String]) -> [String: String] {
    leaveTheTestersJournalAlone()
    return ProcessInfo.processInfo.environment.merging(changes) { $1 }
}

/// Every bodo the tests start, by any route, leaves the tester's own journal alone (and plays
/// exactly what it exports: no "your third session this week"). A test of the journal gives
/// its own --journal or BODO_JOURNAL.
private func leaveTheTestersJournalAlone() { setenv("BODO_JOURNAL", "off", 0) }

/// Starts bodo for a test that follows it while it runs (a live session): its standard error
/// read line by line, standard output discarded. The test stops it (`exitStatus` waits with
/// a timeout, then ends it).
func startBodo(_ arguments: [String], environment: [String: String]) throws -> (Process, LineReader) {
    let process = Process()
    process.executableURL = try bodoExecutable()
    process.arguments = arguments
    process.environment = inherited(environment)
    let stderr = Pipe()
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, LineReader(stderr.fileHandleForReading))
}

/// The one way the tests run a program to its end: its output read as it comes (so a large
/// preview cannot fill a pipe and block), and a watchdog, so a program that hangs fails its
/// test (recorded as an issue, status 128 + SIGTERM or SIGKILL) instead of hanging the run.
/// `mergeErrors` sends standard error into `stdout`, in the order written.
func launch(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil, seconds: Double,
            mergeErrors: Bool = false) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = mergeErrors ? out : err
    try process.run()
    let expired = NSLock(), pid = process.processIdentifier
    nonisolated(unsafe) var timedOut = false
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        guard process.isRunning else { return }
        expired.withLock { timedOut = true }
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + 5) { if process.isRunning { kill(pid, SIGKILL) } }
    }
    let errData = Data.concurrentRead(mergeErrors ? nil : err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if expired.withLock({ timedOut }) {
        Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not end within \(seconds) s")
    }
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    return Run(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData(), as: UTF8.self))
}

extension Data {
    /// Starts reading `handle` to its end on a thread of its own; the result waits for it.
    /// Reading one pipe after the other could block on the second while the first is full.
    static func concurrentRead(_ handle: FileHandle?) -> () -> Data {
        guard let handle else { return { Data() } }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var data = Data()
        Thread { data = handle.readDataToEndOfFile(); done.signal() }.start()
        return { done.wait(); return data }
    }
}

/// `swift test` builds `bodo` beside the test bundle.
func bodoExecutable() throws -> URL {
    leaveTheTestersJournalAlone()
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
    let run = try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", "ulimit -f \(blocks); exec \"$@\"", "sh", try bodoExecutable().path] + arguments,
                         environment: inherited(environment), seconds: 240)
    return (run.status, run.stderr)
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
    let env = inherited(environment).map { "\($0)=\($1)" }
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

/// Runs a short program to its end and returns what it printed. A stalled sound server must
/// fail the test, not hang it: 30 s at most.
func run(_ name: String, _ arguments: [String], environment: [String: String]) throws -> String {
    try launch(URL(fileURLWithPath: try toolPath(name)), arguments,
               environment: inherited(environment), seconds: 30).stdout
}

/// The status of a started program once it has ended; nil if it still runs after `seconds`.
/// Async, so it waits without holding one of the few threads (as many as the machine has
/// cores) that every test shares: a real-time test spends most of its minute waiting, and
/// blocking, two of them held this machine's two threads while the rest queued.
func exitStatus(_ process: Process, seconds: Double) async -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning { return nil }
    process.waitUntilExit()
    return process.terminationStatus
}

/// Runs blocking work (a program run to its end) on a thread of its own and waits for it
/// without holding a test thread (see the async `exitStatus`).
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Reads a pipe's lines on a thread of its own, so a test can wait for one with a timeout.
final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var ended = false

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
            lock.withLock {
                if !pending.isEmpty { lines.append(String(decoding: pending, as: UTF8.self)) }
                ended = true
            }
        }.start()
    }

    var all: [String] { lock.withLock { lines } }

    /// Every line, once the pipe has closed (the program ended); nil if it is still open after `seconds`.
    func toTheEnd(seconds: Double) -> [String]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if lock.withLock({ ended }) { return all }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    /// The `occurrence`th line (from 1) containing `text`, once it has come; nil after `seconds`.
    /// Waits without holding a test thread (see `exitStatus`).
    func waitFor(_ text: String, seconds: Double, occurrence: Int = 1) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        // Looked at once more after the deadline: a wait that woke late still sees a line that came.
        while true {
            let found = all.filter { $0.contains(text) }
            if found.count >= occurrence { return found[occurrence - 1] }
            if Date() >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Runs a tool, returning its status and what it printed (stopped after a minute).
func runStatus(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try runWithTimeout(path, arguments, seconds: 60)
}

/// Runs a program, stopping it if it runs past `seconds`; returns its status and its output
/// and errors as written.
func runWithTimeout(_ path: String, _ arguments: [String], seconds: Double) throws -> (status: Int32, output: String) {
    let run = try launch(URL(fileURLWithPath: path), arguments, seconds: seconds, mergeErrors: true)
    return (run.status, run.stdout)
}
