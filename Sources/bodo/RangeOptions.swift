import ArgumentParser
import BodoKit

/// `--from` and `--to` for the commands that cut a session: the same cut, at the same samples,
/// whether it is previewed or exported (and `play --from` starts where they do).
struct RangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start at point N, or at a stretch with stretch:N.", valueName: "N|stretch:N"))
    var from: String?

    @Option(help: ArgumentHelp("End after point N, or after a stretch with stretch:N.", valueName: "N|stretch:N"))
    var to: String?

    /// The samples to keep, or nil for the whole session (without waiting for its speech).
    func range(in session: Session) throws -> Range<Int>? {
        let start = try from.map { try SessionRange.Place($0, option: "--from") }
        let end = try to.map { try SessionRange.Place($0, option: "--to") }
        guard start != nil || end != nil else { return nil }
        return try SessionRange.resolve(from: start, to: end, in: session.timeline())
    }

    /// The point the cut starts at (`PlanOptions.startPoint`), if it starts at one.
    func startPoint() throws -> Int? {
        try from.map { try SessionRange.Place($0, option: "--from") }?.point
    }

    /// The options as given, for an exported file's comment.
    var summary: [String] {
        (from.map { ["--from \($0)"] } ?? []) + (to.map { ["--to \($0)"] } ?? [])
    }
}
