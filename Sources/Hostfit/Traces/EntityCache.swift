/// Resolves the entity of each row, remembering the last one: traces list an entity's
/// rows together, so most rows skip the dictionary lookup and the String.
struct EntityCache {
    private var lastBytes: [UInt8] = []
    private var last = -1

    mutating func entity(_ bytes: UnsafeBufferPointer<UInt8>, in c: TraceCollector) -> Int {
        if last < 0 || !bytes.elementsEqual(lastBytes) {
            lastBytes = Array(bytes)
            last = c.entity(String(decoding: bytes, as: UTF8.self))
        }
        return last
    }
}
