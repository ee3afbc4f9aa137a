import Foundation
import Testing
@testable import Feeds

/// The five real feeds in shared/real-feeds, checked against values read from the files by hand.
@Suite struct RealFeedsTests {
    struct Expected: Sendable, CustomStringConvertible {
        let file: String
        let count: Int
        let title: String
        let link: String
        let updated: Double?
        let ttl: Int?
        let firstTitle: String
        let firstLink: String
        let firstPublished: Double
        let lastTitle: String
        let lastLink: String
        let lastPublished: Double
        var description: String { file }
    }

    static let feeds: [Expected] = [
        Expected(file: "bbc-news-front-page.xml", count: 16, title: "BBC News - News front page",
                 link: "https://www.bbc.co.uk/news/", updated: 1_700_837_984, ttl: 15, // Fri, 24 Nov 2023 14:59:44 GMT
                 firstTitle: "Firm in data scandal 'made election boasts'",
                 firstLink: "https://www.bbc.co.uk/news/uk-politics-43532916?at_medium=RSS&at_campaign=KARANGA",
                 firstPublished: 1_521_978_766, // Sun, 25 Mar 2018 11:52:46 GMT
                 lastTitle: "Pants for fishing nets: How stranded WW2 crew survived",
                 lastLink: "https://www.bbc.co.uk/news/uk-35911549?at_medium=RSS&at_campaign=KARANGA",
                 lastPublished: 1_459_164_668), // Mon, 28 Mar 2016 11:31:08 GMT
        Expected(file: "cnn-edition.rss", count: 101, title: "CNN.com - Top Stories",
                 link: "http://edition.cnn.com/index.html?eref=edition", updated: 1_395_432_975, ttl: 10, // Fri, 21 Mar 2014 16:16:15 EDT
                 firstTitle: "Can Bayern make Euro history?",
                 firstLink: "http://edition.cnn.com/2014/03/21/sport/football/champions-league-quarterfinal-draw/index.html?eref=edition",
                 firstPublished: 1_395_413_918, // Fri, 21 Mar 2014 10:58:38 EDT
                 lastTitle: "'Baby hatches' rolled out",
                 lastLink: "http://edition.cnn.com/2014/02/17/world/asia/china-baby-hatch/index.html?eref=edition",
                 lastPublished: 1_392_696_245), // Mon, 17 Feb 2014 23:04:05 EST
        Expected(file: "japantimes-latest.xml", count: 30, title: "Latest articles - The Japan Times",
                 link: "https://www.japantimes.co.jp/", updated: 1_700_845_564, ttl: nil, // Sat, 25 Nov 2023 02:06:04 +0900
                 firstTitle: "Syphilis cases hit record high for third straight year in Japan",
                 firstLink: "https://www.japantimes.co.jp/news/2023/11/24/japan/syphilis-cases-record-high/",
                 firstPublished: 1_700_829_420, // Fri, 24 Nov 2023 21:37:00 +0900
                 lastTitle: "Woman stabbed at music venue in Yokohama",
                 lastLink: "https://www.japantimes.co.jp/news/2023/11/24/japan/crime-legal/woman-stabbed-yokohama-music-venue/",
                 lastPublished: 1_700_789_280), // Fri, 24 Nov 2023 10:28:00 +0900
        Expected(file: "npr-news.xml", count: 15, title: "News : NPR",
                 link: "https://www.npr.org/templates/story/story.php?storyId=1001", updated: 1_700_838_890, ttl: nil, // Fri, 24 Nov 2023 10:14:50 -0500
                 firstTitle: "Oscar Pistorius, Paralympian convicted of murder, to be released on parole",
                 firstLink: "https://www.npr.org/2023/11/24/1215084865/oscar-pistorius-parole",
                 firstPublished: 1_700_838_890,
                 lastTitle: "Could a 'funky' pathogen be sickening dogs? Scientists search for clues",
                 lastLink: "https://www.npr.org/sections/health-shots/2023/11/23/1214951367/could-a-funky-pathogen-be-sickening-dogs-scientists-search-for-clues",
                 lastPublished: 1_700_744_424), // Thu, 23 Nov 2023 08:00:24 -0500
        Expected(file: "nytimes-homepage.xml", count: 25, title: "NYT > Top Stories",
                 link: "https://www.nytimes.com", updated: 1_700_846_560, ttl: nil, // lastBuildDate Fri, 24 Nov 2023 17:22:40 +0000
                 firstTitle: "Can the Palestinian Authority Really Govern Gaza After the War?",
                 firstLink: "https://www.nytimes.com/2023/11/24/world/middleeast/palestinian-authority-gaza-war.html",
                 firstPublished: 1_700_831_668, // Fri, 24 Nov 2023 13:14:28 +0000
                 lastTitle: "At John Derian, Christmas Started in September",
                 lastLink: "https://www.nytimes.com/2023/11/24/style/john-derian-christmas-ornaments.html",
                 lastPublished: 1_700_812_843), // Fri, 24 Nov 2023 08:00:43 +0000
    ]

    @Test(arguments: feeds)
    func readsRealFeed(_ expected: Expected) throws {
        let feed = try FeedParser.parse(try TestFiles.realFeed(expected.file))
        #expect(feed.bozo == false)
        #expect(feed.entries.count == expected.count)
        #expect(feed.title == expected.title)
        #expect(feed.link == expected.link)
        #expect(epoch(feed.updated) == expected.updated)
        #expect(feed.ttlMinutes == expected.ttl)
        let first = try #require(feed.entries.first)
        let last = try #require(feed.entries.last)
        #expect(first.title == expected.firstTitle)
        #expect(first.link == expected.firstLink)
        #expect(epoch(first.published) == expected.firstPublished)
        #expect(last.title == expected.lastTitle)
        #expect(last.link == expected.lastLink)
        #expect(epoch(last.published) == expected.lastPublished)
        #expect(feed.entries.allSatisfy { $0.title != nil && $0.link != nil && $0.id != nil })
    }

    @Test func nprKeepsContentEncodedAndCreator() throws {
        let feed = try FeedParser.parse(try TestFiles.realFeed("npr-news.xml"))
        let first = try #require(feed.entries.first)
        #expect(first.author == "Emily Olson")
        // Sanitized as feedparser writes it: attributes sorted and double-quoted, void elements closed.
        #expect(first.content?.hasPrefix("<img alt=\"Paralympian athlete Oscar Pistorius") == true)
        #expect(first.content?.contains("src=\"https://media.npr.org/assets/img/2023/11/24/gettyimages-545171212_wide") == true)
        #expect(first.summary?.hasPrefix("A South African corrections board found the athlete") == true)
    }

    @Test func nytimesHasCategoriesAndImage() throws {
        let feed = try FeedParser.parse(try TestFiles.realFeed("nytimes-homepage.xml"))
        let first = try #require(feed.entries.first)
        #expect(first.author == "Steven Erlanger")
        #expect(first.categories.count == 24)
        #expect(first.categories.first == "Israel-Gaza War (2023- )")
        #expect(first.thumbnail == "https://static01.nyt.com/images/2023/11/24/multimedia/24israel-hamas-pa-01-qlfm/24israel-hamas-pa-01-qlfm-mediumSquareAt3X.jpg")
        #expect(first.summary?.contains("Washington’s choice") == true)
    }

    @Test func japanTimesPrefersThumbnailAndTrimsTitles() throws {
        let feed = try FeedParser.parse(try TestFiles.realFeed("japantimes-latest.xml"))
        let first = try #require(feed.entries.first)
        #expect(first.thumbnail == "https://www.japantimes.co.jp/japantimes/uploads/images/2023/11/24/thumbs/400x400/265519.jpg")
        #expect(first.categories == ["JAPAN"])
        #expect(first.id == "https://www.japantimes.co.jp/article/604767/")
    }

    @Test func bbcGuidIsTheId() throws {
        let feed = try FeedParser.parse(try TestFiles.realFeed("bbc-news-front-page.xml"))
        #expect(feed.entries.first?.id == "https://www.bbc.co.uk/news/uk-politics-43532916")
        #expect(feed.subtitle == "BBC News - News front page")
    }
}
