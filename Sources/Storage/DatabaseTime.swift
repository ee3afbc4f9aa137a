import Foundation
internal import GRDB

// Times are stored as REAL seconds since 1970 so they round-trip exactly (GRDB's default text format keeps milliseconds only).
extension Date {
    var databaseSeconds: Double { timeIntervalSince1970 }
}

extension Optional where Wrapped == Date {
    var databaseSeconds: Double? { self?.timeIntervalSince1970 }
}

extension Row {
    func date(_ column: String) -> Date {
        Date(timeIntervalSince1970: self[column] as Double)
    }

    func optionalDate(_ column: String) -> Date? {
        (self[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}
