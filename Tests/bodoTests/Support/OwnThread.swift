import Foundation

/// Runs `body` with every one of its awaits resumed on a thread of its own, not on the shared
/// pool Swift Testing runs tests on (as many threads as cores: two here). A test that acts on
/// time (a word 2 s into a search, Ctrl-C while an export writes) must wake when it asked to:
/// blocking a pool thread starved every other test, and waiting on the pool woke it late
/// whenever two other tests held both threads (a search's word came after the search).
/// Issues recorded in `body` belong to the test as usual: it is the same task.
func onItsOwnThread<T>(_ body: () async throws -> T) async rethrows -> T {
    let executor = ThreadExecutor()
    defer { executor.stop() }
    return try await withTaskExecutorPreference(executor, operation: body)
}

/// A task executor with one thread of its own, which runs the jobs given to it in order.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

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

    /// Ends the thread once the jobs given so far have run.
    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    private func run() {
        while true {
            let job: UnownedJob? = condition.withLock {
                while jobs.isEmpty, !stopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let job else { return }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
