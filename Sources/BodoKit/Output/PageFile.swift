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

    /// Exports the session's audio (`SessionPage.audioFormat`) into a private temporary folder,
    /// then writes the page around it. `progress` and `range` are the export's. Returns the
    /// timeline the page was made from.
    @discardableResult
    public func write(_ session: Session, range: Range<Int>? = nil, comment: String = "",
                      progress: ((Int) throws -> Void)? = nil) throws -> Timeline {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        var template = Array("\(base)/bodo-page-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw BodoError(.failure, at: .path(path), "cannot make a temporary folder in \(base.escapedForTerminal): \(systemError())")
        }
        let folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let audioPath = folder + "/session." + SessionPage.audioFormat.rawValue
        defer {
            unlink(audioPath)
            rmdir(folder)
        }
        let timeline = try AudioFileExporter(path: audioPath).export(session, range: range, comment: comment, progress: progress)
        let audio = try Data(contentsOf: URL(fileURLWithPath: audioPath))
        try target.replace(with: Data(SessionPage.html(title: session.title, routine: session.readableRoutine, timeline: timeline, audio: audio).utf8))
        return timeline
    }
}
