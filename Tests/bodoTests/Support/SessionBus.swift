import Foundation

/// A D-Bus session bus of the test's own (dbus-daemon, as `dbus-run-session` starts one), so
/// `playerctl` can press bodo's media keys without a desktop. `environment` points a program at it.
final class SessionBus {
    let directory: URL
    let environment: [String: String]
    /// The daemon's pid, for a test that stops it (SIGSTOP: a bus that hangs) or kills it.
    let daemon: pid_t

    init() throws {
        directory = try scratch()
        let socket = directory.appendingPathComponent("bus").path
        environment = ["DBUS_SESSION_BUS_ADDRESS": "unix:path=\(socket)"]
        daemon = try spawn("dbus-daemon", ["--session", "--nofork", "--nopidfile", "--address=unix:path=\(socket)"], environment: [:])
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline else {
                stop()
                throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: "dbus-daemon did not start"])
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// `playerctl -p bodo ARGUMENTS`: what it printed, without the newline.
    func playerctl(_ arguments: String...) throws -> String {
        try run("playerctl", ["--player=bodo"] + arguments, environment: environment)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Asks `playerctl` until `arguments` print `expected`; what they printed last, after at most `seconds`.
    func await(_ expected: String, from arguments: String..., seconds: Double) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last = ""
        while true {
            last = try run("playerctl", ["--player=bodo"] + arguments, environment: environment)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if last == expected || ContinuousClock.now >= deadline { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() {
        kill(daemon, SIGTERM)
        var status: Int32 = 0
        waitpid(daemon, &status, 0)
    }
}
