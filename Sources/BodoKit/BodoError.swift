/// Where a problem is: a place in a file, or a command-line option.
public enum ErrorSource: Sendable, Equatable, CustomStringConvertible {
    case file(path: String, line: Int, column: Int)
    case option(String)
    case path(String)

    public var description: String {
        switch self {
        case let .file(path, line, column): "\(Self.shortened(path)):\(line):\(column)"
        case let .option(name): Self.shortened(name)
        case let .path(path): Self.shortened(path)
        }
    }

    /// Escaped, and at most 200 characters: a path of 100,000 still gives a short line, and its
    /// end (the file's own name) is what stays.
    static func shortened(_ text: String) -> String {
        let escaped = text.escapedForTerminal
        guard escaped.count > 200 else { return escaped }
        // Cut the text, not its escaped form, so no escape is cut in half.
        var tail = "", count = 0
        for character in text.reversed() {
            let piece = String(character).escapedForTerminal
            guard count + piece.count <= 199 else { break }
            tail = piece + tail
            count += piece.count
        }
        return "…" + tail
    }
}

/// Every failure bodo reports to a person: one line that says where and what.
public struct BodoError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The user's script, voice, option or output path is wrong; they can fix it.
        case badInput
        /// Something outside the user's input failed (speech engine data, a disk error).
        case failure
        /// There is no sound device to play on.
        case noDevice
    }

    public var kind: Kind
    public var source: ErrorSource?
    public var message: String

    public init(_ kind: Kind = .badInput, at source: ErrorSource?, _ message: String) {
        self.kind = kind
        self.source = source
        self.message = message
    }

    /// One line, safe for a terminal, and short: values in messages are quoted through
    /// `excerpt`, and this is the last guard for anything that was not.
    public var description: String {
        var text = message.escapedForTerminal
        if text.count > Self.longestMessage { text = String(text.prefix(Self.longestMessage)) + "…" }
        guard let source else { return text }
        return "\(source): \(text)"
    }

    static let longestMessage = 400
}
