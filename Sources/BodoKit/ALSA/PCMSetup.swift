import CALSA
import Foundation

/// What both directions share, as cpal's ALSA backend has one open and one parameter setup for
/// playback and capture: opening a PCM (from the system's configuration, or from text a test
/// gives), the hardware settings (interleaved, signed 16-bit, mono, at exactly one rate, with a
/// period and buffer near what is asked), and ALSA's words for a status. Playback
/// (`PCMDevice`) and capture (`CaptureDevice`) add only what is theirs.
enum PCMSetup {
    /// Which setting a device refused, and ALSA's status.
    struct Refusal: Error {
        enum Step { case format, rate, buffer, start }
        var step: Step
        var status: Int32
    }

    /// Opens `name` for `stream`, from `configuration` (ALSA configuration text) instead of the
    /// system's files when given. Plugins print straight to stderr (libjack six lines when no
    /// JACK server runs): their words are replaced by the caller's one line.
    static func open(_ name: String, _ stream: snd_pcm_stream_t, configuration: String? = nil) -> (pcm: OpaquePointer?, status: Int32) {
        bodo_alsa_silence_errors()
        var pcm: OpaquePointer?
        let status = withStandardErrorSilenced {
            guard let configuration else { return snd_pcm_open(&pcm, name, stream, 0) }
            return open(&pcm, name, stream, configuration)
        }
        return (status >= 0 ? pcm : nil, status)
    }

    private static func open(_ pcm: inout OpaquePointer?, _ name: String, _ stream: snd_pcm_stream_t, _ configuration: String) -> Int32 {
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
        return snd_pcm_open_lconf(&pcm, name, stream, 0, config)
    }

    /// Sets the hardware parameters: 16-bit mono at `rate` (which comes back as the rate the
    /// device offers nearest, a refusal of step `.rate` when that is not it), with `period` and
    /// `buffer` frames near those asked, which come back as granted.
    static func setHardware(_ pcm: OpaquePointer, rate: inout UInt32, period: inout Int, buffer: inout Int) -> Refusal? {
        var hw: OpaquePointer?
        snd_pcm_hw_params_malloc(&hw)
        defer { snd_pcm_hw_params_free(hw) }
        let wanted = rate
        var direction: Int32 = 0
        var status = snd_pcm_hw_params_any(pcm, hw)
        if status >= 0 { status = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED) }
        if status >= 0 { status = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE) }
        if status >= 0 { status = snd_pcm_hw_params_set_channels(pcm, hw, 1) }
        if status >= 0 { status = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &direction) }
        guard status >= 0 else { return Refusal(step: .format, status: status) }
        guard rate == wanted else { return Refusal(step: .rate, status: 0) }
        var periodFrames = snd_pcm_uframes_t(period), bufferFrames = snd_pcm_uframes_t(buffer)
        status = snd_pcm_hw_params_set_period_size_near(pcm, hw, &periodFrames, &direction)
        if status >= 0 { status = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &bufferFrames) }
        if status >= 0 { status = snd_pcm_hw_params(pcm, hw) }
        guard status >= 0 else { return Refusal(step: .buffer, status: status) }
        snd_pcm_hw_params_get_period_size(hw, &periodFrames, &direction)
        snd_pcm_hw_params_get_buffer_size(hw, &bufferFrames)
        period = Int(periodFrames)
        buffer = Int(bufferFrames)
        return nil
    }

    static func message(_ status: Int32) -> String { String(cString: snd_strerror(status)) }

    /// Throws (bad input, status 2) when opening `name` would destroy a file; `option` is the
    /// one that named the device. `configuration`: text to read the device from instead (tests).
    static func refuseFileOverwrite(_ name: String, option: String, configuration: String? = nil) throws(BodoError) {
        guard let problem = ALSAConfiguration.fileDestroyed(byOpening: name, configuration: configuration) else { return }
        throw BodoError(.badInput, at: .option(option), "device \(excerpt(name)) is not opened: \(problem); name a new file, or give --force")
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
