import Foundation
import PostgresNIO

/// Reads a row's columns in order. The store's queries name their columns explicitly (`Columns`) and records are
/// read by position: PostgreSQL folds unquoted names to lower case, so reading by name would tie the code to that.
struct RowReader {
    private let row: PostgresRandomAccessRow
    private var index = 0

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// Whether the next column is NULL (a LEFT JOIN that found nothing), without moving on.
    var nextIsNull: Bool { row[index].bytes == nil }

    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        defer { index += 1 }
        return try row[index].decode(T.self, context: .default)
    }

    /// A `double precision` time, seconds since 1970: exact both ways, as SQLite's REAL.
    mutating func date() throws -> Date {
        Date(timeIntervalSince1970: try next(Double.self))
    }

    mutating func optionalDate() throws -> Date? {
        try next(Double?.self).map(Date.init(timeIntervalSince1970:))
    }

    /// A `bytea` column.
    mutating func bytes() throws -> [UInt8] {
        Array(try next(ByteBuffer.self).readableBytesView)
    }

    mutating func optionalBytes() throws -> [UInt8]? {
        try next(ByteBuffer?.self).map { Array($0.readableBytesView) }
    }
}

extension Date {
    /// How times are stored: `double precision` seconds since 1970.
    var seconds: Double { timeIntervalSince1970 }
}

extension Optional where Wrapped == Date {
    var seconds: Double? { self?.timeIntervalSince1970 }
}

extension Array where Element == UInt8 {
    /// Bound as `bytea`. (`[UInt8]` itself would be bound as an array of `"char"`.)
    var bytea: ByteBuffer { ByteBuffer(bytes: self) }
}
