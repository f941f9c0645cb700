// The fuzz target for the subtitle writers: a timeline from fuzzed steps (fuzz/FuzzTimeline.swift)
// written as WebVTT, SubRip and LRC, and each file read back by a small parser of that format's
// own rules, independent of the writer. Each must give exactly one cue per subtitle entry
// (`SubtitleFormat.entries`), at the entry's start, with one line of text that forges no
// structure; plain text (letters, digits, a few marks) comes back unchanged, and the title
// forges no LRC tag. Built and run by fuzz/run.sh (libFuzzer + AddressSanitizer).
@testable import BodoKit
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSubtitles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let session = fuzzSession(data, size) else { return 0 }
    let entries = SubtitleFormat.entries(session.timeline)
    let rate = session.timeline.sampleRate
    let expected = entries.map { (ms: $0.start * 1000 / rate, end: $0.end * 1000 / rate, text: $0.text) }
    checkSRT(SubtitleFormat.srt.render(session.timeline, title: session.title), expected)
    checkVTT(SubtitleFormat.vtt.render(session.timeline, title: session.title), expected)
    checkLRC(SubtitleFormat.lrc.render(session.timeline, title: session.title), entries.map { (cs: $0.start * 100 / rate, text: $0.text) },
             title: session.title)
    return 0
}

typealias Expected = [(ms: Int, end: Int, text: String)]

/// `HH:MM:SS,mmm` (SubRip) or `HH:MM:SS.mmm` (WebVTT) to milliseconds.
private func time(_ text: Substring, _ separator: Character) -> Int? {
    let scalars = Array(text)
    guard scalars.count == 12, scalars[2] == ":", scalars[5] == ":", scalars[8] == separator else { return nil }
    let fields = [text.prefix(2), text.dropFirst(3).prefix(2), text.dropFirst(6).prefix(2), text.suffix(3)]
    guard fields.allSatisfy({ $0.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
    let n = fields.map { Int($0)! }
    guard n[1] < 60, n[2] < 60 else { return nil }
    return ((n[0] * 60 + n[1]) * 60 + n[2]) * 1000 + n[3]
}

/// A timing line, as ffmpeg's SubRip reader finds one anywhere in the file: digits, colons and
/// a comma or dot, `-->`, the same again (anything may follow, such as positions).
private func looksLikeSRTTiming(_ line: String) -> Bool {
    guard let arrow = line.range(of: "-->") else { return false }
    let isTime = { (s: Substring) in
        let t = s.trimmingCharacters(in: .whitespaces)
        return t.count >= 7 && t.contains(":") && t.allSatisfy { ("0"..."9").contains($0) || $0 == ":" || $0 == "," || $0 == "." }
    }
    let after = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? ""
    return isTime(line[..<arrow.lowerBound]) && isTime(after)
}

private func checkText(_ format: String, _ index: Int, written: String, original: String, output: String) {
    if hasControl(written) { fail("\(format) cue \(index + 1): a control character in its text \(written.debugDescription)", output) }
    if isPlain(original), written != original {
        fail("\(format) cue \(index + 1): plain text \(original.debugDescription) came back as \(written.debugDescription)", output)
    }
}

/// SubRip: blocks separated by one blank line, each an index line (1, 2, ...), a timing line
/// `HH:MM:SS,mmm --> HH:MM:SS,mmm` and the text, one line (bodo's texts are one line each).
/// As ffmpeg reads the format, any line of the form of a timing line starts a cue.
private func checkSRT(_ output: String, _ expected: Expected) {
    let lines = readerLines(output)
    let timings = lines.filter(looksLikeSRTTiming).count
    if timings != expected.count { fail("SRT: \(timings) timing lines for \(expected.count) cues", output) }
    if expected.isEmpty, lines.isEmpty { return }
    let blocks = lines.split(separator: "", omittingEmptySubsequences: false)
    if blocks.count != expected.count {
        fail("SRT: \(blocks.count) blocks for \(expected.count) cues", output)
    }
    for (index, (block, cue)) in zip(blocks, expected).enumerated() {
        let block = Array(block)
        guard block.count == 3 else { fail("SRT cue \(index + 1): \(block.count) lines, not index, timing and one text line", output) }
        guard block[0] == String(index + 1) else { fail("SRT cue \(index + 1): index line \(block[0].debugDescription)", output) }
        let parts = block[1].components(separatedBy: " --> ")
        guard parts.count == 2, let start = time(parts[0][...], ","), let end = time(parts[1][...], ",") else {
            fail("SRT cue \(index + 1): timing line \(block[1].debugDescription)", output)
        }
        guard start == cue.ms, end == cue.end else { fail("SRT cue \(index + 1): \(start)-\(end) ms, written \(cue.ms)-\(cue.end)", output) }
        if block[2].trimmingCharacters(in: .whitespaces).isEmpty { fail("SRT cue \(index + 1): a blank text", output) }
        checkText("SRT", index, written: block[2], original: cue.text, output: output)
    }
}

/// WebVTT: `WEBVTT`, a blank line, then blocks separated by blank lines: an optional id line
/// (no `-->`), the timing line, the text (one line for bodo; a line with `-->` would end the
/// cue). `<` opens a tag and `&` a character reference, so the text has none bare.
private func checkVTT(_ output: String, _ expected: Expected) {
    var lines = readerLines(output)
    guard lines.first == "WEBVTT" else { fail("VTT: no WEBVTT header", output) }
    lines.removeFirst()
    guard lines.first == "" || lines.isEmpty else { fail("VTT: no blank line after the header", output) }
    let blocks = lines.dropFirst().split(separator: "", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    guard blocks.count == expected.count else { fail("VTT: \(blocks.count) blocks for \(expected.count) cues", output) }
    for (index, (block, cue)) in zip(blocks, expected).enumerated() {
        var block = Array(block)
        if let first = block.first, !first.contains("-->") { block.removeFirst() } // the cue's id
        guard block.count == 2 else { fail("VTT cue \(index + 1): \(block.count) lines after the id, not timing and one text line", output) }
        let parts = block[0].components(separatedBy: " --> ")
        guard parts.count == 2, let start = time(parts[0][...], "."), let end = time(parts[1][...], ".") else {
            fail("VTT cue \(index + 1): timing line \(block[0].debugDescription)", output)
        }
        guard start == cue.ms, end == cue.end else { fail("VTT cue \(index + 1): \(start)-\(end) ms, written \(cue.ms)-\(cue.end)", output) }
        let raw = block[1]
        if raw.contains("-->") { fail("VTT cue \(index + 1): `-->` in its text", output) }
        if raw.contains("<") { fail("VTT cue \(index + 1): a bare `<` (a tag) in its text", output) }
        // Character references: only these; anything else with `&` is not text.
        var decoded = "", rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            decoded += rest[..<amp]
            let tail = rest[amp...]
            guard let reference = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u{A0}", "&lrm;": "\u{200E}", "&rlm;": "\u{200F}"]
                .first(where: { tail.hasPrefix($0.key) }) else { fail("VTT cue \(index + 1): a bare `&` in its text", output) }
            decoded += reference.value
            rest = tail.dropFirst(reference.key.count)
        }
        decoded += rest
        if raw.trimmingCharacters(in: .whitespaces).isEmpty { fail("VTT cue \(index + 1): a blank text", output) }
        checkText("VTT", index, written: decoded, original: cue.text, output: output)
        // WebVTT escapes its markup, so any text without control characters comes back whole.
        if !hasControl(cue.text), decoded != cue.text {
            fail("VTT cue \(index + 1): \(cue.text.debugDescription) came back as \(decoded.debugDescription)", output)
        }
    }
}

/// An LRC time tag `[mm:ss.xx]` (players also take `[m:ss]`, `[mm:ss:xx]`, `[mm:ss.xxx]`) at
/// the front of `line`: its hundredths and its length, or nil.
private func lrcTimeTag(_ line: Substring) -> (cs: Int, length: Int)? {
    guard line.first == "[", let close = line.firstIndex(of: "]") else { return nil }
    let inside = line[line.index(after: line.startIndex)..<close]
    let fields = inside.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "." })
    guard (2...3).contains(fields.count), fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }) else { return nil }
    let fraction = fields.count == 3 ? Int(fields[2].prefix(2).padding(toLength: 2, withPad: "0", startingAt: 0))! : 0
    return ((Int(fields[0])! * 60 + Int(fields[1])!) * 100 + fraction, line.distance(from: line.startIndex, to: close) + 1)
}

/// An LRC id tag `[xx:...]` (letters, a colon) taking up the front of `line`.
private func lrcIDTag(_ line: Substring) -> (key: Substring, value: Substring, length: Int)? {
    guard line.first == "[", let close = line.firstIndex(of: "]"), let colon = line[..<close].firstIndex(of: ":") else { return nil }
    let key = line[line.index(after: line.startIndex)..<colon]
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter }) else { return nil }
    return (key, line[line.index(after: colon)..<close], line.distance(from: line.startIndex, to: close) + 1)
}

/// LRC: `[ti:...]` and `[ar:bodo]`, then one line per cue: one time tag and the text. Several
/// time tags on a line repeat it; a line without one is no cue.
private func checkLRC(_ output: String, _ expected: [(cs: Int, text: String)], title: String) {
    let lines = readerLines(output)
    guard lines.count == 2 + expected.count else { fail("LRC: \(lines.count) lines for 2 tags and \(expected.count) cues", output) }
    guard let ti = lrcIDTag(lines[0][...]), ti.key == "ti", ti.length == lines[0].count else {
        fail("LRC: the first line is not exactly one [ti:] tag: \(lines[0].debugDescription)", output)
    }
    if hasControl(String(ti.value)) { fail("LRC: a control character in the title", output) }
    if isPlain(String(title.dropFirst(6))), ti.value != title { fail("LRC: title \(title.debugDescription) came back as \(ti.value.debugDescription)", output) }
    guard lines[1] == "[ar:bodo]" else { fail("LRC: the second line is not [ar:bodo]", output) }
    for (index, (line, cue)) in zip(lines.dropFirst(2), expected).enumerated() {
        guard let tag = lrcTimeTag(line[...]) else { fail("LRC cue \(index + 1): no time tag in \(line.debugDescription)", output) }
        guard tag.cs == cue.cs else { fail("LRC cue \(index + 1): at \(tag.cs) cs, written \(cue.cs)", output) }
        let text = line.dropFirst(tag.length)
        if lrcTimeTag(text) != nil { fail("LRC cue \(index + 1): a second time tag, the line repeats: \(line.debugDescription)", output) }
        if lrcIDTag(text) != nil { fail("LRC cue \(index + 1): an id tag in its text: \(line.debugDescription)", output) }
        checkText("LRC", index, written: String(text), original: cue.text, output: output)
    }
}
