import Foundation
import Synchronization
import Testing
@testable import BodoKit

@Suite struct TimelineLookupTests {
    /// The lookups the live path and the outputs share answer as a plain scan would, at every
    /// cue's edges and in the quiet between them.
    @Test func cueAndMarkerLookupsMatchAScan() throws {
        let timeline = try sharedDefaultSession.get().timeline()
        var positions = [-1, 0, timeline.totalSamples, timeline.totalSamples + 5]
        for cue in timeline.cues { positions += [cue.start - 1, cue.start, cue.start + 1, cue.end - 1, cue.end, cue.end + 700] }
        #expect(positions.count > 1000)
        for position in positions {
            #expect(timeline.cue(at: position) == timeline.cues.last { $0.start <= position }, "at \(position)")
            #expect(timeline.marker(after: position) == timeline.markers.first { $0.position > position })
            #expect(timeline.marker(atOrBefore: position) == timeline.markers.last { $0.position <= position })
        }
        #expect(timeline.cue(at: -1) == nil && timeline.marker(after: timeline.totalSamples) == nil)
    }

    /// The words after a pause come from the planner, as every other cue does.
    @Test func whereYouAreIsWordedByThePlanner() {
        #expect(CuePlanner.whereYouAre(CueContext(point: 5), .hold) == "Point 5, press.")
        #expect(CuePlanner.whereYouAre(CueContext(point: 4), .position) == "Point 4, position.")
        #expect(CuePlanner.whereYouAre(CueContext(stretch: 2), .announce) == "Stretch 2.")
        #expect(CuePlanner.whereYouAre(.none, .intro) == "Continuing.")
    }
}
