//! Markdown for knowledge articles: rendered with pulldown-cmark, then sanitised with ammonia (no
//! scripts, event handlers or `javascript:` links survive), and flattened to plain text for the
//! search index.

use crate::domain::url::is_local_path;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Safe HTML for an article body. Images must come from this site (a path such as
/// `/attachments/12`): an image from another host would tell it who read the article and when (a
/// tracking pixel), so its `src` is dropped.
pub fn render(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !is_local_path(value) => None,
            _ => Some(value.into()),
        })
        .clean(&raw)
        .to_string()
}

/// The words of an article body without markup (for indexing and snippets).
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push(' ')
            }
            Event::Start(Tag::Item) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = render("# Title\n\n1. **Open** `cmd`\n2. Run it\n\n[docs](https://example.com)");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<strong>Open</strong>"));
        assert!(html.contains("<code>cmd</code>"));
        assert!(html.contains(r#"<a href="https://example.com" rel="noopener noreferrer nofollow">docs</a>"#), "{html}");
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let html = render(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a> <iframe src=\"https://evil\"></iframe>",
        );
        for bad in ["<script", "alert(1)", "onerror", "javascript:", "<iframe"] {
            assert!(!html.to_lowercase().contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("Hi"));
    }

    #[test]
    fn only_same_site_images_keep_their_source() {
        let html = render("![a](/attachments/3) ![b](https://tracker.example/p.gif) ![c](//tracker.example/p.gif) <img src=\"http://x.example/i.png\"> ![d](data:image/png;base64,AAAA)");
        assert!(html.contains(r#"<img src="/attachments/3" alt="a">"#), "{html}");
        for bad in ["tracker.example", "x.example", "data:"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert_eq!(html.matches("<img").count(), 5, "the images stay, without a source: {html}");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("## Steps\n\n1. Open **Settings**\n2. Type `ipconfig /flushdns`"), "Steps Open Settings Type ipconfig /flushdns");
    }
}
