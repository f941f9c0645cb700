import Foundation
import Testing

/// `bodo map`: the routine's points on a body outline, as SVG or PNG.
@Suite struct MapCommandTests {
    /// The dots' centres by point number, read back from the SVG.
    func centres(_ svg: String) -> [Int: Double] {
        var result: [Int: Double] = [:]
        let pattern = try! NSRegularExpression(pattern: #"<g id="point-(\d+)"[^>]*><title>[^<]*</title>(?:<circle[^>]*fill="none"[^>]*/>)?<circle cx="([\d.]+)""#)
        for match in pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
            let number = Int(svg[Range(match.range(at: 1), in: svg)!])!
            result[number] = Double(svg[Range(match.range(at: 2), in: svg)!])!
        }
        return result
    }

    @Test func svgOfTheBackRoutineMirroredWithItsSide() throws {
        let dir = try scratch()
        let right = dir.appendingPathComponent("right.svg").path, left = dir.appendingPathComponent("left.svg").path
        let run = try bodo("map", right, "--point", "4")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "bodo: wrote \(right) (12 of 12 points placed on the figure)\n")
        #expect(try bodo("map", left, "--side", "left").status == 0)
        let a = try String(contentsOfFile: right, encoding: .utf8), b = try String(contentsOfFile: left, encoding: .utf8)
        #expect(a.hasPrefix("<?xml") && a.contains("aria-current=\"true\"") && !b.contains("aria-current"))
        let (x, y) = (centres(a), centres(b))
        #expect(x.count == 12 && y.count == 12)
        // Points 1 to 4 run outward from the spine to the right flank, on the right of the
        // back view; on the left side they run the other way.
        #expect(x[1]! < x[2]! && x[2]! < x[3]! && x[3]! < x[4]!)
        #expect(y[1]! > y[2]! && y[2]! > y[3]! && y[3]! > y[4]!)
        // The words are mirrored with the places.
        #expect(a.contains("just right of the spine") && a.contains("Point 7, left side"))
        #expect(b.contains("just left of the spine") && b.contains("Point 7, right side"))
        // A validator's view of it: tidy, reading it as XML, finds nothing to say.
        let check = try runStatus(try toolPath("tidy"), ["-xml", "-q", "-e", right])
        #expect(check.status == 0 && check.output.isEmpty, "\(check.output)")
    }

    @Test func pngWhenRsvgConvertIsThereAndOneLineWhenItIsNot() throws {
        let dir = try scratch()
        let png = dir.appendingPathComponent("map.png").path
        let run = try bodo("map", png, "--script", fixtures.appendingPathComponent("small.yaml").path)
        #expect(run.status == 0, "\(run.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && data.count > 10_000)
        #expect(run.stderr.contains("(0 of 2 points placed on the figure)"))

        let missing = dir.appendingPathComponent("none.png").path
        let without = try bodo(["map", missing], environment: ["PATH": "/nonexistent"])
        #expect(without.status == 1)
        #expect(without.stderr == "bodo: \(missing): a PNG needs rsvg-convert: install it (Debian: apt-get install librsvg2-bin), or write .svg\n")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test(arguments: [
        (["map", "x.pdf"], "unsupported file type '.pdf'; end the name in .svg or .png"),
        (["map", "x"], "no file type; end the name in .svg or .png"),
        (["map", "x.svg", "--point", "13"], "--point: the routine has no point 13 (its points are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)"),
        (["map", "x.svg", "--side", "up"], "--side: must be left or right, not 'up'"),
        (["map", "x.svg", "--point", "-1"], "--point"),
    ])
    func badRequestsAreOneLineAndStatusTwo(arguments: [String], words: String) throws {
        let dir = try scratch()
        let run = try bodo(["map", dir.appendingPathComponent(arguments[1]).path] + arguments.dropFirst(2))
        #expect(run.status == 2)
        #expect(run.stderr.contains(words) && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
