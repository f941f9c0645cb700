import ArgumentParser
import BodoKit
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a routine script and say what it contains.",
        discussion: """
        Prints one line describing the routine when it is valid (exit status 0), or one line \
        naming file:line:column and the mistake (exit status 2). The script's format is in \
        docs/script-format.md.
        """
    )

    @Argument(help: ArgumentHelp("A script path or name (default: the built-in 'back').", valueName: "script"))
    var script: String = Library.defaultScript

    func run() throws {
        let routine = try Library().routine(script)
        let holds = Set(routine.points.map { ($0.hold ?? routine.timing.hold).description }).sorted()
        print("\(script): ok: '\(routine.name)', \(counted(routine.points.count, "point")), \(counted(routine.stretches.count, "stretch")), "
            + "hold \(holds.joined(separator: "/")), search \(routine.timing.search), stretch \(routine.timing.stretch)")
    }
}
