import Foundation
import HostfitCommandLine
import Hostfit
import Synchronization

/// The search's state on one status line, redrawn twice a second on a terminal: phase,
/// hosts in the best plan, bound, gap and time left. Nothing when stderr is not a terminal.
final class ProgressLine: @unchecked Sendable {  // the timer is set once, in init
    private let state = Mutex<PlanProgress?>(nil)
    private let started = Date()
    private let timer: (any DispatchSourceTimer)?

    init() {
        guard Terminal.isInteractive else { timer = nil; return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        self.timer = timer
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
    }

    func update(_ progress: PlanProgress) {
        state.withLock { $0 = progress }
    }

    private func draw() {
        guard let p = state.withLock({ $0 }) else { return }
        let elapsed = Date().timeIntervalSince(started)
        let left = max(0, p.timeLimit - elapsed)
        let hosts = p.hosts.map { "\($0) hosts" } ?? "no plan yet"
        let gap = p.gap.map { String(format: ", gap %.1f%%", $0 * 100) } ?? ""
        Terminal.status("\(p.phase): \(hosts), bound \(p.bound)\(gap), \(Int((p.work * 100).rounded()))% of the effort spent (\(Int(left.rounded(.up))) s at most)")
    }

    func finish() {
        timer?.cancel()
        Terminal.clearStatus()
    }
}
