import Foundation
import Testing
@testable import BodoKit

@Suite struct VoiceProfileTests {
    /// A profile's rate is the words a minute a person hears: the default voice's 155, measured
    /// over the back routine's speech (espeak-ng itself, told 155, spoke 172).
    @Test func theDefaultVoiceSpeaksAtItsProfilesRate() throws {
        let session = try sharedDefaultSession.get()
        let profile = try Library(environment: [:]).voice("default")
        let speech = try session.timeline().cues.filter { if case .speech = $0.sound { true } else { false } }
        let words = speech.compactMap(\.text).map { $0.split(separator: " ").count }.reduce(0, +)
        let seconds = Double(speech.map(\.length).reduce(0, +)) / Double(session.sampleRate)
        #expect(words > 1000 && seconds > 0)
        let perMinute = Double(words) / seconds * 60
        #expect(abs(perMinute - Double(profile.rate)) <= Double(profile.rate) * 0.05, "\(perMinute) words a minute, the profile says \(profile.rate)")
    }

    @Test(arguments: [
        ("name: v\nespeak_voice: en\nrate: 20\n", "v.yaml:3:7", "rate (words per minute) must be between 80 and 450, not 20"),
        ("name: v\nespeak_voice: en\npitch: high\n", "v.yaml:3:8", "pitch must be a whole number"),
        ("name: v\nespeak_voice: en\nvolume: 300\n", "v.yaml:3:9", "between 10 and 200"),
        ("name: v\nespeak: en\n", "v.yaml:2:1", "did you mean 'espeak_voice'?"),
        ("name: v\n", "v.yaml:1:1", "missing 'espeak_voice'"),
    ])
    func badProfileIsReportedAtItsPlace(yaml: String, place: String, words: String) throws {
        let error = try #require(throws: BodoError.self) { try VoiceProfile.load(Data(yaml.utf8), file: "v.yaml") }
        #expect(error.description.hasPrefix(place), "\(error)")
        #expect(error.description.contains(words), "\(error)")
    }

    @Test func unknownEspeakVoiceIsReportedWhereItIsNamed() throws {
        let profile = try VoiceProfile.load(Data("name: v\nespeak_voice: xx-nowhere\n".utf8), file: "v.yaml")
        let error = try #require(throws: BodoError.self) { try EspeakEngine.shared().validate(profile) }
        #expect(error.description == "v.yaml:2:15: espeak-ng has no voice 'xx-nowhere' (`bodo voices --all` lists them)")
    }
}
