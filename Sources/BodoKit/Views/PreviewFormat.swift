import Foundation

/// A way to show a session as text. Both previews read the same timeline the audio is rendered
/// from, so the times they print are the times the sounds play.
public protocol PreviewFormat: Sendable {
    /// Waits for the session's speech (the times depend on its real length). `range` cuts the
    /// session as `export --from/--to` does (times then count from the cut); `measured` are
    /// the levels it reached (`Session.measureLevels`), when they were asked for.
    func format(_ session: Session, range: Range<Int>?, measured: MeasuredLevels?) throws -> String
}
