import Foundation
import Testing
@testable import BodoKit

/// Conversions that cannot trap, whatever number a file or an option brings.
@Suite struct TotalNumbersTests {
    @Test(arguments: [
        (Double.nan, 0), (.infinity, Int.max), (-.infinity, Int.min), (1e300, Int.max), (-1e300, Int.min),
        (9.3e18, Int.max), (-9.3e18, Int.min), (2.5, 3), (-2.5, -3), (0.49, 0), (845.0, 845),
    ])
    func doublesBecomeIntsWithoutTrapping(value: Double, expected: Int) {
        #expect(Int(saturating: value) == expected)
    }

    @Test func clampsWhoseBoundsCrossGiveTheUpperOne() {
        #expect(7.0.clamped(atLeast: 1, atMost: 0.5) == 0.5)
        #expect(0.2.clamped(atLeast: 1, atMost: 45) == 1)
        #expect(12.clamped(atLeast: 1, atMost: 45) == 12)
    }
}
