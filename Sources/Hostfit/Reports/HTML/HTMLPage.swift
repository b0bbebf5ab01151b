import Foundation

/// One self-contained HTML page: inline CSS, inline SVG, no script and nothing fetched
/// from the network, so it opens the same from a mail attachment, a file share or print.
struct HTMLPage {
    var title: String
    /// The answer in words, first thing on the page.
    var headline: String
    var facts: [(String, String)] = []
    var sections: [String] = []
    var footer: String = ""

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    mutating func section(_ title: String, intro: String? = nil, _ body: String) {
        var html = "<section><h2>\(Self.escape(title))</h2>\n"
        if let intro { html += "<p class=\"intro\">\(Self.escape(intro))</p>\n" }
        sections.append(html + body + "\n</section>")
    }

    /// A table; `numeric` columns align right. Cells are text, escaped here.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], limit: Int? = nil) -> String {
        var html = "<table><thead><tr>"
        for (i, h) in header.enumerated() { html += "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(h))</th>" }
        html += "</tr></thead><tbody>\n"
        let shown = limit.map { Array(rows.prefix($0)) } ?? rows
        for row in shown {
            html += "<tr>"
            for (i, cell) in row.enumerated() { html += "<td\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(cell))</td>" }
            html += "</tr>\n"
        }
        html += "</tbody></table>"
        if let limit, rows.count > limit { html += "<p class=\"more\">\(rows.count - limit) more rows in the CSV.</p>" }
        return html
    }

    var html: String {
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header><p class="brand">Hostfit</p><h1>\(Self.escape(title))</h1>
        <p class="headline">\(Self.escape(headline))</p>

        """
        if !facts.isEmpty {
            page += "<dl class=\"facts\">" + facts.map { "<div><dt>\(Self.escape($0.0))</dt><dd>\(Self.escape($0.1))</dd></div>" }.joined() + "</dl>\n"
        }
        page += "</header>\n<main>\n" + sections.joined(separator: "\n") + "\n</main>\n"
        page += "<footer>\(Self.escape(footer))</footer>\n</body>\n</html>\n"
        return page
    }

    // System fonts only: a font from the network would break "self-contained".
    static let css = """
    :root{--ink:#1d2733;--muted:#5b6776;--line:#d9dee5;--accent:#2563a8;--bad:#c0392b;--warn:#d68910;--ok:#2e8b57}
    *{box-sizing:border-box}
    body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
    header,main,footer{max-width:1120px;margin:0 auto;padding:0 24px}
    header{padding-top:24px;border-bottom:1px solid var(--line);padding-bottom:12px}
    .brand{margin:0;color:var(--accent);font-weight:600;letter-spacing:.08em;text-transform:uppercase;font-size:12px}
    h1{margin:4px 0 8px;font-size:24px}
    h2{font-size:18px;margin:28px 0 6px;border-bottom:1px solid var(--line);padding-bottom:4px}
    .headline{font-size:18px;margin:8px 0 12px;max-width:60em}
    .intro{color:var(--muted);margin:4px 0 10px;max-width:60em}
    .facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:8px 0}
    .facts div{min-width:120px}.facts dt{color:var(--muted);font-size:12px}.facts dd{margin:0;font-size:18px;font-weight:600}
    table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
    th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
    th{background:#f4f6f9;font-weight:600}
    td:first-child{white-space:nowrap}
    td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .more{color:var(--muted);font-size:12px}
    svg{max-width:100%;height:auto;display:block;margin:6px 0}
    svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
    .legend{color:var(--muted);font-size:12px}
    .stars{color:#e0a800;letter-spacing:1px}
    footer{color:var(--muted);font-size:12px;border-top:1px solid var(--line);margin-top:32px;padding-top:8px;padding-bottom:24px}
    @media print{body{font-size:11px}header,main,footer{max-width:none;padding:0}section{break-inside:avoid-page}h2{break-after:avoid}}
    """
}
