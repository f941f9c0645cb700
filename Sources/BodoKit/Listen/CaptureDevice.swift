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
        bodo_alsa_silence_errors()
        if !mayOverwriteFiles { try PCMDevice.refuseFileOverwrite(name, option: "--mic", configuration: configuration) }
        var pcm: OpaquePointer?
        var status: Int32
        if let configuration {
            status = Self.open(&pcm, name, configuration)
        } else {
            status = withStandardErrorSilenced { snd_pcm_open(&pcm, name, SND_PCM_STREAM_CAPTURE, 0) }
        }
        guard status >= 0, let pcm else {
            if configuration == nil, let broken = ALSAConfiguration.loadProblem() {
                throw BodoError(.failure, at: .option("--mic"), "cannot open the microphone \(excerpt(name)): \(broken)")
            }
            throw BodoError(.failure, at: .option("--mic"), "cannot open the microphone \(excerpt(name)): \(PCMDevice.message(status))")
        }
        func fail(_ what: String, _ status: Int32) -> BodoError {
            snd_pcm_close(pcm)
            return BodoError(.failure, at: .option("--mic"), "the microphone \(excerpt(name)) \(what): \(PCMDevice.message(status))")
        }
        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        var rate = UInt32(sampleRate)
        var period = snd_pcm_uframes_t(sampleRate * periodMilliseconds / 1000)
        var buffer = period * 8
        var direction: Int32 = 0
        status = HardwareParameters.setMono16(pcm, hw, rate: &rate)
        guard status >= 0 else { throw fail("cannot record 16-bit mono", status) }
        guard rate == UInt32(sampleRate) else {
            snd_pcm_close(pcm)
            throw BodoError(.failure, at: .option("--mic"), "the microphone \(excerpt(name)) cannot record \(sampleRate) Hz (it offers \(rate) Hz); try 'default' or a plug: device")
        }
        status = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &direction)
        if status >= 0 { status = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer) }
        if status >= 0 { status = snd_pcm_hw_params(pcm, hw) }
        guard status >= 0 else { throw fail("refused the buffer settings", status) }
        snd_pcm_hw_params_get_period_size(hw, &period, &direction)
        status = snd_pcm_start(pcm)
        guard status >= 0 || status == -EBADFD else { throw fail("would not start", status) }
        handle = pcm
        self.name = name
        self.sampleRate = Int(rate)
        periodFrames = Int(period)
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
                return .failure(BodoError(.failure, at: .option("--mic"), "the microphone failed: \(PCMDevice.message(recovered))"))
            }
            _ = snd_pcm_start(handle)
        }
    }

    /// Opens a capture PCM from configuration text rather than the system's files.
    private static func open(_ pcm: inout OpaquePointer?, _ name: String, _ configuration: String) -> Int32 {
        var input: OpaquePointer?
        var config: OpaquePointer?
        var status = configuration.withCString { snd_input_buffer_open(&input, $0, strlen($0)) }
        guard status >= 0, let input else { return status }
        defer { snd_input_close(input) }
        status = snd_config_top(&config)
        guard status >= 0, let config else { return status }
        defer { snd_config_delete(config) }
        status = snd_config_load(config, input)
        guard status >= 0 else { return status }
        return snd_pcm_open_lconf(&pcm, name, SND_PCM_STREAM_CAPTURE, 0, config)
    }
}

@available(*, unavailable, message: "a capture device belongs to the thread that opened it")
extension CaptureDevice: Sendable {}
