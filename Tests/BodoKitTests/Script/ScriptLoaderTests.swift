import Foundation
import Testing
@testable import BodoKit

@Suite struct ScriptLoaderTests {
    func load(_ yaml: String) throws -> Routine {
        try RoutineLoader.load(Data(yaml.utf8), file: "t.yaml")
    }

    /// Each mistake must be reported at its exact place with words a person can act on.
    @Test(arguments: [
        // YAML syntax
        ("name: [unclosed\npoints: []\n", "t.yaml:2:", "YAML syntax"),
        ("name: a\n  bad: indent\n", "t.yaml:2:", "YAML syntax"),
        ("", "t.yaml:1:1", "empty"),
        // unknown keys, with a suggestion when one is close
        ("name: a\npoint:\n  - {number: 1, side: right, location: x}\n", "t.yaml:2:1", "unknown key 'point' in the script (did you mean 'points'?)"),
        (minimalScript + "\n    serch: 5s\n", "t.yaml:6:5", "did you mean 'search'?"),
        ("name: a\ntiming: {hodl: 7}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:10", "did you mean 'hold'?"),
        ("name: a\npoints: [{number: 1, side: right, location: here, near the belt}]\n", "t.yaml:2:51",
         "unknown key 'near the belt' in the 1st point (a comma inside { } ends a text: put the text in quotes)"),
        // missing fields
        ("points: [{number: 1, side: right, location: x}]\n", "t.yaml:1:1", "the script is missing 'name'"),
        ("name: a\npoints:\n  - number: 1\n    side: right\n", "t.yaml:3:5", "the 1st point is missing 'location'"),
        ("name: a\n", "t.yaml:1:1", "missing 'points'"),
        ("name: a\npoints: []\n", "t.yaml:2:9", "points is empty"),
        // wrong types
        ("name: a\npoints: {number: 1}\n", "t.yaml:2:9", "points must be a list"),
        ("name: a\npoints: [{number: one, side: right, location: x}]\n", "t.yaml:2:19", "must be a whole number, not 'one'"),
        ("name: [a, b]\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:1:7", "name must be text, not a list"),
        ("name: a\npoints: [{number: 1, side: up, location: x}]\n", "t.yaml:2:28", "must be one of left, right, center, not 'up'"),
        ("name: a\npoints: [{number: 1, side: right, location: x}]\nstretches: [{name: s, instruction: i, both_sides: maybe}]\n",
         "t.yaml:3:51", "must be true or false"),
        // empty text
        ("name: a\npoints: [{number: 1, side: right, location: '   '}]\n", "t.yaml:2:45", "location of the 1st point is empty"),
        ("name: a\nintro: [hello, '']\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:16", "each line of intro is empty"),
        ("name: a\npoints: [{number: 1, side: right, location: \(String(repeating: "word ", count: 300))}]\n", "t.yaml:2:45",
         "location of the 1st point is 1499 characters long; one cue is at most 1000"),
        // impossible numbers and durations
        ("name: a\npoints: [{number: 0, side: right, location: x}]\n", "t.yaml:2:19", "between 1 and 999"),
        ("name: a\npoints: [{number: 1, side: right, location: x}, {number: 1, side: left, location: y}]\n", "t.yaml:2:58", "point number 1 is used twice (also by the 1st point)"),
        ("name: a\ntiming: {hold: 7.5s}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:16", "whole seconds"),
        ("name: a\ntiming: {hold: 0}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:16", "more than zero"),
        ("name: a\ntiming: {search: -3s}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:18", "more than zero"),
        ("name: a\ntiming: {search: .nan}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:18", "not a duration"),
        ("name: a\ntiming: {stretch: 3h}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:19", "not a duration"),
        ("name: a\ntiming: {stretch: 11min}\npoints: [{number: 1, side: right, location: x}]\n", "t.yaml:2:19", "longer than"),
        ("name: a\npoints: [{number: 1, side: right, location: x, hold: 90}]\n", "t.yaml:2:54", "not a trigger point press"),
        // a switch cue on a one-sided stretch would never be spoken
        ("name: a\npoints: [{number: 1, side: right, location: x}]\nstretches: [{name: s, instruction: i, switch: other}]\n",
         "t.yaml:3:47", "only spoken when both_sides is true"),
    ])
    func badScriptIsReportedAtItsPlace(yaml: String, place: String, words: String) throws {
        let error = try #require(throws: BodoError.self) { try load(yaml) }
        #expect(error.kind == .badInput)
        #expect(error.description.hasPrefix(place), "\(error)")
        #expect(error.description.contains(words), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func invalidUTF8IsReportedAtTheByte() throws {
        var data = Data("name: a\npoints:\n  - location: ab".utf8)
        data.append(0xFF)
        let error = try #require(throws: BodoError.self) { try RoutineLoader.load(data, file: "u.yaml") }
        #expect(error.description == "u.yaml:3:17: the file is not valid UTF-8 text")
    }

    /// A megabyte on one line is refused before it is parsed, by the size limit.
    @Test func oneMegabyteLineIsRefused() throws {
        let yaml = "name: a\npoints:\n  - number: 1\n    side: left\n    location: " + String(repeating: "x", count: 1 << 20) + "\n"
        let error = try #require(throws: BodoError.self) { try load(yaml) }
        #expect(error.description == "t.yaml: is larger than 256 KiB, which no routine or voice profile needs")
    }

    /// Markup is words to speak: `<` and `&` are kept as text and never read as SSML.
    @Test func markupIsKeptAsText() throws {
        let routine = try load("name: a\npoints: [{number: 1, side: left, location: \"<break time='9s'/> A & B <b>\"}]\n")
        #expect(routine.points[0].location == "<break time='9s'/> A & B <b>")
        let session = try Session(routine: routine, options: PlanOptions(count: false),
                                  synthesizer: EspeakSynthesizer(voice: Library(environment: [:]).voice("default")))
        let announce = try #require(try session.timeline().cues.first { $0.phase == .announce })
        #expect(announce.text == "Point 1, left side. <break time='9s'/> A & B <b>")
        // Spoken as words: the markup adds speech, not a nine-second break.
        #expect(announce.length > 22050 && announce.length < 9 * 22050)
    }

    /// `press:` as a list: the points take its texts in turn, the same each time; an empty
    /// list is refused where it is written.
    @Test func pressWordsAreTakenInTurn() throws {
        let back = try Library(environment: [:]).routine("back")
        let presses = CuePlanner.plan(back).steps.compactMap { step -> String? in
            if case let .say(text, .press, _, _) = step { text } else { nil }
        }
        #expect(presses.count == 12 && Set(presses).count == 4, "\(presses)")
        #expect(presses[0] == presses[4] && presses[0] != presses[1])
        #expect(CuePlanner.plan(back).steps == CuePlanner.plan(back).steps)
        #expect(throws: BodoError.self) { try RoutineLoader.load(Data((minimalScript + "\ncues: {press: []}\n").utf8), file: "t.yaml") }
    }

    @Test func minimalScriptGetsTheDefaults() throws {
        let routine = try load(minimalScript)
        #expect(routine.name == "Test")
        #expect(routine.points == [Point(number: 1, side: .right, location: "Here.")])
        #expect(routine.timing == Timing())
        #expect(routine.cues == CueWords())
        #expect(routine.stretches.isEmpty)
    }

    @Test func overridesAndListsAreRead() throws {
        let routine = try load("""
        name: Neck
        timing: {search: 8s, hold: 5, release: 2500ms, stretch: 1m}
        intro: One line only.
        cues: {search: Look for it., to_stretches: Stretches now.}
        points:
          - {number: 3, side: center, location: Base of the skull., search: 15s, hold: 9s}
        stretches:
          - {name: Tilt, instruction: Tilt your head to the right., both_sides: true, switch: Now to the left., hold: 20s}
        outro: [Done., Well done.]
        """)
        #expect(routine.timing.search == .seconds(8))
        #expect(routine.timing.hold == .seconds(5))
        #expect(routine.timing.release == ScriptDuration(milliseconds: 2500))
        #expect(routine.timing.stretch == .seconds(60))
        #expect(routine.intro == ["One line only."])
        #expect(routine.cues.search == "Look for it.")
        #expect(routine.cues.toStretches == "Stretches now.")
        #expect(routine.cues.press == CueWords().press)
        #expect(routine.points == [Point(number: 3, side: .center, location: "Base of the skull.", search: .seconds(15), hold: .seconds(9))])
        #expect(routine.stretches == [Stretch(name: "Tilt", instruction: "Tilt your head to the right.", bothSides: true,
                                              switchWords: "Now to the left.", hold: .seconds(20))])
        #expect(routine.outro == ["Done.", "Well done."])
    }

    @Test(arguments: [("7", 7000), ("7s", 7000), ("2.5s", 2500), ("500ms", 500), ("1m", 60000), ("1min", 60000), (" 3 s ", 3000)])
    func durationsParse(text: String, milliseconds: Int) throws {
        #expect(try ScriptDuration.parse(text).get() == ScriptDuration(milliseconds: milliseconds))
    }

    @Test func durationsBecomeExactSamples() {
        #expect(ScriptDuration.seconds(7).samples(at: 22050) == 7 * 22050)
        #expect(ScriptDuration(milliseconds: 500).samples(at: 22050) == 11025)
    }

    /// The built-in routine is the file in scripts/, byte for byte, and it is the routine the
    /// source describes: twelve points in order, point 7 on the left, five stretches.
    @Test func builtInBackRoutineIsTheFileOnDisk() throws {
        let onDisk = packageRoot.appendingPathComponent("scripts/back.yaml")
        let (data, _) = try Library(environment: [:]).find(.scripts, "back")
        #expect(data == (try Data(contentsOf: onDisk)))
        let routine = try RoutineLoader.load(data, file: "back.yaml")
        #expect(routine.points.map(\.number) == Array(1...12))
        #expect(routine.points.map(\.side) == Array(repeating: .right, count: 6) + [.left] + Array(repeating: .right, count: 5))
        #expect(routine.stretches.count == 5)
        #expect(routine.stretches.map(\.bothSides) == [true, true, false, false, false])
        #expect(routine.timing.hold == .seconds(7))
        #expect(routine.mainSide == .right)
    }

    @Test func builtInVoicesAreTheFilesOnDisk() throws {
        for name in ["default", "calm"] {
            let (data, _) = try Library(environment: [:]).find(.voices, name)
            #expect(data == (try Data(contentsOf: packageRoot.appendingPathComponent("voices/\(name).yaml"))))
        }
    }

    @Test func userFolderShadowsBuiltInsAndUnknownNamesSuggest() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("bodo/scripts"), withIntermediateDirectories: true)
        try Data("name: Mine\npoints: [{number: 1, side: left, location: x}]\n".utf8)
            .write(to: dir.appendingPathComponent("bodo/scripts/back.yaml"))
        let library = Library(environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(try library.routine("back").name == "Mine")
        let error = try #require(throws: BodoError.self) { try library.routine("bak") }
        #expect(error.description.hasPrefix("--script: no script named 'bak'"))
        #expect(error.description.contains("did you mean 'back'?"))
    }
}
