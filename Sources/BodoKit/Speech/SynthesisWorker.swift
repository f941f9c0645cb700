import CLinuxShims
import Foundation

/// The worker's side of spread synthesis: `bodo --synthesis-worker`, started by a session's
/// process (`WorkerPool`), never by a person.
///
/// It starts espeak-ng and sets the voice exactly as the session's process does, then makes
/// each batch it is given in a child forked from that untouched state: every batch begins as
/// if it were the first thing the engine ever said (see `SynthesisPlan`), for the cost of a
/// fork instead of a new process.
///
/// Forking is safe because no thread but the forking one can hold a lock: the worker starts
/// none, and the one espeak-ng starts in `espeak_ng_Initialize` is its queue for asynchronous
/// mode, which synchronous mode never wakes (it sleeps on a condition, its mutex released).
/// Each fork checks that no other thread has appeared since.
public enum SynthesisWorker {
    public static let argument = "--synthesis-worker"

    /// The line that asks for batch `batch` levelled with `gain`, or (batch -1) for the calibration.
    static func command(batch: Int, gain: Double?) -> String {
        "\(batch) \(gain?.bitPattern ?? 0)\n"
    }

    /// A Ctrl-C reaches the whole process group; the session's process decides what it means.
    /// The worker ends when its input does, and a write to a session that has gone fails.
    static let ignoredSignals = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    public static func run() -> Never {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in ignoredSignals {
            Foundation.signal(signal, SIG_IGN)
            sigaddset(&blocked, signal)
        }
        sigprocmask(SIG_UNBLOCK, &blocked, nil)
        let output: Int32 = 1
        if isatty(0) == 1 || isatty(1) == 1 {
            FileHandle.standardError.write(Data("bodo: \(argument) is how bodo starts its own synthesis workers; it reads their requests, not a person's\n".utf8))
            exit(2)
        }
        do {
            guard let line = readLine(), let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line.utf8)),
                  request.isWellFormed else {
                // Nobody but a person (or an attacker) gives a worker such input: one line for them,
                // a frame for a session that might be listening, status 2.
                let message = "\(argument): standard input holds no request bodo wrote"
                FileHandle.standardError.write(Data("bodo: \(message)\n".utf8))
                _ = WorkerFrame.failure(message).write(to: output)
                exit(2)
            }
            guard threadCount() == 1 else {
                throw BodoError(.failure, at: nil, "a synthesis worker has \(threadCount()) threads before it starts, and cannot fork safely")
            }
            let synthesizer = try EspeakSynthesizer(voice: request.voice)
            try EspeakEngine.shared().validate(request.voice)
            let threads = threadCount()
            while let line = readLine() {
                let words = line.split(separator: " ")
                guard words.count == 2, let batch = Int(words[0]), let bits = UInt64(words[1]),
                      batch >= -1, batch < request.batches.count else {
                    throw BodoError(.failure, at: nil, "a synthesis worker was asked for \(excerpt(line))")
                }
                try makeInChild(threads: threads) { try make(batch: batch, gain: Double(bitPattern: bits), request, synthesizer, output) }
                guard WorkerFrame.done(batch: batch).write(to: output) else { exit(1) }
            }
            exit(0)
        } catch {
            _ = WorkerFrame.failure("\(error)").write(to: output)
            exit(1)
        }
    }

    private static func make(batch: Int, gain: Double, _ request: WorkerRequest, _ synthesizer: EspeakSynthesizer, _ output: Int32) throws {
        let sampleRate = synthesizer.sampleRate
        guard batch >= 0 else {
            var calibration: Clip = []
            try synthesizer.synthesize([SpeechLeveler.calibration]) { _, clip in calibration = Array(trimSilence(clip)) }
            guard WorkerFrame.gain(SpeechLeveler.gain(calibration: calibration, sampleRate: sampleRate, offset: request.offset)).write(to: output) else {
                throw BodoError(.failure, at: nil, "cannot answer the session: \(systemError())")
            }
            return
        }
        let leveler = SpeechLeveler(gain: gain, sampleRate: sampleRate)
        let range = request.batches[batch][0]..<request.batches[batch][1]
        try synthesizer.synthesize(Array(request.phrases[range])) { index, clip in
            guard WorkerFrame.clip(index: range.lowerBound + index, samples: leveler.finish(clip)).write(to: output) else {
                throw BodoError(.failure, at: nil, "cannot answer the session: \(systemError())")
            }
        }
    }

    private static func threadCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0
    }

    /// Runs `body` in a child forked from the worker as it is now, and waits for it. A failure
    /// in the child reaches the session as a `.failure` frame the child wrote itself.
    private static func makeInChild(threads: Int, _ body: () throws -> Void) throws {
        guard threadCount() == threads else {
            throw BodoError(.failure, at: nil, "a synthesis worker has \(threadCount()) threads instead of \(threads), and cannot fork safely")
        }
        let child = fork()
        guard child >= 0 else { throw BodoError(.failure, at: nil, "a synthesis worker cannot fork: \(systemError())") }
        if child == 0 {
            do { try body() } catch {
                _ = WorkerFrame.failure("\(error)").write(to: 1)
                _exit(1)
            }
            _exit(0)
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            guard errno == EINTR else { throw BodoError(.failure, at: nil, "a synthesis worker lost its child: \(systemError())") }
        }
        // Exited with 0; 1 has said why in a frame of its own, and the session stops at that
        // frame; anything else is a crash.
        guard status & 0x7f == 0 else {
            throw BodoError(.failure, at: nil, "espeak-ng crashed in a synthesis worker (signal \(status & 0x7f))")
        }
        guard (status >> 8) & 0xff == 0 else {
            throw BodoError(.failure, at: nil, "a synthesis worker's batch failed (status \((status >> 8) & 0xff))")
        }
    }
}
