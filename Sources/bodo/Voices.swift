import ArgumentParser
import BodoKit

struct Voices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List voice profiles and the espeak-ng voices and variants a profile can use.",
        discussion: """
        A profile (a YAML file in voices/ or $XDG_CONFIG_HOME/bodo/voices) names an espeak-ng \
        voice and variant and sets rate, pitch, volume and word gap; see docs/voices.md. \
        Pick one with `--voice NAME`.
        """
    )

    @Flag(help: "Also list every espeak-ng voice and variant installed.")
    var all = false

    func run() throws {
        let library = Library()
        let engine = try EspeakEngine.shared()
        print("Voice profiles (--voice NAME):")
        for name in library.names(.voices) {
            let profile = try library.voice(name)
            var status = "ok"
            do { try engine.validate(profile) } catch { status = "unusable: \(error)" }
            let details = "\(profile.espeakName), rate \(profile.rate), pitch \(profile.pitch)"
            print("  \(name.padded(10)) \(details.padded(32)) \(profile.description)\(status == "ok" ? "" : " [\(status)]")")
        }
        let installed = engine.installedVoices()
        guard all else {
            print("\n\(installed.voices.count) espeak-ng voices and \(installed.variants.count) variants installed; `bodo voices --all` lists them.")
            return
        }
        print("\nespeak-ng voices (espeak_voice):")
        for voice in installed.voices {
            print("  \(voice.languages.first ?? voice.identifier)".padded(14) + " \(voice.name)")
        }
        print("\nespeak-ng variants (variant):")
        for variant in installed.variants {
            print("  \(variant.identifier.replacingOccurrences(of: "!v/", with: ""))".padded(14) + " \(variant.name)")
        }
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
