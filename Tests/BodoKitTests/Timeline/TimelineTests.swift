import Foundation
import Synchronization
import Testing
@testable import BodoKit

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
                    Array(repeating: [CuePlanner.wording.holdIt, CuePlanner.wording.halfway], count: stretch <= 2 ? 2 : 1).flatMap { $0 })
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
