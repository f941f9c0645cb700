/// Where a problem is: a place in a file, or a command-line option.
public enum ErrorSource: Sendable, Equatable, CustomStringConvertible {
    case file(path: String, line: Int, column: Int)
    case option(String)
    case path(String)

    public var description: String {
        switch self {
        case let .file(path, line, column): "\(path.escapedForTerminal):\(line):\(column)"
        case let .option(name): name.escapedForTerminal
        case let .path(path): path.escapedForTerminal
        }
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
