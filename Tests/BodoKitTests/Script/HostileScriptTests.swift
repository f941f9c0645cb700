import Foundation
import Testing
@testable import BodoKit

/// Scripts and voice profiles are files people download and share: each class of hostile input
/// below is refused at its place in one short, inert line, or read the way YAML 1.2 reads it.
@Suite struct HostileScriptTests {
    static let point = "points: [{number: 1, side: left, location: x}]\n"

    func load(_ yaml: String, file: String = "t.yaml") throws -> Routine {
        try RoutineLoader.load(Data(yaml.utf8), file: file)
    }

    func refusal(_ yaml: String) throws -> BodoError {
        try #require(throws: BodoError.self) { try load(yaml) }
    }

    /// Every refusal: one line, no control character, short whatever the input's size.
    func expectInert(_ error: BodoError, _ place: String, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = error.description
        #expect(error.kind == .badInput, sourceLocation: sourceLocation)
        #expect(text.hasPrefix(place), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains(words), "\(text)", sourceLocation: sourceLocation)
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(text.debugDescription)",
                sourceLocation: sourceLocation)
        #expect(text.count < 500, sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        // durations that round to zero, in every place a duration is read
        ("name: a\ntiming: {hold: 0.0001s}\n" + point, "t.yaml:2:16", "rounds to zero"),
        ("name: a\ntiming: {search: 0.0004}\n" + point, "t.yaml:2:18", "rounds to zero"),
        ("name: a\ntiming: {release: 0.4ms}\n" + point, "t.yaml:2:19", "rounds to zero"),
        ("name: a\npoints: [{number: 1, side: left, location: x, search: 0.0002s}]\n", "t.yaml:2:55", "rounds to zero"),
        ("name: a\npoints: [{number: 1, side: left, location: x, hold: 0.0002}]\n", "t.yaml:2:53", "rounds to zero"),
        // control characters, raw or written as YAML escapes, in any text
        ("name: a\npoints: [{number: 1, side: left, location: \"a\\x01 80S b\"}]\n", "t.yaml:2:44", "control character U+0001"),
        ("name: a\npoints: [{number: 1, side: left, location: \"\\e[2J\\a\"}]\n", "t.yaml:2:44", "control character U+001B"),
        ("name: \"\\x9B31m\"\n" + point, "t.yaml:1:7", "control character U+009B"),
        ("name: a\nintro: [\"ok\", \"\\0\"]\n" + point, "t.yaml:2:15", "control character U+0000"),
        ("name: a\npoints: [{number: 1, side: left, location: a\u{01}b}]\n", "t.yaml:2:45", "control character U+0001 is not allowed"),
        ("name: a\u{07}\n" + point, "t.yaml:1:8", "control character U+0007"),
        ("name: a\npoints: [{number: 1, side: left, location: x}]\n\u{00}", "t.yaml:3:1", "control character U+0000"),
        ("name: a\npoints:\n  - {number: 1, side: left, location: \"x\u{7F}\"}\n", "t.yaml:3:41", "control character U+007F"),
        // letters of another alphabet, which switch espeak-ng's translator mid-clause (where
        // espeak-ng 1.51 reads freed memory: the fuzzer's `֋.r`)
        ("name: a\npoints: [{number: 1, side: left, location: \"\u{058B}.r\"}]\n", "t.yaml:2:44", "contains '\u{058B}' (U+058B)"),
        ("name: a\npoints: [{number: 1, side: left, location: Press the point \u{03B1}}]\n", "t.yaml:2:44", "(U+03B1)"),
        ("name: a\nintro: [\"\u{041F}\u{0440}\u{0438}\u{0432}\u{0435}\u{0442}\"]\n" + point, "t.yaml:2:9", "(U+041F)"),
        ("name: a\npoints: [{number: 1, side: left, location: x}]\noutro: Well done \u{1F4AA}\n", "t.yaml:3:8", "(U+1F4AA)"),
        ("name: \u{4F60}\u{597D}\n" + point, "t.yaml:1:7", "(U+4F60)"),
        ("name: a\ncues: {press: \"\u{0308}Press now\"}\n" + point, "t.yaml:2:15", "(U+0308)"),
        // YAML 1.1 readings that would change a number, and quotes that make a value text
        ("name: a\npoints: [{number: 1:30, side: left, location: x}]\n", "t.yaml:2:19", "must be a whole number, not '1:30'"),
        ("name: a\npoints: [{number: 0x0A, side: left, location: x}]\n", "t.yaml:2:19", "must be a whole number"),
        ("name: a\npoints: [{number: 1_0, side: left, location: x}]\n", "t.yaml:2:19", "must be a whole number"),
        ("name: a\npoints: [{number: \"2\", side: left, location: x}]\n", "t.yaml:2:19", "the quotes make it text"),
        ("name: a\n" + point + "stretches: [{name: s, instruction: i, both_sides: \"true\"}]\n", "t.yaml:3:51", "the quotes make it text"),
        ("name: a\n" + point + "stretches: [{name: s, instruction: i, both_sides: yes}]\n", "t.yaml:3:51", "must be true or false, not 'yes'"),
        // points numbered against the order they are worked
        ("name: a\npoints: [{number: 3, side: left, location: x}, {number: 2, side: left, location: y}]\n", "t.yaml:2:57",
         "point 2 comes after point 3"),
        // a value with a line break, quoted back on one line
        ("name: a\npoints: [{number: 1, side: \"up\nand down\", location: x}]\n", "t.yaml:2:28", "not 'up and down'"),
        ("name: a\npoints: [{number: \"1\\n2\\e\", side: left, location: x}]\n", "t.yaml:2:19", "not '1\\n2\\e' (the quotes"),
        // a huge value is quoted as a short excerpt
        ("name: a\npoints: [{number: \(String(repeating: "z", count: 100_000)), side: left, location: x}]\n", "t.yaml:2:19",
         "(100000 characters)"),
        // placeholders: an unknown name, a brace alone, in any spoken text, at the brace itself
        ("name: a\nintro: Press for {holds} ticks.\n" + point, "t.yaml:2:18", "unknown placeholder '{holds}': the placeholders are {hold}, {points}, {stretches}; did you mean {hold}?"),
        ("name: a\nintro: ['Hold {hold ticks.']\n" + point, "t.yaml:2:15", "a { without its }"),
        ("name: a\nintro:\n  - Done} now.\n" + point, "t.yaml:3:9", "a } without its {"),
        ("name: a\npoints:\n  - number: 1\n    side: left\n    location: x\n    position: Lie {down}.\n", "t.yaml:6:19", "unknown placeholder '{down}'"),
        ("name: a\ncues:\n  press: \"Press {\\x41}\"\n" + point, "t.yaml:3:10", "unknown placeholder '{A}'"),
        ("name: a\n" + point + "stretches: [{name: s, instruction: 'Hold {stretch}.'}]\n", "t.yaml:3:42", "did you mean {stretches}?"),
        ("name: a\nintro: x {\(String(repeating: "h", count: 900))}\n" + point, "t.yaml:2:10", "(902 characters)"),
        // body map places: a view bodo does not draw, places off the figure, numbers YAML 1.1 reads
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: side, x: 0.5, y: 0.5}}]\n", "t.yaml:2:59", "view of"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: 1.5, y: 0.5}}]\n", "t.yaml:2:68", "between 0.0 and 1.0, not 1.5"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: -0.1, y: 0.5}}]\n", "t.yaml:2:68", "must be a number"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: .nan, y: 0.5}}]\n", "t.yaml:2:68", "must be a number"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: 1e-1, y: 0.5}}]\n", "t.yaml:2:68", "must be a number"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: \"0.5\", y: 0.5}}]\n", "t.yaml:2:68", "the quotes make it text"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: 0.5}}]\n", "t.yaml:2:52", "is missing 'y'"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: {view: back, x: 0.5, y: 0.5, z: 1}}]\n", "t.yaml:2:", "unknown key 'z'"),
        ("name: a\npoints: [{number: 1, side: left, location: x, map: [0.5, 0.5]}]\n", "t.yaml:2:52", "must be a mapping"),
        ("name: a\ntiming: {transition: 0.0001}\n" + point, "t.yaml:2:22", "rounds to zero"),
        // nesting and aliases that cost more than any routine
        ("name: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n" + point, "t.yaml:1:", "nested more than 32 deep"),
    ])
    func refusedAtItsPlace(yaml: String, place: String, words: String) throws {
        expectInert(try refusal(yaml), place, words)
    }

    /// Aliases used as mapping keys made Yams hash exponentially large trees: ten levels of
    /// 600 bytes ran for minutes. Keys, values and flow or block style are all bounded.
    @Test(arguments: [
        "? &a%d [%@]\n: v\n",            // block keys
        "k%d: &a%d [%@]\n",              // plain values
        "{? &a%d [%@] : v}\n",           // flow keys (inside a flow mapping of its own)
    ])
    func aliasBombsAreRefusedAtOnce(shape: String) throws {
        var yaml = "a0: &a0 [x, y, z, w, v, u, t, s]\n"
        for level in 1...12 {
            let aliases = Array(repeating: "*a\(level - 1)", count: 6).joined(separator: ", ")
            yaml += shape.replacingOccurrences(of: "%@", with: aliases).replacingOccurrences(of: "%d", with: "\(level)")
        }
        let started = ContinuousClock.now
        let error = try refusal(yaml)
        #expect(ContinuousClock.now - started < .seconds(2), "\(error)")
        #expect(error.description.contains("more than 50000 YAML values") || error.description.contains("YAML syntax"), "\(error)")
    }

    /// Latin script in all its forms is read: accents, typographic punctuation, degrees, currency.
    @Test func latinTextIsAccepted() throws {
        let text = "Café naïve Ærø Łódź Nguyễn – “quoted” ‘too’ … 5° × 2 ¿sí? 3 € 4 £"
        let routine = try load("name: a\npoints: [{number: 1, side: left, location: \"\(text)\"}]\n")
        #expect(routine.points[0].location == text)
        let decomposed = try load("name: a\npoints: [{number: 1, side: left, location: \"Cafe\u{0301}\"}]\n")
        #expect(decomposed.points[0].location.unicodeScalars.elementsEqual("Café".unicodeScalars))
    }

    /// The engine's own boundary: whatever made a text, espeak-ng sees only what the loader allows.
    @Test func theEngineSeesOnlySpeakableText() {
        #expect(EspeakEngine.speakable("a\u{058B}.r \u{01}80S b\u{1B}[2J Café – “x”") == "a .r  80S b [2J Café – “x”")
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let routine = try load("\u{FEFF}name: a\n" + Self.point)
        #expect(routine.name == "a")
    }

    /// YAML 1.2's core schema: 010 is ten (YAML 1.1 made it octal eight).
    @Test func leadingZerosAreDecimal() throws {
        let routine = try load("name: a\npoints: [{number: 010, side: left, location: x}]\n")
        #expect(routine.points[0].number == 10)
    }

    /// A routine keeping another routine's numbers says "Point 9", never "Point 9 of 2".
    @Test func pointsNumberedAsInAnotherRoutineAreNotCountedOutOfN() throws {
        let routine = try load("name: a\npoints: [{number: 9, side: left, location: x}, {number: 11, side: left, location: y}]\n")
        let plan = CuePlanner.plan(routine)
        let announcements = plan.phrases.filter { $0.hasPrefix("Point") }
        #expect(announcements == ["Point 9, left side. x", "Point 11, left side. y"])
        let counted = CuePlanner.plan(try load("name: a\n" + Self.point)).phrases.filter { $0.hasPrefix("Point") }
        // A routine of one point does not say "of 1".
        #expect(counted == ["Point 1, left side. x"])
    }

    /// Not a routine at all: nothing of its contents is quoted back.
    @Test(arguments: [
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
        "root:$y$j9T$secrethash$morehash:19000:0:99999:7:::\n",
        "password: hunter2\ntoken: abc\n",
    ])
    func foreignFilesAreNotQuoted(text: String) throws {
        for load in [{ try RoutineLoader.load(Data(text.utf8), file: "f") as Any },
                     { try VoiceProfile.load(Data(text.utf8), file: "f") as Any }] {
            let error = try #require(throws: BodoError.self) { try load() }
            for secret in ["root", "hunter2", "secrethash", "daemon", "password"] {
                #expect(!error.description.contains(secret), "\(error)")
            }
        }
    }

    /// The size limit: a 66-day session described in 700 KB is refused before parsing.
    @Test func oversizedFilesAreRefusedBeforeParsing() throws {
        var yaml = "name: a\ntiming: {search: 600s, release: 600s}\npoints:\n"
        var number = 1
        while yaml.utf8.count < 700_000 {
            yaml += "  - {number: \(number % 999 + 1), side: left, location: somewhere on the back}\n"
            number += 1
        }
        let started = ContinuousClock.now
        let error = try refusal(yaml)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error.description == "t.yaml: is larger than 256 KiB, which no routine or voice profile needs")
    }

    /// A session whose silences alone pass a day is refused before any speech is made.
    @Test func sessionsLongerThanADayAreRefusedBeforeSynthesis() throws {
        var yaml = "name: a\ntiming: {search: 600s, release: 600s, hold: 60}\npoints:\n"
        for number in 1...79 { yaml += "  - {number: \(number), side: left, location: x}\n" }
        let routine = try load(yaml)
        let started = ContinuousClock.now
        let error = try #require(throws: BodoError.self) {
            try Session(routine: routine, synthesizer: ToneSynthesizer())
        }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error.description == "t.yaml: this session would last at least 27 hours; bodo makes sessions of at most 24 hours")
    }

    /// Speech that pushes a session past a day stops the scheduler (no output can outgrow its
    /// format, a WAV its 4 GiB).
    @Test func speechThatPushesPastADayStopsTheScheduler() throws {
        let routine = try load("name: a\ntiming: {search: 600s}\n" + Self.point)
        var scheduler = TimelineScheduler(plan: CuePlanner.plan(routine), sampleRate: 22050, tickLength: 661)
        let error = try #require(throws: BodoError.self) {
            try scheduler.scheduleAll { _ in (0, 22050 * 3600 * 25) }
        }
        #expect(error.description.contains("more than 24 hours"))
    }
}
