import CALSA
import Foundation

/// What bodo needs to know of ALSA's configuration before it opens a device: the files a
/// device name would write, and which of the user's configuration files is broken.
///
/// A device name is configuration: `file:'x',raw`, `file:FILE=x`, `tee:default,'x'` or a PCM
/// of type `file` defined in ~/.asoundrc all open a file for writing, truncating it, the
/// moment the device opens (for a microphone, filling it with capture data as fast as the
/// device gives it). So bodo expands the name exactly as ALSA will (`snd_config_search_definition`
/// with its arguments substituted), walks the definition and every slave it names, and
/// collects what each `type file` PCM writes: one mechanism for every spelling.
public enum ALSAConfiguration {
    /// What a device would write that is not bodo's to write: existing regular files, or
    /// names ALSA fills in itself (`%r`, `%c`...), which may turn out to be one.
    public static func problem(with name: String) -> String? {
        var top: OpaquePointer?
        bodo_alsa_silence_errors()
        guard withStandardErrorSilenced({ snd_config_update_ref(&top) }) >= 0, let top else { return nil }
        defer { snd_config_unref(top) }
        var written: [String] = []
        collect(name, in: top, depth: 0, into: &written)
        for file in written {
            if file.contains("%") { return "writes to \(excerpt(file)), a name ALSA completes itself, which may be a file that exists" }
            var status = stat()
            if withSystemPath(file, { stat($0, &status) }) == 0, status.st_mode & S_IFMT == S_IFREG {
                return "would overwrite \(file.escapedForTerminal) (ALSA's file plugin empties it when it opens)"
            }
        }
        return nil
    }

    /// When ALSA's configuration does not load, the file that breaks it and why: a broken
    /// ~/.asoundrc otherwise shows only as "No such device" or "Invalid argument" on open.
    public static func brokenFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var top: OpaquePointer?
        bodo_alsa_silence_errors()
        let status = withStandardErrorSilenced { snd_config_update_ref(&top) }
        if status >= 0 {
            snd_config_unref(top)
            return nil
        }
        // The files alsa.conf reads, in its order; ALSA_CONFIG_PATH replaces the whole list.
        var files = ["/usr/share/alsa/alsa.conf", "/etc/asound.conf"]
        if let home = environment["HOME"] {
            files += [(environment["XDG_CONFIG_HOME"] ?? home + "/.config") + "/alsa/asoundrc", home + "/.asoundrc"]
        }
        if let paths = environment["ALSA_CONFIG_PATH"], !paths.isEmpty { files = paths.split(separator: ":").map(String.init) }
        for file in files where access(file, F_OK) == 0 {
            if let problem = loadProblem(file) { return "\(file.escapedForTerminal): \(problem)" }
        }
        return "ALSA's configuration: \(String(cString: snd_strerror(status)))"
    }

    private static func loadProblem(_ file: String) -> String? {
        var config: OpaquePointer?
        guard snd_config_top(&config) >= 0, let config else { return nil }
        defer { snd_config_delete(config) }
        var input: OpaquePointer?
        let opened = withSystemPath(file) { snd_input_stdio_open(&input, $0, "r") }
        guard opened >= 0, let input else { return String(cString: snd_strerror(opened)) }
        defer { snd_input_close(input) }
        bodo_alsa_keep_errors()
        defer { bodo_alsa_silence_errors() }
        let status = withStandardErrorSilenced { snd_config_load(config, input) }
        guard status < 0 else { return nil }
        // "_toplevel_:3:1:Unexpected char": the place in this file, then what is wrong.
        let kept = String(cString: bodo_alsa_kept_error())
        if let range = kept.range(of: "_toplevel_:") { return String(kept[range.upperBound...]).escapedForTerminal }
        return String(cString: snd_strerror(status))
    }

    /// Expands `name` and collects the files its PCMs write.
    private static func collect(_ name: String, in top: OpaquePointer, depth: Int, into written: inout [String]) {
        guard depth < 8 else { return }
        var definition: OpaquePointer?
        guard withStandardErrorSilenced({ snd_config_search_definition(top, "pcm", name, &definition) }) >= 0,
              let definition else { return }
        defer { snd_config_delete(definition) }
        walk(definition, in: top, depth: depth, into: &written)
    }

    private static func walk(_ node: OpaquePointer, in top: OpaquePointer, depth: Int, into written: inout [String]) {
        guard snd_config_get_type(node) == SND_CONFIG_TYPE_COMPOUND else { return }
        if string(node, "type") == "file" {
            var file: OpaquePointer?
            if snd_config_search(node, "file", &file) >= 0, let file {
                if let path = string(file) { written.append(path) }
                // A descriptor number: where it leads is not a name bodo can check.
                else if snd_config_get_type(file) == SND_CONFIG_TYPE_INTEGER { written.append("%descriptor") }
            }
        }
        var iterator = snd_config_iterator_first(node)
        while iterator != snd_config_iterator_end(node) {
            if let child = snd_config_iterator_entry(iterator) {
                var id: UnsafePointer<CChar>?
                snd_config_get_id(child, &id)
                // A slave named by its name ("pcm" in slave { pcm "null" } or slave.pcm) is a
                // definition of its own; a slave written out in place is walked as it is.
                if let id, String(cString: id) == "pcm", let other = string(child) {
                    collect(other, in: top, depth: depth + 1, into: &written)
                } else {
                    walk(child, in: top, depth: depth + 1, into: &written)
                }
            }
            iterator = snd_config_iterator_next(iterator)
        }
    }

    private static func string(_ node: OpaquePointer, _ key: String) -> String? {
        var child: OpaquePointer?
        guard snd_config_search(node, key, &child) >= 0, let child else { return nil }
        return string(child)
    }

    private static func string(_ node: OpaquePointer) -> String? {
        var text: UnsafePointer<CChar>?
        guard snd_config_get_type(node) == SND_CONFIG_TYPE_STRING, snd_config_get_string(node, &text) >= 0, let text else { return nil }
        return String(cString: text)
    }
}
