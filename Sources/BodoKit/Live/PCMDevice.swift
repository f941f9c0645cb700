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
        bodo_alsa_silence_errors()
        if !mayOverwriteFiles { try Self.refuseFileOverwrite(name, option: "--device") }
        var pcm: OpaquePointer?
        // Plugins print straight to stderr (libjack six lines when no JACK server runs): their
        // words are replaced by bodo's one line below.
        let status = withStandardErrorSilenced { snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0) }
        guard status >= 0, let pcm else {
            // A broken ~/.asoundrc makes every device fail with a bare "Invalid argument": name it.
            if let broken = ALSAConfiguration.loadProblem() {
                throw BodoError(.noDevice, at: .option("--device"), "cannot open sound device \(excerpt(name)): \(broken)")
            }
            throw BodoError(.noDevice, at: .option("--device"),
                            "cannot open sound device \(excerpt(name)): \(Self.message(status)); `bodo export session.wav` writes the session to a file instead")
        }
        func fail(_ what: String, _ status: Int32) -> BodoError {
            snd_pcm_close(pcm)
            return BodoError(.noDevice, at: .option("--device"), "sound device \(excerpt(name)) \(what): \(Self.message(status))")
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

    private struct Refusal: Error {
        enum Step { case format, rate, buffer, start }
        var step: Step
        var status: Int32
    }

    /// Sets up `pcm` for 16-bit mono at `rate` with a buffer of about `latencyMilliseconds` in
    /// `periods` periods, a start threshold of two periods and a wake-up every period.
    private static func configure(_ pcm: OpaquePointer, rate: inout UInt32, latencyMilliseconds: Int, periods: Int)
        -> Result<(period: Int, buffer: Int, threshold: Int), Refusal> {
        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        let sampleRate = rate
        let wantedBuffer = Int(rate) * latencyMilliseconds / 1000
        var period = snd_pcm_uframes_t(max(32, wantedBuffer / periods))
        var buffer = period * snd_pcm_uframes_t(periods)
        var direction: Int32 = 0
        var status = HardwareParameters.setMono16(pcm, hw, rate: &rate)
        guard status >= 0 else { return .failure(Refusal(step: .format, status: status)) }
        guard rate == sampleRate else { return .failure(Refusal(step: .rate, status: 0)) }
        status = snd_pcm_hw_params_set_period_size_near(pcm, hw, &period, &direction)
        if status >= 0 { status = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer) }
        if status >= 0 { status = snd_pcm_hw_params(pcm, hw) }
        guard status >= 0 else { return .failure(Refusal(step: .buffer, status: status)) }
        snd_pcm_hw_params_get_period_size(hw, &period, &direction)
        snd_pcm_hw_params_get_buffer_size(hw, &buffer)

        var sw: OpaquePointer?
        snd_pcm_sw_params_malloc(&sw)
        defer { snd_pcm_sw_params_free(sw) }
        let threshold = min(buffer, 2 * period)
        status = snd_pcm_sw_params_current(pcm, sw)
        if status >= 0 { status = snd_pcm_sw_params_set_start_threshold(pcm, sw, threshold) }
        if status >= 0 { status = snd_pcm_sw_params_set_avail_min(pcm, sw, period) }
        if status >= 0 { status = snd_pcm_sw_params(pcm, sw) }
        guard status >= 0 else { return .failure(Refusal(step: .start, status: status)) }
        return .success((Int(period), Int(buffer), Int(threshold)))
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
        let now = parameters.bufferFrames * 1000 / parameters.sampleRate
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
                return .failed("the sound device failed: \(Self.message(problem.status))")
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
            if recovered < 0 { return "the sound device failed: \(Self.message(recovered))" }
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

    static func message(_ status: Int32) -> String { String(cString: snd_strerror(status)) }

    /// Throws (bad input, status 2) when opening `name` would destroy a file; `option` is the
    /// one that named the device. `configuration`: text to read the device from instead (tests).
    static func refuseFileOverwrite(_ name: String, option: String, configuration: String? = nil) throws(BodoError) {
        guard let problem = ALSAConfiguration.fileDestroyed(byOpening: name, configuration: configuration) else { return }
        throw BodoError(.badInput, at: .option(option), "device \(excerpt(name)) is not opened: \(problem); name a new file, or give --force")
    }
}

/// Checks a device name before anything is opened (`bodo play` does, so bad input is told
/// before the microphone listens to the room).
public enum DeviceCheck {
    /// Throws (bad input) when opening `name` would truncate an existing file; see `ALSAConfiguration.fileDestroyed`.
    public static func refuseFileOverwrite(_ name: String, option: String) throws(BodoError) {
        try PCMDevice.refuseFileOverwrite(name, option: option)
    }

    /// Why ALSA's configuration does not load (which file is broken), or nil.
    public static func configurationProblem() -> String? { ALSAConfiguration.loadProblem() }
}

@available(*, unavailable, message: "a PCM device belongs to the thread that opened it")
extension PCMDevice: Sendable {}

/// A playback device ALSA knows about, for `bodo devices`.
public struct AudioDevice: Sendable, Equatable {
    public var name: String
    public var description: String

    /// Whether a person would play through it: not one of ALSA's converter plugins (rate,
    /// channel mix, DSP), which wrap another device, nor OSS's emulation or the null sink.
    public var isPlayedThrough: Bool {
        let base = name.split(separator: ":").first.map(String.init) ?? name
        let converters = ["lavrate", "lavcrate", "samplerate", "speexrate", "speex", "upmix", "vdownmix", "a52", "oss", "null", "usbstream"]
        return !converters.contains { base == $0 || base.hasPrefix($0 + "_") }
    }

    /// Every PCM that can play, from ALSA's configuration and cards.
    public static func playbackDevices() -> [AudioDevice] {
        bodo_alsa_silence_errors()
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) == 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var devices: [AudioDevice] = []
        var cursor = hints
        while let hint = cursor.pointee {
            func text(_ id: String) -> String? {
                guard let value = snd_device_name_get_hint(hint, id) else { return nil }
                defer { free(value) }
                return String(cString: value)
            }
            if let name = text("NAME"), text("IOID").map({ $0 == "Output" }) ?? true {
                let description = (text("DESC") ?? "").split(separator: "\n").joined(separator: ", ")
                devices.append(AudioDevice(name: name, description: description))
            }
            cursor += 1
        }
        return devices
    }
}

/// Runs `body` with descriptor 2 pointed at /dev/null, then puts it back. For calls into
/// libraries that write their own messages to stderr; nothing else in bodo writes to stderr
/// while a device opens.
func withStandardErrorSilenced<T>(_ body: () -> T) -> T {
    let saved = dup(STDERR_FILENO)
    let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
    guard saved >= 0, null >= 0 else {
        if saved >= 0 { close(saved) }
        if null >= 0 { close(null) }
        return body()
    }
    dup2(null, STDERR_FILENO)
    close(null)
    defer {
        dup2(saved, STDERR_FILENO)
        close(saved)
    }
    return body()
}
