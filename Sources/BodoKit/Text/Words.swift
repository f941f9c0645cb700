/// "1 point", "12 points", "1 stretch", "5 stretches".
public func counted(_ n: Int, _ noun: String) -> String {
    n == 1 ? "1 \(noun)" : "\(n) \(noun)\(noun.hasSuffix("ch") ? "es" : "s")"
}

extension String {
    func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

extension Int {
    func zeroPadded(_ width: Int) -> String { String(self).leftPadded(to: width).replacingOccurrences(of: " ", with: "0") }
}
