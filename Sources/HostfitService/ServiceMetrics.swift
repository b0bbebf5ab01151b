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

    static func placement(_ answer: ServiceAnswer, vms: Int, seconds: Double) {
        Timer(label: "hostfit_placement_seconds").recordNanoseconds(Int64(seconds * 1e9))
        if answer.replayed {
            Counter(label: "hostfit_idempotent_replays_total").increment()
        } else if answer.status == 201 {
            Counter(label: "hostfit_vms_placed_total").increment(by: vms)
        } else {
            let rule = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])?["rule"] as? String ?? "none"
            Counter(label: "hostfit_placements_refused_total", dimensions: [("status", String(answer.status)), ("rule", rule)]).increment()
        }
    }
}
