import Foundation

/// Parses the dates feeds carry: RFC 822/1123 (with obsolete and military zones), RFC 3339 / W3CDTF,
/// and the lenient forms publishers really send. Never guesses: anything it cannot read is nil.
public enum FeedDate {
    public static func parse(_ string: String) -> Date? {
        // Korean and Greek dates are rewritten into forms the two readers below understand.
        var string = LocalizedDate.rewrite(string) ?? string
        return string.withUTF8(parse(utf8:))
    }

    /// A date element's value. feedparser overwrites a date with each element that gives it, so a later one it
    /// cannot read (or an empty one) clears an earlier date: readers assign this rather than keep the old value.
    static func read(_ node: XMLNode) -> Date? {
        node.withTextBytes { bytes in
            // An ASCII date (nearly all of them) is read in place: its trimmed text would be the same bytes, and
            // no localized rewrite applies. (With the byte word lists and the fixed-layout reader below, a CNN
            // date went from ~4 900 to ~950 instructions.)
            guard !bytes.contains(where: { $0 >= 0x80 }), let bounds = WhitespaceTrim.asciiBounds(bytes) else {
                return node.nonEmptyText.flatMap(parse)
            }
            return bounds.isEmpty ? nil : parse(utf8: UnsafeBufferPointer(rebasing: bytes[bounds]))
        }
    }

    private static func parse(utf8: UnsafeBufferPointer<UInt8>) -> Date? {
        // Trim surrounding whitespace.
        var start = 0, end = utf8.count
        while end > start, isSpace(utf8[end - 1]) { end -= 1 }
        while start < end, isSpace(utf8[start]) { start += 1 }
        let trimmed = UnsafeBufferPointer(rebasing: utf8[start..<end])
        if let seconds = parseRFC1123Layout(trimmed) { return Date(timeIntervalSince1970: seconds) }
        var scanner = DateScanner(bytes: trimmed)
        guard !scanner.atEnd else { return nil }
        let seconds: TimeInterval?
        if scanner.looksLikeShortISO {
            seconds = parseShortISO(&scanner)
        } else if scanner.startsWithFourDigits {
            seconds = parseISO(&scanner)
        } else {
            seconds = parseRFC822(&scanner)
        }
        return seconds.map { Date(timeIntervalSince1970: $0) }
    }

    /// The layout nearly every RSS date has, `Fri, 21 Mar 2014 10:58:38 EDT` (or `… +0100`), read at fixed
    /// offsets: the value `parseRFC822` gives it, in ~650 instructions instead of ~1 350. Nil for anything else,
    /// an out-of-range field included, which the general readers then decide.
    private static func parseRFC1123Layout(_ b: UnsafeBufferPointer<UInt8>) -> TimeInterval? {
        let space = UInt8(ascii: " "), colon = UInt8(ascii: ":")
        guard b.count == 29 || b.count == 31, b[3] == UInt8(ascii: ","), b[4] == space, b[7] == space, b[11] == space,
              b[16] == space, b[19] == colon, b[22] == colon, b[25] == space else { return nil }
        func word(_ range: Range<Int>) -> DateWord { DateWord(letters: b[range]) }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard b[index] >= 0x30, b[index] <= 0x39 else { return nil }
                value = value * 10 + Int(b[index] - 0x30)
            }
            return value
        }
        guard weekdays.contains(where: word(0..<3).equals), let day = number(5..<7),
              let monthIndex = months.firstIndex(where: word(8..<11).equals), let year = number(12..<16),
              let hour = number(17..<19), let minute = number(20..<22), let second = number(23..<25),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let offset: Int
        if b.count == 31 {
            guard b[26] == UInt8(ascii: "+") || b[26] == UInt8(ascii: "-"), let hhmm = number(27..<31),
                  hhmm / 100 <= 14, hhmm % 100 <= 59 else { return nil }
            offset = (b[26] == UInt8(ascii: "-") ? -1 : 1) * (hhmm / 100 * 3600 + hhmm % 100 * 60)
        } else {
            guard let zone = namedZones.first(where: { word(26..<29).equals($0.name) }) else { return nil }
            offset = zone.hours * 3600
        }
        return epoch(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: Double(second),
                     offsetSeconds: offset)
    }

    /// ISO 8601 with a two-digit year, as feedparser reads it: `YYMMDD`, `YY-MM-DD`, `-YY-MM` (always 20YY).
    private static func parseShortISO(_ s: inout DateScanner) -> TimeInterval? {
        let leadingDash = s.consume(UInt8(ascii: "-"))
        guard let yy = s.fixedDigits(2) else { return nil }
        var month = 1, day = 1
        if s.consume(UInt8(ascii: "-")) {
            guard let m = s.digits(exactly: 2) else { return nil }
            month = m
            if !leadingDash, s.consume(UInt8(ascii: "-")) {
                guard let d = s.digits(exactly: 2) else { return nil }
                day = d
            } else if !leadingDash {
                return nil
            }
        } else {
            guard !leadingDash, let m = s.fixedDigits(2), let d = s.digits(exactly: 2) else { return nil }
            (month, day) = (m, d)
        }
        guard s.atEnd else { return nil }
        return epoch(year: 2000 + yy, month: month, day: day, hour: 0, minute: 0, second: 0, offsetSeconds: 0)
    }

    /// `YYYY[-MM[-DD]]`, `YYYY-DDD` (ordinal), `YYYYMMDD`, `YYYYDDD`, then `[(T| )hh[:mm[:ss[.fff]]]][Z|±hh[:mm]]`
    /// (also the basic `Thhmmss`); a month may be spelled in Hungarian, as some feeds do.
    private static func parseISO(_ s: inout DateScanner) -> TimeInterval? {
        guard let year = s.fixedDigits(4) else { return nil }
        var month = 1, day = 1, ordinal: Int?
        if s.consume(UInt8(ascii: "-")) {
            if let word = s.peekLetters(), let m = hungarianMonths[word.lowercased()] {
                s.skipLetters()
                month = m
                guard s.consume(UInt8(ascii: "-")), let d = s.digits(min: 1, max: 2) else { return nil }
                day = d
            } else if let (value, count) = s.digitsCounted(min: 2, max: 3) {
                if count == 3 {
                    ordinal = value
                } else {
                    month = value
                    if s.consume(UInt8(ascii: "-")) {
                        guard let d = s.digits(exactly: 2) else { return nil }
                        day = d
                    }
                }
            } else {
                return nil
            }
        } else if s.peekDigit(at: 0) {
            // Compact "YYYYMMDD" or ordinal "YYYYDDD".
            guard let (value, count) = s.digitsCounted(min: 3, max: 4) else { return nil }
            if count == 3 { ordinal = value } else { (month, day) = (value / 100, value % 100) }
        }
        if let ordinal {
            guard let date = monthAndDay(ordinal: ordinal, year: year) else { return nil }
            (month, day) = date
        }
        var hour = 0, minute = 0, second = 0.0, offset = 0
        if s.peek == 0x20, s.byte(at: 1) == UInt8(ascii: "T") || s.byte(at: 1) == UInt8(ascii: "t") { s.advance() }
        if s.consume(UInt8(ascii: "T")) || s.consume(UInt8(ascii: "t")) || (s.peek == 0x20 && s.peekDigit(at: 1)) {
            if s.peek == 0x20 { s.advance() }
            guard let time = parseISOTime(&s) else { return nil }
            (hour, minute, second) = time
            s.skipSpaces()
            if !s.atEnd {
                guard let zone = parseZone(&s) else { return nil }
                offset = zone
            }
        }
        s.skipSpaces()
        guard s.atEnd else { return nil }
        if hour == 24 {
            // 24:00 is the end of the day: the next midnight.
            guard minute == 0, second == 0 else { return nil }
            return epoch(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offsetSeconds: offset).map { $0 + 86_400 }
        }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    /// `h[h][:mm[:ss[.fff]]]` or the basic `hhmm[ss]`.
    private static func parseISOTime(_ s: inout DateScanner) -> (Int, Int, Double)? {
        if (0..<4).allSatisfy({ s.peekDigit(at: $0) }) {
            guard let hour = s.fixedDigits(2), let minute = s.fixedDigits(2) else { return nil }
            var second = 0.0
            if s.peekDigit(at: 0) {
                guard let whole = s.digits(exactly: 2) else { return nil }
                second = Double(whole)
            }
            guard hour <= 24, minute <= 59, second < 60 else { return nil }
            return (hour, minute, second)
        }
        guard let hour = s.digits(min: 1, max: 2) else { return nil }
        guard s.consume(UInt8(ascii: ":")) else {
            guard hour <= 24 else { return nil }
            return (hour, 0, 0)
        }
        guard let minute = s.digits(exactly: 2) else { return nil }
        var second = 0.0
        if s.consume(UInt8(ascii: ":")) {
            guard let whole = s.digits(exactly: 2) else { return nil }
            second = Double(whole)
            if s.consume(UInt8(ascii: ".")) || s.consume(UInt8(ascii: ",")) {
                guard let (fraction, count) = s.digitsCounted(min: 1, max: 9) else { return nil }
                second += Double(fraction) / pow(10, Double(count))
                while s.peekDigit(at: 0) { s.advance() }
            }
        }
        guard hour <= 24, minute <= 59, second < 60 else { return nil }
        return (hour, minute, second)
    }

    private static func monthAndDay(ordinal: Int, year: Int) -> (Int, Int)? {
        var remaining = ordinal
        for month in 1...12 {
            let length = daysIn(month: month, year: year)
            if remaining <= length { return remaining >= 1 ? (month, remaining) : nil }
            remaining -= length
        }
        return nil
    }

    private static let hungarianMonths: [String: Int] = [
        "január": 1, "február": 2, "március": 3, "április": 4, "május": 5, "június": 6,
        "július": 7, "augusztus": 8, "szeptember": 9, "október": 10, "november": 11, "december": 12,
    ]

    /// `[Weekday,] D Month YYYY hh:mm[:ss] [zone]`, tolerating a missing comma or weekday, full month
    /// names, two-digit years and `Month D, YYYY`.
    private static func parseRFC822(_ s: inout DateScanner) -> TimeInterval? {
        // Optional weekday, with or without a comma or a period (and with or without a space after it).
        if let word = s.peekWord(), weekdays.contains(where: word.equals) {
            s.skipWord()
            _ = s.consume(UInt8(ascii: "."))
            let comma = s.consume(UInt8(ascii: ","))
            s.skipSpaces()
            // Perforce writes "Fri, 2006/09/15 08:19:53 EDT".
            if comma, s.startsWithFourDigits, s.byte(at: 4) == UInt8(ascii: "/") { return parseSlashed(&s) }
        }
        var day: Int, month: Int
        var hour = 0, minute = 0, second = 0.0, offset = 0
        var timeRead = false, zoneRead = false
        if let d = s.digits(min: 1, max: 2) {
            day = d
            s.skipSeparators()
            guard let word = s.word(), let m = monthNumber(word) else { return nil }
            month = m
        } else if let word = s.word(), let m = monthNumber(word) {
            // "October 2, 2002 ...", or asctime's "Oct  2 13:00:00 [zone] 2002".
            month = m
            s.skipSeparators()
            guard let d = s.digits(min: 1, max: 2) else { return nil }
            day = d
            _ = s.consume(UInt8(ascii: ","))
            s.skipSpaces()
            if s.looksLikeTime {
                guard let time = parseTime(&s) else { return nil }
                (hour, minute, second) = time
                timeRead = true
                s.skipSpaces()
                if !s.peekDigit(at: 0), !s.atEnd {
                    guard let zone = parseZone(&s) else { return nil }
                    offset = zone
                    zoneRead = true
                }
            }
        } else {
            return nil
        }
        s.skipSeparators()
        guard let (rawYear, yearDigits) = s.digitsCounted(min: 1, max: 4), yearDigits != 3 else { return nil }
        let year = yearDigits == 4 ? rawYear : (rawYear < 50 ? 2000 + rawYear : 1900 + rawYear)
        s.skipSpaces()
        if !s.atEnd, !zoneRead {
            if !timeRead {
                guard let time = parseTime(&s) else { return nil }
                (hour, minute, second) = time
                s.skipSpaces()
            }
            if !s.atEnd, s.peek != UInt8(ascii: "(") {
                guard let zone = parseZone(&s) else { return nil }
                offset = zone
            }
        }
        s.skipSpaces()
        // A trailing RFC 822 comment such as "(Eastern Standard Time)".
        if s.peek == UInt8(ascii: "(") { s.skipToEnd() }
        guard s.atEnd else { return nil }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    /// Perforce's `YYYY/MM/DD hh:mm:ss zone` (after its weekday).
    private static func parseSlashed(_ s: inout DateScanner) -> TimeInterval? {
        guard let year = s.fixedDigits(4), s.consume(UInt8(ascii: "/")), let month = s.digits(min: 1, max: 2),
              s.consume(UInt8(ascii: "/")), let day = s.digits(min: 1, max: 2) else { return nil }
        s.skipSpaces()
        guard let (hour, minute, second) = parseTime(&s) else { return nil }
        s.skipSpaces()
        var offset = 0
        if !s.atEnd {
            guard let zone = parseZone(&s) else { return nil }
            offset = zone
        }
        s.skipSpaces()
        guard s.atEnd else { return nil }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offsetSeconds: offset)
    }

    private static func parseTime(_ s: inout DateScanner) -> (Int, Int, Double)? {
        guard let hour = s.digits(min: 1, max: 2), s.consume(UInt8(ascii: ":")),
              let minute = s.digits(min: 1, max: 2) else { return nil }
        var second = 0.0
        if s.consume(UInt8(ascii: ":")) {
            guard let whole = s.digits(min: 1, max: 2) else { return nil }
            second = Double(whole)
            if s.consume(UInt8(ascii: ".")) || s.consume(UInt8(ascii: ",")) {
                guard let (fraction, count) = s.digitsCounted(min: 1, max: 9) else { return nil }
                second += Double(fraction) / pow(10, Double(count))
                while s.peekDigit(at: 0) { s.advance() }
            }
        }
        guard hour <= 23, minute <= 59, second < 60 else { return nil }
        return (hour, minute, second)
    }

    /// A zone as seconds east of UTC: `Z`, `±hh:mm`, `±hhmm`, `±hh`, `GMT+hh:mm`, names and military letters.
    private static func parseZone(_ s: inout DateScanner) -> Int? {
        if s.peek == UInt8(ascii: "+") || s.peek == UInt8(ascii: "-") {
            return numericOffset(&s)
        }
        guard let word = s.word() else { return nil }
        if word.equals("gmt") || word.equals("utc") || word.equals("ut"), s.peek == UInt8(ascii: "+") || s.peek == UInt8(ascii: "-") {
            return numericOffset(&s)
        }
        if let zone = namedZones.first(where: { word.equals($0.name) }) { return zone.hours * 3600 }
        if word.letters.count == 1, let letter = word.letters.first { return militaryZone(letter & 0xDF).map { $0 * 3600 } }
        return nil
    }

    private static func numericOffset(_ s: inout DateScanner) -> Int? {
        let sign = s.peek == UInt8(ascii: "-") ? -1 : 1
        s.advance()
        guard let (number, count) = s.digitsCounted(min: 1, max: 4), count != 3 else { return nil }
        var hours = number, minutes = 0
        if count == 4 {
            (hours, minutes) = (number / 100, number % 100)
        } else if s.consume(UInt8(ascii: ":")) {
            guard let m = s.digits(exactly: 2) else { return nil }
            minutes = m
        }
        guard hours <= 14, minutes <= 59 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// RFC 822 military zones as written in the RFC: A–I, K–M are −1…−12 hours; N–Y are +1…+12; Z is UTC.
    private static func militaryZone(_ letter: UInt8) -> Int? {
        switch letter {
        case UInt8(ascii: "Z"): return 0
        case UInt8(ascii: "A")...UInt8(ascii: "I"): return -Int(letter - UInt8(ascii: "A") + 1)
        case UInt8(ascii: "K")...UInt8(ascii: "M"): return -Int(letter - UInt8(ascii: "K") + 10)
        case UInt8(ascii: "N")...UInt8(ascii: "Y"): return Int(letter - UInt8(ascii: "N") + 1)
        default: return nil
        }
    }

    // The word lists below are lowercase and compared with `DateWord.equals` on the bytes: a Set<String> lookup
    // of a lowercased String cost ~1 000 instructions per word, a third of reading a whole date.
    private static let namedZones: [(name: StaticString, hours: Int)] = [
        ("ut", 0), ("utc", 0), ("gmt", 0), ("z", 0),
        ("est", -5), ("edt", -4), ("cst", -6), ("cdt", -5), ("mst", -7), ("mdt", -6), ("pst", -8), ("pdt", -7),
        ("ast", -4), ("adt", -3), ("akst", -9), ("akdt", -8), ("hst", -10),
        ("cet", 1), ("cest", 2), ("eet", 2), ("eest", 3), ("jst", 9),
    ]

    private static let weekdays: [StaticString] = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "tues", "thur", "thurs",
    ]

    private static let months: [StaticString] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let fullMonths: [StaticString] = ["january", "february", "march", "april", "may", "june", "july",
                                                     "august", "september", "october", "november", "december"]

    private static func monthNumber(_ word: DateWord) -> Int? {
        if let index = months.firstIndex(where: word.equals) { return index + 1 }
        if let index = fullMonths.firstIndex(where: word.equals) { return index + 1 }
        if word.equals("sept") { return 9 }
        return nil
    }

    private static func epoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double,
                              offsetSeconds: Int) -> TimeInterval? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), year >= 1 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = Double(days * 86_400 + hour * 3600 + minute * 60) + second
        return local - Double(offsetSeconds)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    fileprivate static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

/// A run of ASCII letters in a date (a weekday, month or zone name).
private struct DateWord {
    let letters: Slice<UnsafeBufferPointer<UInt8>>

    /// True when the word is `lowercase` in any case (`lowercase` holds lowercase ASCII letters only).
    func equals(_ lowercase: StaticString) -> Bool {
        guard letters.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return zip(letters, expected).allSatisfy { $0 | 0x20 == $1 }
    }
}

/// A cursor over the ASCII bytes of a date string (valid while the buffer it reads is).
private struct DateScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.endIndex }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    var startsWithFourDigits: Bool { (0..<4).allSatisfy { peekDigit(at: $0) } }

    /// `h:` or `hh:` ahead.
    var looksLikeTime: Bool {
        peekDigit(at: 0) && (byte(at: 1) == UInt8(ascii: ":") || (peekDigit(at: 1) && byte(at: 2) == UInt8(ascii: ":")))
    }

    func byte(at offset: Int) -> UInt8? {
        index + offset < bytes.endIndex ? bytes[index + offset] : nil
    }

    func peekDigit(at offset: Int) -> Bool {
        let i = index + offset
        return i < bytes.endIndex && bytes[i] >= 0x30 && bytes[i] <= 0x39
    }

    mutating func advance() { index += 1 }
    mutating func skipToEnd() { index = bytes.endIndex }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func skipSpaces() {
        while let byte = peek, FeedDate.isSpace(byte) { index += 1 }
    }

    /// Spaces, dashes and commas between day, month and year ("02-Oct-2002", "2 Oct, 2002").
    mutating func skipSeparators() {
        while let byte = peek, FeedDate.isSpace(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ",") { index += 1 }
    }

    mutating func digits(exactly count: Int) -> Int? {
        guard let (value, n) = digitsCounted(min: count, max: count) else { return nil }
        return n == count ? value : nil
    }

    /// Reads exactly `count` digits, whatever follows them.
    mutating func fixedDigits(_ count: Int) -> Int? {
        guard (0..<count).allSatisfy({ peekDigit(at: $0) }) else { return nil }
        var value = 0
        for _ in 0..<count {
            value = value * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        return value
    }

    mutating func digits(min: Int, max: Int) -> Int? { digitsCounted(min: min, max: max)?.0 }

    /// Reads `min...max` digits; fails (consuming nothing) if fewer, or if more digits follow.
    mutating func digitsCounted(min: Int, max: Int) -> (Int, Int)? {
        var value = 0, count = 0
        while count < max, peekDigit(at: count) {
            value = value * 10 + Int(bytes[index + count] - 0x30)
            count += 1
        }
        guard count >= min, !peekDigit(at: count) || max > 4 else { return nil }
        index += count
        return (value, count)
    }

    func peekWord() -> DateWord? {
        var end = index
        while end < bytes.endIndex, isLetter(bytes[end]) { end += 1 }
        return end > index ? DateWord(letters: bytes[index..<end]) : nil
    }

    /// Two-digit-year ISO forms: `YYMMDD`, `YY-MM-DD`, `-YY-MM`.
    var looksLikeShortISO: Bool {
        let count = bytes.endIndex - index
        let dash = UInt8(ascii: "-")
        if count == 6, (0..<6).allSatisfy({ peekDigit(at: $0) }) { return true }
        if count == 6 {
            return byte(at: 0) == dash && peekDigit(at: 1) && peekDigit(at: 2) && byte(at: 3) == dash
                && peekDigit(at: 4) && peekDigit(at: 5)
        }
        return count == 8 && peekDigit(at: 0) && peekDigit(at: 1) && byte(at: 2) == dash && peekDigit(at: 3)
            && peekDigit(at: 4) && byte(at: 5) == dash && peekDigit(at: 6) && peekDigit(at: 7)
    }

    /// Letters of any script (a month name such as "július"), up to a digit, dash, space or T-separator.
    func peekLetters() -> String? {
        var end = index
        while end < bytes.endIndex, bytes[end] >= 0x80 || isLetter(bytes[end]) { end += 1 }
        return end > index ? String(decoding: bytes[index..<end], as: UTF8.self) : nil
    }

    mutating func skipLetters() {
        while let byte = peek, byte >= 0x80 || isLetter(byte) { index += 1 }
    }

    mutating func skipWord() {
        while let byte = peek, isLetter(byte) { index += 1 }
    }

    mutating func word() -> DateWord? {
        guard let word = peekWord() else { return nil }
        index += word.letters.count
        _ = consume(UInt8(ascii: "."))
        return word
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
