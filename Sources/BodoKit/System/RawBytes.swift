import Foundation

/// File names are bytes, not text: `caf\xE9.wav` is a legal Linux name that is not UTF-8.
/// Swift's String would repair it to `caf\u{FFFD}.wav`, a different file (and two such names
/// would collide). So each argument's bytes that are not UTF-8 are carried through String as
/// code points U+10FF80 + byte (private use, plane 16), and turned back into the same bytes
/// wherever a path reaches the system (`withSystemPath`). Messages show them as `\xE9`.
/// An argument that already holds such a code point is refused, so the mapping stays one to one.
public enum RawBytes {
    static let base: UInt32 = 0x10FF80

    static func isEscapedByte(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= base && scalar.value <= base + 0x7F }

    static func byte(of scalar: Unicode.Scalar) -> UInt8? {
        isEscapedByte(scalar) ? UInt8(scalar.value - base + 0x80) : nil
    }

    /// The process's arguments, each decoded losslessly; nil where an argument holds one of the
    /// code points used for escaping.
    public static func arguments() -> [String?] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return "" }
            return decode(Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) })
        }
    }

    /// Bytes -> String, escaping every byte that is not part of valid UTF-8.
    public static func decode(_ bytes: [UInt8]) -> String? {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text.unicodeScalars.contains(where: isEscapedByte) ? nil : text
        }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length > 0, let text = String(validating: bytes[index..<index + length], as: UTF8.self) {
                if text.unicodeScalars.contains(where: isEscapedByte) { return nil }
                out.append(contentsOf: text.unicodeScalars)
                index += length
            } else {
                out.append(Unicode.Scalar(base + UInt32(bytes[index]) - 0x80)!)
                index += 1
            }
        }
        return String(out)
    }

    /// String -> the bytes it stands for.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if let byte = byte(of: scalar) { bytes.append(byte) } else { bytes += Array(String(scalar).utf8) }
        }
        return bytes
    }

    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        return index + length <= bytes.count ? length : 0
    }
}

/// Calls `body` with the path as the system sees it (the bytes the user gave).
public func withSystemPath<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
    var bytes = RawBytes.encode(path).map { CChar(bitPattern: $0) }
    bytes.append(0)
    return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
}
