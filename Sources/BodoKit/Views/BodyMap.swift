import Foundation

/// The routine's map: bodo's own body outline from behind and from the front, side by side, each
/// point a numbered dot at its place (`map` in the script), and every point listed beside them.
///
/// The source's sketch is lost, so bodo draws its own figure: a plain, symmetric outline, so a
/// point mirrors by its x alone (`MapPlace.mirrored`). Readable without colour: a point is its
/// number, the highlighted one (`--point`) is larger and filled, and each view says which side
/// is the person's left and right. Each dot has a `<title>` with its location, which browsers
/// show on hover and screen readers read.
public enum BodyMap {
    /// One view's drawing box, in SVG units; a place's x and y are fractions of it.
    /// Large enough that four points a hand's width apart along the belt line stay apart.
    static let viewWidth = 340.0
    static let viewHeight = 748.0
    /// Where the views start below the title, in SVG units.
    static let viewTop = 70.0
    /// The outline is drawn in a 200 x 440 design space, scaled into the box.
    static let scale = viewWidth / 200
    /// A point's dot, in SVG units; `bodo map --point` draws the picked one larger.
    static let dotRadius = 7.5
    /// The belt line's height in the design space: points 1 to 5 of the back routine sit on it.
    static let beltLineY = 215.0

    /// The SVG document. `routine` is as worked (already mirrored for `--side`); `highlight` is
    /// a point number to stand out; `list: false` leaves out the list of points (the session
    /// page has its own), unless no point is placed on the figure.
    public static func svg(_ routine: Routine, title: String, highlight: Int? = nil, list: Bool = true) -> String {
        let margin = 30.0, top = viewTop, gap = 40.0
        let listed = list || !routine.points.contains { $0.map != nil }
        let listX = margin + 2 * viewWidth + gap + 30
        let listLines = listed ? routine.points.flatMap { legendLines($0) } : []
        let listHeight = Double(listLines.count) * 18 + 60
        let width = listed ? listX + 430 : listX - 30
        let height = max(top + viewHeight + 50, top + listHeight)
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
        role="img" aria-label="\(escaped(title))">
        <title>\(escaped(title))</title>
        <g font-family="DejaVu Sans, Verdana, sans-serif">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(margin)" y="34" font-size="22" font-weight="bold" fill="#222222">\(escaped(title))</text>

        """
        for (index, view) in BodyView.allCases.enumerated() {
            let x = margin + Double(index) * (viewWidth + gap)
            svg += drawView(view, x: x, y: top, points: routine.points, highlight: highlight)
        }
        guard listed else { return svg + "</g>\n</svg>\n" }
        svg += "<g id=\"points-list\" font-size=\"13\" fill=\"#222222\">\n"
        svg += "<text x=\"\(listX)\" y=\"\(top + 6)\" font-size=\"16\" font-weight=\"bold\">Points, in order</text>\n"
        var line = 0
        for point in routine.points {
            let lines = legendLines(point)
            let weight = point.number == highlight ? " font-weight=\"bold\"" : ""
            for (offset, text) in lines.enumerated() {
                let y = top + 32 + Double(line) * 18
                svg += "<text x=\"\(listX + (offset == 0 ? 0 : 34))\" y=\"\(y)\"\(weight)>\(escaped(text))</text>\n"
                line += 1
            }
        }
        let below = top + 32 + Double(line) * 18 + 12
        if !routine.points.contains(where: { $0.map != nil }) {
            svg += "<text x=\"\(listX)\" y=\"\(below)\" font-style=\"italic\">This routine does not place its points on the figure.</text>\n"
        } else {
            svg += "<text x=\"\(listX)\" y=\"\(below)\" fill=\"#555555\">Dashed: the belt line. Dotted: the spine.</text>\n"
            svg += "<text x=\"\(listX)\" y=\"\(below + 18)\" fill=\"#555555\">Outlined: the shoulder blades and the ears.</text>\n"
        }
        svg += "</g>\n</g>\n</svg>\n"
        return svg
    }

    /// One view: its name, the outline, which side is which, and its points.
    private static func drawView(_ view: BodyView, x: Double, y: Double, points: [Point], highlight: Int?) -> String {
        // From behind, the person's left is on the left of the drawing; from the front, on the right.
        let (leftLabel, rightLabel) = view == .back ? ("LEFT", "RIGHT") : ("RIGHT", "LEFT")
        var svg = "<g id=\"view-\(view.rawValue)\">\n"
        svg += "<text x=\"\(x + viewWidth / 2)\" y=\"\(y - 8)\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222222\">"
            + (view == .back ? "Back, seen from behind" : "Front, facing you") + "</text>\n"
        svg += "<g transform=\"translate(\(x) \(y)) scale(\(scale))\" fill=\"#ececec\" stroke=\"#555555\" stroke-width=\"1.3\">\n"
        svg += "<ellipse cx=\"100\" cy=\"34\" rx=\"23\" ry=\"28\"/>\n"
        svg += "<path d=\"\(outline)\"/>\n"
        svg += landmarks(view)
        svg += "</g>\n"
        svg += "<text x=\"\(x + 4)\" y=\"\(y + viewHeight + 28)\" font-size=\"13\" fill=\"#222222\">\(leftLabel)</text>\n"
        svg += "<text x=\"\(x + viewWidth - 4)\" y=\"\(y + viewHeight + 28)\" font-size=\"13\" text-anchor=\"end\" fill=\"#222222\">\(rightLabel)</text>\n"
        // The highlighted point last, so no neighbour covers it.
        let here = points.filter { $0.map?.view == view }.sorted { ($0.number == highlight ? 1 : 0) < ($1.number == highlight ? 1 : 0) }
        for point in here {
            guard let place = point.map else { continue }
            let cx = x + place.x * viewWidth, cy = y + place.y * viewHeight
            let marked = point.number == highlight
            let radius = marked ? 11.0 : dotRadius
            svg += "<g id=\"point-\(point.number)\" class=\"point\"\(marked ? " aria-current=\"true\"" : "")>"
            svg += "<title>\(escaped(pointTitle(point)))</title>"
            if marked { svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(radius + 4)\" fill=\"none\" stroke=\"#111111\" stroke-width=\"2\"/>" }
            svg += "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(radius)\" fill=\"\(marked ? "#b00020" : "#ffffff")\" stroke=\"#111111\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(cx)\" y=\"\(cy + (marked ? 4.5 : 3.5))\" font-size=\"\(marked ? 12 : 9.5)\" font-weight=\"bold\" "
                + "text-anchor=\"middle\" fill=\"\(marked ? "#ffffff" : "#111111")\">\(point.number)</text></g>\n"
        }
        return svg + "</g>\n"
    }

    /// What the routines' texts name, drawn light so the points stand out: the belt line in
    /// both views; from behind the spine up to the skull, the bump at the base of the neck and
    /// the shoulder blades; from the front the collarbones, the breastbone and the navel; the
    /// ears on both, so the head and neck have something to place a point by.
    private static func landmarks(_ view: BodyView) -> String {
        let mark = "stroke=\"#999999\" fill=\"none\""
        var svg = "<g id=\"landmarks-\(view.rawValue)\" \(mark)>\n"
        svg += "<ellipse cx=\"76\" cy=\"36\" rx=\"3.5\" ry=\"8\"/><ellipse cx=\"124\" cy=\"36\" rx=\"3.5\" ry=\"8\"/>\n"
        svg += "<line x1=\"62\" y1=\"\(Int(beltLineY))\" x2=\"138\" y2=\"\(Int(beltLineY))\" stroke-dasharray=\"3 3\"/>\n"
        if view == .back {
            svg += "<path d=\"M 86 55 Q 100 63 114 55\"/>\n"
            svg += "<line x1=\"100\" y1=\"62\" x2=\"100\" y2=\"252\" stroke-dasharray=\"2 4\"/>\n"
            svg += "<circle cx=\"100\" cy=\"80\" r=\"2.2\" fill=\"#999999\"/>\n"
            svg += "<path d=\"M 112 99 Q 127 94 141 96 Q 131 120 119 142 Q 114 122 112 99 Z M 88 99 Q 73 94 59 96 Q 69 120 81 142 Q 86 122 88 99 Z\" stroke-linejoin=\"round\"/>\n"
        } else {
            svg += "<path d=\"M 103 84 Q 118 80 136 85 M 97 84 Q 82 80 64 85\"/>\n"
            svg += "<line x1=\"100\" y1=\"96\" x2=\"100\" y2=\"150\"/>\n<circle cx=\"100\" cy=\"204\" r=\"2\" fill=\"#999999\"/>\n"
        }
        return svg + "</g>\n"
    }

    /// "Point 4, right side: Directly at your right side, on the belt line."
    static func pointTitle(_ point: Point) -> String {
        CuePlanner.wording.pointTitle(point.number, point.side) + ": " + point.location
    }

    /// The point's entry in the list: its number and side, then its location wrapped to fit.
    private static func legendLines(_ point: Point) -> [String] {
        let words = "\(CuePlanner.wording.sideLabel(point.side)). \(point.location)".split(separator: " ")
        var lines: [String] = [], current = ""
        for word in words {
            if !current.isEmpty, current.count + 1 + word.count > 52 { lines.append(current); current = "" }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.enumerated().map { $0 == 0 ? "\(point.number)".padding(toLength: 4, withPad: " ", startingAt: 0) + $1 : $1 }
    }

    /// The body below the head, in the design space: the right half of the figure (x >= 100),
    /// then the same points mirrored for the left half.
    static let outline: String = {
        let right: [(Double, Double)] = [
            (111, 60), (113, 74), (130, 80), (150, 87), (159, 98), (163, 130), (166, 175), (170, 238), (173, 262),
            (165, 270), (158, 252), (153, 190), (148, 140), (144, 132), (139, 200), (145, 240), (142, 300), (134, 342),
            (136, 382), (127, 418), (136, 430), (106, 433), (106, 418), (108, 342), (104, 268), (100, 262),
        ]
        let left = right.dropLast().reversed().map { (200 - $0.0, $0.1) }
        let all = right + left
        return "M " + all.map { "\(Int(saturating: $0.0, .towardZero)) \(Int(saturating: $0.1, .towardZero))" }.joined(separator: " L ") + " Z"
    }()

    /// Text safe inside XML elements and attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
