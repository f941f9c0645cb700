import Foundation
import Testing
@testable import BodoKit

/// The journal's entry of a played session (`PlaySummary.journalEntry`), made in the library
/// where it can be tested without a sound device: how far it went, where it stopped, the
/// points pressed through.
@Suite struct PlayedJournalEntryTests {
    let session: Session

    init() throws {
        let script = """
        name: Two points
        intro: [Lie down.]
        points:
          - {number: 1, side: right, location: Here.}
          - {number: 2, side: right, location: There.}
        stretches:
          - {name: Cat, instruction: Round your back.}
        outro: [Well done.]
        """
        session = try Session(routine: RoutineLoader.load(Data(script.utf8), file: "t.yaml"),
                              options: PlanOptions(side: .left), synthesizer: ToneSynthesizer(samplesPerCharacter: 50))
    }

    func summary(stoppedAt position: Int?) throws -> PlaySummary {
        PlaySummary(parameters: DeviceParameters(device: "test", sampleRate: 22050, periodFrames: 512, bufferFrames: 2048, startThreshold: 1024),
                    stoppedBy: position == nil ? nil : .quit, position: try position ?? session.timeline().totalSamples,
                    underruns: 0, framesPlayed: 0, wallSeconds: 0, driftSeconds: 0, firstFramesAt: 0, searches: [1: 12.5])
    }

    func cue(_ phase: Phase, point: Int? = nil, stretch: Int? = nil) throws -> TimelineCue {
        try #require(session.timeline().cues.first { $0.phase == phase && $0.context.point == point && $0.context.stretch == stretch })
    }

    @Test func aCompletedSessionHasEveryPointPressedAndItsWholeLength() throws {
        let entry = try summary(stoppedAt: nil).journalEntry(of: session, startAt: 0)
        #expect(entry.completed && entry.stoppedAt == nil && entry.from == nil)
        #expect(entry.presses == 2)
        #expect(entry.routine == "Two points" && entry.side == .left, "the routine as written, the side worked")
        #expect(entry.seconds == Double(try session.timeline().totalSamples) / 22050)
        #expect(entry.searches == [1: 12.5])
    }

    /// Stopped in point 2's hold: point 1 was pressed through (its release heard), point 2 not.
    @Test func stoppedInAHoldCountsOnlyThePointsReleasedBefore() throws {
        let hold = try cue(.hold, point: 2)
        let entry = try summary(stoppedAt: hold.start + 10).journalEntry(of: session, startAt: 0)
        #expect(!entry.completed && entry.stoppedAt == "point 2")
        #expect(entry.presses == 1)
        #expect(entry.seconds == Double(hold.start + 10) / 22050)
    }

    /// Where it stopped outside the points: the introduction before any, a stretch, the closing words.
    @Test func stoppedOutsideThePointsSaysWhere() throws {
        #expect(try summary(stoppedAt: 0).journalEntry(of: session, startAt: 0).stoppedAt == "the introduction")
        #expect(try summary(stoppedAt: cue(.stretch, stretch: 1).start + 1).journalEntry(of: session, startAt: 0).stoppedAt == "stretch 1")
        #expect(try summary(stoppedAt: cue(.outro).start + 1).journalEntry(of: session, startAt: 0).stoppedAt == "the closing words")
        #expect(try summary(stoppedAt: 0).journalEntry(of: session, startAt: 0).presses == 0)
    }

    /// Started at point 2 (`--from 2`): the entry says so, counts from there, and point 1 is not pressed.
    @Test func aSessionFromAPointCountsFromThere() throws {
        let start = try cue(.announce, point: 2).start
        let entry = try summary(stoppedAt: nil).journalEntry(of: session, startAt: start)
        #expect(entry.from == "point 2" && entry.presses == 1)
        #expect(entry.seconds == Double(try session.timeline().totalSamples - start) / 22050)
    }
}
