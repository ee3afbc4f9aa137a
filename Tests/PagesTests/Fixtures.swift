import Foundation
import Testing
@testable import Pages

/// Shared values for Pages tests: the repository's templates and a fixed clock.
enum Fixtures {
    /// Tests/PagesTests/Fixtures.swift → Resources/templates, in the same checkout
    static let templatesDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/templates").path

    /// 2026-11-25T09:40:00Z
    static let now = Date(timeIntervalSince1970: 1_795_599_600)

    static func time(minutesAgo: Double) -> TimeView {
        TimeView(date: now.addingTimeInterval(-minutesAgo * 60), now: now)
    }

    static func renderer() async throws -> PageRenderer {
        try await PageRenderer(templatesDirectory: templatesDirectory)
    }
}
