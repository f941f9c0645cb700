import Foundation

/// The ID3v2.3 tag at the front of an MP3: title (TIT2), artist (TPE1), comment (COMM) and the
/// chapters (CHAP frames under one CTOC), which podcast players and ffprobe list.
///
/// Written by hand because nothing in Debian writes chapters: libsndfile's MP3 gets only an
/// ID3v1 tag, libid3tag reads, and TagLib's C interface has no chapter frames. The format is
/// small: a 10-byte header, then frames of a 10-byte header and a body (id3.org, ID3v2.3.0 and
/// the ID3v2 Chapter Frame Addendum).
enum ID3v2Tag {
    static func make(_ metadata: ExportMetadata) -> Data {
        var frames = textFrame("TIT2", metadata.title) + textFrame("TPE1", metadata.artist)
        frames += frame("COMM", Data([1]) + Data("eng".utf8) + utf16("") + utf16(metadata.comment))
        let chapters = metadata.chapters
        // A CTOC counts its children in one byte: it lists the first 255; every chapter still
        // has its CHAP frame, which is what players read.
        var toc = Data("toc".utf8) + Data([0, 0b11, UInt8(min(chapters.count, 255))])
        for index in chapters.indices.prefix(255) { toc += id(index) }
        frames += frame("CTOC", toc + textFrame("TIT2", "Chapters"))
        for (index, chapter) in chapters.enumerated() {
            let end = index + 1 < chapters.count ? chapters[index + 1].position : metadata.totalSamples
            var body = id(index) + be32(metadata.milliseconds(chapter.position)) + be32(metadata.milliseconds(end))
            body += be32(0xFFFF_FFFF) + be32(0xFFFF_FFFF) // byte offsets: unused, times rule
            frames += frame("CHAP", body + textFrame("TIT2", chapter.name))
        }
        return Data("ID3".utf8) + Data([3, 0, 0]) + syncsafe(frames.count) + frames
    }

    /// A chapter's element id: "chp1", "chp2"... with its terminating zero.
    private static func id(_ index: Int) -> Data { Data("chp\(index + 1)".utf8) + Data([0]) }

    /// Text as UTF-16 with a byte order mark (encoding 1), so any name survives.
    private static func textFrame(_ name: String, _ text: String) -> Data { frame(name, Data([1]) + utf16(text)) }

    private static func utf16(_ text: String) -> Data {
        var data = Data([0xFF, 0xFE])
        for unit in text.utf16 { data += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return data + Data([0, 0])
    }

    private static func frame(_ name: String, _ body: Data) -> Data {
        Data(name.utf8) + be32(body.count) + Data([0, 0]) + body
    }

    private static func be32(_ value: Int) -> Data {
        Data([UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    /// The tag's size in the header: 28 bits, seven to a byte.
    private static func syncsafe(_ value: Int) -> Data {
        Data([UInt8(value >> 21 & 0x7F), UInt8(value >> 14 & 0x7F), UInt8(value >> 7 & 0x7F), UInt8(value & 0x7F)])
    }
}
