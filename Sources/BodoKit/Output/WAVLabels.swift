import Foundation

/// Names for a WAV file's cue markers.
///
/// libsndfile writes the positions of cue points but not their names; editors (Audacity,
/// ocenaudio, Reaper) read names from a `LIST`/`adtl` chunk of `labl` entries. This adds that
/// chunk after libsndfile has finished the file, and reads it back.
public enum WAVLabels {
    /// Appends a `LIST adtl` chunk naming cue `id`s and fixes the RIFF size. The file must be a
    /// finished little-endian WAV whose chunks end at the end of the file.
    public static func append(_ labels: [(id: UInt32, name: String)], toFileAt path: String) throws {
        var body = Data("adtl".utf8)
        for (id, name) in labels {
            var text = Data(name.utf8)
            text.append(0)
            body.append(chunk("labl", le(id) + text))
        }
        let list = chunk("LIST", body)
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw BodoError(.failure, at: .path(path), "cannot reopen the file to name its markers")
        }
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        try handle.write(contentsOf: list)
        try handle.seek(toOffset: 4)
        try handle.write(contentsOf: le(UInt32(end + UInt64(list.count) - 8)))
    }

    /// Cue id -> name, from every `labl` entry in the file.
    public static func read(fromFileAt path: String) throws -> [UInt32: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var names: [UInt32: String] = [:]
        var offset = 12
        while offset + 8 <= data.count {
            let id = String(decoding: data[offset..<offset + 4], as: UTF8.self)
            let size = Int(u32(data, offset + 4))
            let start = offset + 8
            guard start + size <= data.count else { break }
            if id == "LIST", size >= 4, String(decoding: data[start..<start + 4], as: UTF8.self) == "adtl" {
                var sub = start + 4
                while sub + 8 <= start + size {
                    let subID = String(decoding: data[sub..<sub + 4], as: UTF8.self)
                    let subSize = Int(u32(data, sub + 4))
                    if subID == "labl", subSize >= 4, sub + 8 + subSize <= data.count {
                        let text = data[(sub + 12)..<(sub + 8 + subSize)].prefix { $0 != 0 }
                        names[u32(data, sub + 8)] = String(decoding: text, as: UTF8.self)
                    }
                    sub += 8 + subSize + subSize % 2
                }
            }
            offset = start + size + size % 2
        }
        return names
    }

    private static func chunk(_ id: String, _ body: Data) -> Data {
        var data = Data(id.utf8) + le(UInt32(body.count)) + body
        if body.count % 2 == 1 { data.append(0) }
        return data
    }

    private static func le(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }

    private static func u32(_ data: Data, _ offset: Int) -> UInt32 {
        data[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
