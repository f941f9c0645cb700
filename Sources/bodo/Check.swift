import ArgumentParser
import BodoKit
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a routine script or a voice profile and say what it contains.",
        discussion: """
        Prints one line describing the routine or profile when it is valid (exit status 0), or \
        one line naming file:line:column and the mistake (exit status 2). A file with an \
        `espeak_voice` key is checked as a voice profile, including that espeak-ng has its \
        voice and variant. Formats: docs/script-format.md and docs/voices.md.
        """
    )

    @Argument(help: ArgumentHelp("A script or voice profile, by path or name (default: the built-in 'back').", valueName: "file"))
    var script: String = Library.defaultScript

    func run() throws {
        switch try Library().document(script) {
        case let .routine(routine):
            let holds = Set(routine.points.map { ($0.hold ?? routine.timing.hold).description }).sorted()
            try Console.out("\(script.escapedForTerminal): ok: \(excerpt(routine.name)), \(counted(routine.points.count, "point")), "
                + "\(counted(routine.stretches.count, "stretch")), hold \(holds.joined(separator: "/")), "
                + "search \(routine.timing.search), stretch \(routine.timing.stretch)\n")
        case let .voice(profile):
            try EspeakEngine.shared().validate(profile)
            try Console.out("\(script.escapedForTerminal): ok: voice profile \(excerpt(profile.name)), espeak-ng "
                + "\(profile.espeakName.escapedForTerminal), rate \(profile.rate), pitch \(profile.pitch)\n")
        }
    }
}
