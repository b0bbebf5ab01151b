import Foundation

/// Target maximum utilization per resource, in percent of capacity: the planner fills a
/// host only up to it, leaving the rest for peaks it has not seen.
public struct Headroom: Hashable, Sendable, CustomStringConvertible {
    /// Defaults a capacity planner would pick: CPU is shared and bursts, memory is not
    /// reclaimed gracefully, so both keep a reserve; counted resources are exact.
    public static let defaultPercent: [Resource: Double] = [.cpu: 80, .memory: 90, .disk: 80, .network: 80]

    public private(set) var percent: [Resource: Double]

    public init(percent: [Resource: Double] = Headroom.defaultPercent) {
        self.percent = percent
    }

    /// Parses `cpu=80,memory=90` over the defaults; any other name is a counted resource.
    public init(parsing text: String, over base: Headroom = Headroom()) throws(HeadroomError) {
        self = base
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, !pair[0].isEmpty else { throw HeadroomError(text: String(part), why: "expected NAME=PERCENT") }
            guard let value = Double(pair[1]), value.isFinite, value > 0, value <= 100 else {
                throw HeadroomError(text: String(part), why: "the percentage must be a number above 0 and at most 100")
            }
            let resource = Resource.standard(named: pair[0]) ?? .counted(pair[0].lowercased())
            percent[resource] = value
        }
    }

    /// The usable share of capacity, 0...1.
    public func fraction(for resource: Resource) -> Double {
        (percent[resource] ?? 100) / 100
    }

    public var description: String {
        percent.keys.sorted().map { "\($0.name)=\(Resource.number(percent[$0]!))" }.joined(separator: ",")
    }
}

public struct HeadroomError: Error, CustomStringConvertible {
    public var text: String
    public var why: String
    public var description: String { "--headroom '\(text)': \(why)" }
}
