import CALSA
import Foundation

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

/// Checks a device name before anything is opened (`bodo play` does, so bad input is told
/// before the microphone listens to the room).
public enum DeviceCheck {
    /// Throws (bad input) when opening `name` would truncate an existing file; see `ALSAConfiguration.fileDestroyed`.
    public static func refuseFileOverwrite(_ name: String, option: String) throws(BodoError) {
        try PCMSetup.refuseFileOverwrite(name, option: option)
    }

    /// Why ALSA's configuration does not load (which file is broken), or nil.
    public static func configurationProblem() -> String? { ALSAConfiguration.loadProblem() }
}
