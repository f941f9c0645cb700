import Foundation
import Synchronization
import Testing
@testable import BodoKit

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
