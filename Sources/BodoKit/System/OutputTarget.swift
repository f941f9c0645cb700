import CLinuxShims
import Foundation

/// Where an export really goes, worked out before a sample is rendered.
///
/// The name as typed can mislead: `lnk/../x.wav` lies where the link points, and `x.wav` may
/// itself be a link. A temporary file made in the folder as typed could then be on another file
/// system than the target, and the final rename would fail after all the work. So the folder is
/// resolved as the kernel resolves it (realpath), a final link is followed to its file, and the
/// temporary file is made beside that.
struct OutputTarget {
    /// The resolved file to replace or create, and its folder.
    let file: String
    let folder: String
    let name: String
    /// The file being replaced, if there is one: its mode and owner carry over.
    let existing: stat?

    /// `example` is a name of the kind the command writes, for messages ("session.html").
    init(_ path: String, force: Bool, example: String) throws {
        let slash = path.lastIndex(of: "/")
        let given = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !given.isEmpty, given != ".", given != ".." else {
            throw BodoError(at: .path(path), "is a folder; give a file name such as \(example)")
        }
        // The final rename would fail only after the whole session was rendered.
        guard RawBytes.encode(given).count <= 255 else {
            throw BodoError(at: .path(path), "the file name is longer than the 255 bytes a name may have")
        }
        let typedFolder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let folder = try Self.realpath(typedFolder) { reason in
            reason == ENOENT ? "the folder \(typedFolder.escapedForTerminal) does not exist"
                : "the folder \(typedFolder.escapedForTerminal) cannot be used: \(String(cString: strerror(reason)))"
        }
        var file = (folder == "/" ? "" : folder) + "/" + given
        var status = stat()
        if withSystemPath(file, { lstat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFLNK {
            // A link that leads somewhere realpath cannot name (/dev/stdout on a pipe leads to
            // "pipe:[123]") is not a dangling link: say what it is.
            let leadsSomewhere = withSystemPath(file, { stat($0, &status) }) == 0
            file = try Self.realpath(file) { _ in
                leadsSomewhere ? "is not a regular file (a device, pipe or socket); give a file name such as \(example)"
                    : "is a link to a file that does not exist"
            }
        }
        let cut = file.lastIndex(of: "/")!
        self.file = file
        self.folder = cut == file.startIndex ? "/" : String(file[..<cut])
        name = String(file[file.index(after: cut)...])

        if withSystemPath(file, { stat($0, &status) }) == 0 {
            if status.st_mode & S_IFMT == S_IFDIR {
                throw BodoError(at: .path(path), "is a folder; give a file name such as \(example)")
            }
            // Renaming over a device or a pipe would replace it with a plain file (as root, even
            // /dev/full): only ever replace regular files.
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw BodoError(at: .path(path), "is not a regular file (a device, pipe or socket); give a file name such as \(example)")
            }
            // As cp does, a file that may not be written is not replaced; root's access() says
            // yes to everything, so a file with no write bit at all counts as read-only too.
            let readOnly = withSystemPath(file, { access($0, W_OK) }) != 0 || status.st_mode & 0o222 == 0
            if readOnly, !force {
                throw BodoError(at: .path(path), "is read-only, so bodo leaves it alone (--force replaces it anyway)")
            }
            existing = status
        } else {
            existing = nil
        }
        guard withSystemPath(self.folder, { access($0, W_OK) }) == 0 else {
            throw BodoError(at: .path(path), "cannot write in the folder \(self.folder.escapedForTerminal) (permission denied)")
        }
    }

    /// Refuses a target that is one of the session's own input files (`out.wav` a link to the
    /// script, say): an export must never destroy what it is made from.
    func refuseOverwriting(_ inputs: [String], named path: String) throws {
        if let input = inputs.first(where: isSameFile) {
            throw BodoError(at: .path(path), "is \(input.escapedForTerminal), which this export reads; give another name")
        }
    }

    /// Whether writing here would replace `path` (the same file, through any link or name):
    /// an export must never overwrite the script or voice it is made from.
    func isSameFile(as path: String) -> Bool {
        guard let existing else { return false }
        var other = stat()
        guard withSystemPath(path, { stat($0, &other) }) == 0 else { return false }
        return other.st_dev == existing.st_dev && other.st_ino == existing.st_ino
    }

    private static func realpath(_ path: String, problem: (Int32) -> String) throws -> String {
        guard let resolved = withSystemPath(path, { Foundation.realpath($0, nil) }) else {
            throw BodoError(at: .path(path), problem(errno))
        }
        defer { free(resolved) }
        let bytes = Array(UnsafeBufferPointer(start: resolved, count: strlen(resolved))).map { UInt8(bitPattern: $0) }
        guard let text = RawBytes.decode(bytes) else {
            throw BodoError(at: .path(path), "resolves to a name bodo cannot handle")
        }
        return text
    }

    /// Refuses to write `other` and this in one run when they are the same file (`x.vtt` a
    /// link to `x.wav`): the second would overwrite the first.
    func refuseSharing(with other: OutputTarget, named path: String, otherNamed otherPath: String) throws {
        var same = file == other.file
        if let mine = existing, let theirs = other.existing { same = same || (mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino) }
        if same {
            throw BodoError(at: .path(path), "is \(otherPath.escapedForTerminal), which this run also writes; give another name")
        }
    }

    /// Replaces the file with `data` as an export replaces its audio: a temporary file beside
    /// it, renamed into place only when complete, with the replaced file's permissions.
    func replace(with data: Data) throws {
        try stage(data).commit()
    }

    /// A complete file written beside its target, not yet in place: several outputs of one
    /// run (the audio and its subtitles) are all staged first, then all put in place, so a
    /// failure in any leaves every target as it was.
    struct Staged {
        let target: OutputTarget
        let temporary: String

        /// Renames it over the target.
        func commit() throws {
            guard target.putInPlace(temporary) else {
                discard()
                throw BodoError(at: .path(target.file), "cannot replace the file: \(systemError())")
            }
        }

        func discard() {
            withSystemPath(temporary) { _ = unlink($0) }
        }
    }

    /// Renames a complete temporary file over the target; false (with errno) if it could not.
    ///
    /// Renaming over a file drops its last link, and the kernel frees its blocks inside the
    /// rename: 13 to 15 ms for a 45 MB WAV on ext4, against 0.1 ms onto a new name, and the
    /// person waits for it. So a large replaced file first gets a second, hidden name beside it
    /// (the temporary files' pattern, so an export killed in between leaves nothing the next one
    /// does not remove), the rename only moves a name, and a detached process unlinks the old
    /// file after bodo is done. The new file was fsynced before: durability is unchanged.
    func putInPlace(_ temporary: String) -> Bool {
        var aside: String?
        if let existing, existing.st_nlink == 1, Int(existing.st_blocks) * 512 >= Self.freedInTheBackground {
            let name = temporary + "-old"
            if withSystemPath(file, { from in withSystemPath(name) { link(from, $0) } }) == 0 { aside = name }
        }
        guard withSystemPath(temporary, { from in withSystemPath(file) { rename(from, $0) } }) == 0 else {
            let reason = errno
            if let aside { withSystemPath(aside) { _ = unlink($0) } }
            errno = reason
            return false
        }
        if let aside, withSystemPath(aside, { bodo_unlink_detached($0) }) != 0 {
            withSystemPath(aside) { _ = unlink($0) }
        }
        return true
    }

    /// Below this, two forks cost about what freeing the blocks does (measured on ext4 here: 1 MB
    /// frees in 0.5 ms, 4 MB in 1.3 ms, 45 MB in 12.4 ms).
    static let freedInTheBackground = 4 << 20

    func stage(_ data: Data) throws -> Staged {
        try stage { fd in data.withUnsafeBytes { writeAll(fd, $0) } }
    }

    /// Stages what `write` puts into the temporary file's descriptor; `write` returns false
    /// (with errno) when a write failed.
    func stage(writing write: (Int32) throws -> Bool) throws -> Staged {
        removeAbandonedTemporaryFiles()
        let (fd, temporary) = try makeTemporaryFile()
        defer { close(fd) }
        let staged = Staged(target: self, temporary: temporary)
        do {
            guard try write(fd), fsync(fd) == 0 else {
                throw BodoError(.failure, at: .path(file), "writing failed: \(systemError())")
            }
            try keepPermissions(fd)
        } catch {
            staged.discard()
            throw error
        }
        return staged
    }

    /// The replaced file's permissions and owner (an 0600 file stays private), never its
    /// setuid, setgid or sticky bits; a new file gets the permissions any new file would.
    /// (mkstemp made the temporary file 0600.)
    func keepPermissions(_ fd: Int32) throws {
        if let existing {
            _ = fchown(fd, existing.st_uid, existing.st_gid)
            fchmod(fd, existing.st_mode & 0o777)
        } else {
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
        }
    }

    // MARK: Temporary files

    /// Temporary files are `.NAME.bodo-PID-XXXXXX`: hidden beside the target, marked with the
    /// process that writes them, and cut so the whole name stays within NAME_MAX (255 bytes)
    /// even when the target's own name is as long as a name may be.
    var temporaryPrefix: [UInt8] {
        let suffix = Array(".bodo-".utf8)
        let room = 255 - 1 - suffix.count - 10 - 1 - 6 // ".", pid (at most 10 digits), "-", XXXXXX
        return [UInt8(ascii: ".")] + RawBytes.encode(name).prefix(room) + suffix
    }

    /// Makes the temporary file; returns its descriptor and path.
    func makeTemporaryFile() throws -> (fd: Int32, path: String) {
        var template = (RawBytes.encode(folder == "/" ? "" : folder) + [UInt8(ascii: "/")] + temporaryPrefix
            + Array("\(getpid())-XXXXXX".utf8)).map { CChar(bitPattern: $0) } + [0]
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw BodoError(at: .path(file), "cannot create a temporary file beside it: \(systemError())")
        }
        let bytes = template.dropLast().map { UInt8(bitPattern: $0) }
        return (fd, RawBytes.decode(bytes) ?? "")
    }

    /// A temporary folder of the same name as a temporary file, for work that makes files of
    /// its own (the page's audio); `removeAbandonedTemporaryFiles` removes it too.
    func makeTemporaryFolder() throws -> String {
        var template = (RawBytes.encode(folder == "/" ? "" : folder) + [UInt8(ascii: "/")] + temporaryPrefix
            + Array("\(getpid())-XXXXXX".utf8)).map { CChar(bitPattern: $0) } + [0]
        guard mkdtemp(&template) != nil else {
            throw BodoError(.failure, at: .path(file), "cannot create a temporary folder beside it: \(systemError())")
        }
        return RawBytes.decode(template.dropLast().map { UInt8(bitPattern: $0) }) ?? ""
    }

    /// Removes a temporary folder and the files in it (it holds no folders).
    static func removeFolder(_ path: String) {
        if let dir = withSystemPath(path, { opendir($0) }) {
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                if name != ".", name != ".." { withSystemPath(path + "/" + name) { _ = unlink($0) } }
            }
            closedir(dir)
        }
        withSystemPath(path) { _ = rmdir($0) }
    }

    /// An export killed outright (SIGKILL, a power cut) cannot remove its temporary file; the
    /// next export to the same name does, once the process that wrote it is gone.
    func removeAbandonedTemporaryFiles() {
        let prefix = temporaryPrefix
        guard let dir = withSystemPath(folder, { opendir($0) }) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            // d_name is declared 256 bytes, but an entry is only as long as its name: read up to
            // the NUL through a pointer, never a copy of the whole field (memcheck saw that read
            // bytes past the entry).
            let entryName = withUnsafePointer(to: &entry.pointee.d_name) { field in
                field.withMemoryRebound(to: UInt8.self, capacity: 1) { Array(UnsafeBufferPointer(start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))) }
            }
            guard entryName.starts(with: prefix),
                  let pid = Int32(String(decoding: entryName.dropFirst(prefix.count).prefix { $0 != UInt8(ascii: "-") }, as: UTF8.self)),
                  pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            let full = RawBytes.encode(folder == "/" ? "" : folder) + [UInt8(ascii: "/")] + entryName
            let removed = (full.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { unlink($0.baseAddress!) }
            if removed != 0, errno == EISDIR, let path = RawBytes.decode(full) { Self.removeFolder(path) }
        }
    }
}
