/// A software licence that a host pays for when it runs something that needs it
/// (licences.csv): Windows Server Datacenter on every core of the host with a 16-core
/// minimum, SQL Server per core, a hypervisor subscription per socket. Licensing the host
/// covers every VM on it, which is why packing the VMs that need a licence onto few hosts
/// saves money.
public struct Licence: Sendable, Hashable {
    public enum Unit: String, Sendable, CaseIterable {
        case core, socket, host
    }

    public var name: String
    public var per: Unit
    /// Units counted on a host at least (Windows Server: 16 cores); 0 for none.
    public var minimumPerHost: Int
    /// Price of one unit.
    public var price: Double

    public init(name: String, per: Unit, minimumPerHost: Int = 0, price: Double) {
        self.name = name
        self.per = per
        self.minimumPerHost = minimumPerHost
        self.price = price
    }

    /// Units a host needs: its cores, its sockets or 1, and at least the minimum; nil when
    /// priced per socket and the host does not say how many it has.
    public func units(on host: VMHost) -> Int? {
        let counted: Int
        switch per {
        case .core: counted = host.cpuCores
        case .socket:
            guard let sockets = host.sockets else { return nil }
            counted = sockets
        case .host: counted = 1
        }
        return max(counted, minimumPerHost)
    }

    /// Units billed on a host: `units`, or one socket (at least the minimum) where the host
    /// does not say its sockets, which `LicenceCheck` refuses where files are read.
    public func billedUnits(on host: VMHost) -> Int {
        units(on: host) ?? max(1, minimumPerHost)
    }

    /// What licensing the host costs.
    public func cost(on host: VMHost) -> Double {
        Double(billedUnits(on: host)) * price
    }
}
