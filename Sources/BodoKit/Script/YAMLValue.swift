import Foundation
import Yams

/// A YAML node that remembers which file it came from, so every complaint about it can name
/// file:line:column. Scripts and voice profiles are read through this instead of `Codable`,
/// which loses positions and reports type mistakes in terms of Swift, not of the file.
struct YAMLValue {
    let node: Node
    let file: String
    /// The whole file: when it is not even a mapping it is probably not a routine at all
    /// (`bodo check /etc/passwd`), so its contents are never quoted back.
    var isDocument = false

    /// Parses a whole document. Syntax errors, an empty file, invalid UTF-8, control characters
    /// and a file that would cost too much to read all come back as one `BodoError` pointing at
    /// the place, before Yams builds anything.
    static func parse(_ data: Data, file: String) throws -> YAMLValue {
        guard data.count <= InputFile.limit else {
            throw BodoError(at: .path(file), "is larger than \(InputFile.limit / 1024) KiB, which no routine or voice profile needs")
        }
        // A byte order mark is how some editors start a UTF-8 file; it is not part of the text.
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(in: Data(body))
            throw BodoError(at: .file(path: file, line: line, column: column), "the file is not valid UTF-8 text")
        }
        if let (line, column, scalar) = firstControlCharacter(in: text) {
            throw BodoError(at: .file(path: file, line: line, column: column),
                            "control character U+\(String(format: "%04X", scalar.value)) is not allowed (only tabs and line breaks)")
        }
        if let problem = Array(text.utf8).withUnsafeBufferPointer(YAMLBudget.problem) {
            throw BodoError(at: .file(path: file, line: problem.line, column: problem.column), problem.message)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw convert(error, file: file)
        }
        guard let node, !(node.scalar.map { $0.tag == Tag(.null) } ?? false) else {
            throw BodoError(at: .file(path: file, line: 1, column: 1), "the file is empty")
        }
        return YAMLValue(node: node, file: file, isDocument: true)
    }

    var source: ErrorSource {
        .file(path: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ message: String) -> BodoError { BodoError(at: source, message) }

    private var typeName: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case let .scalar(s):
            if s.tag == Tag(.null) { "nothing" } else if isDocument { "a single text (is this a routine or voice file?)" }
            else if s.style == .singleQuoted || s.style == .doubleQuoted { "\(excerpt(s.string)) (the quotes make it text: leave them out)" }
            else { excerpt(s.string) }
        }
    }

    /// A plain (unquoted) scalar's text, for numbers and truth values.
    private var plain: String? {
        guard case let .scalar(s) = node, s.style == .plain else { return nil }
        return s.string
    }

    /// Text to be spoken or shown: any scalar but null, not blank, kept on one line.
    func text(_ what: String) throws -> String {
        guard case let .scalar(scalar) = node, scalar.tag != Tag(.null) else {
            throw error("\(what) must be text, not \(typeName)")
        }
        // A quoted "\x01" or "\e" reaches here as the character itself: no text may hold one
        // (espeak-ng reads 0x01 as a command, and terminals act on ESC).
        if let bad = scalar.string.unicodeScalars.first(where: \.isForbiddenInText) {
            throw error("\(what) contains control character U+\(String(format: "%04X", bad.value)); texts may hold only printable characters")
        }
        // Composed (NFC), so an accent typed as a separate mark (`e` + U+0301) is the letter `é`.
        let words = scalar.string.split(whereSeparator: \.isWhitespace).joined(separator: " ").precomposedStringWithCanonicalMapping
        if let foreign = words.unicodeScalars.first(where: { !$0.isSpeakable }) {
            throw error("\(what) contains \(excerpt(String(foreign))) (U+\(String(format: "%04X", foreign.value))), which bodo's voices do not read: "
                + "texts are Latin script (letters, digits, punctuation)")
        }
        guard !words.isEmpty else { throw error("\(what) is empty") }
        guard words.count <= Self.longestText else {
            throw error("\(what) is \(words.count) characters long; one cue is at most \(Self.longestText) (split it into a list)")
        }
        return words
    }

    /// Text of a routine's cue: as `text`, and any `{placeholder}` in it known (`Placeholder`),
    /// an unknown one reported where it is written.
    func spoken(_ what: String) throws -> String {
        let words = try text(what)
        if case let .scalar(scalar) = node, let (offset, message) = Placeholder.problem(in: scalar.string) {
            throw BodoError(at: source(atCharacter: offset), "\(what): \(message)")
        }
        return words
    }

    /// Where the character at `offset` of this scalar's text is written. Exact for a scalar on
    /// one line, plain or single-quoted without doubled quotes; anywhere else (escapes, folded
    /// lines) the place of the scalar itself.
    private func source(atCharacter offset: Int) -> ErrorSource {
        guard case let .scalar(scalar) = node, let mark = node.mark, !scalar.string.contains("\n") else { return source }
        switch scalar.style {
        case .plain: return .file(path: file, line: mark.line, column: mark.column + offset)
        case .singleQuoted where !scalar.string.contains("'"): return .file(path: file, line: mark.line, column: mark.column + 1 + offset)
        default: return source
        }
    }

    /// About a minute of speech: longer is a mistake (a pasted file), not a cue.
    static let longestText = 1000

    /// A single text, or a list of them: each list item becomes its own cue.
    func lines(_ what: String) throws -> [String] {
        if case .sequence = node {
            let items = try sequence(what)
            return try items.map { try $0.spoken("each line of \(what)") }
        }
        return [try spoken(what)]
    }

    /// A number written in decimal (`0.56`, `1`, `.5`) within `range`.
    func fraction(_ what: String, in range: ClosedRange<Double>) throws -> Double {
        guard let text = plain, !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, text != ".", let value = Double(text) else {
            throw error("\(what) must be a number such as 0.5, not \(typeName)")
        }
        guard range.contains(value) else { throw error("\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(text)") }
        return value
    }

    /// A whole number as YAML 1.2 writes one: decimal digits (so `010` is ten, never YAML 1.1's
    /// octal eight, and `1:30` is not ninety).
    func int(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard let text = plain, let value = Self.decimal(text) else {
            throw error("\(what) must be a whole number, not \(typeName)")
        }
        guard range.contains(value) else {
            throw error("\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    private static func decimal(_ text: String) -> Int? {
        let negative = text.hasPrefix("-")
        let digits = text.hasPrefix("+") || negative ? text.dropFirst() : text[...]
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
        return negative ? -value : value
    }

    /// true or false, as YAML 1.2 has them (not 1.1's yes, no, on, off).
    func bool(_ what: String) throws -> Bool {
        switch plain?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error("\(what) must be true or false, not \(typeName)")
        }
    }

    func duration(_ what: String) throws -> ScriptDuration {
        guard case let .scalar(scalar) = node, scalar.tag != Tag(.null) else {
            throw error("\(what) must be a duration such as 7s, not \(typeName)")
        }
        switch ScriptDuration.parse(scalar.string) {
        case let .success(duration): return duration
        case let .failure(problem): throw error("\(what): \(problem)")
        }
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ what: String, _: T.Type) throws -> T where T.RawValue == String {
        let word = try text(what)
        if let value = T(rawValue: word.lowercased()) { return value }
        let names = T.allCases.map(\.rawValue)
        throw error("\(what) must be one of \(names.joined(separator: ", ")), not \(excerpt(word))")
    }

    func sequence(_ what: String) throws -> [YAMLValue] {
        guard case let .sequence(items) = node else { throw error("\(what) must be a list, not \(typeName)") }
        return items.map { YAMLValue(node: $0, file: file) }
    }

    /// A mapping whose keys must all be among `keys`; an unknown key is named with the closest known one.
    func mapping(_ what: String, keys: [String]) throws -> YAMLMapping {
        guard case let .mapping(mapping) = node else { throw error("\(what) must be a mapping of keys, not \(typeName)") }
        // A file none of whose keys is ours is some other file (`--voice /etc/shadow` reads as
        // one key holding root's password hash): say so without quoting any of it.
        // (A file with a misspelt key of ours still gets its suggestion below.)
        if isDocument, !mapping.keys.contains(where: { key in
            key.scalar.map { keys.contains($0.string) || closest(to: $0.string, in: keys) != nil } ?? false
        }) {
            throw error("none of the keys of this file is one \(what) has (is this the right file?)")
        }
        var entries: [String: (key: YAMLValue, value: YAMLValue)] = [:]
        for (keyNode, valueNode) in mapping {
            let key = YAMLValue(node: keyNode, file: file)
            guard case let .scalar(scalar) = keyNode else { throw key.error("a key in \(what) must be a plain word") }
            guard keys.contains(scalar.string) else {
                var message = "unknown key \(excerpt(scalar.string)) in \(what)"
                if let near = closest(to: scalar.string, in: keys) {
                    message += " (did you mean '\(near)'?)"
                } else if scalar.string.contains(" ") {
                    // Almost always the rest of a text cut at a comma inside `{ ... }`.
                    message += " (a comma inside { } ends a text: put the text in quotes)"
                }
                throw key.error(message)
            }
            guard entries[scalar.string] == nil else { throw key.error("key \(excerpt(scalar.string)) appears twice in \(what)") }
            entries[scalar.string] = (key, YAMLValue(node: valueNode, file: file))
        }
        return YAMLMapping(owner: self, what: what, entries: entries)
    }
}

struct YAMLMapping {
    let owner: YAMLValue
    let what: String
    let entries: [String: (key: YAMLValue, value: YAMLValue)]

    subscript(key: String) -> YAMLValue? { entries[key]?.value }

    func required(_ key: String) throws -> YAMLValue {
        guard let value = entries[key]?.value else { throw owner.error("\(what) is missing '\(key)'") }
        return value
    }
}

/// The known word closest to a misspelt one, if it is close enough to be the likely intent.
/// Close means a few letters off (`serch`, `hodl`), or the start of the word (`espeak` for `espeak_voice`).
func closest(to word: String, in candidates: [String]) -> String? {
    let word = word.lowercased()
    guard !word.isEmpty else { return nil }
    let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
    if let (best, distance) = scored, distance <= max(2, best.count / 3) { return best }
    return candidates.first { $0.hasPrefix(word) && word.count >= 3 }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}

private func convert(_ error: YamlError, file: String) -> BodoError {
    switch error {
    case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
        return BodoError(at: .file(path: file, line: mark.line, column: mark.column), "YAML syntax: \(problem)")
    case let .duplicatedKeysInMapping(duplicates, context):
        return BodoError(at: .file(path: file, line: context.mark.line, column: context.mark.column),
                         "key \(excerpt(duplicates.first ?? "")) appears twice")
    default:
        return BodoError(at: .file(path: file, line: 1, column: 1), "YAML: \(error)")
    }
}

/// Line and column (in Unicode scalars, as libyaml counts them) of the first byte that is not UTF-8.
private func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int) {
    var line = 1, column = 1
    var decoder = UTF8()
    var bytes = data.makeIterator()
    while case let .scalarValue(scalar) = decoder.decode(&bytes) {
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
    }
    return (line, column)
}

/// Line and column (in Unicode scalars, 1-based) of the first control character other than tab
/// and line breaks: libyaml would refuse it too, but at a wrong place and over several lines.
private func firstControlCharacter(in text: String) -> (line: Int, column: Int, scalar: Unicode.Scalar)? {
    var line = 1, column = 1
    for scalar in text.unicodeScalars {
        if scalar.isForbiddenInText { return (line, column, scalar) }
        if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
    }
    return nil
}
