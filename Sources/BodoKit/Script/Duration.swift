import Foundation

/// A length of time as written in a script or an option, kept in whole milliseconds so that
/// turning it into samples is one exact integer step, never a sum of floating seconds.
public struct ScriptDuration: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var milliseconds: Int

    public init(milliseconds: Int) { self.milliseconds = milliseconds }

    /// `factor` times as long, saturating (a duration from a script must never trap).
    public func scaled(by factor: Int) -> ScriptDuration {
        let (product, overflow) = milliseconds.multipliedReportingOverflow(by: factor)
        return ScriptDuration(milliseconds: overflow ? .max : product)
    }
    public static func seconds(_ s: Int) -> ScriptDuration { ScriptDuration(milliseconds: s * 1000) }

    /// The longest single duration a script may ask for; anything longer is a typo, not a routine.
    public static let maximum = ScriptDuration.seconds(600)

    public func samples(at sampleRate: Int) -> Int { milliseconds * sampleRate / 1000 }

    public var isWholeSeconds: Bool { milliseconds % 1000 == 0 }

    public static func < (a: ScriptDuration, b: ScriptDuration) -> Bool { a.milliseconds < b.milliseconds }

    public var description: String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }

    /// Parses `7`, `7s`, `2.5s`, `500ms` or `1m` / `1min` (a bare number is seconds).
    /// Returns a message instead of a value when the text is not a usable duration.
    public static func parse(_ text: String) -> Result<ScriptDuration, DurationProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("min", 60), ("m", 60), ("s", 1), ("", 1)]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), !number.isEmpty,
                  number.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }) else { continue }
            // Round first, then check: every rule below holds for the value bodo will use, so
            // 0.0004 is refused as zero instead of passing as "more than zero" and becoming 0 ms.
            let ms = (value * unit.scale * 1000).rounded()
            guard ms.isFinite else { return .failure(.notANumber(text)) }
            guard ms > 0 else { return .failure(value > 0 ? .roundsToZero(text) : .notPositive(text)) }
            guard ms <= Double(maximum.milliseconds) else { return .failure(.tooLong(text)) }
            return .success(ScriptDuration(milliseconds: Int(saturating: ms)))
        }
        return .failure(.notANumber(text))
    }
}

public enum DurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case notANumber(String), notPositive(String), roundsToZero(String), tooLong(String)

    public var description: String {
        switch self {
        case let .notANumber(t): "\(excerpt(t)) is not a duration (write 7, 7s, 500ms or 1m)"
        case let .notPositive(t): "duration \(excerpt(t)) must be more than zero"
        case let .roundsToZero(t): "duration \(excerpt(t)) is less than half a millisecond, which rounds to zero; the shortest is 1ms"
        case let .tooLong(t): "duration \(excerpt(t)) is longer than the \(ScriptDuration.maximum) a single step may take"
        }
    }
}
