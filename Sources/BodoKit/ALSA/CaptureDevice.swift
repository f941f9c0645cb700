import CALSA
import Foundation

/// An open ALSA capture device: the microphone, 16 kHz mono 16-bit (ALSA's plug layer
/// converts whatever the hardware gives), read one period at a time.
///
/// Like `PCMDevice`, exactly one thread owns it: not copyable, not Sendable, closed once.
struct CaptureDevice: ~Copyable {
    private let handle: OpaquePointer
    let name: String
    let sampleRate: Int
    let periodFrames: Int
    /// Overruns recovered so far (the reader fell behind and samples were lost).
    private(set) var overruns = 0

    /// Opens `name` for capture. `configuration` is ALSA configuration text to open it from
    /// instead of the system's (tests describe a capture PCM that reads a file this way).
    /// Periods of 40 ms: each one wakes this thread, the detector's and (through PulseAudio)
    /// the plugin's; 10 ms periods cost about 1.6% of a core, 40 ms about 0.6%, and add at
    /// most 30 ms to "found it", which the detector's 160 ms of voice dwarfs (bench/RESULTS.md).
    /// Unless `mayOverwriteFiles`, a device that would truncate an existing file (ALSA's `file`
    /// plugin opens its `file` for capture too, and fills it) is refused before it is opened.
    init(name: String, sampleRate: Int = FoundItDetector.sampleRate, periodMilliseconds: Int = 40,
         configuration: String? = nil, mayOverwriteFiles: Bool = false) throws(BodoError) {
        if !mayOverwriteFiles { try PCMSetup.refuseFileOverwrite(name, option: "--mic", configuration: configuration) }
        let (opened, openStatus) = PCMSetup.open(name, SND_PCM_STREAM_CAPTURE, configuration: configuration)
        guard let pcm = opened else {
            if configuration == nil, let broken = ALSAConfiguration.loadProblem() {
                throw BodoError(.failure, at: .option("--mic"), "cannot open the microphone \(excerpt(name)): \(broken)")
            }
            throw BodoError(.failure, at: .option("--mic"), "cannot open the microphone \(excerpt(name)): \(PCMSetup.message(openStatus))")
        }
        func fail(_ what: String, _ status: Int32) -> BodoError {
            snd_pcm_close(pcm)
            return BodoError(.failure, at: .option("--mic"), "the microphone \(excerpt(name)) \(what): \(PCMSetup.message(status))")
        }
        var rate = UInt32(sampleRate)
        var period = sampleRate * periodMilliseconds / 1000
        var buffer = period * 8
        switch PCMSetup.setHardware(pcm, rate: &rate, period: &period, buffer: &buffer) {
        case nil: break
        case let refusal? where refusal.step == .format: throw fail("cannot record 16-bit mono", refusal.status)
        case let refusal? where refusal.step == .rate:
            snd_pcm_close(pcm)
            throw BodoError(.failure, at: .option("--mic"), "the microphone \(excerpt(name)) cannot record \(sampleRate) Hz (it offers \(rate) Hz); try 'default' or a plug: device")
        case let refusal?: throw fail("refused the buffer settings", refusal.status)
        }
        let status = snd_pcm_start(pcm)
        guard status >= 0 || status == -EBADFD else { throw fail("would not start", status) }
        handle = pcm
        self.name = name
        self.sampleRate = Int(rate)
        periodFrames = period
    }

    deinit { snd_pcm_close(handle) }

    /// Fills `buffer` with the next samples, blocking until they are recorded; returns how many
    /// (fewer at the end of a file), 0 at its end, or nil with a message when the device failed.
    mutating func read(into buffer: UnsafeMutableBufferPointer<Int16>) -> Result<Int, BodoError> {
        guard let base = buffer.baseAddress else { return .success(0) }
        while true {
            let count = snd_pcm_readi(handle, base, snd_pcm_uframes_t(buffer.count))
            if count >= 0 { return .success(Int(count)) }
            let error = Int32(count)
            if error == -EAGAIN || error == -EINTR { continue }
            if error == -EPIPE { overruns += 1 }
            let recovered = snd_pcm_recover(handle, error, 1)
            if recovered < 0 {
                return .failure(BodoError(.failure, at: .option("--mic"), "the microphone failed: \(PCMSetup.message(recovered))"))
            }
            _ = snd_pcm_start(handle)
        }
    }
}

@available(*, unavailable, message: "a capture device belongs to the thread that opened it")
extension CaptureDevice: Sendable {}
