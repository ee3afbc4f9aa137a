import Foundation
import Testing
@testable import Pages

@Suite struct RendererLoadingTests {
    /// A temporary copy of the real templates that a test may break.
    static func copyOfTemplates() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: Fixtures.templatesDirectory, toPath: directory)
        return directory
    }

    @Test func loadsTheRepositoryTemplates() async throws {
        let renderer = try await Fixtures.renderer()
        #expect(renderer.renderFragment(Samples.errorPage).contains("Something went wrong"))
    }

    @Test func missingTemplateIsNamed() async throws {
        let directory = try Self.copyOfTemplates()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.removeItem(atPath: directory + "/news.mustache")
        await #expect(throws: PageRendererError.missingTemplate(name: "news", directory: directory)) {
            try await PageRenderer(templatesDirectory: directory)
        }
    }

    @Test func layoutWithoutBodyMarkerIsRejected() async throws {
        let directory = try Self.copyOfTemplates()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "<html>{{body}}</html>".write(toFile: directory + "/layout.mustache", atomically: true, encoding: .utf8)
        await #expect(throws: PageRendererError.layoutBodyMarker) {
            try await PageRenderer(templatesDirectory: directory)
        }
    }

    @Test func layoutWithBodyInsideASectionIsRejected() async throws {
        let directory = try Self.copyOfTemplates()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "<main>{{#member}}{{{body}}}{{/member}}</main>".write(
            toFile: directory + "/layout.mustache", atomically: true, encoding: .utf8)
        await #expect(throws: PageRendererError.layoutBodyMarker) {
            try await PageRenderer(templatesDirectory: directory)
        }
    }

    @Test func malformedTemplateNamesFileAndLine() async throws {
        let directory = try Self.copyOfTemplates()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "<p>\n{{#open}}never closed</p>".write(toFile: directory + "/error.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try await PageRenderer(templatesDirectory: directory)
            Issue.record("a malformed template was accepted")
        } catch let error as PageRendererError {
            guard case .malformedTemplate(let file, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file.hasSuffix("error.mustache"))
            #expect(error.description.contains("error.mustache"))
        }
    }

    @Test func missingDirectoryIsReported() async throws {
        let directory = "/nonexistent/templates-\(UUID().uuidString)"
        do {
            _ = try await PageRenderer(templatesDirectory: directory)
            Issue.record("a missing directory was accepted")
        } catch let error as PageRendererError {
            // MustacheLibrary treats a missing directory as empty, so the first required template is named.
            #expect(error.description.contains(directory))
        }
    }
}
