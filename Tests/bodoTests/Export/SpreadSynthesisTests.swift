import BodoKit
import Foundation
import Testing

/// Synthesis spread over worker processes (`SynthesisPlan`, `WorkerPool`, `SynthesisWorker`):
/// how many there are changes how fast, never a byte of what is made.
@Suite struct SpreadSynthesisTests {
    private func export(_ name: String, in dir: URL, workers: Int?, taskset: String? = nil, extra: [String] = []) throws -> Data {
        let file = dir.appendingPathComponent(name)
        let arguments = ["export", "-q", file.path] + extra
        let environment = workers.map { ["BODO_SYNTHESIS_WORKERS": "\($0)"] } ?? [:]
        let run = if let taskset {
            try launch(URL(fileURLWithPath: "/usr/bin/taskset"), ["-c", taskset, try bodoExecutable().path] + arguments,
                       environment: inherited(environment), seconds: 240)
        } else {
            try bodo(arguments, environment: environment)
        }
        #expect(run.status == 0, "\(name): \(run.stderr)")
        return try Data(contentsOf: file)
    }

    @Test func anExportIsByteIdenticalWhateverTheNumberOfWorkersAndCores() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try export("one.wav", in: dir, workers: 1)
        #expect(one.count > 30_000_000)
        #expect(try export("three.wav", in: dir, workers: 3) == one)
        #expect(try export("nine.wav", in: dir, workers: 9) == one)
        // One core by its affinity, the worker count chosen from it.
        #expect(try export("one-core.wav", in: dir, workers: nil, taskset: "0") == one)
        #expect(try export("one.flac", in: dir, workers: 1) == export("four.flac", in: dir, workers: 4))
    }

    /// The worker count is an input like an option: anything but a whole number in range is one
    /// line and status 2, before any speech is made, and no file is written.
    @Test(arguments: ["0", "65", "-3", "two", "", " 2", "2.5", "99999999999999999999999"])
    func aWorkerCountThatIsNotOneIsBadInput(count: String) throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.wav")
        let run = try bodo(["export", "-q", file.path, "--script", fixtures.appendingPathComponent("small.yaml").path],
                           environment: ["BODO_SYNTHESIS_WORKERS": count])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("bodo: BODO_SYNTHESIS_WORKERS: must be a whole number from 1 to 64") && run.stderr.filter { $0 == "\n" }.count == 1,
                "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    /// A worker started by hand with input bodo did not write says so in one line, status 2,
    /// whatever the input: nothing traps, nothing waits.
    @Test(arguments: ["", "{}\n", "not json\n",
                      #"{"espeakVoice":"en-us","rate":150,"pitch":50,"volume":100,"wordGap":0,"offset":0,"phrases":["a"],"batches":[[1,0]]}"# + "\n0 0\n",
                      #"{"espeakVoice":"en-us","rate":150,"pitch":50,"volume":100,"wordGap":0,"offset":0,"phrases":["a"],"batches":[[0,5]]}"# + "\n0 0\n",
                      #"{"espeakVoice":"en-us","rate":150,"pitch":50,"volume":100,"wordGap":0,"offset":0,"phrases":["a"],"batches":[[0]]}"# + "\n0 0\n",
                      #"{"espeakVoice":"en-us","rate":99999,"pitch":50,"volume":100,"wordGap":0,"offset":0,"phrases":["a"],"batches":[[0,1]]}"# + "\n"])
    func aWorkerGivenInputBodoDidNotWriteRefusesIt(input: String) throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let request = dir.appendingPathComponent("request")
        try input.write(to: request, atomically: true, encoding: .utf8)
        let run = try launch(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" --synthesis-worker < \"$1\" > /dev/null", try bodoExecutable().path, request.path],
                             environment: inherited([:]), seconds: 30)
        #expect(run.status == 2)
        #expect(run.stderr == "bodo: --synthesis-worker: standard input holds no request bodo wrote\n")
    }

    /// A voice bodo does not ship has no measured gain: each run measures it in a worker of its
    /// own, so its sessions are the same run after run and whatever the worker count.
    @Test func aVoiceOfItsOwnIsMeasuredTheSameWayEveryRun() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let voice = dir.appendingPathComponent("brisk.yaml")
        try "name: brisk\nespeak_voice: en-us\nvariant: f2\nrate: 190\n".write(to: voice, atomically: true, encoding: .utf8)
        #expect(try VoiceProfile.load(Data(contentsOf: voice), file: voice.path).measuredGain == nil)
        let script = fixtures.appendingPathComponent("small.yaml").path
        let first = try export("a.wav", in: dir, workers: 1, extra: ["--voice", voice.path, "--script", script])
        #expect(try export("b.wav", in: dir, workers: 3, extra: ["--voice", voice.path, "--script", script]) == first)
    }

    /// The first batch is made in the session's own process when its engine is fresh, else by a
    /// worker like every other: the two must be the same samples, or an export would depend on
    /// what its process said before.
    @Test func theFirstBatchIsTheSameMadeHereOrByAWorker() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = fixtures.appendingPathComponent("small.yaml").path
        let file = dir.appendingPathComponent("here.wav").path
        let run = try bodo(["export", "-q", file, "--script", script], environment: ["BODO_SYNTHESIS_WORKERS": "2"])
        #expect(run.status == 0, "\(run.stderr)")

        // This process's engine counts as having spoken, so every batch goes to a worker.
        _ = try EspeakEngine.shared().claimFresh()
        let library = Library(environment: [:])
        let session = try Session(routine: library.routine(script), synthesizer: EspeakSynthesizer(
            voice: library.voice("default"), workers: SynthesisWorkers(executable: try bodoExecutable().path, count: 2)))
        let watchdog = DispatchWorkItem { session.cancel(with: BodoError(.failure, at: nil, "the watchdog: no speech in 60 s")) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        var samples: [Int16] = []
        var renderer = session.makeRenderer()
        try renderer.renderBlocks { block, _ in samples.append(contentsOf: block) }
        #expect(samples.count > 22050)
        #expect(samples == (try wavSamples(file)))
    }

    /// The shipped voices carry their gain so the first sound does not wait for the calibration
    /// sentence; it must be exactly what measuring gives, or a session would change with it.
    @Test(arguments: ["default", "calm"])
    func theShippedGainsAreWhatMeasuringGives(voice name: String) throws {
        let voice = try Library(environment: [:]).voice(name)
        let workers = SynthesisWorkers(executable: try bodoExecutable().path, count: 1)
        // Measured on a thread of its own, waited for at most 60 s: a worker that never
        // answers fails the test instead of hanging it.
        let result = Locked<Result<Double, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            result.withLock { $0 = Result { try voice.measureGain(workers: workers) } }
            done.signal()
        }.start()
        try #require(done.wait(timeout: .now() + 60) == .success, "no gain measured in 60 s")
        let measured = try #require(result.withLock { $0 }).get()
        #expect(voice.measuredGain == measured, "measuredGains should hold \"\(voice.soundKey)\": \(measured)")
    }
}
