import Foundation

/// Runs `body` with every one of its awaits resumed on a thread of its own, not on the shared
/// pool Swift Testing runs tests on (as many threads as cores: two here). A test that acts on
/// time (a word 2 s into a search, Ctrl-C while an export writes) must wake when it asked to:
/// blocking a pool thread starved every other test, and waiting on the pool woke it late
/// whenever two other tests held both threads (a search's word came after the search).
/// Issues recorded in `body` belong to the test as usual: it is the same task.
func onItsOwnThread<T>(_ body: () async throws -> T) async rethrows -> T {
    try await withTaskExecutorPreference(ThreadExecutor(), operation: body)
}

/// A task executor with one thread of its own, which runs the jobs given to it in order. The
/// thread is never ended: a job given after it had ended would never run, and the test that
/// waited for it would hang; one parked thread per live test costs nothing.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init() {
        Thread { [self] in run() }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func run() {
        while true {
            let job = condition.withLock {
                while jobs.isEmpty { condition.wait() }
                return jobs.removeFirst()
            }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
