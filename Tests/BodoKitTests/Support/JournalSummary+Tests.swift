import Foundation
import Synchronization
import Testing
@testable import BodoKit

extension JournalSummary {
    init(entries sessionsThisWeek: Int, _ streakWeeks: Int, _ total: Int) {
        self.init([])
        self.sessionsThisWeek = sessionsThisWeek
        self.streakWeeks = streakWeeks
        self.total = total
    }
}
