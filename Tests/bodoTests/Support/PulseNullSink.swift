import Foundation
import Testing

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
    /// played into `mic` is what bodo hears; `echo` also loops bodo's own sound back into it.
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
        if feed {
            config += """
            load-module module-combine-sink sink_name=both slaves=null,mic

            """
        }
        if echo {
            // The speaker's sound back into the microphone, as a room returns it, 20 ms later.
            // Not bodo playing into a combine sink: under load that sink's latency once grew to
            // 35 s, and bodo (rightly following its device's clock) listened that much late.
            config += """
            load-module module-loopback source=null.monitor sink=mic latency_msec=20 source_dont_move=true sink_dont_move=true

            """
        }
        let configURL = directory.appendingPathComponent("default.pa")
        try Data(config.utf8).write(to: configURL)
        environment = [
            "PULSE_SERVER": "unix:\(socket)",
            "PULSE_RUNTIME_PATH": directory.path,
            "PULSE_STATE_PATH": directory.path,
            "PULSE_COOKIE": directory.appendingPathComponent("cookie").path,
            "HOME": directory.path,
        ]
        // The server and the recorder run at real-time priority, as a desktop's sound server
        // does (rtkit), and as bodo's own sound thread does: beside a busy test run, a server
        // at normal priority fell behind and caught up (the session came out 4 ms short of its
        // length), and a recorder with a 20 ms buffer lost samples (ticks 15 ms late).
        server = try spawn("chrt", ["-f", "20", "pulseaudio", "-n", "-F", configURL.path, "--daemonize=no", "--exit-idle-time=-1",
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
        let recorder = Recorder(pid: try spawn("chrt", ["-f", "20", "parecord", "-d", "null.monitor", "--rate=22050", "--channels=\(channels)", "--format=s16le",
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
