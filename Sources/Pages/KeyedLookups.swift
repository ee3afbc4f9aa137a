import Mustache

// Keyed lookups instead of Mirror reflection for the values rendered most often (the layout on every
// request, articles and times many times per page). `KeyedLookupTests` checks each stays in step
// with the type's stored properties.

extension LayoutModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "publications": publications
        case "hasNavigation": hasNavigation
        case "allPublicationsURL": allPublicationsURL
        case "allPublicationsIsCurrent": allPublicationsIsCurrent
        case "member": member
        case "signInURL": signInURL
        case "flash": flash
        default: nil
        }
    }
}

extension NavPublication: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "id": id
        case "name": name
        case "isCurrent": isCurrent
        case "path": path
        default: nil
        }
    }
}

extension NavMember: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "login": login
        case "avatarURL": avatarURL
        case "csrfToken": csrfToken
        default: nil
        }
    }
}

extension ArticleView: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "href": href
        case "summary": summary
        case "author": author
        case "thumbnailURL": thumbnailURL
        case "published": published
        case "hasMeta": hasMeta
        default: nil
        }
    }
}

extension TimeView: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "relative": relative
        case "exact": exact
        case "iso": iso
        default: nil
        }
    }
}
