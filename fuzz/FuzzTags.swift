// The fuzz target for what an exported file says about itself: a timeline from fuzzed steps
// (fuzz/FuzzTimeline.swift) and a fuzzed title and comment become `ExportMetadata`, whose
// Vorbis comments, ID3v2 tag and WAV markers are each read back by a small reader here:
// - every Vorbis comment is KEY=value, the key of the characters the format allows, the value
//   free of control characters (C0, DEL, C1); TITLE, ARTIST and COMMENT once each;
// - the chapters, read by ffmpeg's rules (CHAPTERnnn and CHAPTERnnnNAME, where only three
//   digits count), are the metadata's first chapters, numbered 1, 2, ..., each once, at their
//   times; the ID3v2 tag has as many CHAP frames and its CTOC lists every one of them;
// - the ID3v2 tag parses: its header's size is its frames, every frame's size fits, each
//   CHAP's times lie within the file, every text decodes without control characters;
// - the WAV's cue and labl chunks fit the RIFF size and give each marker its position and name;
// and plain names (letters, digits, a few marks) come back unchanged everywhere.
// Built and run by fuzz/run.sh (libFuzzer + AddressSanitizer).
@testable import BodoKit
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTags(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let session = fuzzSession(data, size) else { return 0 }
    let metadata = ExportMetadata(title: session.title, comment: session.comment, timeline: session.timeline)
    let vorbis = checkVorbis(metadata)
    let id3 = checkID3(metadata)
    if vorbis != id3 { fatalError("Vorbis comments carry \(vorbis) chapters, the ID3v2 tag \(id3) of \(metadata.chapters.count)") }
    checkWAV(metadata)
    return 0
}

private func checkName(_ format: String, _ written: String, _ original: String) {
    if hasControl(written) { fatalError("\(format): a control character in \(written.debugDescription)") }
    if isPlain(original), written != original { fatalError("\(format): \(original.debugDescription) came back as \(written.debugDescription)") }
}

/// The number of chapters a reader finds.
private func checkVorbis(_ metadata: ExportMetadata) -> Int {
    let comments = metadata.vorbisComments
    var plain: [String: Int] = [:]
    var times: [Int: String] = [:], names: [Int: String] = [:]
    for (key, value) in comments {
        let line = "\(key)=\(value)".debugDescription
        // Vorbis: a key is 0x20-0x7D without '='.
        guard !key.isEmpty, key.unicodeScalars.allSatisfy({ (0x20...0x7D).contains($0.value) && $0 != "=" }) else {
            fatalError("Vorbis: a bad key in \(line)")
        }
        if hasControl(value) { fatalError("Vorbis: a control character in the value of \(line)") }
        let upper = key.uppercased()
        guard upper.hasPrefix("CHAPTER") else {
            guard ["TITLE", "ARTIST", "COMMENT"].contains(upper) else { fatalError("Vorbis: an unexpected comment \(line)") }
            plain[upper, default: 0] += 1
            continue
        }
        // ffmpeg (oggparsevorbis.c): sscanf(key + 7, "%03d"): at most three digits make the
        // number; a key of up to 10 characters is the time, a longer one ending NAME the name.
        let digits = upper.dropFirst(7).prefix(3)
        guard upper.count >= 9, let number = Int(digits.prefix { $0.isASCII && $0.isNumber }), !digits.isEmpty else {
            fatalError("Vorbis: a chapter key ffmpeg cannot number: \(line)")
        }
        if upper.count <= 10 {
            if times.updateValue(value, forKey: number) != nil { fatalError("Vorbis: chapter \(number)'s time twice, again in \(line)") }
        } else if upper.hasSuffix("NAME") {
            if names.updateValue(value, forKey: number) != nil { fatalError("Vorbis: chapter \(number)'s name twice, again in \(line)") }
        } else {
            fatalError("Vorbis: a chapter key ffmpeg ignores: \(line)")
        }
    }
    guard plain == ["TITLE": 1, "ARTIST": 1, "COMMENT": 1] else { fatalError("Vorbis: TITLE, ARTIST and COMMENT not once each: \(plain)") }
    checkName("Vorbis TITLE", comments.first { $0.key == "TITLE" }!.value, metadata.title)
    checkName("Vorbis COMMENT", comments.first { $0.key == "COMMENT" }!.value, metadata.comment)
    guard Set(times.keys) == Set(names.keys), Set(times.keys) == Set(1..<(times.count + 1)) else {
        fatalError("Vorbis: chapters numbered \(times.keys.sorted().prefix(20))..., named \(names.keys.sorted().prefix(20))...")
    }
    guard times.count <= metadata.chapters.count, times.count > 0 || metadata.chapters.isEmpty else {
        fatalError("Vorbis: \(times.count) chapters of \(metadata.chapters.count)")
    }
    for (index, chapter) in metadata.chapters.prefix(times.count).enumerated() {
        let ms = chapter.position * 1000 / metadata.sampleRate
        let clock = String(format: "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
        guard times[index + 1] == clock else { fatalError("Vorbis: chapter \(index + 1) at \(times[index + 1]!), not \(clock)") }
        checkName("Vorbis CHAPTER\(index + 1)NAME", names[index + 1]!, chapter.name)
    }
    return times.count
}

// MARK: ID3v2.3

private struct Frame {
    var id: String
    var body: [UInt8]
}

/// Frames one after another filling `bytes` exactly (no padding is written).
private func frames(_ bytes: ArraySlice<UInt8>, in place: String) -> [Frame] {
    var result: [Frame] = []
    var at = bytes.startIndex
    while at < bytes.endIndex {
        guard bytes.endIndex - at >= 10 else { fatalError("ID3v2: \(bytes.endIndex - at) stray bytes in \(place)") }
        let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
        guard id.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }) else { fatalError("ID3v2: frame id \(id.debugDescription) in \(place)") }
        let size = bytes[at + 4..<at + 8].reduce(0) { $0 << 8 | Int($1) }
        guard bytes[at + 8] == 0, bytes[at + 9] == 0 else { fatalError("ID3v2: flags on \(id)") }
        guard size >= 1, size <= bytes.endIndex - at - 10 else { fatalError("ID3v2: \(id)'s size \(size) runs past \(place)") }
        result.append(Frame(id: id, body: Array(bytes[at + 10..<at + 10 + size])))
        at += 10 + size
    }
    return result
}

/// Text in encoding 1 (UTF-16 with a byte order mark), ending in a zero: the text and the rest.
private func utf16(_ bytes: ArraySlice<UInt8>, _ place: String) -> (String, ArraySlice<UInt8>) {
    guard bytes.count >= 4, bytes.prefix(2).elementsEqual([0xFF, 0xFE]) else { fatalError("ID3v2: \(place) has no byte order mark") }
    var units: [UInt16] = [], at = bytes.startIndex + 2
    while true {
        guard at + 1 < bytes.endIndex else { fatalError("ID3v2: \(place)'s text has no terminating zero") }
        let unit = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        at += 2
        if unit == 0 { break }
        units.append(unit)
    }
    var text = ""
    guard !transcode(units.makeIterator(), from: UTF16.self, to: UTF32.self, stoppingOnError: true, into: { text.unicodeScalars.append(Unicode.Scalar($0)!) }) else {
        fatalError("ID3v2: \(place)'s text is not UTF-16")
    }
    return (text, bytes[at...])
}

private func textFrame(_ frame: Frame, _ place: String) -> String {
    guard frame.body.first == 1 else { fatalError("ID3v2: \(place) is not in encoding 1") }
    let (text, rest) = utf16(frame.body.dropFirst(), place)
    guard rest.isEmpty else { fatalError("ID3v2: \(rest.count) bytes after \(place)'s text") }
    return text
}

private func be32(_ bytes: ArraySlice<UInt8>) -> Int { bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) } }

/// A zero-terminated Latin-1 element id and the rest.
private func elementID(_ bytes: ArraySlice<UInt8>, _ place: String) -> (String, ArraySlice<UInt8>) {
    guard let zero = bytes.firstIndex(of: 0), zero > bytes.startIndex else { fatalError("ID3v2: \(place) has no element id") }
    return (String(decoding: bytes[..<zero], as: UTF8.self), bytes[(zero + 1)...])
}

/// The number of CHAP frames.
private func checkID3(_ metadata: ExportMetadata) -> Int {
    let tag = [UInt8](ID3v2Tag.make(metadata))
    guard tag.count >= 10, tag.prefix(5).elementsEqual([0x49, 0x44, 0x33, 3, 0]), tag[5] == 0 else { fatalError("ID3v2: not a v2.3 header without flags") }
    guard tag[6..<10].allSatisfy({ $0 < 0x80 }) else { fatalError("ID3v2: the header's size is not syncsafe") }
    let size = tag[6..<10].reduce(0) { $0 << 7 | Int($1) }
    guard size == tag.count - 10 else { fatalError("ID3v2: the header says \(size) bytes of frames, the tag has \(tag.count - 10)") }
    let all = frames(tag[10...], in: "the tag")
    let totalMs = metadata.totalSamples * 1000 / metadata.sampleRate
    var chapterIDs: [String] = []
    var counts: [String: Int] = [:]
    var toc: [String]?
    for frame in all {
        counts[frame.id, default: 0] += 1
        switch frame.id {
        case "TIT2": checkName("ID3v2 TIT2", textFrame(frame, "TIT2"), metadata.title)
        case "TPE1": checkName("ID3v2 TPE1", textFrame(frame, "TPE1"), metadata.artist)
        case "COMM":
            guard frame.body.count >= 4, frame.body[0] == 1, frame.body[1...3].elementsEqual("eng".utf8) else { fatalError("ID3v2: COMM's header") }
            let (_, rest) = utf16(frame.body[4...], "COMM's description")
            let (text, after) = utf16(rest, "COMM")
            guard after.isEmpty else { fatalError("ID3v2: bytes after COMM's text") }
            checkName("ID3v2 COMM", text, metadata.comment)
        case "CTOC":
            guard toc == nil else { fatalError("ID3v2: two CTOC frames") }
            let (_, rest) = elementID(frame.body[...], "CTOC")
            guard rest.count >= 2 else { fatalError("ID3v2: CTOC cut short") }
            var children: [String] = [], at = rest.dropFirst(2)
            for _ in 0..<Int(rest[rest.startIndex + 1]) {
                let (child, next) = elementID(at, "a CTOC child")
                children.append(child)
                at = next
            }
            for sub in frames(at, in: "CTOC") where sub.id == "TIT2" { checkName("ID3v2 CTOC TIT2", textFrame(sub, "CTOC's TIT2"), "Chapters") }
            toc = children
        case "CHAP":
            let (id, rest) = elementID(frame.body[...], "CHAP")
            guard rest.count >= 16 else { fatalError("ID3v2: CHAP \(id) cut short") }
            let start = be32(rest), end = be32(rest.dropFirst(4))
            guard start <= end, end <= totalMs else { fatalError("ID3v2: CHAP \(id) from \(start) to \(end) ms in a file of \(totalMs)") }
            let index = chapterIDs.count
            guard index < metadata.chapters.count, start == metadata.chapters[index].position * 1000 / metadata.sampleRate else {
                fatalError("ID3v2: CHAP \(id) at \(start) ms is not chapter \(index + 1)")
            }
            let subs = frames(rest.dropFirst(16), in: "CHAP \(id)")
            guard subs.count == 1, subs[0].id == "TIT2" else { fatalError("ID3v2: CHAP \(id) has \(subs.map(\.id)), not one TIT2") }
            checkName("ID3v2 CHAP \(id) TIT2", textFrame(subs[0], "CHAP's TIT2"), metadata.chapters[index].name)
            chapterIDs.append(id)
        default: fatalError("ID3v2: an unexpected frame \(frame.id)")
        }
    }
    guard counts["TIT2"] == 1, counts["TPE1"] == 1, counts["COMM"] == 1 else { fatalError("ID3v2: frames \(counts)") }
    guard Set(chapterIDs).count == chapterIDs.count else { fatalError("ID3v2: two CHAP frames with one id") }
    if !chapterIDs.isEmpty || toc != nil {
        guard let toc else { fatalError("ID3v2: CHAP frames without a CTOC") }
        guard toc == chapterIDs else { fatalError("ID3v2: the CTOC lists \(toc.count) chapters, the tag has \(chapterIDs.count) CHAP frames") }
    }
    return chapterIDs.count
}

// MARK: WAV

/// A scratch file, unlinked, reached again by its /proc path.
private let scratch: Int32 = {
    var template = Array("/tmp/bodo-fuzz-wav-XXXXXX".utf8CString)
    let fd = mkstemp(&template)
    precondition(fd >= 0)
    unlink(template)
    return fd
}()

private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }

private func checkWAV(_ metadata: ExportMetadata) {
    // A finished mono 16-bit WAV of four samples.
    let format: [UInt8] = [1, 0, 1, 0] + le32(metadata.sampleRate) + le32(metadata.sampleRate * 2) + [2, 0, 16, 0]
    let body = Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16) + format + Array("data".utf8) + le32(8) + [UInt8](repeating: 0, count: 8)
    let wav = Array("RIFF".utf8) + le32(body.count) + body
    guard ftruncate(scratch, 0) == 0, pwrite(scratch, wav, wav.count, 0) == wav.count else { fatalError("cannot write the scratch WAV") }
    do {
        try WAVMarkers.append(metadata.markers, toDescriptor: scratch, path: "fuzz.wav")
    } catch {
        // Only a position beyond 32 bits may be refused, and a day of samples never is.
        fatalError("WAVMarkers refused: \(error)")
    }
    let size = Int(lseek(scratch, 0, SEEK_END))
    var file = [UInt8](repeating: 0, count: size)
    guard pread(scratch, &file, size, 0) == size else { fatalError("cannot read the scratch WAV") }
    let u32 = { (at: Int) in Int(file[at]) | Int(file[at + 1]) << 8 | Int(file[at + 2]) << 16 | Int(file[at + 3]) << 24 }
    guard u32(4) == size - 8 else { fatalError("WAV: RIFF size \(u32(4)) in a file of \(size)") }
    var at = 12, cues: [Int: Int] = [:], labels: [Int: String] = [:]
    while at < size {
        guard at + 8 <= size else { fatalError("WAV: a chunk header cut short") }
        let id = String(decoding: file[at..<at + 4], as: UTF8.self), length = u32(at + 4)
        guard at + 8 + length <= size else { fatalError("WAV: chunk \(id) runs past the file") }
        if id == "cue " {
            let count = u32(at + 8)
            guard length == 4 + 24 * count else { fatalError("WAV: cue chunk of \(length) bytes for \(count) points") }
            for point in 0..<count {
                let entry = at + 12 + 24 * point
                guard cues.updateValue(u32(entry + 4), forKey: u32(entry)) == nil else { fatalError("WAV: cue id \(u32(entry)) twice") }
                guard u32(entry + 4) == u32(entry + 20) else { fatalError("WAV: cue \(u32(entry)) position and sample offset differ") }
            }
        } else if id == "LIST", length >= 4, String(decoding: file[at + 8..<at + 12], as: UTF8.self) == "adtl" {
            var sub = at + 12
            while sub < at + 8 + length {
                guard sub + 8 <= at + 8 + length else { fatalError("WAV: a labl header cut short") }
                let subLength = u32(sub + 4)
                guard String(decoding: file[sub..<sub + 4], as: UTF8.self) == "labl", subLength >= 5,
                      sub + 8 + subLength <= at + 8 + length else { fatalError("WAV: a bad adtl entry") }
                let text = file[sub + 12..<sub + 8 + subLength]
                guard text.last == 0, text.firstIndex(of: 0) == text.endIndex - 1 else { fatalError("WAV: a label not one zero-terminated string") }
                guard labels.updateValue(String(decoding: text.dropLast(), as: UTF8.self), forKey: u32(sub + 8)) == nil else { fatalError("WAV: a label twice") }
                sub += 8 + subLength + subLength % 2
            }
        }
        at += 8 + length + length % 2
    }
    guard at == size else { fatalError("WAV: chunks end at \(at), the file at \(size)") }
    guard cues.count == metadata.markers.count, labels.count == cues.count else {
        fatalError("WAV: \(cues.count) cue points and \(labels.count) labels for \(metadata.markers.count) markers")
    }
    let names = try! WAVMarkers.names(inFileAt: "/proc/self/fd/\(scratch)")
    for (index, marker) in metadata.markers.enumerated() {
        guard cues[index + 1] == marker.position else { fatalError("WAV: cue \(index + 1) at \(cues[index + 1] ?? -1), not \(marker.position)") }
        checkName("WAV label \(index + 1)", labels[index + 1]!, marker.name)
        guard names[UInt32(index + 1)] == labels[index + 1] else { fatalError("WAVMarkers.names reads label \(index + 1) differently") }
    }
}
