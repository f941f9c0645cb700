import CALSA
import Foundation

/// What the sound device agreed to, which may differ from what was asked.
public struct DeviceParameters: Sendable, Equatable {
    public var device: String
    public var sampleRate: Int
    public var periodFrames: Int
    public var bufferFrames: Int
    public var startThreshold: Int

    public var description: String {
        let ms = { (frames: Int) in String(format: "%.1f ms", Double(frames) * 1000 / Double(sampleRate)) }
        return "device '\(device)': \(sampleRate) Hz mono 16-bit, period \(periodFrames) frames (\(ms(periodFrames))), "
            + "buffer \(bufferFrames) frames (\(ms(bufferFrames))), starts after \(startThreshold) frames"
    }
}

/// An open ALSA playback device.
///
/// Exactly one thread owns it: the type is neither copyable nor Sendable, so the thread that
/// opens it is the only one that can write to it, and it is closed exactly once, when that
/// thread lets it go.
struct PCMDevice: ~Copyable {
    private let handle: OpaquePointer
    private(set) var parameters: DeviceParameters
    /// Underruns recovered so far.
    private(set) var underruns = 0

    /// Opens `name` for 16-bit mono at exactly `sampleRate` with a buffer of about
    /// `latencyMilliseconds` in `periods` periods; the start threshold is two periods and the
    /// writer is woken one period at a time. Four periods by default: the writer still has
    /// three queued when it wakes, and PulseAudio grants four exactly, while two of 20 ms became
    /// three (60 ms asked as 40) and two of 40 ms three of 40 (120 ms asked as 80).
    /// Unless `mayOverwriteFiles`, a device that would truncate an existing file (ALSA's `file`
    /// plugin) is refused before it is opened (`ALSAConfiguration.fileDestroyed`).
    init(name: String, sampleRate: Int, latencyMilliseconds: Int, periods: Int? = nil, mayOverwriteFiles: Bool = false) throws(BodoError) {
        let periods = periods ?? 4
        if !mayOverwriteFiles { try PCMSetup.refuseFileOverwrite(name, option: "--device") }
        let (opened, status) = PCMSetup.open(name, SND_PCM_STREAM_PLAYBACK)
        guard let pcm = opened else {
            // A broken ~/.asoundrc makes every device fail with a bare "Invalid argument": name it.
            if let broken = ALSAConfiguration.loadProblem() {
                throw BodoError(.noDevice, at: .option("--device"), "cannot open sound device \(excerpt(name)): \(broken)")
            }
            throw BodoError(.noDevice, at: .option("--device"),
                            "cannot open sound device \(excerpt(name)): \(PCMSetup.message(status)); `bodo export session.wav` writes the session to a file instead")
        }
        func fail(_ what: String, _ status: Int32) -> BodoError {
            snd_pcm_close(pcm)
            return BodoError(.noDevice, at: .option("--device"), "sound device \(excerpt(name)) \(what): \(PCMSetup.message(status))")
        }

        var rate = UInt32(sampleRate)
        let configured = Self.configure(pcm, rate: &rate, latencyMilliseconds: latencyMilliseconds, periods: periods)
        switch configured {
        case let .failure(problem) where problem.step == .format:
            throw fail("cannot play 16-bit mono", problem.status)
        case .failure where rate != UInt32(sampleRate):
            snd_pcm_close(pcm)
            throw BodoError(.noDevice, at: .option("--device"),
                            "sound device \(excerpt(name)) cannot play \(sampleRate) Hz (it offers \(rate) Hz); try a plug: device or 'default'")
        case let .failure(problem) where problem.step == .buffer:
            throw fail("refused the buffer settings", problem.status)
        case let .failure(problem):
            throw fail("refused the start settings", problem.status)
        case let .success(sizes):
            handle = pcm
            parameters = DeviceParameters(device: name, sampleRate: Int(rate), periodFrames: sizes.period,
                                          bufferFrames: sizes.buffer, startThreshold: sizes.threshold)
        }
    }

    /// Sets up `pcm` for 16-bit mono at `rate` with a buffer of about `latencyMilliseconds` in
    /// `periods` periods, a start threshold of two periods and a wake-up every period.
    private static func configure(_ pcm: OpaquePointer, rate: inout UInt32, latencyMilliseconds: Int, periods: Int)
        -> Result<(period: Int, buffer: Int, threshold: Int), PCMSetup.Refusal> {
        var period = max(32, Int(rate) * latencyMilliseconds / 1000 / periods)
        var buffer = period * periods
        if let refusal = PCMSetup.setHardware(pcm, rate: &rate, period: &period, buffer: &buffer) { return .failure(refusal) }

        var sw: OpaquePointer?
        snd_pcm_sw_params_malloc(&sw)
        defer { snd_pcm_sw_params_free(sw) }
        let threshold = snd_pcm_uframes_t(min(buffer, 2 * period))
        var status = snd_pcm_sw_params_current(pcm, sw)
        if status >= 0 { status = snd_pcm_sw_params_set_start_threshold(pcm, sw, threshold) }
        if status >= 0 { status = snd_pcm_sw_params_set_avail_min(pcm, sw, snd_pcm_uframes_t(period)) }
        if status >= 0 { status = snd_pcm_sw_params(pcm, sw) }
        guard status >= 0 else { return .failure(PCMSetup.Refusal(step: .start, status: status)) }
        return .success((period, buffer, Int(threshold)))
    }

    private enum Regrowth { case grown, kept, failed(String) }

    /// The buffer an underrun may grow to (`write`): through PulseAudio, Ctrl-C exits 83 ms
    /// after the key at 70 ms (bench/play-stop.sh, longest of 7), but 112 ms at 80 ms, past
    /// the 100 ms a person may wait for the sound to stop.
    static let grownLatencyMilliseconds = 70
    /// Buffers this one has grown to, after underruns.
    private(set) var grown = 0

    /// After an underrun (the device stopped, nothing queued, so nothing is lost): asks for a
    /// buffer twice as long, in four periods, up to `grownLatencyMilliseconds`. Returns whether
    /// the device took it; if not, the old settings are put back, and if even that fails, why.
    private mutating func regrow() -> Regrowth {
        // Rounded: four periods of 385 frames are the 70 ms asked for, though 69.8 ms.
        let now = (parameters.bufferFrames * 1000 + parameters.sampleRate / 2) / parameters.sampleRate
        guard now < Self.grownLatencyMilliseconds else { return .kept }
        let latencyMilliseconds = min(Self.grownLatencyMilliseconds, 2 * now)
        var rate = UInt32(parameters.sampleRate)
        snd_pcm_drop(handle)
        switch Self.configure(handle, rate: &rate, latencyMilliseconds: latencyMilliseconds, periods: 4) {
        case let .success(sizes):
            parameters.periodFrames = sizes.period
            parameters.bufferFrames = sizes.buffer
            parameters.startThreshold = sizes.threshold
            grown += 1
            return .grown
        case .failure:
            if case let .failure(problem) = Self.configure(handle, rate: &rate, latencyMilliseconds: now, periods: parameters.bufferFrames / max(1, parameters.periodFrames)) {
                return .failed("the sound device failed: \(PCMSetup.message(problem.status))")
            }
            return .kept
        }
    }

    deinit { snd_pcm_close(handle) }

    /// Whether a write waits for the device to play: false for ALSA's file and null devices,
    /// which take every sample at once.
    var isPaced: Bool {
        let type = snd_pcm_type(handle)
        return type != SND_PCM_TYPE_FILE && type != SND_PCM_TYPE_NULL
    }

    /// Writes every sample, blocking while the device's buffer is full: this is what paces the
    /// session to the device's clock. An underrun is counted, and recovered with a longer
    /// buffer (`regrow`); any other error is returned as a message.
    mutating func write(_ samples: UnsafeBufferPointer<Int16>) -> String? {
        guard var base = samples.baseAddress else { return nil }
        var left = samples.count
        while left > 0 {
            let written = snd_pcm_writei(handle, base, snd_pcm_uframes_t(left))
            if written >= 0 {
                base += Int(written)
                left -= Int(written)
                continue
            }
            let error = Int32(written)
            if error == -EAGAIN { continue }
            if error == -EPIPE {
                underruns += 1
                // A buffer that ran dry once will again: give it more room (the session's timing
                // is the timeline's, so only the answer to keys gets slower).
                switch regrow() {
                case .grown: continue
                case .kept: break
                case let .failed(message): return message
                }
            }
            let recovered = snd_pcm_recover(handle, error, 1)
            if recovered < 0 { return "the sound device failed: \(PCMSetup.message(recovered))" }
        }
        return nil
    }

    /// Frames written but not yet heard.
    func delay() -> Int {
        var frames: snd_pcm_sframes_t = 0
        return snd_pcm_delay(handle, &frames) == 0 ? max(0, Int(frames)) : 0
    }

    /// Waits until everything written has been played.
    func drain() { snd_pcm_drain(handle) }
}

@available(*, unavailable, message: "a PCM device belongs to the thread that opened it")
extension PCMDevice: Sendable {}
