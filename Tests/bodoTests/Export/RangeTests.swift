import Foundation
import Testing

/// `--from` and `--to` cut preview and export at the same samples as the whole session has them.
@Suite struct RangeTests {
    @Test func aCutIsTheWholeSessionsSamplesAndCues() throws {
        let dir = try scratch()
        let small = fixtures.appendingPathComponent("small.yaml").path
        let whole = dir.appendingPathComponent("whole.wav").path, cut = dir.appendingPathComponent("cut.wav").path
        #expect(try bodo("export", whole, "--script", small).status == 0)
        let export = try bodo("export", cut, "--script", small, "--from", "2", "--to", "2")
        #expect(export.status == 0, "\(export.stderr)")

        let full = try previewTimeline(["--script", small])
        let part = try previewTimeline(["--script", small, "--from", "2", "--to", "2"])
        let json = try bodo("preview", "--format", "json", "--script", small)
        let markers = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["markers"] as? [[String: Any]])
        let positions = markers.compactMap { $0["position"] as? Int }
        let start = positions[1], end = positions[2]
        #expect(part.totalSamples == end - start)
        let expected = full.cues.filter { $0.start >= start && $0.start < end }.map { $0.start - start }
        #expect(part.cues.map(\.start) == expected)
        #expect(part.cues.allSatisfy { $0.point == 2 || $0.point == nil })

        let samples = try wavSamples(cut), reference = try wavSamples(whole)
        #expect(samples.count == end - start)
        #expect(samples == Array(reference[start..<end]))
        // Its chapters start at the cut.
        let chapters = try run("ffprobe", ["-v", "error", "-show_chapters", "-of", "csv=p=0", cut], environment: [:])
        #expect(chapters.split(separator: "\n").count == 1)
        #expect(chapters.contains("0.000000") && chapters.contains("Point 2, left side"), "\(chapters)")
    }

    @Test(arguments: [(["--from", "2", "--to", "1"], "--to: comes before --from: the range would be empty"),
                      (["--to", "9"], "--to: there is no point 9 (this routine's points: 1 to 2)"),
                      (["--from", "stretch:3"], "--from: there is no stretch 3 (this routine's stretches: 1 to 1)")])
    func impossibleCutsAreRefused(arguments: [String], message: String) throws {
        let run = try bodo(["preview", "--script", fixtures.appendingPathComponent("small.yaml").path] + arguments)
        #expect(run.status == 2)
        #expect(run.stderr == "bodo: \(message)\n")
    }
}
