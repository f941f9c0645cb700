import Foundation
import FoundationXML
import Testing
@testable import BodoKit

/// With `--listen`, the person's waits are marked on the timeline: each search up to
/// `search_max` in two halves around a reminder, going on at the press; each move into position
/// its transition, going on at the search.
@Suite struct ListeningPlanTests {
    @Test func waitsAreMarkedAndGoOnAtThePress() throws {
        let routine = try RoutineLoader.load(Data(PositionAndWordingTests.moving.utf8), file: "t.yaml")
        var options = PlanOptions()
        options.listen = true
        let session = try Session(routine: routine, options: options, synthesizer: ToneSynthesizer())
        let plan = session.plan
        #expect(plan.phrases.contains(CuePlanner.wording.listening) && plan.phrases.contains(CuePlanner.wording.searchReminder))
        let timeline = try session.timeline()
        // Five points: five searches in two halves, and three moves into position.
        #expect(timeline.waits.count == 2 * 5 + 3)
        #expect(timeline.waits.filter { $0.phase == .position }.count == 3)
        func transition(_ wait: PersonWait) -> Int {
            (routine.points.first { $0.number == wait.context.point }?.transition ?? routine.timing.transition).milliseconds * 22050 / 1000
        }
        for wait in timeline.waits {
            #expect(wait.end - wait.start == (wait.phase == .search ? 45 * 22050 / 2 : transition(wait)), "\(wait.phase)")
            let resume = try #require(wait.resume)
            let next = try #require(timeline.cue(at: resume))
            #expect(next.start == resume && (wait.phase == .search ? next.phase == .press : next.phase == .search),
                    "\(wait.phase) goes on at \(next.phase)")
        }
        // A hold or a stretch is never a wait.
        #expect(!timeline.waits.contains { [.hold, .stretch, .press, .release].contains($0.phase) })
        // Without listening, nothing is marked and the times are the script's.
        let fixed = try Session(routine: routine, synthesizer: ToneSynthesizer()).timeline()
        #expect(fixed.waits.isEmpty && !fixed.cues.contains { $0.text == CuePlanner.wording.searchReminder })
    }

    /// `--search-max` replaces the script's search_max for every listened wait.
    @Test func searchMaxSetsTheLongestWait() throws {
        let routine = try RoutineLoader.load(Data(PositionAndWordingTests.moving.utf8), file: "t.yaml")
        var options = PlanOptions()
        options.listen = true
        options.searchMax = ScriptDuration(milliseconds: 20_500)
        let timeline = try Session(routine: routine, options: options, synthesizer: ToneSynthesizer()).timeline()
        #expect(timeline.waits.count == 13)
        #expect(timeline.waits.filter { $0.phase == .search }.allSatisfy { $0.end - $0.start == 10_250 * 22050 / 1000 })
    }

    /// A routine may say in its own words how to end a wait (`cues.listening`), mirrored and
    /// filled as its other words are; without listening it is never said.
    @Test func aRoutineMaySayHowToEndAWait() throws {
        let routine = try RoutineLoader.load(Data((minimalScript + "\ncues: {listening: 'Tap the floor on your right, {points} point.'}\n").utf8),
                                             file: "t.yaml")
        var options = PlanOptions(side: .left)
        options.listen = true
        let phrases = CuePlanner.plan(routine, options: options).phrases
        #expect(phrases.contains("Tap the floor on your left, one point.") && !phrases.contains(CuePlanner.wording.listening), "\(phrases)")
        #expect(!CuePlanner.plan(routine).phrases.contains { $0.hasPrefix("Tap the floor") })
    }
}
