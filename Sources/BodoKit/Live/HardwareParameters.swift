import CALSA

/// The hardware settings both directions ask ALSA for: interleaved, signed 16-bit, mono, at a
/// sample rate. Playback (`PCMDevice`) and capture (`CaptureDevice`) then each size their own
/// periods and buffers.
enum HardwareParameters {
    /// Sets them on `hw` for `pcm`; `rate` comes back as the rate the device offers nearest.
    /// Returns ALSA's status (negative on failure).
    static func setMono16(_ pcm: OpaquePointer, _ hw: OpaquePointer?, rate: inout UInt32) -> Int32 {
        var direction: Int32 = 0
        var status = snd_pcm_hw_params_any(pcm, hw)
        if status >= 0 { status = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED) }
        if status >= 0 { status = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16_LE) }
        if status >= 0 { status = snd_pcm_hw_params_set_channels(pcm, hw, 1) }
        if status >= 0 { status = snd_pcm_hw_params_set_rate_near(pcm, hw, &rate, &direction) }
        return status
    }
}
