// CYaml is the libyaml that Yams bundles and parses with; using it here keeps one copy of the
// library in the binary (a second, Debian's, would export the same symbols).
import CYaml

/// Bounds the work a YAML file can cause before anything builds a tree from it.
///
/// Aliases make a tiny file stand for an enormous one: ten levels of `&aN [*aM, *aM, ...]`
/// are billions of nodes in 600 bytes, and Yams hashes whole subtrees when they are mapping
/// keys, so composing such a file runs for minutes. This walks libyaml's event stream once,
/// counting every node as it would be after expanding aliases (an anchor's size is known when
/// its node ends), and stops at the first event past the budget, naming its place.
enum YAMLBudget {
    /// Nodes after expanding aliases. The built-in routine has about 300; 999 points with every
    /// key set have about 15,000.
    static let maximumNodes = 50_000
    /// Nesting of lists and mappings. A routine needs four levels.
    static let maximumDepth = 32

    /// nil when the document is within budget (or not valid YAML, which Yams then reports).
    static func problem(in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, message: String)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)

        var anchors: [String: Int] = [:]
        /// For each open list or mapping: the node count when it started, and its anchor.
        var open: [(start: Int, anchor: String?)] = []
        var nodes = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            let place = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                nodes += 1
                if let anchor = name(event.data.scalar.anchor) { anchors[anchor] = 1 }
            case YAML_ALIAS_EVENT:
                // An undefined alias is Yams's to report.
                nodes += name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                nodes += 1
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
                open.append((nodes - 1, anchor))
                if open.count > maximumDepth {
                    return (place.line, place.column, "lists and mappings are nested more than \(maximumDepth) deep")
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let node = open.popLast(), let anchor = node.anchor { anchors[anchor] = nodes - node.start }
            default:
                break
            }
            if nodes > maximumNodes {
                return (place.line, place.column,
                        "the file stands for more than \(maximumNodes) YAML values (counting what its aliases repeat); no routine needs so many")
            }
        }
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
