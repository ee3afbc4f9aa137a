/// An RSS feed written by someone hostile: markup and attribute breakouts in every text field, a `javascript:`
/// link, an `http:` thumbnail (mixed content) and a `data:` one. Only the https thumbnail may ever be rendered.
enum HostileFeed {
    static let text = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
        <channel>
        <title>Evil Gazette</title>
        <link>https://evil.example/</link>
        <description>Hostile test feed</description>
        <item>
          <title><![CDATA[&lt;script&gt;alert(1)&lt;/script&gt; Markets rally]]></title>
          <link>https://evil.example/a?x="><img src=x onerror=alert(1)></link>
          <guid>evil-a</guid>
          <description><![CDATA[<p>Summary &lt;script&gt;alert(2)&lt;/script&gt; with <b>bold</b> and <script>alert(3)</script> text</p>]]></description>
          <dc:creator>"&gt;&lt;img src=x onerror=alert(1)&gt;</dc:creator>
          <pubDate>Thu, 28 May 2026 19:00:00 GMT</pubDate>
          <media:thumbnail url="http://evil.example/mixed.jpg"/>
        </item>
        <item>
          <title>"&gt;&lt;img src=x onerror=alert(4)&gt; Second</title>
          <link>javascript:alert(5)</link>
          <guid>evil-b</guid>
          <description>Plain &lt;i&gt;summary&lt;/i&gt;</description>
          <author>x@evil.example ("&gt;&lt;svg onload=alert(6)&gt;)</author>
          <pubDate>Thu, 28 May 2026 18:00:00 GMT</pubDate>
          <media:thumbnail url="https://images.example/safe.jpg"/>
        </item>
        <item>
          <title>Third with a data thumbnail</title>
          <link>  JaVaScRiPt:alert(7)</link>
          <guid>evil-c</guid>
          <pubDate>Thu, 28 May 2026 17:00:00 GMT</pubDate>
          <media:thumbnail url="data:image/svg+xml,&lt;svg onload=alert(8)&gt;"/>
        </item>
        </channel>
        </rss>
        """#
}
