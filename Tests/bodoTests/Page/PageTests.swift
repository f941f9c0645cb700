import Foundation
import Testing

/// `bodo page`: one self-contained HTML file, checked by tidy and driven in a real browser
/// (headless chromium through Selenium: Tests/browser/check_page.py).
@Suite(.serialized) struct PageTests {
    static let browserCheck = packageRoot.appendingPathComponent("Tests/browser/check_page.py").path
    static let python = packageRoot.appendingPathComponent(".build/browser-venv/bin/python").path

    @Test func thePageFollowsItsAudioInABrowser() throws {
        let dir = try scratch()
        let page = dir.appendingPathComponent("session.html").path
        let run = try bodo("page", page)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("bodo: wrote \(page) (17:"), "\(run.stderr)")
        let json = dir.appendingPathComponent("timeline.json")
        try Data(try bodo("preview", "--format", "json").stdout.utf8).write(to: json)

        let html = try String(contentsOfFile: page, encoding: .utf8)
        // Self-contained: the audio inside, nothing fetched from anywhere.
        #expect(html.contains("src=\"data:audio/mpeg;base64,"))
        for reach in ["src=\"http", "href=\"http", "url(", "@import", "<link", "<script src", "<iframe"] {
            #expect(!html.contains(reach), "the page reaches outside itself: \(reach)")
        }
        // About the size of its compressed audio (the MP3 export of the same session, in base64).
        let mp3 = dir.appendingPathComponent("s.mp3").path
        #expect(try bodo("export", mp3).status == 0)
        let audio = try Data(contentsOf: URL(fileURLWithPath: mp3))
        #expect(html.contains(audio.base64EncodedString()), "the page's audio is the export's, byte for byte")
        #expect(Double(html.utf8.count) < Double(audio.count) * 4 / 3 + 100_000)
        let check = try runStatus(try toolPath("tidy"), ["-q", "-e", page])
        #expect(check.status == 0 && check.output.isEmpty, "\(check.output)")

        let browser = try runWithTimeout(Self.python, [Self.browserCheck, page, json.path, dir.appendingPathComponent("page.png").path], seconds: 240)
        #expect(browser.status == 0 && browser.output.contains("all checks passed"), "\(browser.output)")
        let screenshot = try Data(contentsOf: dir.appendingPathComponent("page.png"))
        #expect(screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func aRoutineWithoutPlacesGetsAPageToo() throws {
        let dir = try scratch()
        let page = dir.appendingPathComponent("small.htm").path
        let run = try bodo("page", page, "--script", fixtures.appendingPathComponent("small.yaml").path, "--side", "left")
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("This routine does not place its points on the figure.") && html.contains("Top of the left shoulder."))
        let check = try runStatus(try toolPath("tidy"), ["-q", "-e", page])
        #expect(check.status == 0 && check.output.isEmpty, "\(check.output)")
        let bad = try bodo("page", dir.appendingPathComponent("x.pdf").path)
        #expect(bad.status == 2 && bad.stderr.hasSuffix("unsupported file type '.pdf'; end the name in .html\n"))
    }
}
