import CSndFile
import Foundation
import Testing
@testable import BodoKit

@Suite(.serialized) struct ExportTests {
    @Test func wavHasEverySampleEveryMarkerSpeechInCuesAndSilenceBetween() throws {
        let session = try sharedDefaultSession.get()
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("session.wav").path
        try AudioFileExporter(path: path).export(session)
        let file = try ReadBack(path)

        #expect(file.info.samplerate == 22050)
        #expect(file.info.channels == 1)
        #expect(Int(file.info.frames) == (try session.timeline().totalSamples))

        let markers = try session.timeline().markers
        #expect(file.cues.map(\.position) == markers.map { UInt32($0.position) })
        let names = try WAVMarkers.names(inFileAt: path)
        #expect(file.cues.map { names[UInt32($0.id)] } == markers.map(\.name))
        #expect(names[1] == "Point 1, right side")
        #expect(names[17] == "Stretch 5, Elbow prop")

        for cue in try session.timeline().cues {
            let level = rms(file.samples[cue.start..<cue.end])
            #expect(level > 300, "no sound in \(cue.phase) '\(cue.text ?? "tick")' at \(cue.start)")
        }
        var gapStart = 0
        for cue in try session.timeline().cues {
            #expect(file.samples[gapStart..<cue.start].allSatisfy { $0 == 0 }, "noise before \(cue.start)")
            gapStart = cue.end
        }
        #expect(file.samples[gapStart...].allSatisfy { $0 == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["session.wav"])
    }

    @Test(arguments: ["flac", "ogg"])
    func otherFormatsHoldTheSession(ext: String) throws {
        let session = try Session(routine: RoutineLoader.load(Data(minimalScript.utf8), file: "t.yaml"),
                                  synthesizer: EspeakSynthesizer(voice: Library(environment: [:]).voice("default")))
        let path = try temporaryDirectory().appendingPathComponent("s.\(ext)").path
        try AudioFileExporter(path: path).export(session)
        let file = try ReadBack(path)
        #expect(Int(file.info.frames) == (try session.timeline().totalSamples))
        if ext == "flac" {
            var expected = [Int16](repeating: 0, count: try session.timeline().totalSamples)
            var renderer = session.makeRenderer()
            _ = try expected.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }
            #expect(file.samples == expected)
        }
    }

    /// An export that fails half-way leaves the old file exactly as it was and no temporary file.
    @Test func failedExportKeepsTheExistingFile() throws {
        struct Interrupted: Error {}
        let session = try sharedDefaultSession.get()
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("keep.wav").path
        let original = Data("an older session".utf8)
        try original.write(to: URL(fileURLWithPath: path))
        #expect(throws: Interrupted.self) {
            try AudioFileExporter(path: path).export(session) { written in
                if written > 60 * session.sampleRate { throw Interrupted() }
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.wav"])
    }

    @Test func badTargetsAreRefusedBeforeAnyWork() throws {
        let dir = try temporaryDirectory()
        let cases: [(String, String)] = [
            (dir.appendingPathComponent("x.mp4").path, "unsupported file type '.mp4'"),
            (dir.appendingPathComponent("missing/x.wav").path, "does not exist"),
            (dir.path, "is a folder"),
        ]
        for (path, words) in cases {
            let error = try #require(throws: BodoError.self) { try AudioFileExporter(path: path) }
            #expect(error.description.contains(words), "\(error)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
