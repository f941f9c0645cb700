import Foundation

/// Finds routine scripts and voice profiles by name or path.
///
/// A name is looked up in `$XDG_CONFIG_HOME/bodo/scripts` (or `~/.config/...`) first, so a user can
/// shadow a built-in routine, then among the files built into the binary from `scripts/` and
/// `voices/`. Anything with a slash or a `.yaml` ending is a path.
public struct Library: Sendable {
    public enum Kind: String, Sendable {
        case scripts, voices

        var embedded: [String: String] { self == .scripts ? EmbeddedFiles.scripts : EmbeddedFiles.voices }
        var option: String { self == .scripts ? "--script" : "--voice" }
    }

    public var configDirectory: URL?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            configDirectory = URL(fileURLWithPath: xdg).appendingPathComponent("bodo")
        } else if let home = environment["HOME"], !home.isEmpty {
            configDirectory = URL(fileURLWithPath: home).appendingPathComponent(".config/bodo")
        }
    }

    public static let defaultScript = "back"
    public static let defaultVoice = "default"

    /// The file a script or profile name stands for, as `find` would read it (the name itself
    /// for a path or a built-in), for the checks that no output overwrites an input.
    public func path(_ kind: Kind, _ nameOrPath: String) -> String {
        Self.isPath(nameOrPath) ? nameOrPath : userFile(kind, nameOrPath) ?? nameOrPath
    }

    /// A name with a slash or a YAML extension is a path, read as it is; anything else is a name.
    static func isPath(_ nameOrPath: String) -> Bool {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
    }

    /// The user's own file for `name` in $XDG_CONFIG_HOME/bodo, if there is one. lstat, not
    /// fileExists: a link whose file is gone is the user's file all the same, and reading it
    /// says so, instead of "no voice named" a name the list then shows.
    private func userFile(_ kind: Kind, _ name: String) -> String? {
        guard let dir = configDirectory?.appendingPathComponent(kind.rawValue) else { return nil }
        let path = dir.appendingPathComponent("\(name).yaml").path
        var status = stat()
        return withSystemPath(path, { lstat($0, &status) }) == 0 ? path : nil
    }

    /// The bytes of a script or profile and the name to use for it in error messages.
    public func find(_ kind: Kind, _ nameOrPath: String) throws -> (data: Data, file: String) {
        if Self.isPath(nameOrPath) {
            return (try read(nameOrPath, option: kind.option), nameOrPath)
        }
        if let path = userFile(kind, nameOrPath) {
            return (try read(path, option: kind.option), path)
        }
        if let text = kind.embedded[nameOrPath] {
            return (Data(text.utf8), "\(kind.rawValue)/\(nameOrPath).yaml (built in)")
        }
        let known = names(kind)
        var message = "no \(kind == .scripts ? "script" : "voice") named \(excerpt(nameOrPath)); available: \(known.joined(separator: ", "))"
        if let near = closest(to: nameOrPath, in: known) { message += " (did you mean '\(near)'?)" }
        throw BodoError(at: .option(kind.option), message)
    }

    /// Every name `find` accepts without a path, built-in and user's, sorted.
    public func names(_ kind: Kind) -> [String] {
        var names = Set(kind.embedded.keys)
        if let dir = configDirectory?.appendingPathComponent(kind.rawValue),
           let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            names.formUnion(files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        }
        return names.sorted()
    }

    /// What `bodo check` found: a routine, or a voice profile (a file with `espeak_voice`).
    public enum Document: Sendable {
        case routine(Routine)
        case voice(VoiceProfile)
    }

    /// A routine or a voice profile, by name or path; a name is a script's unless only a voice has it.
    public func document(_ nameOrPath: String) throws -> Document {
        if !Self.isPath(nameOrPath), !names(.scripts).contains(nameOrPath), names(.voices).contains(nameOrPath) {
            return .voice(try voice(nameOrPath))
        }
        let (data, file) = try find(.scripts, nameOrPath)
        // Parsed once: which of the two it is depends on its keys.
        let root = try YAMLValue.parse(data, file: file)
        if VoiceProfile.looksLikeProfile(root) { return .voice(try VoiceProfile.load(root, file: file)) }
        return .routine(try RoutineLoader.load(root, file: file))
    }

    public func routine(_ nameOrPath: String) throws -> Routine {
        let (data, file) = try find(.scripts, nameOrPath)
        return try RoutineLoader.load(data, file: file)
    }

    public func voice(_ nameOrPath: String) throws -> VoiceProfile {
        let (data, file) = try find(.voices, nameOrPath)
        return try VoiceProfile.load(data, file: file)
    }

    private func read(_ path: String, option: String) throws -> Data {
        try InputFile.read(path, option: option)
    }
}
