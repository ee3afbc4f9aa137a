/// Dates some publishers write in their own language, rewritten into the ISO 8601 or RFC 822 forms `FeedDate` reads.
/// Korean blog hosts (OnBlog, Nate) write Korea Standard Time without saying so; Greek feeds translate RFC 822's names.
enum LocalizedDate {
    static func rewrite(_ string: String) -> String? {
        var copy = string
        guard copy.withUTF8({ bytes in bytes.contains { $0 >= 0x80 } }) else { return nil }
        return korean(string) ?? greek(string)
    }

    /// OnBlog: `2004년 05월 28일 01:31:15`; Nate: `2004-05-25 오후 11:23:17` (오전 = a.m., 오후 = p.m.).
    private static func korean(_ string: String) -> String? {
        let parts = string.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if parts.count == 4, parts[0].hasSuffix("년"), parts[1].hasSuffix("월"), parts[2].hasSuffix("일") {
            let year = parts[0].dropLast(), month = parts[1].dropLast(), day = parts[2].dropLast()
            guard year.count == 4, month.count == 2, day.count == 2, clock(parts[3]) != nil else { return nil }
            return "\(year)-\(month)-\(day)T\(parts[3])+09:00"
        }
        if parts.count == 3, parts[1] == "오전" || parts[1] == "오후", parts[0].utf8.count == 10,
           var (hour, minute, second) = clock(parts[2]) {
            guard (1...12).contains(hour) else { return nil }
            if parts[1] == "오후", hour < 12 { hour += 12 }
            if parts[1] == "오전", hour == 12 { hour = 0 }
            return "\(parts[0])T\(twoDigits(hour)):\(minute):\(second)+09:00"
        }
        return nil
    }

    /// `h:mm:ss` split into numbers and the two-digit minute and second text.
    private static func clock(_ text: String) -> (Int, Substring, Substring)? {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, let hour = Int(fields[0]), fields[0].count <= 2,
              fields[1].count == 2, fields[2].count == 2, Int(fields[1]) != nil, Int(fields[2]) != nil else { return nil }
        return (hour, fields[1], fields[2])
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `Κυρ, 11 Ιούλ 2004 12:00:00 EST`: Greek weekday and month abbreviations replaced by English ones.
    private static func greek(_ string: String) -> String? {
        var changed = false
        let words = string.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let comma = word.hasSuffix(",")
            let bare = String(comma ? word.dropLast() : word)
            guard let english = greekNames[bare] else { return String(word) }
            changed = true
            return comma ? english + "," : english
        }
        return changed ? words.joined(separator: " ") : nil
    }

    private static let greekNames: [String: String] = [
        "Κυρ": "Sun", "Δευ": "Mon", "Τρι": "Tue", "Τετ": "Wed", "Πεμ": "Thu", "Παρ": "Fri", "Σαβ": "Sat",
        "Ιαν": "Jan", "Φεβ": "Feb", "Μάώ": "Mar", "Μαρ": "Mar", "Μάρ": "Mar", "Απρ": "Apr", "Άπρ": "Apr",
        "Μάι": "May", "Μαϊ": "May", "Μαι": "May", "Μάϊ": "May", "Ιούν": "Jun", "Ιον": "Jun", "Ιουν": "Jun",
        "Ιούλ": "Jul", "Ιολ": "Jul", "Ιουλ": "Jul", "Αύγ": "Aug", "Αυγ": "Aug", "Σεπ": "Sep", "Οκτ": "Oct",
        "Νοέ": "Nov", "Νοε": "Nov", "Δεκ": "Dec",
    ]
}
