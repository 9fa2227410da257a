//! URLs that stay on this site.

/// Whether `url` can only name a page or file of this site: a path from the root (`/…`, not
/// `//host`), of visible ASCII without `\`. Browsers drop tabs and line breaks from a URL and read
/// `\` as `/`, so `/<TAB>/evil.example` would leave the site; anything of the kind refuses the
/// whole value (and a line break could never go into a `Location` header).
pub fn is_local_path(url: &str) -> bool {
    let mut chars = url.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && url.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_clean_root_paths_are_local() {
        for good in ["/", "/console", "/portal/kb?q=vpn%20setup#top", "/attachments/3"] {
            assert!(is_local_path(good), "{good:?}");
        }
        for bad in [
            "", "console", "//evil.example", "https://evil.example", "/\\evil", "/\t/evil.example", "/\n/evil.example",
            "/console\r\nSet-Cookie: x=1", "/ /evil", "/\u{0}x", "/é",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
