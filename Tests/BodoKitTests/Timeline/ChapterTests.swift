import Foundation
import Testing
@testable import BodoKit

@Suite struct ChapterTests {
    /// fuzz/regressions/tags-chapters-out-of-time-order.bin: closing words planned before a
    /// point made the "Closing" chapter come after a later one, and an MP3 chapter end before
    /// its start.
    @Test func chaptersComeInTimeOrder() throws {
        let here = CueContext(point: 1)
        let made = try laidOut([.say("Done for today.", .outro, .none, pause: .seconds(1)),
                                 .say("Point one.", .announce, here, pause: .seconds(1)),
                                 .hold(seconds: 2, count: [], here)], titles: [here: "Point 1"])
        let positions = made.chapters.map(\.position)
        #expect(positions == positions.sorted() && positions.count == 2, "\(made.chapters)")
    }
}
