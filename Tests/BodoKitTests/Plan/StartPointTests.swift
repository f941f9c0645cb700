import Foundation
import FoundationXML
import Testing
@testable import BodoKit

/// `--from 2` starts where the person has heard no position yet: the one in force at point 2
/// (point 1's, "Lie on your back.") is said first, as point 1's, with its time to move; the
/// whole session is unchanged.
@Suite struct StartPointTests {
    @Test func theStartPointSaysThePositionInForce() throws {
        let routine = try RoutineLoader.load(Data(PositionAndWordingTests.moving.utf8), file: "t.yaml")
        func positions(_ start: Int?) -> [(Int?, String)] {
            var options = PlanOptions()
            options.startPoint = start
            return CuePlanner.plan(routine, options: options).steps.compactMap { step in
                if case let .say(text, .position, context, _) = step { (context.point, text) } else { nil }
            }
        }
        let whole = positions(nil)
        #expect(!whole.contains { $0.0 == 2 })
        let from2 = positions(2)
        #expect(from2.filter { $0.0 == 2 }.map(\.1) == ["The position, as for point 1: Lie on your back. Then move the stick to this point."], "\(from2)")
        #expect(from2.filter { $0.0 != 2 }.map(\.1) == whole.map(\.1))
        // A point that names its own position says it once, as before.
        #expect(positions(3).filter { $0.0 == 3 }.count == 1)
    }
}
