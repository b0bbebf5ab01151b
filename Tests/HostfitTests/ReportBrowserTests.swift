import Foundation
import Testing
@testable import Hostfit

/// report.html in a real browser: Debian's Chromium, headless, renders the SampleData
/// reports to PNG; a page that is blank, or that asks the network for anything, fails.
/// `make test` installs chromium when it is missing; plain `swift test` skips without it.
@Suite("report.html in Chromium", .serialized)
struct ReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Chromium's own background calls (time, component updates, sign-in), which it makes
    /// through any proxy whatever the page; never a font or script host.
    static let browserOwn: Set<String> = ["clients2.google.com", "update.googleapis.com", "accounts.google.com", "redirector.gvt1.com",
                                          "safebrowsing.googleapis.com", "optimizationguide-pa.googleapis.com", "clientservices.googleapis.com",
                                          "content-autofill.googleapis.com", "edgedl.me.gvt1.com", "www.google.com"]

    /// Renders `page` to a PNG through a recording proxy; the hosts the page asked for.
    static func render(_ page: String, to png: String, height: Int = 2000) throws -> (image: PNGImage, asked: [String]) {
        let proxy = try RecordingProxy()
        defer { proxy.stop() }
        let profile = Support.temporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                             "--disable-extensions", "--proxy-server=127.0.0.1:\(proxy.port)", "--proxy-bypass-list=<-loopback>",
                             "--window-size=1200,\(height)", "--screenshot=\(png)", URL(fileURLWithPath: page).absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A hung browser must not hang the suite.
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate(); Issue.record("chromium did not finish within 90 s") }
        Thread.sleep(forTimeInterval: 0.3)  // the last connection, if any, to be read
        return (try PNGImage(contentsOf: png), proxy.hosts.filter { !browserOwn.contains($0) })
    }

    /// What a self-contained page must not hold: anything that loads from elsewhere.
    static func externalReferences(_ html: String) -> [String] {
        ["http://", "https://", "<script", "<link", "@import", "url(", "<iframe", "<img"].filter { html.localizedCaseInsensitiveContains($0) }
    }

    /// The harness itself: a page with one external image is caught by both checks, and
    /// a blank page reads as blank.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (make test installs it)"))
    func theChecksCatchAFetchAndABlankPage() throws {
        let dir = Support.temporaryDirectory()
        let page = Support.file("fetching.html", "<!DOCTYPE html><html><body><h1>x</h1><img src=\"http://example.com/a.png\"></body></html>")
        let (_, asked) = try Self.render(page, to: dir + "/fetching.png", height: 400)
        #expect(asked.contains("example.com"), "\(asked)")
        #expect(!Self.externalReferences(try String(contentsOfFile: page, encoding: .utf8)).isEmpty)
        let blank = Support.file("blank.html", "<!DOCTYPE html><html><body></body></html>")
        let (image, _) = try Self.render(blank, to: dir + "/blank.png", height: 400)
        #expect(image.inkedShare < 0.001 && image.colours < 5, "\(image.inkedShare) \(image.colours)")
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (make test installs it)"))
    func sampleReportsRenderAndAskNothing() throws {
        let cli = CLITests(), sample = Support.sampleData, out = Support.temporaryDirectory()
        let plan = try cli.hostfit("plan", "--hosts", sample + "/hosts.csv", "--vms", sample + "/vms.csv", "--traces", sample + "/traces",
                                   "--until", "2013-07-10", "--time-limit", "2", "--out", out + "/plan")
        #expect(plan.code == 0, "\(plan.stderr)")
        let replay = try cli.hostfit("replay", "--plan", out + "/plan/placements.csv", "--traces", sample + "/traces", "--from", "2013-07-10",
                                     "--out", out + "/replay")
        #expect(replay.code == 0, "\(replay.stderr)")
        let place = try cli.hostfit("place", "--hosts", sample + "/hosts.csv", "--vms", sample + "/estate-vms.csv", "--traces", sample + "/traces",
                                    "--new", sample + "/new-vms.csv", "--out", out + "/place")
        #expect(place.code == 0, "\(place.stderr)")
        let rebalance = try cli.hostfit("rebalance", "--hosts", sample + "/hosts.csv", "--vms", sample + "/estate-vms.csv", "--traces", sample + "/traces",
                                        "--headroom", "cpu=70", "--margin", "0", "--out", out + "/rebalance")
        #expect(rebalance.code == 0, "\(rebalance.stderr)")
        for name in ["plan", "replay", "place", "rebalance"] {
            let page = "\(out)/\(name)/report.html"
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(Self.externalReferences(html).isEmpty, "\(name): \(Self.externalReferences(html))")
            let png = "\(out)/\(name).png"
            let (image, asked) = try Self.render(page, to: png)
            #expect(asked.isEmpty, "\(name) report asked the network for \(asked)")
            #expect(image.width == 1200 && image.height == 2000)
            // A rendered report has text and charts: ink on a good share of the page, many colours.
            #expect(image.inkedShare > 0.03, "\(name): only \(image.inkedShare) of the page is not white")
            #expect(image.colours > 50, "\(name): \(image.colours) colours")
            // The screenshot in the README is this test's, made once: HOSTFIT_SCREENSHOT=docs/report.png.
            if name == "plan", let keep = ProcessInfo.processInfo.environment["HOSTFIT_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: png, toPath: keep)
            }
        }
    }
}
