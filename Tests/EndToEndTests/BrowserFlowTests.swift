import Foundation
import Testing
import Curl
import TestSupport

/// The whole product in a real browser: `newsroom serve` (offline trial: the GitHub sandbox stands in),
/// a loopback feed server with the real BBC and CNN fixtures, and headless Chromium driven over WebDriver.
@Suite(.serialized)
struct BrowserFlowTests {
    @Test(.enabled(if: E2E.available || E2E.required, "needs chromium, chromedriver and the newsroom binary (make test installs them)"))
    /// One browser and one server for both people (each Chromium start costs seconds of a 2-core machine).
    func memberReadsTheNewsAndSignsOutThenANonMemberIsTurnedAway() async throws {
        try #require(E2E.available, "NEWSROOM_E2E=1 but chromium, chromedriver or the newsroom binary is missing")
        try await withRunningStack { app, browser in
            // A signed-out visit to a news page goes through the sandbox's consent screen: which app asks for what,
            // the demo accounts as cards saying what each will come to, and a banner saying nothing leaves the machine.
            try await browser.navigate(app + "/news/bbc")
            try #expect(await browser.currentURL().contains("/login/oauth/authorize"))
            let consent = try await browser.pageSource()
            #expect(consent.contains("Authorize <strong>newsroom</strong>"))
            #expect(consent.contains("read:org"))
            #expect(consent.contains("offline stand-in for GitHub") && consent.contains("nothing you do on this page leaves this machine"))
            #expect(consent.contains("Active member of acme") && consent.contains("Not a member of acme") && consent.contains("invitation pending"))
            try #expect(await browser.text(browser.element(xpath: "//h1")) == "Authorize newsroom")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("1-sandbox-consent.png").path)
            try await browser.click(browser.element(xpath: "//button[contains(., 'octocat')]"))
            try await browser.waitForURL { !$0.contains("/login/oauth/authorize") }

            // Back on /news/bbc with the fixture's headline.
            try #expect(await browser.currentURL() == app + "/news/bbc")
            let bbc = try await browser.pageSource()
            #expect(bbc.contains("Firm in data scandal"))
            #expect(bbc.contains("Signed in as octocat"))
            try #expect(await browser.text(browser.element(xpath: "//h1")) == "BBC News")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("2-news-bbc.png").path)

            try await browser.navigate(app + "/news/cnn")
            try #expect(await browser.pageSource().contains("Can Bayern make Euro history?"))
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("3-news-cnn.png").path)

            try await browser.navigate(app + "/")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("4-home.png").path)
            try await browser.navigate(app + "/status")
            try #expect(await browser.pageSource().contains("2 ok"))
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("4-status.png").path)
            try await browser.navigate(app + "/publications")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("4-all-publications.png").path)
            // On a phone the navbar stays one line: the publications that fit, then "All publications".
            try await resize(browser, width: 390, height: 844)
            try await browser.navigate(app + "/")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("4-home-phone.png").path)
            try await resize(browser, width: 1280, height: 1000)
            try await browser.navigate(app + "/")

            // Sign out with the navbar's button; the news page then asks to sign in again.
            try await browser.click(browser.element(xpath: "//form[@action='/logout']//button"))
            try await browser.waitForPage(containing: "Signed out")
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("5-signed-out.png").path)
            try await browser.navigate(app + "/news/bbc")
            try #expect(await browser.currentURL().contains("/login/oauth/authorize"))

            // Someone outside acme tries the same door and is told why it stays shut.
            try await browser.click(browser.element(xpath: "//button[contains(., 'hubot')]"))
            try await browser.waitForURL { !$0.contains("/login/oauth/authorize") }
            let page = try await browser.pageSource()
            #expect(page.contains("not among them"))
            #expect(page.contains("hubot"))
            #expect(!page.contains("Firm in data scandal"))
            try await browser.screenshot(to: E2E.screenshots.appendingPathComponent("6-denied.png").path)
            try await browser.navigate(app + "/news/bbc")
            try #expect(await browser.currentURL().contains("/login/oauth/authorize"))
        }
    }

    private func resize(_ browser: WebDriver, width: Int, height: Int) async throws {
        _ = try await WebDriver.call(browser.http, "POST", browser.base + "/window/rect", ["width": width, "height": height])
    }

    /// Starts the feed server, `newsroom serve` and chromedriver; stops them all afterwards.
    private func withRunningStack(_ body: (String, WebDriver) async throws -> Void) async throws {
        let feeds = try LoopbackHTTPServer.serving(files: [
            "/bbc.xml": ServedFile(contentType: "application/rss+xml", bytes: Array(Data(contentsOf: E2E.realFeeds.appendingPathComponent("bbc-news-front-page.xml")))),
            "/cnn.xml": ServedFile(contentType: "application/rss+xml", bytes: Array(Data(contentsOf: E2E.realFeeds.appendingPathComponent("cnn-edition.rss")))),
        ])
        defer { feeds.stop() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("newsroom-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: E2E.screenshots, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let catalog = """
            {"publications": [
              {"id": "bbc", "name": "BBC News", "url": "\(feeds.baseURL)/bbc.xml"},
              {"id": "cnn", "name": "CNN", "url": "\(feeds.baseURL)/cnn.xml"}
            ]}
            """
        try catalog.write(to: work.appendingPathComponent("feeds.json"), atomically: true, encoding: .utf8)

        let http = CurlClient()
        // Port 0 everywhere: each server binds a free port and says which.
        let serveLog = work.appendingPathComponent("serve.log")
        let server = try E2E.launch(E2E.newsroomBinary!, [
            "serve", "--insecure-transport", "--port", "0",
            "--database", work.appendingPathComponent("e2e.sqlite").path, "--feeds", work.appendingPathComponent("feeds.json").path,
            "--resources", E2E.repoRoot.appendingPathComponent("Resources").path,
        ], environment: ["GITHUB_ORG": "acme", "GITHUB_CLIENT_ID": "", "APP_SECRET_KEY": String(repeating: "k", count: 40)],
           log: serveLog)
        defer { E2E.stop(server) }
        let app = try await E2E.waitForLine(in: serveLog, matching: /newsroom is serving (http:\/\/127\.0\.0\.1:[0-9]+)\s/)
        try await E2E.waitUntilReady(app + "/readyz", http: http)
        // The refresher fetches right after start: wait until both feeds were served.
        _ = await feeds.waitForRequests(count: 2)

        let driverLog = work.appendingPathComponent("chromedriver.log")
        let driver = try E2E.launch(E2E.chromedriver!, ["--port=0"], environment: [:], log: driverLog)
        defer { E2E.stop(driver) }
        let driverPort = try await E2E.waitForLine(in: driverLog, matching: /started successfully on port ([0-9]+)/)
        try await E2E.waitUntilReady("http://127.0.0.1:\(driverPort)/status", http: http)
        let browser = try await WebDriver.start(driverURL: "http://127.0.0.1:\(driverPort)", http: http, chromiumPath: E2E.chromium!)
        do {
            try await body(app, browser)
        } catch {
            let log = (try? String(contentsOf: work.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
            await browser.quit()
            Issue.record("server log:\n\(log.suffix(3000))")
            throw error
        }
        await browser.quit()
    }
}
