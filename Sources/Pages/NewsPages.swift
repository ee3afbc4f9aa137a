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

/// The signed-in home page: a card per publication with its current headline, a page of them at a time (the most
/// recently updated first), and the publications whose fetch is failing listed quietly after the cards.
public struct HomePage: PageView {
    public static let template = "home"
    /// Publications with a healthy feed, in the order given.
    public let cards: [PublicationCard]
    public let hasCards: Bool
    /// Publications whose latest fetch failed: a compact list after the cards (no image or summary).
    public let quietCards: [PublicationCard]
    public let hasQuietCards: Bool
    /// Nothing at all to show on this page.
    public let isEmpty: Bool
    public let pagination: Pagination?

    /// - Parameter cards: in the order to show them; failing ones go to the quiet list, keeping their order.
    public init(cards: [PublicationCard], pagination: Pagination? = nil) {
        self.cards = cards.filter { !$0.failing }
        self.quietCards = cards.filter(\.failing)
        self.hasCards = !self.cards.isEmpty
        self.hasQuietCards = !self.quietCards.isEmpty
        self.isEmpty = cards.isEmpty
        self.pagination = pagination?.isNeeded == true ? pagination : nil
    }
}

/// A publication on the home page.
public struct PublicationCard: Sendable, Equatable {
    /// A card shows at most this much of a headline's title and summary (its lines are clamped anyway): with
    /// `HomePage`'s 30 cards a page stays small whatever the feeds send.
    public static let maxTitleCharacters = 160
    public static let maxSummaryCharacters = 200
    /// Longer links and thumbnails are left off the card (a cut URL is a broken one); the publication's page has them.
    public static let maxURLBytes = 300

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
        self.headline = headline.map {
            $0.shortened(title: Self.maxTitleCharacters, summary: Self.maxSummaryCharacters, urlBytes: Self.maxURLBytes)
        }
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

/// 404: the page does not exist; points to the first publications and the list of all of them.
public struct NotFoundPage: PageView {
    public static let template = "not-found"
    public let message: String
    public let publications: [PublicationLink]
    public let hasPublications: Bool
    /// The list of every publication (nil when signed out).
    public let allPublicationsURL: String?

    public init(message: String, publications: [PublicationLink], allPublicationsURL: String? = nil) {
        self.message = message
        self.publications = publications
        self.hasPublications = !publications.isEmpty
        self.allPublicationsURL = allPublicationsURL.flatMap(URLPolicy.localOrWeb)
    }
}

/// Every publication, by name, a compact page of them at a time in catalog order ("All publications" in the navbar).
public struct PublicationsPage: PageView {
    public static let template = "publications"
    public let publications: [PublicationLink]
    public let hasPublications: Bool
    /// How many publications the catalog holds in all.
    public let total: Int
    public let pagination: Pagination?

    public init(publications: [PublicationLink], total: Int, pagination: Pagination? = nil) {
        self.publications = publications
        self.hasPublications = !publications.isEmpty
        self.total = total
        self.pagination = pagination?.isNeeded == true ? pagination : nil
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
