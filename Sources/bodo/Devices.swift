import ArgumentParser
import BodoKit

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the ALSA playback devices `bodo play --device` can use.",
        discussion: "Devices a person plays through: sound servers, cards and the like. ALSA's converters (rate, channel mix, DSP plugins) and emulations come only with --all."
    )

    @Flag(help: "Also list ALSA's converter and emulation plugins, which are not played through themselves.")
    var all = false

    func run() throws {
        let devices = AudioDevice.playbackDevices().filter { all || $0.isPlayedThrough }
        guard !devices.isEmpty else {
            // A broken ~/.asoundrc hides every device: say which file, as `bodo play` would (status 3).
            if let broken = DeviceCheck.configurationProblem() { throw BodoError(.noDevice, at: nil, broken) }
            try Console.out("No playback devices. `bodo export session.wav` writes the session to a file instead.\n")
            return
        }
        for device in devices {
            try Console.out((device.name.padded(28) + " " + device.description).escapedForTerminal + "\n")
        }
    }
}
