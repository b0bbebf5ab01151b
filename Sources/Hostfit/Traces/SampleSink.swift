/// Where samples go when they are not kept per entity: a reader hands each one over as it
/// parses it, so memory follows what the sink keeps, not the samples (streaming replay).
/// One sink per worker, like collectors; `endFile` closes what one file said.
protocol SampleSink: AnyObject {
    /// `entity` is the collector's index; `name` resolves it on first sight.
    func add(entity: Int, name: (Int) -> String, time: Int64, metric: Metric, value: Double)
    func endFile(_ file: String)
}
