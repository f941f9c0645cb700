// The fuzz target for the journal, a text file people edit by hand. Byte 0 picks the path
// (bit 0) and the time zone (bits 1-3):
//   even  any text as a journal: read (`Journal.parse`), each entry written again and read
//         back the same, the week's summary and the learned search times (for a routine of
//         the entries' name, with a search_max from byte 1) computed;
//   odd   an entry built from the bytes (date, routine name, side, outcome, seconds,
//         searches), written with `Journal.text(of:)` after a hand-written journal (the rest of
//         the bytes) as `append` would: read back, it is the same entry, also with CRLF lines.
// Nothing may trap on any text; an entry read back is the one written, within the format's
// precision (the minute, a tenth of a second); learned times lie within the routine's limits.
// Built and run by fuzz/run.sh (libFuzzer + AddressSanitizer).
@testable import BodoKit
import Foundation

private let zones = ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "Australia/Lord_Howe",
                     "America/Sao_Paulo", "Pacific/Chatham"].map { TimeZone(identifier: $0)! }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let zone = zones[Int(data[0] >> 1 & 7)]
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)
    if data[0] & 1 == 0 { readJournal(bytes, zone) } else { writeEntry(bytes, zone) }
    return 0
}

private func readJournal(_ bytes: UnsafeBufferPointer<UInt8>, _ zone: TimeZone) {
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let entries = Journal.parse(text, timeZone: zone)
    for entry in entries {
        _ = Journal.clock(entry.seconds)
        for (_, time) in entry.searches { _ = Journal.clock(time) }
        roundTrip(entry, zone, "a read entry", exact: false)
    }
    let summary = JournalSummary(entries, now: entries.last?.date ?? Date(timeIntervalSince1970: 1_800_000_000), timeZone: zone)
    guard summary.total == entries.count, summary.sessionsThisWeek <= summary.total, summary.streakWeeks <= summary.total else {
        fatalError("summary \(summary) of \(entries.count) entries")
    }
    // search_max as a script may give it: from 1 ms to ScriptDuration.maximum.
    let searchMax = [1, 100, 500, 999, 1000, 1001, 4000, 45_000, 600_000][Int(bytes.first ?? 0) % 9]
    var timing = Timing()
    timing.searchMax = ScriptDuration(milliseconds: searchMax)
    let numbers = Set(entries.flatMap { $0.searches.keys }).sorted().prefix(50)
    let routine = Routine(name: entries.first?.routine ?? "Fuzz", timing: timing,
                          points: numbers.map { Point(number: $0, side: .left, location: "here") })
    if let (times, sessions) = LearnedPace.searchTimes(for: routine, from: entries) {
        guard sessions <= entries.count else { fatalError("learned from \(sessions) sessions of \(entries.count)") }
        for (point, time) in times {
            guard numbers.contains(point) else { fatalError("a learned time for point \(point), not in the routine") }
            guard time.milliseconds > 0, time.milliseconds <= searchMax else {
                fatalError("point \(point)'s learned search is \(time.milliseconds) ms, with search_max \(searchMax) ms")
            }
        }
    }
}

/// A cursor over fuzzed bytes that reads zeros past the end.
private struct Reader {
    var bytes: ArraySlice<UInt8>
    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }
    mutating func int(_ count: Int) -> Int { (0..<count).reduce(0) { acc, _ in acc << 8 | Int(byte()) } }
    /// Bytes up to the next 0xFF (never in UTF-8), as text.
    mutating func text() -> String {
        let end = bytes.firstIndex(of: 0xFF) ?? bytes.endIndex
        defer { bytes = bytes[end...].dropFirst() }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}

private func writeEntry(_ bytes: UnsafeBufferPointer<UInt8>, _ zone: TimeZone) {
    var input = Reader(bytes: Array(bytes)[...])
    // 1900-01-01 to 9999-12-31: years of four digits, as the stamp writes them.
    let first = -2_208_988_800, last = 253_402_300_799
    let date = Date(timeIntervalSince1970: TimeInterval(first + input.int(5) % (last - first)))
    let flags = input.byte()
    let side = Side.allCases[Int(flags) % Side.allCases.count]
    let completed = flags & 0x10 != 0
    // bodo's own words for where a session stopped.
    let stoppedAt = [nil, "point \(input.byte())", "stretch \(input.byte() % 10)", "the introduction", "the closing words"][Int(flags >> 5) % 5]
    // Up to a day, in thousandths, or a tenth's edge.
    var seconds = Double(input.int(3) % 86_400_000) / 1000
    if flags & 0x08 != 0 { seconds = seconds.rounded(.down) + 0.05 }
    var searches: [Int: Double] = [:]
    for _ in 0..<Int(input.byte() % 8) {
        // Searches end within the hour the reader keeps (below what rounds up to 3600.0).
        searches[Int(input.byte() % 60) + 1] = Double(input.int(3) % 3_599_900) / 1000
    }
    let routine = input.text()
    let handWritten = input.text()
    let entry = Journal.Entry(date: date, routine: routine, side: side, completed: completed, stoppedAt: stoppedAt,
                              seconds: seconds, searches: searches)
    roundTrip(entry, zone, "a fuzzed entry")

    // After what a person wrote, with the separator `append` adds.
    let lead = handWritten.isEmpty || handWritten.hasSuffix("\n\n") ? "" : handWritten.hasSuffix("\n") ? "\n" : "\n\n"
    let journal = handWritten + lead + Journal.text(of: entry, timeZone: zone)
    let before = Journal.parse(handWritten, timeZone: zone)
    let after = Journal.parse(journal, timeZone: zone)
    guard after.count == before.count + 1, let read = after.last else {
        fatalError("after a hand-written journal of \(before.count) entries, one appended reads as \(after.count): \(journal.debugDescription)")
    }
    compare(read, entry, zone, "an entry appended to \(handWritten.debugDescription)")
}

/// What the journal can keep of an entry: its routine's name on one line, trimmed (when that
/// leaves a name; otherwise the entry is bodo's only by its other facts).
private func keepable(_ name: String) -> Bool {
    !name.isEmpty && !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        && name.trimmingCharacters(in: .whitespaces) == name
}

/// `exact: false` for an entry read from any text: its date may be outside 1900-9999 (years
/// before 1 are read but not written back the same), a search may round up to the hour the
/// reader drops, a place it stopped may be any text.
private func roundTrip(_ entry: Journal.Entry, _ zone: TimeZone, _ what: String, exact: Bool = true) {
    let text = Journal.text(of: entry, timeZone: zone)
    let back = Journal.parse(text, timeZone: zone)
    guard back.count == 1 else { fatalError("\(what), written, reads back as \(back.count) entries: \(text.debugDescription)") }
    compare(back[0], entry, zone, what, exact: exact)
    // The same journal with Windows line ends, as an editor may save it.
    let crlf = Journal.parse(text.replacingOccurrences(of: "\n", with: "\r\n"), timeZone: zone)
    guard crlf.count == 1 else { fatalError("\(what) with CRLF line ends reads as \(crlf.count) entries: \(text.debugDescription)") }
    compare(crlf[0], entry, zone, what + " with CRLF line ends", exact: exact)
    // Two in a row are two.
    guard Journal.parse(text + text, timeZone: zone).count == 2 else { fatalError("\(what) twice does not read as two: \(text.debugDescription)") }
}

private func compare(_ read: Journal.Entry, _ entry: Journal.Entry, _ zone: TimeZone, _ what: String, exact: Bool = true) {
    func problem(_ field: String) -> Never {
        fatalError("\(what) reads back with another \(field):\nwritten \(entry)\nread    \(read)\ntext \(Journal.text(of: entry, timeZone: zone).debugDescription)")
    }
    let years = Date(timeIntervalSince1970: -2_208_988_800)...Date(timeIntervalSince1970: 253_402_300_799)
    if exact || years.contains(entry.date), Journal.stamp(read.date, zone) != Journal.stamp(entry.date, zone) { problem("date") }
    if keepable(entry.routine), read.routine != entry.routine { problem("routine") }
    if read.side != entry.side { problem("side") }
    if read.completed != entry.completed { problem("outcome") }
    if exact || entry.stoppedAt.map(keepable) ?? true, read.stoppedAt != (entry.completed ? nil : entry.stoppedAt) { problem("place it stopped") }
    let close = { (a: Double, b: Double) in abs(a - b) <= 0.05 + abs(b) * 1e-12 }
    if !close(read.seconds, entry.seconds) { problem("length") }
    let searches = exact ? entry.searches : entry.searches.filter { $0.value < 3599.95 }
    if Set(read.searches.keys) != Set(searches.keys) || searches.contains(where: { !close(read.searches[$0.key]!, $0.value) }) {
        problem("searches")
    }
}
