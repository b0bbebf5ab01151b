import Testing
@testable import Hostfit

@Suite("Fixed-hosts search")
struct FixedHostsSearchTests {
    private func loads(_ hostOf: [Int], _ search: FixedHostsSearch) -> (load: [[Double]], count: [Int]) {
        var load = [[Double]](repeating: [Double](repeating: 0, count: search.sizes[0].count), count: search.hosts)
        var count = [Int](repeating: 0, count: search.hosts)
        for (v, h) in hostOf.enumerated() {
            count[h] += 1
            for d in load[h].indices { load[h][d] += search.sizes[v][d] }
        }
        return (load, count)
    }

    /// Three VMs of 27-40% of a host on every host, as in Scholl's N4W1B1: first fit
    /// decreasing pairs the large ones and ends hosts above; the search finds the triples.
    @Test(arguments: [1, 2]) func findsAPlanOnExactlyTheBound(dimensions: Int) {
        var rng = SeededGenerator(seed: 5 + UInt64(dimensions))
        var sizes: [[Double]] = []
        for _ in 0..<40 {
            var triple = [[Double]](repeating: [], count: 3)
            for _ in 0..<dimensions {
                let a = Double.random(in: 0.27...0.40, using: &rng), b = Double.random(in: 0.27...0.40, using: &rng)
                let c = min(0.40, max(0.27, Double.random(in: 0.9...1.0, using: &rng) - a - b))
                triple[0].append(a); triple[1].append(b); triple[2].append(c)
            }
            sizes += triple
        }
        sizes.shuffle(using: &rng)
        let search = FixedHostsSearch(sizes: sizes, hosts: 40, vmLimit: 10)
        let outcome = search.run(allowance: .work(seconds: 20), seed: 1)
        let hostOf = try? #require(outcome.hostOf)
        guard let hostOf else { return }
        let (load, _) = loads(hostOf, search)
        #expect(load.allSatisfy { $0.allSatisfy { $0 <= 1 + 1e-9 } })
        #expect(hostOf.allSatisfy { (0..<40).contains($0) })
    }

    @Test func keepsToTheVMLimit() throws {
        let search = FixedHostsSearch(sizes: [[Double]](repeating: [0.01], count: 6), hosts: 2, vmLimit: 3)
        let hostOf = try #require(search.run(allowance: .work(seconds: 5), seed: 1).hostOf)
        #expect(loads(hostOf, search).count == [3, 3])
    }

    /// More demand than the hosts hold: it stops at its deadline with the overload it got to.
    @Test func stopsWithoutAPlanWhenNoneExists() {
        let search = FixedHostsSearch(sizes: [[0.6], [0.6], [0.6]], hosts: 1, vmLimit: 5)
        let outcome = search.run(allowance: .work(seconds: 0.005), seed: 1)
        #expect(outcome.hostOf == nil)
        #expect(abs(outcome.leastOverload - 0.8) < 1e-9)
        let two = FixedHostsSearch(sizes: [[0.6], [0.6], [0.6], [0.6], [0.1]], hosts: 2, vmLimit: 5)
        let start = ContinuousClock.now
        let missed = two.run(allowance: .work(seconds: 0.005), seed: 1)
        #expect(missed.hostOf == nil)
        #expect(abs(missed.leastOverload - 0.5) < 1e-9)
        #expect(start.duration(to: .now) < .seconds(2))
        let tooMany = FixedHostsSearch(sizes: [[0.1], [0.1], [0.1]], hosts: 1, vmLimit: 2)
        #expect(tooMany.run(allowance: .work(seconds: 60), seed: 1).hostOf == nil)
    }
}
