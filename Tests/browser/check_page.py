"""Drives the session page in headless Chromium (Selenium, Debian's chromium-driver) and checks
that it follows its audio: seeking to a cue's start marks that cue (aria-current="true") and its
point on the map; tapping a cue or a point seeks there; #t=SECONDS starts there.

Usage: check_page.py PAGE.html TIMELINE.json SCREENSHOT.png
TIMELINE.json is `bodo preview --format json` for the same options as the page.
Prints one line per check; exits 1 at the first failure, 0 when all pass."""
import json
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

page, timeline_path, screenshot = sys.argv[1:4]
timeline = json.load(open(timeline_path))
rate = timeline["sampleRate"]
cues = timeline["cues"]


def line_starts():
    """Where the page's lines start: each spoken cue, and each hold once, at its first tick."""
    starts, previous = [], None
    for cue in cues:
        in_hold = cue["phase"] == "hold"
        same_hold = previous is not None and previous["phase"] == "hold" and previous.get("point") == cue.get("point")
        if not in_hold or not same_hold:
            starts.append((cue["start"], cue))
        previous = cue
    return starts


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def wait_for(what, condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    fail("timed out after %ss waiting for %s" % (seconds, what))


options = Options()
options.binary_location = "/usr/bin/chromium"
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--autoplay-policy=no-user-gesture-required", "--mute-audio"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
driver.set_script_timeout(30)

marked_cue = "var c = document.querySelector('#cues li[aria-current=\"true\"]'); return c ? c.dataset.sample : null;"
marked_points = "return Array.from(document.querySelectorAll('#map .point[aria-current=\"true\"]')).map(p => p.id);"
audio_time = "return document.getElementById('audio').currentTime;"

try:
    driver.get("file://" + page)
    ready = wait_for("the audio's metadata", lambda: driver.execute_script("return document.getElementById('audio').readyState >= 1"), 60)
    duration = driver.execute_script("return document.getElementById('audio').duration")
    if abs(duration - timeline["totalSamples"] / rate) > 0.25:
        fail("the audio lasts %.3f s, the timeline %.3f s" % (duration, timeline["totalSamples"] / rate))
    print("ok: audio of %.1f s" % duration)
    external = driver.execute_script(
        "return Array.from(document.querySelectorAll('[src],[href]')).map(e => e.getAttribute('src') || e.getAttribute('href'))"
        ".filter(u => !u.startsWith('data:') && !u.startsWith('#'))")
    if external:
        fail("the page reaches outside itself: %s" % external[:3])

    starts = line_starts()
    speech = [c for c in cues if c["kind"] == "speech" and c["phase"] != "hold"]
    picks = [speech[0], next(c for c in speech if c["phase"] == "position"),
             next(c for c in speech if c["phase"] == "announce" and c.get("point") == 5),
             next(c for c in cues if c["kind"] == "tick" and c.get("point") == 7),
             next(c for c in speech if c["phase"] == "search" and c.get("point") == 9),
             next(c for c in speech if c["phase"] == "stretch"), speech[-1]]
    for cue in picks:
        driver.execute_script("document.getElementById('audio').currentTime = arguments[0];", cue["start"] / rate + 0.05)
        wait_for("cue at sample %d to be marked" % cue["start"], lambda: driver.execute_script(marked_cue) == str(cue["start"]))
        expected = ["point-%d" % cue["point"]] if cue.get("point") else []
        wait_for("map point %s for the cue at %d" % (expected, cue["start"]), lambda: driver.execute_script(marked_points) == expected)
        print("ok: %s at %.3f s marks its line and %s" % (cue["phase"], cue["start"] / rate, expected or "no point"))

    # The screenshot: point 5, with its line scrolled into view.
    announce5 = next(c for c in speech if c["phase"] == "announce" and c.get("point") == 5)
    driver.execute_script("document.getElementById('audio').currentTime = arguments[0];", announce5["start"] / rate + 0.05)
    wait_for("point 5 to be marked", lambda: driver.execute_script(marked_cue) == str(announce5["start"]))
    time.sleep(1.5)  # the smooth scroll
    driver.save_screenshot(screenshot)

    # A tap on a line seeks to it; a tap on a point seeks to its first line.
    target = next(c for c in speech if c["phase"] == "announce" and c.get("point") == 3)
    button = driver.find_element(By.CSS_SELECTOR, '#cues li[data-sample="%d"] button' % target["start"])
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    wait_for("a tap to seek", lambda: abs(driver.execute_script(audio_time) - target["start"] / rate) < 0.3)
    wait_for("the tapped line to be marked", lambda: driver.execute_script(marked_cue) == str(target["start"]))
    print("ok: tapping a line seeks to %.3f s" % (target["start"] / rate))
    driver.execute_script("document.getElementById('audio').pause();")
    first = min(c["start"] for c in cues if c.get("point") == 8)
    driver.execute_script("document.getElementById('point-8').dispatchEvent(new MouseEvent('click', {bubbles: true}));")
    wait_for("a tap on point 8 to seek", lambda: abs(driver.execute_script(audio_time) - first / rate) < 0.3)
    print("ok: tapping point 8 seeks to %.3f s" % (first / rate))
    driver.execute_script("document.getElementById('audio').pause();")

    # A media fragment starts the page there.
    for fragment, seconds in [("t=75", 75.0), ("t=2:30", 150.0)]:
        driver.get("about:blank")
        driver.get("file://" + page + "#" + fragment)
        expected = max(s for s, _ in starts if s <= seconds * rate)
        wait_for("#%s to start at %.0f s" % (fragment, seconds), lambda: abs(driver.execute_script(audio_time) - seconds) < 0.3, 60)
        wait_for("#%s to mark the line at sample %d" % (fragment, expected), lambda: driver.execute_script(marked_cue) == str(expected))
        print("ok: #%s starts at %.0f s and marks its line" % (fragment, seconds))
    print("all checks passed")
finally:
    driver.quit()
