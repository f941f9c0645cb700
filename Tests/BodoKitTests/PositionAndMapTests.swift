import Foundation
import FoundationXML
import Testing
@testable import BodoKit

/// Positions between points, placeholders, the short introduction, wording that reads naturally
/// for any routine, and the body map.
@Suite struct PositionAndMapTests {
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

    // MARK: The map

    /// Reads the SVG as XML; returns the ids and titles of its point groups and the text.
    func parse(_ svg: String) throws -> (points: [String: String], current: [String], text: String) {
        final class Reader: NSObject, XMLParserDelegate {
            var points: [String: String] = [:], current: [String] = [], text = "", group: String?, inTitle = false
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "g", let id = attributes["id"], id.hasPrefix("point-") {
                    group = id
                    if attributes["aria-current"] == "true" { current.append(id) }
                }
                inTitle = name == "title"
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if inTitle, let group { points[group, default: ""] += string }
                text += string
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if name == "g" { group = nil }
                if name == "title" { inTitle = false }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let reader = Reader()
        parser.delegate = reader
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        return (reader.points, reader.current, reader.text)
    }

    @Test func theMapPlacesEveryPointWithItsLocation() throws {
        let back = try Library(environment: [:]).routine("back")
        let svg = BodyMap.svg(back, title: "bodo: Back", highlight: 5)
        let (points, current, text) = try parse(svg)
        #expect(points.count == 12)
        #expect(points["point-5"] == "Point 5, right side: On the front, on the belt line, just above the groin.")
        #expect(current == ["point-5"])
        // The person's own sides under each view: from the front they are the other way round.
        #expect(text.contains("LEFT") && text.contains("RIGHT") && text.contains("Points, in order"))
        #expect(!text.contains("does not place its points"))
    }

    /// Each point's dot as drawn: its centre and radius, by point number, with its view's id.
    func dots(_ svg: String) -> [Int: (view: String, x: Double, y: Double, r: Double)] {
        var dots: [Int: (view: String, x: Double, y: Double, r: Double)] = [:], view = ""
        for line in svg.split(separator: "\n") {
            if let id = line.firstMatch(of: /<g id="view-(\w+)"/) { view = String(id.1) }
            guard let point = line.firstMatch(of: /<g id="point-(\d+)"/),
                  let circle = line.firstMatch(of: /<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" fill=/) else { continue }
            dots[Int(point.1)!] = (view, Double(circle.1)!, Double(circle.2)!, Double(circle.3)!)
        }
        return dots
    }

    /// The outline's corners in the design space, read back from the path it draws.
    var outlineCorners: [(x: Double, y: Double)] {
        let numbers = BodyMap.outline.split(whereSeparator: { !$0.isNumber }).map { Double($0)! }
        return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
    }

    func insideOutline(_ x: Double, _ y: Double) -> Bool {
        let corners = outlineCorners
        var inside = false
        for (a, b) in zip(corners, corners.dropFirst() + [corners[0]]) where (a.y > y) != (b.y > y) {
            if x < a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x) { inside.toggle() }
        }
        return inside
    }

    /// The points a person reads together must be seen apart and where their words put them:
    /// no two dots of a view touch, each sits inside the body, a point "on the belt line" on the
    /// drawn belt line, one on "the top of the shoulder" just under the outline's top edge.
    @Test(arguments: [Side.right, .left])
    func thePointsStandApartWhereTheirWordsPutThem(side: Side) throws {
        let back = try Library(environment: [:]).routine("back").worked(on: side)
        let drawn = dots(BodyMap.svg(back, title: "bodo: Back"))
        try #require(drawn.count == 12)
        for a in drawn.keys.sorted() {
            for b in drawn.keys.sorted() where b > a && drawn[a]!.view == drawn[b]!.view {
                let (p, q) = (drawn[a]!, drawn[b]!)
                let apart = ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot() - p.r - q.r - 1.5
                #expect(apart >= 2, "points \(a) and \(b) are \(apart) apart")
            }
        }
        let beltLine = BodyMap.viewTop + BodyMap.beltLineY * BodyMap.scale
        var onBelt = 0, onShoulder = 0
        for point in back.points {
            let place = try #require(point.map)
            let (x, y) = (place.x * 200, place.y * 440)
            #expect(insideOutline(x, y), "point \(point.number) lies outside the body")
            if point.location.contains("belt line") {
                onBelt += 1
                #expect(abs(drawn[point.number]!.y - beltLine) <= 1.5, "point \(point.number) is off the belt line")
            }
            if point.location.contains("top of") && point.location.contains("shoulder") {
                onShoulder += 1
                // The first y above it that is outside the body is the shoulder's top edge.
                let top = stride(from: y, to: 0, by: -0.5).first { !insideOutline(x, $0) }!
                #expect((y - top) * BodyMap.scale > BodyMap.dotRadius && (y - top) * BodyMap.scale < 3 * BodyMap.dotRadius,
                        "point \(point.number) is \((y - top) * BodyMap.scale) under the shoulder's top")
            }
        }
        #expect(onBelt == 5 && onShoulder == 3)
    }

    @Test func bothViewsHaveLandmarksForTheNeckAndHead() throws {
        let svg = BodyMap.svg(try Library(environment: [:]).routine("back"), title: "bodo: Back")
        for view in ["back", "front"] {
            let group = try #require(svg.firstMatch(of: try Regex("(?s)<g id=\"landmarks-\(view)\".*?</g>")))
            let marks = String(svg[group.range])
            #expect(marks.contains("rx=\"3.5\""), "the ears, in the \(view) view")
        }
        #expect(svg.contains("cx=\"100\" cy=\"80\""), "the bump at the base of the neck, from behind")
    }

    @Test func aRoutineWithoutPlacesGetsTheFigureAndItsList() throws {
        let routine = try load("name: 'A & <b>'\npoints: [{number: 1, side: left, location: 'Under the \"arch\" & <here>'}]\n")
        let svg = BodyMap.svg(routine, title: "bodo: \(routine.name)")
        let (points, _, text) = try parse(svg)
        #expect(points.isEmpty)
        #expect(text.contains("Under the \"arch\" & <here>") && text.contains("bodo: A & <b>"), "text kept, escaped in the file")
        #expect(text.contains("does not place its points"))
    }
}
