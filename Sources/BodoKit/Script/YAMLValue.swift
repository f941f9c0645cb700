import Foundation
import Yams

/// A YAML node that remembers which file it came from, so every complaint about it can name
/// file:line:column. Scripts and voice profiles are read through this instead of `Codable`,
/// which loses positions and reports type mistakes in terms of Swift, not of the file.
struct YAMLValue {
    let node: Node
    let file: String

    /// Parses a whole document. Syntax errors, an empty file and invalid UTF-8 all come back as
    /// one `BodoError` pointing at the place.
    static func parse(_ data: Data, file: String) throws -> YAMLValue {
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, column) = firstInvalidUTF8(in: data)
            throw BodoError(at: .file(path: file, line: line, column: column), "the file is not valid UTF-8 text")
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
        return YAMLValue(node: node, file: file)
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
        case let .scalar(s): s.tag == Tag(.null) ? "nothing" : "'\(s.string)'"
        }
    }

    /// Text to be spoken or shown: any scalar but null, not blank, kept on one line.
    func text(_ what: String) throws -> String {
        guard case let .scalar(scalar) = node, scalar.tag != Tag(.null) else {
            throw error("\(what) must be text, not \(typeName)")
        }
        let words = scalar.string.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !words.isEmpty else { throw error("\(what) is empty") }
        guard words.count <= Self.longestText else {
            throw error("\(what) is \(words.count) characters long; one cue is at most \(Self.longestText) (split it into a list)")
        }
        return words
    }

    /// About a minute of speech: longer is a mistake (a pasted file), not a cue.
    static let longestText = 1000

    /// A single text, or a list of them: each list item becomes its own cue.
    func lines(_ what: String) throws -> [String] {
        if case .sequence = node {
            let items = try sequence(what)
            return try items.map { try $0.text("each line of \(what)") }
        }
        return [try text(what)]
    }

    func int(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .scalar = node, let value = node.int else {
            throw error("\(what) must be a whole number, not \(typeName)")
        }
        guard range.contains(value) else {
            throw error("\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    func bool(_ what: String) throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw error("\(what) must be true or false, not \(typeName)")
        }
        return value
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
        throw error("\(what) must be one of \(names.joined(separator: ", ")), not '\(word)'")
    }

    func sequence(_ what: String) throws -> [YAMLValue] {
        guard case let .sequence(items) = node else { throw error("\(what) must be a list, not \(typeName)") }
        return items.map { YAMLValue(node: $0, file: file) }
    }

    /// A mapping whose keys must all be among `keys`; an unknown key is named with the closest known one.
    func mapping(_ what: String, keys: [String]) throws -> YAMLMapping {
        guard case let .mapping(mapping) = node else { throw error("\(what) must be a mapping of keys, not \(typeName)") }
        var entries: [String: (key: YAMLValue, value: YAMLValue)] = [:]
        for (keyNode, valueNode) in mapping {
            let key = YAMLValue(node: keyNode, file: file)
            guard case let .scalar(scalar) = keyNode else { throw key.error("a key in \(what) must be a plain word") }
            guard keys.contains(scalar.string) else {
                var message = "unknown key '\(scalar.string)' in \(what)"
                if let near = closest(to: scalar.string, in: keys) {
                    message += " (did you mean '\(near)'?)"
                } else if scalar.string.contains(" ") {
                    // Almost always the rest of a text cut at a comma inside `{ ... }`.
                    message += " (a comma inside { } ends a text: put the text in quotes)"
                }
                throw key.error(message)
            }
            guard entries[scalar.string] == nil else { throw key.error("key '\(scalar.string)' appears twice in \(what)") }
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
                         "key '\(duplicates.first ?? "")' appears twice")
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
