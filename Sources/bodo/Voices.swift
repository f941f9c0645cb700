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
        var lines = ["Voice profiles (--voice NAME):"]
        for name in library.names(.voices) {
            // One broken profile costs its own line, never the listing.
            do {
                let profile = try library.voice(name)
                try engine.validate(profile)
                let details = "\(profile.espeakName), rate \(profile.rate), pitch \(profile.pitch)"
                lines.append("  \(name.padded(10)) \(details.padded(32)) \(profile.description)")
            } catch {
                lines.append("  \(name.padded(10)) [unusable: \(error)]")
            }
        }
        let installed = engine.installedVoices()
        if all {
            lines.append("\nespeak-ng voices (espeak_voice):")
            lines += installed.voices.map { "  \($0.fileName)".padded(22) + " \($0.name) (\($0.languages.joined(separator: ", ")))" }
            lines.append("\nespeak-ng variants (variant):")
            lines += installed.variants.map { "  \($0.fileName)".padded(22) + " \($0.name)" }
        } else {
            lines.append("\n\(installed.voices.count) espeak-ng voices and \(installed.variants.count) variants installed; `bodo voices --all` lists them.")
        }
        try Console.out(lines.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapedForTerminal }
            .joined(separator: "\n") }.joined(separator: "\n") + "\n")
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
