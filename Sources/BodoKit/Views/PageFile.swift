import Foundation

/// Where `bodo page` writes: one .html file, checked before anything is made, written whole or
/// not at all.
public struct PageFile: Sendable {
    public let path: String
    private let target: OutputTarget

    public init(path: String, force: Bool = false) throws {
        self.path = path
        target = try OutputTarget(path, force: force, example: "session.html")
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let ext = name.contains(".") ? String(name[name.index(after: name.lastIndex(of: ".")!)...]).lowercased() : ""
        guard ext == "html" || ext == "htm" else {
            let what = ext.isEmpty ? "no file type" : "unsupported file type \(excerpt("." + ext))"
            throw BodoError(at: .path(path), "\(what); end the name in .html")
        }
    }

    public func refuseOverwriting(inputs: [String]) throws {
        try target.refuseOverwriting(inputs, named: path)
    }

    /// Exports the session's audio (`SessionPage.audioFormat`) into a temporary folder beside
    /// the page, then writes the page around it. `progress` and `range` are the export's.
    /// Returns the timeline the page was made from.
    ///
    /// The folder is named as every temporary file of bodo's is (`.NAME.bodo-PID-XXXXXX`), so
    /// if bodo is killed while it works, the next run to the same page removes it.
    @discardableResult
    public func write(_ session: Session, range: Range<Int>? = nil, comment: String = "",
                      progress: ((Int) throws -> Void)? = nil) throws -> Timeline {
        target.removeAbandonedTemporaryFiles()
        let folder = try target.makeTemporaryFolder()
        let audioPath = folder + "/session." + SessionPage.audioFormat.rawValue
        defer { OutputTarget.removeFolder(folder) }
        let timeline = try AudioFileExporter(path: audioPath).export(session, range: range, comment: comment, progress: progress)
        let (head, tail) = SessionPage.around(title: session.title, routine: session.routine, timeline: timeline)
        guard let audio = withSystemPath(audioPath, { fopen($0, "rb") }) else {
            throw BodoError(.failure, at: .path(audioPath), "cannot read the page's audio: \(systemError())")
        }
        defer { fclose(audio) }
        try target.stage { fd in
            guard writeAll(fd, Data(head.utf8)) else { return false }
            // Whole groups of 3 bytes encode to the same base64 as the whole file does, so the
            // audio goes through one block at a time.
            var block = [UInt8](repeating: 0, count: 3 << 15)
            while true {
                let read = fread(&block, 1, block.count, audio)
                if read == 0 { break }
                guard writeAll(fd, Data(block[..<read]).base64EncodedData()) else { return false }
                if read < block.count { break }
            }
            return ferror(audio) == 0 && writeAll(fd, Data(tail.utf8))
        }.commit()
        return timeline
    }
}
