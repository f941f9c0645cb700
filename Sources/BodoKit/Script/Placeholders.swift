import Foundation

/// Values of the session that a script's texts may name, so that they stay true whatever the
/// options: `{hold}` (the hold in seconds, in words: "seven", or "ten" with `--hold 10`),
/// `{points}` and `{stretches}` (how many the routine has). Spelt out in words, so the preview
/// reads as the voice speaks.
///
/// A `{` always starts a placeholder: an unknown name, or a brace left open or closed alone, is
/// an error at its place in the script.
public enum Placeholder: String, Sendable, CaseIterable {
    case hold, points, stretches

    static let list = allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")

    /// The first problem with a text's placeholders: where (in characters from its start) and what.
    static func problem(in text: String) -> (offset: Int, message: String)? {
        var open: (offset: Int, name: String)?
        for (offset, character) in text.enumerated() {
            switch character {
            case "{":
                if let open { return (open.offset, "a { without its } (placeholders are \(list))") }
                open = (offset, "")
            case "}":
                guard let found = open else { return (offset, "a } without its { (placeholders are \(list))") }
                guard Placeholder(rawValue: found.name) != nil else {
                    let guess = closest(to: found.name, in: allCases.map(\.rawValue)).map { "; did you mean {\($0)}?" } ?? ""
                    return (found.offset, "unknown placeholder \(excerpt("{" + found.name + "}")): the placeholders are \(list)\(guess)")
                }
                open = nil
            default:
                open?.name.append(character)
            }
        }
        return open.map { ($0.offset, "a { without its } (placeholders are \(list))") }
    }
}

/// What each placeholder stands for in one text.
struct PlaceholderValues: Sendable {
    var hold: Int
    var points: Int
    var stretches: Int

    /// The text with each placeholder replaced by its value in words.
    func fill(_ text: String) -> String {
        guard text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            // The loader refuses unknown names; a routine made in code keeps them as written.
            guard let value = value(of: String(rest[rest.index(after: open)..<close])) else {
                result += rest[open...close]
                rest = rest[rest.index(after: close)...]
                continue
            }
            var words = numberWords(value)
            // A sentence that starts with a placeholder starts with a capital.
            let before = result.trimmingCharacters(in: .whitespaces)
            if before.isEmpty || before.hasSuffix(".") || before.hasSuffix("!") || before.hasSuffix("?") || before.hasSuffix(":") {
                words = words.prefix(1).uppercased() + words.dropFirst()
            }
            result += words
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private func value(of name: String) -> Int? {
        switch Placeholder(rawValue: name) {
        case .hold: hold
        case .points: points
        case .stretches: stretches
        case nil: nil
        }
    }
}

extension Routine {
    /// The routine as it reads to a person who looks at it (the map, the page): every
    /// placeholder filled as the voice says it, a point's `{hold}` with that point's own hold.
    /// `hold` is `--hold`, when given.
    public func withPlaceholdersFilled(hold: ScriptDuration? = nil) -> Routine {
        let values = PlaceholderValues(hold: (hold ?? timing.hold).milliseconds / 1000, points: points.count, stretches: stretches.count)
        return mappingTexts { text, point in
            var own = values
            if let point, let pointHold = point.hold { own.hold = pointHold.milliseconds / 1000 }
            return own.fill(text)
        }
    }
}

/// A whole number from 0 to 999 in English words: "seven", "twelve", "forty-five",
/// "one hundred and twenty". Larger numbers stay digits.
func numberWords(_ n: Int) -> String {
    let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    switch n {
    case 0..<20: return ones[n]
    case 20..<100: return tens[n / 10] + (n % 10 == 0 ? "" : "-" + ones[n % 10])
    case 100..<1000: return ones[n / 100] + " hundred" + (n % 100 == 0 ? "" : " and " + numberWords(n % 100))
    default: return String(n)
    }
}
