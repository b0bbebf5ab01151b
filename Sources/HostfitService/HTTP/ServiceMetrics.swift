import Foundation
import Metrics
import Prometheus

/// What /metrics counts besides Hummingbird's per-route requests: VMs placed and refused
/// (by rule), and how long a placement request held the desk.
enum ServiceMetrics {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var registry: PrometheusCollectorRegistry?

    /// The process's registry, swift-metrics bootstrapped with it on first use.
    static func bootstrap() -> PrometheusCollectorRegistry {
        lock.withLock {
            if let registry { return registry }
            let made = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: made))
            registry = made
            return made
        }
    }

    /// A placement request's outcome: VMs placed, a replay, or a refusal by status and rule.
    static func placement(_ outcome: Result<DeskResult.Placements, any Error>, vms: Int, seconds: Double) {
        Timer(label: "hostfit_placement_seconds").recordNanoseconds(Int64(seconds * 1e9))
        switch outcome {
        case .success(let result) where result.replayed:
            Counter(label: "hostfit_idempotent_replays_total").increment()
        case .success:
            Counter(label: "hostfit_vms_placed_total").increment(by: vms)
        case .failure(let error):
            let status = (error as? DeskError)?.status.code ?? 500
            let rule = (error as? DeskError)?.rule?.rawValue ?? "none"
            Counter(label: "hostfit_placements_refused_total", dimensions: [("status", String(status)), ("rule", rule)]).increment()
        }
    }
}
