import Foundation

/// Maps over an array on every core, keeping order. For CPU-bound work on independent items.
enum ParallelMap {
    static func map<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count))
        withoutActuallyEscaping(transform) { transform in
            let box = UnsafeSendable((items, transform, results))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let (items, transform, results) = box.value
                var k = w
                while k < items.count {
                    results[k] = transform(items[k])
                    k += workers
                }
            }
        }
        return results.map { $0! }
    }
}

/// Hands values to concurrent workers that each touch disjoint parts of them.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
