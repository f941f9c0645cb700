import Foundation
import Testing
@testable import BodoKit

@Suite(.serialized) struct HostileVoiceTests {
    func profile(_ yaml: String) throws -> VoiceProfile { try VoiceProfile.load(Data(yaml.utf8), file: "v.yaml") }

    /// espeak-ng takes a voice or variant name as a path under its data folder: only names it
    /// lists reach it, and anything else is refused at its line.
    @Test(arguments: [
        ("name: x\nespeak_voice: en\nvariant: ../../../../etc/passwd\n", "v.yaml:3:10", "no variant '../../../../etc/passwd'"),
        ("name: x\nespeak_voice: ../../../../etc/passwd\n", "v.yaml:2:15", "no voice '../../../../etc/passwd'"),
        ("name: x\nespeak_voice: /dev/urandom\n", "v.yaml:2:15", "no voice '/dev/urandom'"),
        ("name: x\nespeak_voice: en\nvariant: /dev/urandom\n", "v.yaml:3:10", "no variant"),
        ("name: x\nespeak_voice: en\nvariant: nosuchvariant\n", "v.yaml:3:10", "no variant 'nosuchvariant'"),
        ("name: x\nespeak_voice: en+m3\n", "v.yaml:2:15", "no voice 'en+m3'"),
        ("name: x\nespeak_voice: \(String(repeating: "e", count: 900))\n", "v.yaml:2:15", "(900 characters)"),
    ])
    func unlistedVoicesAndVariantsAreRefused(yaml: String, place: String, words: String) throws {
        let voice = try profile(yaml)
        let error = try #require(throws: BodoError.self) { try EspeakEngine.shared().validate(voice) }
        #expect(error.description.hasPrefix(place), "\(error)")
        #expect(error.description.contains(words), "\(error)")
        let synthesis = try #require(throws: BodoError.self) { try EspeakSynthesizer(voice: voice).synthesize(["a"]) { _, _ in } }
        #expect(synthesis == error)
    }

    @Test func listedNamesInAnyCaseAreAccepted() throws {
        try EspeakEngine.shared().validate(try profile("name: x\nespeak_voice: EN-US\nvariant: M3\n"))
    }

    /// A text that reaches espeak-ng with control characters (from anywhere, not only a script)
    /// cannot change the engine for the phrases after it: `\x01 80S` would slow the rest of the
    /// session to 80 words a minute, `\x01 0A` silence it.
    @Test(arguments: ["a \u{01}80S b", "a \u{01}0A b", "\u{01}200A loud", "\u{01}450S \u{01}400W fast"])
    func embeddedCommandsChangeNothingAfterThem(text: String) throws {
        let synthesizer = try EspeakSynthesizer(voice: Library(environment: [:]).voice("default"))
        func sound(_ phrase: String) throws -> (length: Int, peak: Int) {
            var clip: Clip = []
            try synthesizer.synthesize([phrase]) { _, samples in clip = samples }
            return (clip.count, clip.map { abs(Int($0)) }.max() ?? 0)
        }
        let reference = "Press, as hard as you can stand."
        let before = try sound(reference)
        _ = try sound(text)
        let after = try sound(reference)
        #expect(before.length > 22050 && before.peak > 3000)
        #expect(abs(after.length - before.length) < before.length / 10, "\(before) then \(after)")
        #expect(abs(after.peak - before.peak) < before.peak / 3, "\(before) then \(after)")
    }
}
