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
        let audio = try Data(contentsOf: URL(fileURLWithPath: audioPath))
        try target.replace(with: Data(SessionPage.html(title: session.title, routine: session.routine, timeline: timeline, audio: audio).utf8))
        return timeline
    }
}
