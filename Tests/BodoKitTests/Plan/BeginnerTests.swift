import Foundation
import FoundationXML
import Testing
@testable import BodoKit

/// `--beginner` (or `timing.beginner`): searches twice as long, and halfway what to do when the
/// pain is not found; what the right pain feels like at the first three points only.
@Suite struct BeginnerTests {
    func searches(_ plan: CuePlan) -> [(point: Int, text: String, pause: Int)] {
        plan.steps.compactMap { step in
            if case let .say(text, .search, context, pause) = step, let point = context.point { (point, text, pause.milliseconds) } else { nil }
        }
    }

    @Test func aBeginnerSearchesLongerAndIsToldWhatToDo() throws {
        let back = try Library(environment: [:]).routine("back")
        var options = PlanOptions()
        let usual = searches(CuePlanner.plan(back, options: options))
        options.beginner = true
        let beginner = searches(CuePlanner.plan(back, options: options))
        #expect(usual.count == 12 && beginner.count == 24)
        for point in 1...12 {
            let mine = beginner.filter { $0.point == point }
            #expect(mine.map(\.pause).reduce(0, +) == 2 * usual.first { $0.point == point }!.pause, "point \(point)")
            #expect(mine.last?.text.hasSuffix(CuePlanner.wording.notFoundYet) == true)
            #expect(mine.last?.text.contains(CuePlanner.wording.rightPain) == (point <= 3), "point \(point)")
        }
        // The script can ask for it; with listening the help is the search's halfway reminder.
        var script = back
        script.timing.beginner = true
        var listening = PlanOptions()
        listening.listen = true
        let heard = searches(CuePlanner.plan(script, options: listening))
        #expect(heard.count == 24 && heard.filter { $0.text == CuePlanner.wording.searchReminder }.isEmpty)
        #expect(try RoutineLoader.load(Data((minimalScript + "\ntiming: {beginner: true}\n").utf8), file: "t.yaml").timing.beginner)
    }
}
