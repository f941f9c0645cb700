/// Text from files and command lines is hostile: a routine someone shared can hold ESC and BEL
/// sequences that clear a screen or retitle a window, or a megabyte on one line. Everything bodo
/// writes for people passes through here; the JSON preview does not (its encoder escapes).

extension Unicode.Scalar {
    /// C0 and C1 controls and DEL: never printable, and what terminals act on.
    var isControl: Bool { properties.generalCategory == .control }

    /// Controls other than the whitespace a YAML text may be folded from.
    var isForbiddenInText: Bool { isControl && !["\t", "\n", "\r"].contains(self) }

    /// Whether espeak-ng may be given this character. bodo's cues are English sentences, so a
    /// session is Latin script: letters from another alphabet make espeak-ng switch translators
    /// mid-clause, the path where espeak-ng 1.51 reads freed memory (the fuzzer found `֋.r`,
    /// U+058B then ".r", with ASan; valgrind sees the same through `bodo preview`) and keeps
    /// the other language's accent for later phrases. Allowed: printable ASCII, Latin-1 and
    /// Latin Extended-A, -B and Additional (accented letters, `°`, `×`), general punctuation
    /// (dashes, curly quotes, ellipsis) and currency signs.
    var isSpeakable: Bool {
        switch value {
        case 0x20...0x7E, 0xA0...0x24F, 0x1E00...0x1EFF, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0: true
        default: false
        }
    }

    /// Marks that reorder what a terminal shows (bidirectional overrides and isolates), and the
    /// line and paragraph separators (U+2028, U+2029), which editors and tag readers take for
    /// line breaks though they are not controls.
    var isLayoutControl: Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
    }
}

extension String {
    /// The text with every control character, bidi mark and byte of a non-UTF-8 file name shown
    /// as an escape (`\e`, `\n`, `\x07`, `\u{202E}`, `\xE9`), so it prints as one inert line.
    public var escapedForTerminal: String {
        guard unicodeScalars.contains(where: { $0.isControl || $0.isLayoutControl || RawBytes.isEscapedByte($0) }) else {
            return self
        }
        var out = ""
        for scalar in unicodeScalars {
            if let byte = RawBytes.byte(of: scalar) {
                out += "\\x" + hex(byte)
            } else if scalar.isControl {
                switch scalar {
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                case "\u{1B}": out += "\\e"
                default: out += scalar.value < 0x100 ? "\\x" + hex(UInt8(scalar.value)) : "\\u{\(String(scalar.value, radix: 16))}"
                }
            } else if scalar.isLayoutControl {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A value quoted inside a message: escaped, and cut to `limit` characters so that a megabyte
/// value still gives a short line.
public func excerpt(_ value: String, limit: Int = 40) -> String {
    let escaped = value.escapedForTerminal
    guard escaped.count > limit else { return "'\(escaped)'" }
    return "'\(escaped.prefix(limit))…' (\(value.count) characters)"
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}
