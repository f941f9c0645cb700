import Foundation
import Testing
@testable import BodoKit

@Suite struct TagTests {
    /// Every text of a tag or chapter passes one check, and no format carries more chapters
    /// than its players read.
    @Test func tagsAndChaptersAreCheckedOnceForEveryFormat() throws {
        var script = "name: \"Many\"\npoints:\n"
        for n in 1...300 { script += "  - {number: \(n), side: right, location: Here.}\n" }
        let session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"), synthesizer: ToneSynthesizer(samplesPerCharacter: 10))
        let timeline = try session.timeline()
        #expect(timeline.chapters.count == 300)
        let metadata = ExportMetadata(title: "bodo: x\u{1B}[2J", comment: "made from ev\u{07}\nTITLE=forged.yaml", timeline: timeline)
        #expect(metadata.chapters.count == ExportMetadata.chapterLimit && metadata.markers.count == ExportMetadata.chapterLimit)
        let comments = metadata.vorbisComments
        #expect(comments.filter { $0.key.hasPrefix("CHAPTER") && $0.key.hasSuffix("NAME") }.count == 255)
        #expect(comments.allSatisfy { $0.key.count <= "CHAPTER255NAME".count })
        for (_, value) in comments { #expect(!value.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(value.debugDescription)") }
        #expect(comments.contains { $0 == ("COMMENT", "made from ev\\x07\\nTITLE=forged.yaml") })
        // The MP3's table of contents lists every CHAP frame the tag holds.
        let tag = [UInt8](ID3v2Tag.make(metadata))
        func frames(_ id: String) -> [Int] {
            let bytes = Array(id.utf8)
            return (0..<(tag.count - 4)).filter { Array(tag[$0..<($0 + 4)]) == bytes }
        }
        let chaps = frames("CHAP").count
        let toc = try #require(frames("CTOC").first)
        #expect(chaps == 255)
        #expect(Int(tag[toc + 10 + 4 + 1]) == chaps, "the CTOC's entry count")
    }
}
