import Foundation

/// Charts drawn as inline SVG by hand: a heat map, stacked and plain bars and a timeline
/// are a few rectangles and lines each, and an SVG library would add a dependency to the
/// core for less control over print and size (a 50-host, 168-hour heat map is 8,400 rects).
enum SVGChart {
    static func n(_ x: Double) -> String { String(format: "%.1f", x) }
    static func text(_ x: Double, _ y: Double, _ s: String, size: Int = 11, anchor: String = "start", fill: String = "#1d2733") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(fill)\">\(HTMLPage.escape(s))</text>"
    }

    /// Utilization colour: pale to deep blue up to the headroom limit, amber above it, red
    /// over capacity. Grey where nothing was measured.
    static func color(percent: Double?, limit: Double) -> String {
        guard let p = percent else { return "#eceff3" }
        if p > 100 { return "#c0392b" }
        if p > limit { return "#e67e22" }
        let t = max(0, min(1, p / max(limit, 1)))
        let from = (238.0, 244.0, 251.0), to = (21.0, 67.0, 140.0)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    }

    /// Rows (hosts) by columns (time buckets) of percent of capacity.
    static func heatMap(rows: [String], values: [[Double?]], columnLabels: [(Int, String)], limit: Double, title: String) -> String {
        let columns = values.first?.count ?? 0
        guard !rows.isEmpty, columns > 0 else { return "" }
        let left = 92.0, top = 8.0, cellH = rows.count > 40 ? 8.0 : 14.0
        let cellW = max(2.0, min(18.0, 960.0 / Double(columns)))
        let width = left + cellW * Double(columns) + 10, height = top + cellH * Double(rows.count) + 34
        var svg = "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        for (i, row) in rows.enumerated() {
            let y = top + cellH * Double(i)
            if cellH >= 10 || i % 5 == 0 { svg += text(left - 6, y + cellH - 3, row, size: cellH >= 10 ? 10 : 8, anchor: "end") }
            for (j, value) in values[i].enumerated() {
                svg += "<rect x=\"\(n(left + cellW * Double(j)))\" y=\"\(n(y))\" width=\"\(n(cellW + 0.05))\" height=\"\(n(cellH - 1))\" fill=\"\(color(percent: value, limit: limit))\"/>"
            }
        }
        let axis = top + cellH * Double(rows.count) + 2
        var lastLabel = -Double.infinity
        for (j, label) in columnLabels {
            let x = left + cellW * Double(j)
            guard x - lastLabel >= 44 else { continue }  // labels that would overlap
            lastLabel = x
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(axis + 4))\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
            svg += text(x + 2, axis + 14, label, size: 10, fill: "#5b6776")
        }
        // The scale, under the map.
        let legendY = axis + 22
        for (k, p) in stride(from: 0.0, through: 100.0, by: 10).enumerated() {
            svg += "<rect x=\"\(n(left + Double(k) * 22))\" y=\"\(n(legendY))\" width=\"22\" height=\"8\" fill=\"\(color(percent: p == 100 ? 100.5 : p, limit: limit))\"/>"
        }
        svg += text(left + 11 * 22 + 6, legendY + 8, "0 to 100% of capacity; amber above the \(Resource.number(limit))% headroom, red over capacity", size: 10, fill: "#5b6776")
        return svg + "</svg>"
    }

    static let palette = ["#4e79a7", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f", "#f28e2b", "#86bcb6", "#8cd17d", "#bab0ac",
                          "#a0cbe8", "#ffbe7d", "#d4a6c8", "#fabfd2", "#d7b5a6"]

    /// One horizontal bar per row, in percent of capacity, split into segments (VMs), with
    /// the row's headroom limit as a tick.
    static func stackedBars(rows: [(label: String, segments: [(name: String, value: Double)], limit: Double)], title: String) -> String {
        guard !rows.isEmpty else { return "" }
        let left = 150.0, barW = 760.0, rowH = 18.0, top = 6.0
        let scale = barW / 110  // room to 110% shows an overload
        let height = top + rowH * Double(rows.count) + 26
        var svg = "<svg viewBox=\"0 0 \(n(left + barW + 70)) \(n(height))\" width=\"\(n(left + barW + 70))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        for (i, row) in rows.enumerated() {
            let y = top + rowH * Double(i)
            svg += text(left - 6, y + 12, row.label, size: 10, anchor: "end")
            svg += "<rect x=\"\(n(left))\" y=\"\(n(y + 2))\" width=\"\(n(100 * scale))\" height=\"\(n(rowH - 5))\" fill=\"#f4f6f9\"/>"
            var x = left, total = 0.0
            for (k, segment) in row.segments.enumerated() where segment.value > 0 {
                let w = segment.value * scale
                svg += "<rect x=\"\(n(x))\" y=\"\(n(y + 2))\" width=\"\(n(w))\" height=\"\(n(rowH - 5))\" fill=\"\(palette[k % palette.count])\" stroke=\"#fff\" stroke-width=\"0.5\"><title>\(HTMLPage.escape(segment.name)): \(n(segment.value))%</title></rect>"
                x += w
                total += segment.value
            }
            let tick = left + row.limit * scale
            svg += "<line x1=\"\(n(tick))\" y1=\"\(n(y))\" x2=\"\(n(tick))\" y2=\"\(n(y + rowH - 1))\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>"
            svg += text(left + max(total, row.limit) * scale + 6, y + 12, "\(Int(total.rounded()))%", size: 10, fill: total > row.limit ? "#c0392b" : "#5b6776")
        }
        let axis = top + rowH * Double(rows.count) + 12
        for p in stride(from: 0.0, through: 100, by: 25) { svg += text(left + p * scale, axis, "\(Int(p))%", size: 9, anchor: "middle", fill: "#5b6776") }
        return svg + "</svg>"
    }

    /// Plain horizontal bars with their own text (a count, a cost), the highlighted one darker.
    static func bars(_ items: [(label: String, value: Double, text: String, highlight: Bool)], title: String) -> String {
        guard !items.isEmpty else { return "" }
        let left = 200.0, barW = 560.0, rowH = 24.0
        let maxValue = max(items.map(\.value).max() ?? 1, 1e-9)
        let height = rowH * Double(items.count) + 8
        var svg = "<svg viewBox=\"0 0 \(n(left + barW + 220)) \(n(height))\" width=\"\(n(left + barW + 220))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        for (i, item) in items.enumerated() {
            let y = 4 + rowH * Double(i), w = max(1, item.value / maxValue * barW)
            svg += text(left - 8, y + 15, item.label, size: 12, anchor: "end")
            svg += "<rect x=\"\(n(left))\" y=\"\(n(y + 2))\" width=\"\(n(w))\" height=\"\(n(rowH - 7))\" fill=\"\(item.highlight ? "#2563a8" : "#9fb7d3")\"/>"
            svg += text(left + w + 6, y + 15, item.text, size: 12)
        }
        return svg + "</svg>"
    }

    /// A timeline of one value per interval (hosts over headroom), with date labels.
    static func timeline(_ values: [Double], labels: [(Int, String)], yLabel: String, title: String, color: String = "#c0392b") -> String {
        guard values.count > 1 else { return "" }
        let left = 50.0, top = 10.0, w = 900.0, h = 140.0
        let maxValue = max(values.max() ?? 1, 1)
        func x(_ i: Int) -> Double { left + w * Double(i) / Double(values.count - 1) }
        func y(_ v: Double) -> Double { top + h - h * v / maxValue }
        var svg = "<svg viewBox=\"0 0 \(n(left + w + 20)) \(n(top + h + 34))\" width=\"\(n(left + w + 20))\" role=\"img\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        svg += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"#f8f9fb\"/>"
        for (i, label) in labels {
            svg += "<line x1=\"\(n(x(i)))\" y1=\"\(n(top))\" x2=\"\(n(x(i)))\" y2=\"\(n(top + h))\" stroke=\"#e3e7ec\"/>"
            svg += text(x(i) + 2, top + h + 14, label, size: 10, fill: "#5b6776")
        }
        var path = "M\(n(x(0))),\(n(y(values[0])))"
        for i in 1..<values.count { path += " L\(n(x(i))),\(n(y(values[i])))" }
        svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\"/>"
        svg += text(left - 6, top + 8, Resource.number(maxValue), size: 10, anchor: "end", fill: "#5b6776")
        svg += text(left - 6, top + h, "0", size: 10, anchor: "end", fill: "#5b6776")
        svg += text(left, top + h + 28, yLabel, size: 10, fill: "#5b6776")
        return svg + "</svg>"
    }

    /// Column labels at UTC day starts ("Jul 15"), about a dozen at most, for `slots`
    /// intervals of `step` seconds drawn `group` to a column.
    static func dayLabels(start: Int64, step: Int64, slots: Int, group: Int) -> [(Int, String)] {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let every = max(1, Int(Double(step) * Double(slots) / 86_400 / 12))
        var labels: [(Int, String)] = [], last: Int64 = .min
        for c in 0..<((slots + group - 1) / group) {
            let day = (start + Int64(c * group) * step) / 86_400
            if day != last, day % Int64(every) == 0 {
                let iso = ReplayReport.iso(day * 86_400)  // 2013-07-15T00:00:00Z
                let month = Int(iso.dropFirst(5).prefix(2)) ?? 1, date = Int(iso.dropFirst(8).prefix(2)) ?? 1
                labels.append((c, "\(months[month - 1]) \(date)"))
            }
            last = day
        }
        return labels
    }
}
