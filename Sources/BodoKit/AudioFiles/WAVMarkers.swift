import Foundation

/// Named cue markers in a WAV file.
///
/// libsndfile writes cue points only before the first sample and never their names, but bodo
/// knows where a point begins only once the speech before it exists, which is after writing has
/// started. So, once libsndfile has finished the file, this appends the two chunks that players
/// and editors read (Audacity, ocenaudio, Reaper, and libsndfile itself): `cue ` with the
/// positions and `LIST`/`adtl` with a `labl` name for each, then fixes the RIFF size.
public enum WAVMarkers {
    /// The file must be a finished little-endian WAV whose chunks end at the end of the file.
    /// `path` only names the file in messages.
    public static func append(_ markers: [Chapter], toDescriptor fd: Int32, path: String) throws {
        guard !markers.isEmpty else { return }
        var cue = le(UInt32(markers.count))
        var labels = Data("adtl".utf8)
        for (offset, marker) in markers.enumerated() {
            // Sessions are limited to a day, so positions always fit; check rather than trap.
            guard let position = UInt32(exactly: marker.position) else {
                throw BodoError(.failure, at: .path(path), "a marker lies beyond what a WAV file can address")
            }
            let id = UInt32(offset + 1)
            // id, position, data chunk id, chunk start, block start, sample offset
            cue += le(id) + le(position) + Data("data".utf8) + le(0) + le(0) + le(position)
            var name = Data(marker.name.utf8)
            name.append(0)
            labels += chunk("labl", le(id) + name)
        }
        let tail = chunk("cue ", cue) + chunk("LIST", labels)
        let end = lseek(fd, 0, SEEK_END)
        guard end >= 0, let riffSize = UInt32(exactly: Int(end) + tail.count - 8) else {
            throw BodoError(.failure, at: .path(path), "the file is too large for WAV's 4 GiB limit")
        }
        guard writeAll(fd, tail, at: off_t(end)), writeAll(fd, le(riffSize), at: 4) else {
            throw BodoError(.failure, at: .path(path), "cannot add the markers: \(systemError())")
        }
    }

    /// Cue id -> name, from every `labl` entry in the file.
    public static func names(inFileAt path: String) throws -> [UInt32: String] {
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
