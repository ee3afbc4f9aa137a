import Foundation
import TestSupport
import Testing
@testable import Newsroom

/// FetchSchedule: when the next fetch happens after a success, and how far failures push it.
@Suite struct FetchScheduleTests {
    let now = TestClock.start

    func headers(_ fields: [String: String]) -> (String) -> String? {
        { name in fields.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value }
    }

    func wait(refreshMinutes: Int = 15, ttl: Int? = nil, _ fields: [String: String] = [:]) -> TimeInterval {
        FetchSchedule.nextDue(after: now, refreshMinutes: refreshMinutes, ttlMinutes: ttl, header: headers(fields)).timeIntervalSince(now)
    }

    @Test func intervalAloneSetsTheNextFetch() {
        #expect(wait() == 15 * 60)
        #expect(wait(refreshMinutes: 1) == 60)
    }

    @Test func largestOfIntervalTTLMaxAgeExpiresAndRetryAfterWins() {
        #expect(wait(ttl: 60) == 3600)
        #expect(wait(ttl: 5) == 15 * 60, "a shorter ttl does not make us fetch more often")
        #expect(wait(ttl: 0) == 15 * 60)
        #expect(wait(ttl: -30) == 15 * 60)
        #expect(wait(["Cache-Control": "public, max-age=7200"]) == 7200)
        #expect(wait(["cache-control": "no-transform,MAX-AGE = \"1800\""]) == 1800)
        #expect(wait(["Cache-Control": "max-age=60"]) == 15 * 60)
        #expect(wait(["Expires": httpDate(now.addingTimeInterval(2 * 3600))]) == 2 * 3600)
        #expect(wait(["Retry-After": "5400"]) == 5400)
        #expect(wait(["Retry-After": httpDate(now.addingTimeInterval(4000))]) == 4000)
        #expect(wait(ttl: 30, ["Cache-Control": "max-age=2400", "Expires": httpDate(now.addingTimeInterval(3000)), "Retry-After": "2000"]) == 3000)
    }

    @Test func malformedCacheHeadersAreIgnored() {
        for fields in [["Cache-Control": "max-age=abc"], ["Cache-Control": "max-age=-100"], ["Cache-Control": "max-age"],
                       ["Expires": "0"], ["Expires": "-1"], ["Expires": "next tuesday"], ["Expires": httpDate(now.addingTimeInterval(-3600))],
                       ["Retry-After": "-60"], ["Retry-After": "soon"], ["Retry-After": ""]] {
            #expect(wait(fields) == 15 * 60, "\(fields)")
        }
    }

    @Test func nextFetchIsCappedAt24Hours() {
        #expect(wait(ttl: 10_000) == 24 * 3600)
        #expect(wait(["Cache-Control": "max-age=31536000"]) == 24 * 3600)
        #expect(wait(["Expires": httpDate(now.addingTimeInterval(30 * 86400))]) == 24 * 3600)
        #expect(wait(["Retry-After": "999999999"]) == 24 * 3600)
        #expect(wait(refreshMinutes: 10_000) == 24 * 3600)
    }

    func backoff(_ failures: Int, jitter: Double, retryAfter: String? = nil) -> TimeInterval {
        FetchSchedule.backoff(after: now, failures: failures, jitter: jitter, retryAfterHeader: retryAfter).timeIntervalSince(now)
    }

    @Test func backoffStartsAtOneMinuteAndDoubles() {
        #expect(backoff(1, jitter: 1) == 60)
        #expect(backoff(2, jitter: 1) == 120)
        #expect(backoff(3, jitter: 1) == 240)
        #expect(backoff(1, jitter: 0) == 30)
        #expect(backoff(0, jitter: 1) == 60, "a zero count is treated as the first failure")
        #expect(backoff(-3, jitter: 1) == 60)
    }

    @Test func backoffIsCappedAtSixHours() {
        #expect(backoff(9, jitter: 1) == 60 * 256, "the last step below the cap")
        #expect(backoff(10, jitter: 1) == 6 * 3600)
        #expect(backoff(50, jitter: 1) == 6 * 3600)
        #expect(backoff(Int.max, jitter: 1) == 6 * 3600)
        #expect(backoff(50, jitter: 0) == 3 * 3600)
    }

    @Test(arguments: [1, 2, 5, 9, 30])
    func jitterKeepsBackoffBetweenHalfAndWholeStep(failures: Int) {
        let step = min(FetchSchedule.maxBackoff, 60 * pow(2, Double(failures - 1)))
        var previous = -1.0
        for jitter in stride(from: 0.0, through: 1.0, by: 0.05) {
            let wait = backoff(failures, jitter: jitter)
            #expect(wait >= step / 2 && wait <= step, "failures \(failures), jitter \(jitter): \(wait)")
            #expect(wait >= previous, "more jitter never waits less")
            previous = wait
        }
        #expect(backoff(failures, jitter: -7) == step / 2, "jitter below 0 is clamped")
        #expect(backoff(failures, jitter: 42) == step, "jitter above 1 is clamped")
        #expect(backoff(failures, jitter: .nan) >= step / 2)
    }

    @Test func retryAfterOverridesAShorterBackoffUpTo24Hours() {
        #expect(backoff(1, jitter: 0.5, retryAfter: "3600") == 3600)
        #expect(backoff(1, jitter: 0.5, retryAfter: httpDate(now.addingTimeInterval(7200))) == 7200)
        #expect(backoff(1, jitter: 0.5, retryAfter: "10") == 45, "a shorter Retry-After does not shorten the backoff")
        #expect(backoff(1, jitter: 0.5, retryAfter: "9999999") == 24 * 3600)
        #expect(backoff(1, jitter: 0.5, retryAfter: "garbage") == 45)
    }
}
