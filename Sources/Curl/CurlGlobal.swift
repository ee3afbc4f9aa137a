import CCurl

/// libcurl's process-wide setup; a static let runs it exactly once, thread-safely.
enum CurlGlobal {
    static let isInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

extension Duration {
    /// Whole milliseconds, at least 1: curl reads 0 as "no limit", which must never happen by rounding.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        guard !ms.overflow else { return Int.max }
        return max(1, Int(ms.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// Whole seconds rounded up, at least 1, for options that only take seconds.
    var curlSeconds: Int { max(1, (curlMilliseconds + 999) / 1000) }
}
