import Foundation
import Synchronization
import Testing
@testable import BodoKit

@Suite struct MirrorTests {
    @Test func leftSideMirrorsEverySideAndEveryWord() throws {
        let right = try backSession(PlanOptions(side: .right))
        let left = try backSession(PlanOptions(side: .left))
        let rightWords = try right.timeline().cues.compactMap(\.text)
        let leftWords = try left.timeline().cues.compactMap(\.text)
        #expect(rightWords.count == leftWords.count)
        #expect(leftWords == rightWords.map(swapSides))
        let announce = { (s: Session, n: Int) in (try? s.timeline().cues.first { $0.context.point == n })??.text ?? "" }
        #expect(announce(left, 4) == "Point 4 of 12, left side. Directly at your left side, on the belt line.")
        #expect(announce(left, 7).hasPrefix("Point 7 of 12, right side. The middle of your back, on the right side."))
        #expect(announce(right, 7).hasPrefix("Point 7 of 12, left side."))
        #expect(try left.timeline().markers.first?.name == "Point 1, left side")
        let stretch = try left.timeline().cues.first { $0.context.stretch == 1 && $0.phase == .position }?.text
        #expect(stretch == "Lie on your back. Pull your left knee to your chest and hug it there.")
    }

    @Test func swappingKeepsCaseAndWholeWordsOnly() {
        #expect(swapSides("Left, right. RIGHT side; bright leftover") == "Right, left. LEFT side; bright leftover")
    }

    /// A routine named for its side, worked on the other: every output names the side the
    /// person works on. The preview once read the routine as written ("Right hip" on the left)
    /// while the page mirrored it; a routine with as many left points as right ones would
    /// mirror back if anything worked it twice.
    @Test func everyOutputNamesTheSideTheRoutineIsWorkedOn() throws {
        let yaml = """
        name: Right hip, {points} points
        timing: {hold: 5s}
        points:
          - {number: 1, side: right, location: The right hip.}
          - number: 2
            side: left
            location: The left buttock, for {hold} seconds.
        """
        let script = try RoutineLoader.load(Data(yaml.utf8), file: "hip.yaml")
        let session = try Session(routine: script, options: PlanOptions(side: .left), synthesizer: ToneSynthesizer(samplesPerCharacter: 20))
        let timeline = try session.timeline()
        #expect(session.title == "bodo: Left hip, two points")
        #expect(session.script.name == "Right hip, {points} points")
        #expect(try TextPreview().format(session).hasPrefix("Left hip, two points: 2 points"))
        #expect(session.routine.points.map(\.side) == [.left, .right])
        #expect(session.routine.points[1].location == "The right buttock, for five seconds.")
        let page = SessionPage.html(title: session.title, routine: session.routine, timeline: timeline, audio: Data())
        #expect(page.contains("Left hip") && !page.contains("Right hip"))
        #expect(SubtitleFormat.lrc.render(timeline, title: session.title).hasPrefix("[ti:bodo: Left hip, two points]"))
        #expect(timeline.markers.first?.name == "Point 1, left side")
    }

    @Test func theScriptsOwnSideChangesNothing() throws {
        let routine = try Library(environment: [:]).routine("back")
        #expect(CuePlanner.plan(routine, options: PlanOptions(side: .right)) == CuePlanner.plan(routine))
        #expect(CuePlanner.plan(routine, options: PlanOptions(side: .left)) == CuePlanner.plan(routine.mirrored()))
    }
}
