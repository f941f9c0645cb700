import CALSA
import Foundation

/// ALSA's configuration read as ALSA will read it, for what bodo must know before it opens a
/// device (what it writes to) or after opening one failed (whether the configuration is broken).
enum ALSAConfiguration {
    /// Why opening PCM `name` may destroy a file, or nil when it cannot.
    ///
    /// ALSA's `file` plugin (behind `file:'x',raw`, `file:FILE=x,FORMAT=raw`, `tee:SLAVE,'x'` and
    /// any PCM a configuration file defines with `type file`) opens the file it names with
    /// O_TRUNC, for capture too, and then writes every frame into it. So the name is expanded as
    /// `snd_pcm_open` will expand it (its arguments, its @func values, PCMs it names as slaves,
    /// at most `maximumDepth` deep), and every `type file` in the tree is looked at:
    /// - a file that does not exist yet is fine (it is made);
    /// - a character device is fine: truncating one does nothing and writing to /dev/null or
    ///   /dev/full destroys nothing (the usual `file "/dev/null"` beside an `infile` is one);
    /// - anything else that exists (a regular file, a FIFO, a block device, a folder, through a
    ///   symbolic link or not), a descriptor number, or a name with `%` substitutions (which
    ///   ALSA fills in only when it opens, so bodo cannot tell which file it will be) is refused.
    /// `configuration`: configuration text used instead of the system's (tests).
    static func fileDestroyed(byOpening name: String, configuration: String? = nil) -> String? {
        bodo_alsa_silence_errors()
        guard let (root, shared) = top(configuration) else { return nil }
        defer { if shared { snd_config_unref(root) } else { snd_config_delete(root) } }
        var seen = 0
        return problem(in: "pcm", name, root: root, depth: 0, seen: &seen)
    }

    static let maximumDepth = 16

    /// The configuration tree ALSA opens devices from (`shared`: a reference to ALSA's own, to
    /// release with snd_config_unref; else bodo's to delete), or nil when it does not load (then
    /// opening fails by itself, and `loadProblem` says why).
    private static func top(_ configuration: String?) -> (root: OpaquePointer, shared: Bool)? {
        var root: OpaquePointer?
        if let configuration {
            var input: OpaquePointer?
            guard configuration.withCString({ snd_input_buffer_open(&input, $0, strlen($0)) }) >= 0, let input else { return nil }
            defer { snd_input_close(input) }
            guard snd_config_top(&root) >= 0, let root else { return nil }
            guard snd_config_load(root, input) >= 0 else { snd_config_delete(root); return nil }
            return (root, false)
        }
        guard snd_config_update_ref(&root) >= 0, let root else { return nil }
        return (root, true)
    }

    /// A PCM (`pcm.NAME`) or a slave (`pcm_slave.NAME`) by name: its definition searched.
    private static func problem(in kind: String, _ name: String, root: OpaquePointer, depth: Int, seen: inout Int) -> String? {
        guard depth <= maximumDepth else {
            return "its configuration names PCMs more than \(maximumDepth) deep, so bodo cannot tell what it writes to"
        }
        var definition: OpaquePointer?
        // An unknown name writes nothing: snd_pcm_open fails on it and says so.
        guard snd_config_search_definition(root, kind, name, &definition) >= 0, let definition else { return nil }
        defer { snd_config_delete(definition) }
        return problem(inNode: definition, root: root, depth: depth, seen: &seen)
    }

    private static func problem(inNode node: OpaquePointer, root: OpaquePointer, depth: Int, seen: inout Int) -> String? {
        seen += 1
        guard seen < 10_000 else { return "its configuration is too large for bodo to tell what it writes to" }
        if let name = string(node) {
            // A PCM given by name: the whole definition (`pcm.mine "file:..."`) or a slave.
            return problem(in: "pcm", name, root: root, depth: depth + 1, seen: &seen)
        }
        guard snd_config_get_type(node) == SND_CONFIG_TYPE_COMPOUND else { return nil }
        if let type = child(node, "type").flatMap(string), type == "file" {
            if let problem = fileProblem(child(node, "file")) { return problem }
        }
        var iterator = snd_config_iterator_first(node)
        while iterator != snd_config_iterator_end(node) {
            defer { iterator = snd_config_iterator_next(iterator) }
            guard let entry = snd_config_iterator_entry(iterator) else { continue }
            let id = self.id(entry)
            if let value = string(entry) {
                // `slave.pcm "name"`, `slaves.a.pcm "name"`: a PCM; `slave "name"`: a pcm_slave.
                if id == "pcm", let problem = problem(in: "pcm", value, root: root, depth: depth + 1, seen: &seen) { return problem }
                if id == "slave", let problem = problem(in: "pcm_slave", value, root: root, depth: depth + 1, seen: &seen) { return problem }
            } else if snd_config_get_type(entry) == SND_CONFIG_TYPE_COMPOUND {
                if let problem = problem(inNode: entry, root: root, depth: depth, seen: &seen) { return problem }
            }
        }
        return nil
    }

    /// What a `type file` PCM's `file` would destroy.
    private static func fileProblem(_ node: OpaquePointer?) -> String? {
        guard let node else { return nil }
        var descriptor: Int = 0
        if snd_config_get_integer(node, &descriptor) >= 0 {
            return "it writes to descriptor \(descriptor), which may be a file bodo cannot see"
        }
        guard let path = string(node) else {
            return "its `file` is not a plain name, so bodo cannot tell which file it writes"
        }
        if path.contains("%") {
            return "it writes to \(excerpt(path, limit: 200)), whose % substitutions ALSA fills in only when it opens, so bodo cannot tell which file that is"
        }
        var candidates = [path]
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            candidates.append(home + path.dropFirst())
        }
        for candidate in candidates {
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT != S_IFCHR {
                return "it would overwrite the existing file \(excerpt(path, limit: 200)) (ALSA's file plugin truncates it and writes every frame into it)"
            }
        }
        return nil
    }

    private static func child(_ node: OpaquePointer, _ key: String) -> OpaquePointer? {
        var result: OpaquePointer?
        return snd_config_search(node, key, &result) >= 0 ? result : nil
    }

    private static func string(_ node: OpaquePointer) -> String? {
        guard snd_config_get_type(node) == SND_CONFIG_TYPE_STRING else { return nil }
        var value: UnsafePointer<CChar>?
        guard snd_config_get_string(node, &value) >= 0, let value else { return nil }
        return String(cString: value)
    }

    private static func id(_ node: OpaquePointer) -> String {
        var value: UnsafePointer<CChar>?
        guard snd_config_get_id(node, &value) >= 0, let value else { return "" }
        return String(cString: value)
    }

    // MARK: - A configuration that does not load

    /// Why ALSA's configuration does not load (naming the file that is broken), or nil when it loads.
    static func loadProblem() -> String? {
        bodo_alsa_silence_errors()
        var root: OpaquePointer?
        let status = snd_config_update_ref(&root)
        if status >= 0 {
            snd_config_unref(root)
            return nil
        }
        for file in files() {
            if let problem = parseProblem(file) { return "ALSA's configuration file \(excerpt(file, limit: 200)) is broken: \(problem)" }
        }
        return "ALSA's configuration does not load: \(String(cString: snd_strerror(status)))"
    }

    /// The files ALSA reads, in its order: $ALSA_CONFIG_PATH (a list split by ':') or alsa.conf,
    /// then what alsa.conf loads: the conf.d folders, /etc/asound.conf, ~/.asoundrc and
    /// $XDG_CONFIG_HOME/alsa/asoundrc (~/.config/alsa/asoundrc). Only those that exist.
    static func files() -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        var files: [String] = []
        if let path = environment["ALSA_CONFIG_PATH"], !path.isEmpty {
            files = path.split(separator: ":").map(String.init)
        } else {
            files = [(environment["ALSA_CONFIG_DIR"] ?? "/usr/share/alsa") + "/alsa.conf"]
        }
        for folder in ["/var/lib/alsa/conf.d", "/usr/etc/alsa/conf.d", "/etc/alsa/conf.d"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            files += names.filter { $0.hasSuffix(".conf") }.sorted().map { folder + "/" + $0 }
        }
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        files += ["/etc/asound.conf", home + "/.asoundrc", xdg + "/alsa/asoundrc"]
        return files.filter { path in
            var info = stat()
            return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }

    /// Where `path` fails to parse ("line 3, column 1: Unexpected end of file"), or nil.
    private static func parseProblem(_ path: String) -> String? {
        var input: OpaquePointer?
        guard snd_input_stdio_open(&input, path, "r") >= 0, let input else { return nil }
        defer { snd_input_close(input) }
        var root: OpaquePointer?
        guard snd_config_top(&root) >= 0, let root else { return nil }
        defer { snd_config_delete(root) }
        bodo_alsa_forget_error()
        let status = snd_config_load(root, input)
        guard status < 0 else { return nil }
        // The parser's message: "NAME:LINE:COLUMN:what".
        let message = String(cString: bodo_alsa_last_error())
        let parts = message.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        if parts.count == 4, let line = Int(parts[1]), let column = Int(parts[2]) {
            return "line \(line), column \(column): \(parts[3].trimmingCharacters(in: .whitespaces))"
        }
        return String(cString: snd_strerror(status))
    }
}
