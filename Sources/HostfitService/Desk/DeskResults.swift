import Hostfit

/// What the desk answers, as values: the service encodes them as JSON, `hostfit serve`
/// prints their notes, tests read their fields.
public enum DeskResult {
    /// The inventory's size and how it is sized (GET /healthz).
    public struct Counts: Codable, Sendable, Equatable {
        public var hosts: Int
        public var vms: Int
        public var placed: Int
        /// How CPU is planned: "used" or "allocated" (at `vcpu_ratio` per core); "undecided"
        /// until the first VMs of an empty store settle it.
        public var cpu: String
        public var vcpuRatio: Double?
        /// VMs with an hourly profile, and the hours it holds (1: static demand only).
        public var profiled: Int
        public var buckets: Int

        enum CodingKeys: String, CodingKey { case hosts, vms, placed, cpu, vcpuRatio = "vcpu_ratio", profiled, buckets }
    }

    /// What a load of hosts, VMs or profiles took in; fields that do not apply are left out.
    public struct Loaded: Codable, Sendable, Equatable {
        public var hosts: Int?
        public var vms: Int?
        /// VMs of the load that run on a host.
        public var placed: Int?
        public var profiles: Int?
        /// The file's format, for a load of a file.
        public var format: String?
        /// What the operator should know (rows skipped, names matched, sizing chosen).
        public var notes: [String]?
    }

    /// What POST /samples took in.
    public struct Ingested: Codable, Sendable, Equatable {
        public var samples: Int
        /// Samples kept in a VM's window.
        public var accepted: Int
        /// VMs whose load the samples changed.
        public var vms: Int
        /// Samples of hosts: counted, not kept (a host's load is the sum of its VMs').
        public var hostSamples: Int
        /// Samples of entities that are neither a VM nor a host of the store, and a few of them.
        public var unknown: Int
        public var tooOld: Int
        public var unknownExamples: [String]
        enum CodingKeys: String, CodingKey {
            case samples, accepted, vms, unknown
            case hostSamples = "host_samples", tooOld = "older_than_window", unknownExamples = "unknown_examples"
        }
    }

    public struct Deleted: Codable, Sendable, Equatable {
        public var deleted: String
    }

    public struct Released: Codable, Sendable, Equatable {
        public var released: String
        public var host: String
    }

    /// A VM placed, on its host, with the stars that host had.
    public struct Placed: Codable, Sendable, Equatable {
        public var vm: String
        public var host: String
        public var stars: Double
        public var reason: String
    }

    /// VMs placed by one request, all or none. Kept in the store under an Idempotency-Key.
    public struct Placements: Codable, Sendable, Equatable {
        public var placements: [Placed]
        /// An idempotent retry answered from the store: nothing was done again.
        public var replayed: Bool { _replayed ?? false }
        var _replayed: Bool?
        enum CodingKeys: String, CodingKey { case placements }
        init(placements: [Placed], replayed: Bool = false) {
            self.placements = placements
            _replayed = replayed ? true : nil
        }
    }

    public struct Rating: Codable, Sendable, Equatable {
        public var host: String
        public var stars: Double
        public var score: Double
        public var reason: String
        public var rule: String?

        init(_ rating: HostRating) {
            host = rating.host
            stars = rating.stars
            score = (rating.score * 10).rounded() / 10
            reason = rating.reason
            rule = rating.rule?.rawValue
        }
    }

    /// A VM's ratings: the best hosts (or every host, when asked for all), and how many
    /// hosts take it and how many each rule refuses.
    public struct Ratings: Codable, Sendable, Equatable {
        public var vm: String
        public var ratings: [Rating]
        /// Hosts that take the VM, shown or not.
        public var fitting: Int
        /// Hosts that do not, by rule ("capacity": 12).
        public var refused: [String: Int]
    }

    /// A VM of the inventory and where it runs (GET /vms).
    public struct PlacedVM: Encodable, Sendable {
        public var vm: VMRecord
        public var host: String?
        public func encode(to encoder: Encoder) throws {
            try vm.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(host, forKey: .host)
        }
        enum Key: String, CodingKey { case host }
    }

    /// One page of a list, and the cursor of the next (nil on the last page).
    public struct Page<Item: Sendable>: Sendable {
        public var items: [Item]
        public var next: String?
        public var total: Int
    }
}
