import Foundation
import Synchronization
import Testing
@testable import BodoKit

/// Stands beside espeak-ng to test timing rules with phrase lengths the test chooses:
/// every phrase is a tone `samplesPerCharacter` long per character.
struct ToneSynthesizer: SpeechSynthesizer {
    var sampleRate = 22050
    var samplesPerCharacter = 500

    func synthesize(_ phrases: [String], take: (Int, Clip) throws -> Void) throws {
        for (index, text) in phrases.enumerated() {
            try take(index, (0..<(text.count * samplesPerCharacter)).map { Int16(8000 * sin(Double($0) * 0.1)) })
        }
    }
}

/// The default session, synthesized once for every test that only reads it: twelve tests
/// each synthesizing the whole session queued on espeak-ng's one lock (issue 19).
let sharedDefaultSession = Result { try backSession() }

func backSession(_ options: PlanOptions = PlanOptions(), voice: String = "default") throws -> Session {
    let library = Library(environment: [:])
    return try Session(routine: library.routine("back"), options: options,
                       synthesizer: EspeakSynthesizer(voice: library.voice(voice)))
}

@Suite struct TimelineTests {
    /// The holds of the default routine, spoken by espeak-ng: every tick on its exact sample.
    @Test func holdsTickExactlyOnceASecondAndReleaseOnTime() throws {
        let session = try sharedDefaultSession.get()
        let timeline = try session.timeline()
        let rate = timeline.sampleRate
        #expect(rate == 22050)
        for point in 1...12 {
            let cues = timeline.cues.filter { $0.context.point == point }
            let ticks = cues.filter { $0.sound == .tick }
            #expect(ticks.count == 7, "point \(point)")
            for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(b.start - a.start == rate) }
            let release = try #require(cues.first { $0.phase == .release })
            #expect(release.start == ticks[0].start + 7 * rate, "point \(point)")
            // The spoken count: 7 down to 1, each right after its tick and done before the next.
            let count = cues.filter { $0.phase == .hold && $0.sound != .tick }
            #expect(count.map(\.text) == ["7", "6", "5", "4", "3", "2", "1"])
            for (tick, number) in zip(ticks, count) {
                #expect(number.start == tick.end)
                #expect(number.end <= tick.start + rate - TimelineScheduler.countClearance(sampleRate: rate))
            }
        }
    }

    @Test func cuesNeverOverlapAndTheSessionHoldsThemAll() throws {
        let timeline = try sharedDefaultSession.get().timeline()
        for (a, b) in zip(timeline.cues, timeline.cues.dropFirst()) {
            #expect(a.end <= b.start, "\(a) overlaps \(b)")
        }
        #expect(timeline.cues.allSatisfy { $0.length > 0 })
        #expect(try #require(timeline.cues.last).end < timeline.totalSamples)
    }

    @Test func pointsInOrderThenStretchesWithBothSides() throws {
        let session = try sharedDefaultSession.get()
        let cues = try session.timeline().cues
        let announcements = cues.filter { $0.phase == .announce && ($0.context.point != nil || $0.context.stretch != nil) }
        #expect(announcements.map(\.context) == (1...12).map { CueContext(point: $0) } + (1...5).map { CueContext(stretch: $0) })
        let points = cues.filter { $0.context.point != nil }
        let stretches = cues.filter { $0.context.stretch != nil }
        let lastPoint = try #require(points.last), firstStretch = try #require(stretches.first)
        #expect(lastPoint.end <= firstStretch.start)
        // The back routine's positions change at points 1, 4, 5, 6, 7, 8 and 9.
        let moves: Set = [1, 4, 5, 6, 7, 8, 9]
        for point in 1...12 {
            let phases = cues.filter { $0.context.point == point }.map(\.phase)
            #expect(phases.removingRepeats() == [.announce] + (moves.contains(point) ? [.position] : []) + [.search, .press, .hold, .release])
            #expect(cues.first { $0.context.point == point }?.text?.hasPrefix("Point \(point) of 12, ") == true)
        }
        for stretch in 1...5 {
            let phases = cues.filter { $0.context.stretch == stretch }.map(\.phase)
            // Each side: its words and time to get into it, then the stretch's 30 s in two
            // halves around a word.
            let side: [Phase] = [.position, .stretch, .stretch]
            let sides: [Phase] = stretch <= 2 ? side + [.switchSide, .stretch, .stretch] : side
            #expect(phases == [.announce] + sides + [.release], "stretch \(stretch)")
            #expect(cues.filter { $0.context.stretch == stretch && $0.phase == .stretch }.map(\.text) ==
                    Array(repeating: [CuePlanner.holdIt, CuePlanner.halfway], count: stretch <= 2 ? 2 : 1).flatMap { $0 })
        }
        #expect(try session.timeline().markers.map(\.name).first == "Point 1, right side")
        #expect(try session.timeline().markers.map(\.name).last == "Stretch 5, Elbow prop")
        #expect(try session.timeline().markers.count == 17)
    }

    /// Pauses are silence after the words end: the search time is the quiet gap after the search
    /// cue, whatever the voice's speed.
    @Test func pausesFollowTheRealSpeechLength() throws {
        let session = try backSession(PlanOptions(search: .seconds(12)))
        let cues = try session.timeline().cues
        for point in 1...12 {
            let search = try #require(cues.first { $0.context.point == point && $0.phase == .search })
            let press = try #require(cues.first { $0.context.point == point && $0.phase == .press })
            #expect(press.start - search.end == 12 * 22050)
        }
    }

    @Test func optionsChangeHoldsAndPointsKeepTheirOwn() throws {
        var routine = try Library(environment: [:]).routine("back")
        routine.points[2].hold = .seconds(10)
        let session = try Session(routine: routine, options: PlanOptions(hold: .seconds(5)), synthesizer: ToneSynthesizer())
        let cues = try session.timeline().cues
        let ticks = { (point: Int) in cues.filter { $0.context.point == point && $0.sound == .tick }.count }
        #expect(ticks(1) == 5)
        #expect(ticks(3) == 10)
    }

    /// With a voice too slow for a number to fit between two ticks, the hold keeps its ticks
    /// and exact length and drops the count rather than letting words run into ticks.
    @Test func countThatCannotFitIsLeftOut() throws {
        let routine = try RoutineLoader.load(Data(minimalScript.utf8), file: "t.yaml")
        let session = try Session(routine: routine, synthesizer: ToneSynthesizer(samplesPerCharacter: 22050))
        let hold = try session.timeline().cues.filter { $0.phase == .hold }
        #expect(hold.count == 7)
        #expect(hold.allSatisfy { $0.sound == .tick })
        let release = try #require(try session.timeline().cues.first { $0.phase == .release })
        #expect(release.start == hold[0].start + 7 * 22050)
    }

    @Test func noCountOptionKeepsTicksOnly() throws {
        let session = try backSession(PlanOptions(count: false))
        #expect(try session.timeline().cues.filter { $0.phase == .hold }.allSatisfy { $0.sound == .tick })
        #expect(!session.plan.phrases.contains("7"))
    }

    /// The renderer is the one source of samples: rendering in odd block sizes, or after a seek,
    /// gives exactly the same samples.
    @Test func renderingIsTheSameInAnyBlockSize() throws {
        let session = try Session(routine: RoutineLoader.load(Data(minimalScript.utf8), file: "t.yaml"),
                                  synthesizer: ToneSynthesizer())
        func renderAll(block: Int, from start: Int = 0) throws -> [Int16] {
            var renderer = session.makeRenderer()
            try renderer.seek(to: start)
            var out: [Int16] = []
            var buffer = [Int16](repeating: 1, count: block)
            while case let n = try buffer.withUnsafeMutableBufferPointer({ try renderer.render(into: $0) }), n > 0 {
                out += buffer[0..<n]
            }
            return out
        }
        let whole = try renderAll(block: 1 << 20)
        #expect(whole.count == (try session.timeline().totalSamples))
        #expect(try renderAll(block: 333) == whole)
        #expect(try renderAll(block: 4096, from: 12345) == Array(whole[12345...]))
        // Exactly the clip's samples in every cue, and silence outside every cue.
        for cue in try session.timeline().cues {
            switch cue.sound {
            case .tick: #expect(Array(whole[cue.start..<cue.end]) == session.tick)
            case let .speech(clip): #expect(Array(whole[cue.start..<cue.end]) == (try session.bank.samples(ofClip: clip)))
            }
        }
        var covered = [Bool](repeating: false, count: whole.count)
        for cue in try session.timeline().cues { for i in cue.start..<cue.end { covered[i] = true } }
        #expect(zip(whole, covered).allSatisfy { $1 || $0 == 0 })
    }
}

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

extension Array where Element: Equatable {
    func removingRepeats() -> [Element] {
        reduce(into: []) { result, element in if result.last != element { result.append(element) } }
    }
}

@Suite struct TimelineLookupTests {
    /// The lookups the live path and the outputs share answer as a plain scan would, at every
    /// cue's edges and in the quiet between them.
    @Test func cueAndMarkerLookupsMatchAScan() throws {
        let timeline = try sharedDefaultSession.get().timeline()
        var positions = [-1, 0, timeline.totalSamples, timeline.totalSamples + 5]
        for cue in timeline.cues { positions += [cue.start - 1, cue.start, cue.start + 1, cue.end - 1, cue.end, cue.end + 700] }
        #expect(positions.count > 1000)
        for position in positions {
            #expect(timeline.cue(at: position) == timeline.cues.last { $0.start <= position }, "at \(position)")
            #expect(timeline.marker(after: position) == timeline.markers.first { $0.position > position })
            #expect(timeline.marker(atOrBefore: position) == timeline.markers.last { $0.position <= position })
        }
        #expect(timeline.cue(at: -1) == nil && timeline.marker(after: timeline.totalSamples) == nil)
    }

    /// The words after a pause come from the planner, as every other cue does.
    @Test func whereYouAreIsWordedByThePlanner() {
        #expect(CuePlanner.whereYouAre(CueContext(point: 5), .hold) == "Point 5, press.")
        #expect(CuePlanner.whereYouAre(CueContext(point: 4), .position) == "Point 4, position.")
        #expect(CuePlanner.whereYouAre(CueContext(stretch: 2), .announce) == "Stretch 2.")
        #expect(CuePlanner.whereYouAre(.none, .intro) == "Continuing.")
    }
}


/// Tones, but only the first `open` phrases at once: each later one waits for the test to
/// open the gate (at most 10 s, so a test that forgets fails instead of hanging).
struct GatedSynthesizer: SpeechSynthesizer {
    var sampleRate = 22050
    let open: Int
    let gate: DispatchSemaphore

    func synthesize(_ phrases: [String], take: (Int, Clip) throws -> Void) throws {
        for (index, text) in phrases.enumerated() {
            // The leveller's calibration sentence comes first, as phrase 0.
            if index > open, gate.wait(timeout: .now() + 10) == .timedOut {
                throw BodoError(.failure, at: nil, "the test never opened the gate")
            }
            try take(index, (0..<(text.count * 300)).map { Int16(8000 * sin(Double($0) * 0.1)) })
        }
    }
}

@Suite struct TimelineSourceTests {
    static let script = """
    name: Three
    intro: [One., Two.]
    points:
      - {number: 1, side: left, location: First.}
      - {number: 2, side: left, location: Second.}
      - {number: 3, side: left, location: Third.}

    """

    /// A question about the session waits only for the speech it needs: where point 1 starts
    /// (`play --from 1`) and the first samples are known while the rest is not made yet.
    @Test func questionsWaitOnlyForTheSpeechTheyNeed() throws {
        let gate = DispatchSemaphore(value: 0)
        let routine = try RoutineLoader.load(Data(Self.script.utf8), file: "t.yaml")
        // The two intro lines and point 1's announcement, and nothing more.
        let session = try Session(routine: routine, synthesizer: GatedSynthesizer(open: 3, gate: gate))
        let start = try SessionRange.start(of: SessionRange.Place("1", option: "--from"), in: session)
        var renderer = session.makeRenderer()
        var block = [Int16](repeating: 0, count: 500)
        let rendered = try block.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }
        #expect(rendered == 500 && block.contains { $0 != 0 })
        #expect(!session.bank.isFinished, "answered before all speech existed")
        for _ in 0..<session.plan.phrases.count { gate.signal() }
        let timeline = try session.timeline()
        #expect(session.bank.isFinished)
        #expect(timeline.markers.first { $0.context.point == 1 }?.position == start)
    }

    /// Renderers on several threads share the one scheduler and still render the same samples.
    @Test func renderersOnManyThreadsAgree() throws {
        let session = try Session(routine: RoutineLoader.load(Data(Self.script.utf8), file: "t.yaml"), synthesizer: ToneSynthesizer())
        let results = Mutex<[[Int16]]>([])
        let threads = (0..<4).map { index in
            Thread {
                var renderer = session.makeRenderer()
                var out: [Int16] = []
                var buffer = [Int16](repeating: 0, count: 100 + index * 77)
                while case let n = (try? buffer.withUnsafeMutableBufferPointer { try renderer.render(into: $0) }) ?? 0, n > 0 { out += buffer[..<n] }
                results.withLock { $0.append(out) }
            }
        }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(30)
        while results.withLock({ $0.count }) < 4, Date() < deadline { usleep(10_000) }
        let all = results.withLock { $0 }
        #expect(all.count == 4)
        let total = try session.timeline().totalSamples
        #expect(all.allSatisfy { $0 == all[0] } && all[0].count == total)
    }
}
