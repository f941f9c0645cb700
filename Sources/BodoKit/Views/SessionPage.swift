import Foundation

/// The session page: one HTML file that works offline on a phone or a laptop, holding the
/// session's audio (MP3, as a data URI), the body map and the cue script. While the audio plays,
/// the current cue is marked (`aria-current="true"`) and scrolled into view and its point is
/// marked on the map; tapping a cue or a point seeks there; `page.html#t=75` starts at 75 s.
///
/// Everything comes from one timeline: the cue lines are `Timeline.lines` (what `bodo preview`
/// prints) and the audio is the export of the same session, so a cue's `data-sample` is the
/// sample at which its words start in the audio. No network, no external scripts or fonts.
public enum SessionPage {
    /// MP3: the one format every browser plays, Safari on a phone included (it plays no Ogg).
    public static let audioFormat = AudioFileExporter.Format.mp3

    public static func html(title: String, routine: Routine, timeline: Timeline, audio: Data) -> String {
        let (head, tail) = around(title: title, routine: routine, timeline: timeline)
        return head + audio.base64EncodedString() + tail
    }

    /// The page before and after its audio's base64, which `PageFile` writes from the audio file
    /// block by block: held whole, the page took about five times the audio in memory (the file,
    /// its base64, the page text and its bytes): 269 MB for a session 16 times the default one.
    static func around(title: String, routine: Routine, timeline: Timeline) -> (head: String, tail: String) {
        let rate = timeline.sampleRate
        let map = BodyMap.svg(routine, title: title, list: false)
        // Inline SVG: no XML declaration inside HTML.
        let svg = map.drop { $0 != "\n" }.dropFirst()
        var cues = ""
        for (index, line) in timeline.lines.enumerated() {
            let point = line.context.point.map { " data-point=\"\($0)\"" } ?? ""
            let stretch = line.context.stretch.map { " data-stretch=\"\($0)\"" } ?? ""
            cues += """
            <li id="cue-\(index)" data-sample="\(line.start)" data-start="\(SampleTime(line.start, rate).seconds)"\(point)\(stretch)>\
            <button type="button"><time>\(SampleTime(line.start, rate).minutes)</time> \
            <span class="phase">\(line.phase.rawValue)</span> \(BodyMap.escaped(line.words))</button></li>

            """
        }
        let summary = "\(counted(routine.points.count, "point")), \(counted(routine.stretches.count, "stretch")), "
            + SampleTime(timeline.totalSamples, rate).minutes
        let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(BodyMap.escaped(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <header>
        <h1>\(BodyMap.escaped(title))</h1>
        <p>\(summary). Press play, or tap a line or a point to go there.</p>
        <audio id="audio" controls preload="auto" src="data:audio/mpeg;base64,
        """
        let tail = """
        "></audio>
        </header>
        <main>
        <section id="map" aria-label="Where the points are">
        \(svg)</section>
        <section aria-label="What bodo says">
        <ol id="cues">
        \(cues)</ol>
        </section>
        </main>
        <script>
        \(script)
        </script>
        </body>
        </html>

        """
        return (head, tail)
    }

    private static let style = """
    body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; }
    header { position: sticky; top: 0; background: #ffffff; border-bottom: 1px solid #cccccc; padding: 0.5rem 1rem; z-index: 1; }
    h1 { font-size: 1.3rem; margin: 0.2rem 0; }
    header p { margin: 0.2rem 0 0.5rem; }
    audio { width: 100%; }
    main { display: flex; flex-wrap: wrap; gap: 1rem; padding: 1rem; }
    #map { flex: 1 1 420px; }
    #map svg { width: 100%; height: auto; max-height: calc(100vh - 11rem); }
    /* Beside the cues on a wide screen, the map stays in view while they scroll. */
    @media (min-width: 800px) { #map { position: sticky; top: 9.5rem; align-self: flex-start; } }
    #cues li { scroll-margin-top: 10rem; scroll-margin-bottom: 2rem; }
    #map .point { cursor: pointer; }
    #map .point[aria-current="true"] { transform-box: fill-box; transform-origin: center; transform: scale(1.6); }
    #map .point[aria-current="true"] circle { fill: #b00020; stroke-width: 2; }
    #map .point[aria-current="true"] text { fill: #ffffff; }
    section[aria-label="What bodo says"] { flex: 1 1 360px; }
    #cues { list-style: none; padding: 0; margin: 0; }
    #cues button { display: block; width: 100%; text-align: left; font: inherit; background: none; border: 0;
      border-left: 4px solid transparent; padding: 0.35rem 0.5rem; cursor: pointer; color: inherit; }
    #cues li[aria-current="true"] button { background: #fff1c2; border-left-color: #b00020; font-weight: bold; }
    #cues time { font-variant-numeric: tabular-nums; color: #555555; }
    .phase { display: inline-block; min-width: 5.5em; color: #555555; font-size: 0.85em; }
    """

    /// The page's behaviour: follow the audio, seek on a tap, start at `#t=`.
    private static let script = """
    "use strict";
    const audio = document.getElementById("audio");
    const cues = Array.from(document.querySelectorAll("#cues li"));
    const starts = cues.map((cue) => parseFloat(cue.dataset.start));
    let current = null;

    function cueAt(time) {
      let found = null;
      for (let i = 0; i < cues.length && starts[i] <= time + 0.0005; i++) found = cues[i];
      return found;
    }

    function mark(cue) {
      if (cue === current) return;
      if (current) current.removeAttribute("aria-current");
      for (const point of document.querySelectorAll("#map .point[aria-current]")) point.removeAttribute("aria-current");
      current = cue;
      if (!cue) return;
      cue.setAttribute("aria-current", "true");
      cue.scrollIntoView({ block: "nearest", behavior: "smooth" });
      const point = cue.dataset.point && document.getElementById("point-" + cue.dataset.point);
      if (point) point.setAttribute("aria-current", "true");
    }

    function follow() { mark(cueAt(audio.currentTime)); }
    for (const event of ["timeupdate", "seeked", "seeking", "loadedmetadata", "play"]) audio.addEventListener(event, follow);
    // Smoother than timeupdate's four times a second while playing.
    function frame() { follow(); if (!audio.paused) requestAnimationFrame(frame); }
    audio.addEventListener("play", () => requestAnimationFrame(frame));

    function seek(time) {
      audio.currentTime = time;
      mark(cueAt(time));
    }
    cues.forEach((cue, i) => cue.querySelector("button").addEventListener("click", () => { seek(starts[i]); audio.play().catch(() => {}); }));
    for (const point of document.querySelectorAll("#map .point")) {
      point.addEventListener("click", () => {
        const first = cues.find((cue) => cue.dataset.point === point.id.slice("point-".length));
        if (first) { seek(parseFloat(first.dataset.start)); audio.play().catch(() => {}); }
      });
    }

    // Media fragments: #t=75, #t=75.5, #t=1:15, #t=0:01:15, #t=npt:75 (the start only).
    function fragmentTime() {
      const match = /(?:^#|&)t=(?:npt:)?([0-9:.]+)/.exec(location.hash);
      if (!match) return null;
      const seconds = match[1].split(":").reduce((total, part) => total * 60 + parseFloat(part), 0);
      return Number.isFinite(seconds) ? seconds : null;
    }
    function startAtFragment() {
      const time = fragmentTime();
      if (time === null) return;
      if (audio.readyState >= 1) seek(time); else audio.addEventListener("loadedmetadata", () => seek(time), { once: true });
    }
    window.addEventListener("hashchange", startAtFragment);
    startAtFragment();
    follow();
    """
}
