import Mustache
import Testing
@testable import Pages

/// The hand-written `child(named:)` lookups must expose exactly the stored properties, with their values.
@Suite struct KeyedLookupTests {
    static func assertMatchesStoredProperties(_ value: some MustacheParent, sourceLocation: SourceLocation = #_sourceLocation) {
        for case let (label?, stored) in Mirror(reflecting: value).children {
            let looked = value.child(named: label)
            #expect(String(describing: looked.map { $0 } as Any) == String(describing: unwrap(stored)),
                    "\(type(of: value)).\(label)", sourceLocation: sourceLocation)
        }
        #expect(value.child(named: "noSuchKey") == nil, sourceLocation: sourceLocation)
    }

    static func unwrap(_ value: Any) -> Any {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return Optional.some(value) as Any }
        return mirror.children.first.map { Optional.some($0.value) as Any } ?? (Optional<Any>.none as Any)
    }

    @Test func everyKeyedTypeMatchesItsProperties() {
        Self.assertMatchesStoredProperties(Samples.headline)
        Self.assertMatchesStoredProperties(ArticleView(title: "bare", link: "javascript:x"))
        Self.assertMatchesStoredProperties(Fixtures.time(minutesAgo: 3))
        Self.assertMatchesStoredProperties(Samples.member)
        Self.assertMatchesStoredProperties(NavMember(login: "x", avatarURL: nil, csrfToken: "t"))
        Self.assertMatchesStoredProperties(NavPublication(id: "bbc", name: "BBC", isCurrent: true))
        Self.assertMatchesStoredProperties(LayoutModel(Samples.signedInLayout(title: "t", flash: "f")))
        Self.assertMatchesStoredProperties(LayoutModel(LayoutContext(title: "t", signInURL: "/login")))
    }
}
