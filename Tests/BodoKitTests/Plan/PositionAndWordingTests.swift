import Foundation
import Testing
@testable import BodoKit

/// Positions between points, placeholders, the short introduction, and wording that reads
/// naturally for any routine.
@Suite struct PositionAndWordingTests {
    func load(_ yaml: String) throws -> Routine {
        try RoutineLoader.load(Data(yaml.utf8), file: "t.yaml")
    }

    /// The steps of a plan as (phase, text, pause in ms) for spoken steps.
    func spoken(_ plan: CuePlan) -> [(phase: Phase, text: String, pause: Int)] {
        plan.steps.compactMap {
            if case let .say(text, phase, _, pause) = $0 { (phase, text, pause.milliseconds) } else { nil }
        }
    }

    static let moving = """
    name: Moving
    timing: {transition: 6s}
    points:
      - number: 1
        side: right
        location: Low back.
        position: Lie on your back.
      - number: 2
        side: right
        location: A little higher.
      - number: 3
        side: right
        location: The side.
        position: Roll onto your right side.
        transition: 4s
      - number: 4
        side: right
        location: The side again.
        position: Roll onto your right side.
      - number: 5
        side: right
        location: Front.
        position: Lie on your back.

    """

    @Test func aPositionIsSaidWhenItChangesWithTimeToMove() throws {
        let plan = CuePlanner.plan(try load(Self.moving))
        let positions = spoken(plan).filter { $0.phase == .position }
        // Points 2 (none of its own) and 4 (the same words as point 3) stay where they are.
        #expect(positions.map(\.text) == ["Lie on your back.", "Roll onto your right side.", "Lie on your back."])
        #expect(positions.map(\.pause) == [6000, 4000, 6000])
        // After the announcement, before the search.
        let phases = spoken(plan).map(\.phase)
        let first = try #require(phases.firstIndex(of: .position))
        #expect(phases[first - 1] == .announce && phases[first + 1] == .search)
        // --transition replaces the routine's time, not a point's own.
        var options = PlanOptions()
        options.transition = .seconds(10)
        #expect(spoken(CuePlanner.plan(try load(Self.moving), options: options)).filter { $0.phase == .position }.map(\.pause) == [10000, 4000, 10000])
        // Mirrored with the rest of the words.
        options.side = .left
        #expect(spoken(CuePlanner.plan(try load(Self.moving), options: options)).contains { $0.text == "Roll onto your left side." })
    }

    @Test func placeholdersSayTheSessionsValuesInWords() throws {
        let yaml = """
        name: P
        intro:
          - "{points} points, {stretches} stretch: hold each for {hold} seconds."
          - Count {hold} ticks.
        points:
          - {number: 1, side: left, location: "Hold {hold} here."}
          - {number: 2, side: left, location: "Hold {hold} here.", hold: 12s}
        stretches:
          - {name: Reach, instruction: "Reach for {hold}."}

        """
        let plan = CuePlanner.plan(try load(yaml))
        let texts = spoken(plan).map(\.text)
        #expect(texts.contains("Two points, one stretch: hold each for seven seconds."))
        #expect(texts.contains("Count seven ticks."))
        #expect(texts.contains("Point 1 of 2, left side. Hold seven here."))
        #expect(texts.contains("Point 2 of 2, left side. Hold twelve here."), "a point's own hold in its own words")
        #expect(texts.contains("Reach for seven."))
        var options = PlanOptions()
        options.hold = .seconds(10)
        #expect(spoken(CuePlanner.plan(try load(yaml), options: options)).map(\.text).contains("Count ten ticks."))
        #expect(!texts.contains { $0.contains("{") })
    }

    @Test(arguments: [(0, "zero"), (7, "seven"), (13, "thirteen"), (20, "twenty"), (45, "forty-five"), (100, "one hundred"),
                      (312, "three hundred and twelve"), (999, "nine hundred and ninety-nine"), (1000, "1000")])
    func numbersInWords(number: Int, words: String) {
        #expect(numberWords(number) == words)
    }

    @Test func briefUsesTheShortIntroductionWhenThereIsOne() throws {
        let back = try Library(environment: [:]).routine("back")
        var options = PlanOptions()
        options.brief = true
        let long = spoken(CuePlanner.plan(back)).filter { $0.phase == .intro }
        let short = spoken(CuePlanner.plan(back, options: options)).filter { $0.phase == .intro }
        #expect(long.count == back.intro.count && short.count == back.introShort.count && short.count < long.count)
        #expect(short.first?.text == "Welcome back. Twelve points, then five stretches.")
        // A routine without one keeps its introduction.
        let plain = try load("name: a\nintro: Hello.\npoints: [{number: 1, side: left, location: x}]\n")
        #expect(spoken(CuePlanner.plan(plain, options: options)).first?.text == "Hello.")
    }

    @Test func routinesUnlikeTheBackOneReadNaturally() throws {
        let one = try load("""
        name: One
        points: [{number: 1, side: center, location: Between the shoulder blades.}]
        stretches: [{name: Reach, instruction: Reach up.}]

        """)
        let texts = spoken(CuePlanner.plan(one)).map(\.text)
        #expect(texts.contains("Point 1, in the middle. Between the shoulder blades."))
        #expect(texts.contains("That was the last point. Now the stretch. Take your time getting into it."))
        #expect(texts.contains("The stretch: Reach."))
        #expect(!texts.contains { $0.contains("of 1") })
        let none = try load("name: None\npoints: [{number: 1, side: left, location: x}, {number: 2, side: left, location: y}]\n")
        #expect(!spoken(CuePlanner.plan(none)).contains { $0.text.contains("stretch") })
    }

    @Test func theBackRoutineHasPositionsAndPlacesForEveryPoint() throws {
        let back = try Library(environment: [:]).routine("back")
        #expect(back.points.allSatisfy { $0.map != nil })
        #expect(back.points.map(\.map!.view) == [.back, .back, .back, .back, .front, .back, .back, .back, .back, .back, .back, .back])
        #expect(back.points.compactMap(\.position).count == 7)
        // Mirrored, every place moves to the other half and stays on its view.
        let left = back.worked(on: .left)
        for (a, b) in zip(back.points, left.points) {
            #expect(abs(a.map!.x + b.map!.x - 1) < 1e-9 && a.map!.y == b.map!.y && a.map!.view == b.map!.view)
        }
    }
}
