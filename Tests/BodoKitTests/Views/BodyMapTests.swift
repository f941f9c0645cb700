import Foundation
import FoundationXML
import Testing
@testable import BodoKit

/// The body map: every point placed where its words put it, on the right view, with its
/// location in the list.
@Suite struct BodyMapTests {
    func load(_ yaml: String) throws -> Routine {
        try RoutineLoader.load(Data(yaml.utf8), file: "t.yaml")
    }

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
