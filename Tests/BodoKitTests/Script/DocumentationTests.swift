import Foundation
import Testing
@testable import BodoKit

@Suite struct DocumentationTests {
    /// The example in docs/script-format.md must stay a valid script.
    @Test func scriptFormatExampleIsValid() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/script-format.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "## A neck routine\n\n```yaml\n"))
        let end = try #require(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let routine = try RoutineLoader.load(Data(doc[start.upperBound..<end.lowerBound].utf8), file: "docs/script-format.md")
        #expect(routine.points.map(\.number) == [1, 2, 3, 4])
        #expect(routine.points[3].side == .center)
        #expect(routine.stretches.first?.bothSides == true)
    }
}
