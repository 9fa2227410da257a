//! Markdown for knowledge articles: rendered with pulldown-cmark, then sanitised with ammonia (no
//! scripts, event handlers or `javascript:` links survive), and flattened to plain text for the
//! search index.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Safe HTML for an article body.
pub fn render(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&raw).to_string()
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
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("## Steps\n\n1. Open **Settings**\n2. Type `ipconfig /flushdns`"), "Steps Open Settings Type ipconfig /flushdns");
    }
}
