/// Conversions that cannot trap. Swift's `Int(someDouble)` stops the process on NaN, infinity
/// or a value past Int's range, and `a...b` stops it when `b < a`; a number that came from a
/// journal line, a script or an option must never do either. Every such conversion and clamp
/// in bodo goes through these two.

extension Int {
    /// `value` rounded by `rule`, saturated at Int's ends; NaN is 0.
    public init(saturating value: Double, _ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        let rounded = value.rounded(rule)
        if rounded.isNaN {
            self = 0
        } else if rounded >= 9.223372036854775807e18 {
            self = .max
        } else if rounded <= -9.223372036854775808e18 {
            self = .min
        } else {
            self = Int(rounded)
        }
    }
}

extension Comparable {
    /// The value held between `lower` and `upper` without building a range, so bounds that
    /// cross (a script's maximum under bodo's own minimum) cannot trap: then `upper` wins, as
    /// the limit the person set.
    public func clamped(atLeast lower: Self, atMost upper: Self) -> Self {
        Swift.min(Swift.max(self, lower), upper)
    }
}
