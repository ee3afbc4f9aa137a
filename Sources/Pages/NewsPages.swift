/// The home page for visitors who are not signed in: what newsroom is and a sign-in button.
public struct HomeSignedOutPage: PageView {
    public static let template = "home-signed-out"
    /// Who may sign in, completing "Open to …", e.g. "members of acme".
    public let gateSummary: String
    /// Where "Sign in with GitHub" points (a local path or http(s) URL; anything else hides the button).
    public let signInURL: String?

    public init(gateSummary: String, signInURL: String) {
        self.gateSummary = gateSummary
        self.signInURL = URLPolicy.localOrWeb(signInURL)
    }
}

/// The signed-in home page: one card per publication with its current headline.
public struct HomePage: PageView {
    public static let template = "home"
    public let cards: [PublicationCard]
    public let hasCards: Bool

    public init(cards: [PublicationCard]) {
        self.cards = cards
        self.hasCards = !cards.isEmpty
    }
}

/// A publication on the home page.
public struct PublicationCard: Sendable, Equatable {
    public let id: String
    public let name: String
    /// `/news/{id}`.
    public let path: String
    public let headline: ArticleView?
    public let lastFetched: TimeView?
    /// The latest fetch failed (the card still shows the last good headline).
    public let failing: Bool
    public let neverFetched: Bool

    public init(
        id: String, name: String, headline: ArticleView?, lastFetched: TimeView?,
        failing: Bool, neverFetched: Bool
    ) {
        self.id = id
        self.name = name
        self.path = NewsPath.forPublication(id)
        self.headline = headline
        self.lastFetched = lastFetched
        self.failing = failing
        self.neverFetched = neverFetched
    }
}

/// A publication's page: its current headline, then its recent articles.
public struct NewsPage: PageView {
    public static let template = "news"
    /// Most articles the list shows.
    public static let articleLimit = 20

    public let id: String
    public let name: String
    public let headline: ArticleView?
    /// The most recent articles other than the headline, at most `articleLimit` (extra ones are dropped).
    public let articles: [ArticleView]
    public let hasArticles: Bool
    public let lastFetched: TimeView?
    public let failure: FailureBanner?
    public let neverFetched: Bool
    /// Fetched at least once but nothing to show (an empty feed).
    public let isEmpty: Bool

    public init(
        id: String, name: String, headline: ArticleView?, articles: [ArticleView],
        lastFetched: TimeView?, failure: FailureBanner?, neverFetched: Bool
    ) {
        self.id = id
        self.name = name
        self.headline = headline
        // The headline is already shown prominently above the list.
        let others = articles.filter { article in
            guard let headline else { return true }
            return article.title != headline.title || article.href != headline.href
        }
        self.articles = Array(others.prefix(Self.articleLimit))
        self.hasArticles = !self.articles.isEmpty
        self.lastFetched = lastFetched
        self.failure = failure
        self.neverFetched = neverFetched
        self.isEmpty = !neverFetched && headline == nil && self.articles.isEmpty
    }
}

/// Why the latest refresh failed, shown quietly above the last good articles.
public struct FailureBanner: Sendable, Equatable {
    /// What went wrong, e.g. "HTTP 503" (plain text).
    public let message: String
    /// When the failures began.
    public let since: TimeView

    public init(message: String, since: TimeView) {
        self.message = message
        self.since = since
    }
}

/// 404: the page does not exist; lists the publications that do.
public struct NotFoundPage: PageView {
    public static let template = "not-found"
    public let message: String
    public let publications: [PublicationLink]
    public let hasPublications: Bool

    public init(message: String, publications: [PublicationLink]) {
        self.message = message
        self.publications = publications
        self.hasPublications = !publications.isEmpty
    }
}

/// A link to a publication's news page.
public struct PublicationLink: Sendable, Equatable {
    public let id: String
    public let name: String
    /// `/news/{id}`.
    public let path: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
        self.path = NewsPath.forPublication(id)
    }
}
