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
        let measured = try voice.measureGain(workers: SynthesisWorkers(executable: try bodoExecutable().path, count: 1))
        #expect(voice.measuredGain == measured, "measuredGains should hold \"\(voice.soundKey)\": \(measured)")
    }
}
