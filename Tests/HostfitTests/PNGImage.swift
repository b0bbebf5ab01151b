import CGzip
import Foundation

/// Just enough of PNG to look at a browser's screenshot: 8-bit RGB or RGBA, every
/// filter, no interlacing (what Chromium writes).
struct PNGImage {
    var width: Int
    var height: Int
    /// RGBA, row by row.
    var pixels: [UInt8]

    struct Unreadable: Error, CustomStringConvertible { var description: String }

    init(contentsOf path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { throw Unreadable(description: "\(path): not a PNG") }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var i = 8, idat: [UInt8] = [], w = 0, h = 0, channels = 0
        while i + 8 <= bytes.count {
            let length = be32(i), type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(bytes[(i + 8)..<min(bytes.count, i + 8 + length)])
            switch type {
            case "IHDR":
                w = be32(i + 8); h = be32(i + 12)
                guard data[8] == 8, data[12] == 0 else { throw Unreadable(description: "\(path): only 8-bit, non-interlaced PNG") }
                switch data[9] { case 2: channels = 3; case 6: channels = 4; default: throw Unreadable(description: "\(path): colour type \(data[9])") }
            case "IDAT": idat += data
            default: break
            }
            i += 12 + length
        }
        let stride = w * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * h)
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in idat.withUnsafeBufferPointer { uncompress(out.baseAddress, &size, $0.baseAddress, uLong($0.count)) } }
        guard status == Z_OK, Int(size) == raw.count else { throw Unreadable(description: "\(path): zlib status \(status)") }
        var image = [UInt8](repeating: 0, count: stride * h)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)], row = y * (stride + 1) + 1
            for x in 0..<stride {
                let a = x >= channels ? Int(image[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(image[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(image[(y - 1) * stride + x - channels]) : 0
                let predictor: Int
                switch filter {
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: predictor = 0
                }
                image[y * stride + x] = UInt8((Int(raw[row + x]) + predictor) & 0xFF)
            }
        }
        width = w
        height = h
        if channels == 4 {
            pixels = image
        } else {
            var rgba = [UInt8](repeating: 255, count: w * h * 4)
            for p in 0..<(w * h) {
                rgba[p * 4] = image[p * 3]
                rgba[p * 4 + 1] = image[p * 3 + 1]
                rgba[p * 4 + 2] = image[p * 3 + 2]
            }
            pixels = rgba
        }
    }

    /// Share of pixels that are not (near) white: a blank page is 0.
    var inkedShare: Double {
        var inked = 0
        for p in Swift.stride(from: 0, to: pixels.count, by: 4) where Int(pixels[p]) + Int(pixels[p + 1]) + Int(pixels[p + 2]) < 3 * 245 { inked += 1 }
        return Double(inked) / Double(max(1, width * height))
    }

    /// Distinct colours, to tell a chart from a page of one flat colour.
    var colours: Int {
        var seen = Set<UInt32>()
        for p in Swift.stride(from: 0, to: pixels.count, by: 4) {
            seen.insert(UInt32(pixels[p]) << 16 | UInt32(pixels[p + 1]) << 8 | UInt32(pixels[p + 2]))
        }
        return seen.count
    }
}
