import ArgumentParser
import BodoKit
import Foundation

struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw where the routine's points are: an SVG, or a PNG.",
        discussion: """
        Two views of a body, from behind and from the front, side by side; each point is a \
        numbered dot where the script places it (its `map` key), and every point is listed \
        beside them with its location. LEFT and RIGHT under each view are the person's own \
        sides: from the front they are the other way round. --side draws the routine as it is \
        worked on that side; --point picks one point out (larger, filled and ringed).

        .png needs rsvg-convert (Debian: apt-get install librsvg2-bin).
        """
    )

    @Argument(help: ArgumentHelp("The file to write: .svg or .png.", valueName: "file"))
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The routine: a built-in name, a name in $XDG_CONFIG_HOME/bodo/scripts, or a path to a YAML file.",
        valueName: "name|path"))
    var script = Library.defaultScript

    @Option(help: ArgumentHelp("The side to work: left or right (mirrors the routine, as in `bodo play`).", valueName: "left|right"))
    var side: String?

    @Option(help: ArgumentHelp("A point to pick out, by its number.", valueName: "number"))
    var point: Int?

    @OptionGroup var output: OutputFlags

    func run() throws {
        let target = try MapFile(path: file, force: output.force)
        try target.refuseOverwriting(inputs: [Library().path(.scripts, script)])
        var worked: Side?
        if let side {
            guard let value = Side(rawValue: side.lowercased()), value != .center else {
                throw BodoError(at: .option("--side"), "must be left or right, not \(excerpt(side))")
            }
            worked = value
        }
        let routine = try Library().routine(script).worked(on: worked, hold: nil)
        if let point, !routine.points.contains(where: { $0.number == point }) {
            throw BodoError(at: .option("--point"), "the routine has no point \(point) (its points are \(routine.points.map { String($0.number) }.joined(separator: ", ")))")
        }
        try target.write(svg: BodyMap.svg(routine, title: routine.title, highlight: point))
        if !output.quiet {
            let placed = routine.points.filter { $0.map != nil }.count
            Console.error("wrote \(file) (\(placed) of \(counted(routine.points.count, "point")) placed on the figure)")
        }
    }
}
