import Foundation
import PackagePlugin

/// Embeds every `scripts/*.yaml` and `voices/*.yaml` of the package into the target that uses it.
///
/// The YAML files stay where a user looks for them (and can copy them from); the binary carries
/// the same bytes, so `bodo export` works from any folder with nothing installed beside it.
@main
struct EmbedRoutineFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for folder in ["scripts", "voices"] {
            let dir = root.appending(path: folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path())
            inputs += names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) routine and voice files",
                executable: try context.tool(named: "BodoEmbedTool").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
