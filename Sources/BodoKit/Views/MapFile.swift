import Foundation

/// Where `bodo map` writes: an SVG, or a PNG drawn from it by `rsvg-convert` (Debian
/// `librsvg2-bin`). Checked before anything is drawn, written whole or not at all.
public struct MapFile: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case svg, png
    }

    public let path: String
    public let format: Format
    private let target: OutputTarget

    public init(path: String, force: Bool = false) throws {
        self.path = path
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let ext = name.contains(".") ? String(name[name.index(after: name.lastIndex(of: ".")!)...]).lowercased() : ""
        target = try OutputTarget(path, force: force, example: "points.svg")
        guard let format = Format(rawValue: ext) else {
            let what = ext.isEmpty ? "no file type" : "unsupported file type \(excerpt("." + ext))"
            throw BodoError(at: .path(path), "\(what); end the name in .svg or .png")
        }
        self.format = format
    }

    public func refuseOverwriting(inputs: [String]) throws {
        try target.refuseOverwriting(inputs, named: path)
    }

    /// Writes the map (`BodyMap.svg`), converting it first for a PNG.
    public func write(svg: String) throws {
        switch format {
        case .svg: try target.replace(with: Data(svg.utf8))
        case .png: try target.replace(with: Self.png(from: svg, path: path))
        }
    }

    /// rsvg-convert draws the PNG: librsvg is the SVG renderer of Debian's desktop, and drawing
    /// text and curves by hand would be a second, worse renderer.
    static func png(from svg: String, path: String) throws -> Data {
        guard let converter = findExecutable("rsvg-convert") else {
            throw BodoError(.failure, at: .path(path), "a PNG needs rsvg-convert: install it (Debian: apt-get install librsvg2-bin), or write .svg")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        process.arguments = ["--format", "png", "--zoom", "2"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Fed from another thread: a large map would otherwise fill both pipes and stall. With
        // SIGPIPE ignored (`Bodo.main`), a converter that stops reading early makes this write
        // fail, and that is said below; FileHandle.write would stop the process instead.
        let fed = Locked<Int32>(0)
        let feederDone = DispatchSemaphore(value: 0)
        let feeder = Thread {
            defer { feederDone.signal() }
            let bytes = Array(svg.utf8)
            let done = bytes.withUnsafeBytes { writeAll(input.fileHandleForWriting.fileDescriptor, $0) }
            if !done { fed.withLock { $0 = errno } }
            try? input.fileHandleForWriting.close()
        }
        feeder.start()
        let png = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // The converter has gone, so the feeder's write has ended too (EPIPE at worst).
        _ = feederDone.wait(timeout: .now() + 10)
        let said = String(decoding: message.prefix(200), as: UTF8.self).split(separator: "\n").first.map { " " + excerpt(String($0)) } ?? ""
        guard process.terminationStatus == 0, png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw BodoError(.failure, at: .path(path), "rsvg-convert could not draw the map (status \(process.terminationStatus))\(said)")
        }
        // A PNG from half a map is no map.
        let feedError = fed.withLock { $0 }
        guard feedError == 0 else {
            throw BodoError(.failure, at: .path(path), "rsvg-convert stopped reading the map: \(String(cString: strerror(feedError)))\(said)")
        }
        return png
    }

    /// The first executable called `name` in $PATH.
    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where folder.hasPrefix("/") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
