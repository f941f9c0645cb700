import Foundation

/// What the journal says about a person's practice: sessions this week and the streak of
/// weeks (ISO weeks, Monday to Sunday) with at least one.
public struct JournalSummary: Sendable, Equatable {
    public var sessionsThisWeek: Int
    /// Weeks in a row with a session, ending with this week, or with last week while this one
    /// has none yet (the streak is still alive until Sunday ends).
    public var streakWeeks: Int
    public var total: Int

    /// Counts only the entries that were practice (`Journal.Entry.counts`).
    public init(_ entries: [Journal.Entry], now: Date = Date(), timeZone: TimeZone = .current) {
        let entries = entries.filter(\.counts)
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        func week(_ date: Date) -> Int {
            let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
            // A week's number on one line across years: weeks since a Monday long ago.
            let monday = calendar.date(from: DateComponents(weekOfYear: c.weekOfYear, yearForWeekOfYear: c.yearForWeekOfYear))!
            return Int(saturating: monday.timeIntervalSinceReferenceDate / (7 * 86400), .down)
        }
        let thisWeek = week(now)
        let weeks = Set(entries.map { week($0.date) })
        sessionsThisWeek = entries.filter { week($0.date) == thisWeek }.count
        var streak = 0
        var current = weeks.contains(thisWeek) ? thisWeek : thisWeek - 1
        while weeks.contains(current) {
            streak += 1
            current -= 1
        }
        streakWeeks = streak
        total = entries.count
    }
}

/// Each point's usual search time for this person, learned from the searches the journal
/// recorded (`--search learned`): a high percentile of their times plus a margin, so most
/// searches fit and a slow day is not cut short, within the script's limits.
///
/// Only searches that ended with "found it" say how long a person needs: bodo records no
/// other since issue 18, and a time at `search_max` or over (an older journal's search that ran
/// out) is left out. One time far beyond the rest (the day the phone rang) is left out too,
/// so it cannot carry the point to the cap: four searches of 48, 4, 7 and 9 s learn 12 s.
public enum LearnedPace {
    /// Searches a point needs before its time counts as learned.
    public static let fewest = 3
    /// The 80th percentile of a point's searches, plus this.
    public static let margin = 3.0
    /// A search this many times the point's median is an outlier.
    public static let outlier = 3.0

    /// Search times by point number for `routine`, or nil (with how many searches the
    /// journal has) when too few are recorded for any of its points.
    public static func searchTimes(for routine: Routine, from entries: [Journal.Entry]) -> (times: [Int: ScriptDuration], sessions: Int)? {
        let relevant = entries.filter { $0.routine == routine.name && !$0.searches.isEmpty }
        var times: [Int: ScriptDuration] = [:]
        for point in routine.points {
            let limit = Double(routine.timing.searchMax.milliseconds) / 1000
            let found = relevant.compactMap { $0.searches[point.number] }.filter { $0 < limit }.sorted()
            guard !found.isEmpty else { continue }
            let median = found[found.count / 2]
            let seen = found.filter { $0 <= outlier * max(median, 1) }
            guard seen.count >= fewest else { continue }
            let high = seen[min(seen.count - 1, seen.count * 4 / 5)] + margin
            // At least a second, at most the script's search_max (which wins if it is shorter).
            let seconds = high.clamped(atLeast: 1, atMost: Double(routine.timing.searchMax.milliseconds) / 1000)
            times[point.number] = ScriptDuration(milliseconds: Int(saturating: seconds * 1000))
        }
        return times.isEmpty ? nil : (times, relevant.count)
    }
}
