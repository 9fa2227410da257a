//! Keyboard navigation for ticket lists: `j`/`k` move the selection, `Enter` opens the ticket.

/// Enables `j`/`k`/`Enter` on the rows of the table `table_id` while the calling component is
/// mounted (browser only; ignored while typing in a form field).
pub fn use_row_keys(table_id: &'static str) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        use wasm_bindgen::JsCast;
        let selected = StoredValue::new(None::<u32>);
        let handle = window_event_listener(leptos::ev::keydown, move |e: web_sys::KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Ok(rows) = document().query_selector_all(&format!("#{table_id} tbody tr")) else { return };
            let count = rows.length();
            if count == 0 {
                return;
            }
            let current = selected.get_value();
            let next = match e.key().as_str() {
                "j" | "ArrowDown" => Some(current.map(|i| (i + 1).min(count - 1)).unwrap_or(0)),
                "k" | "ArrowUp" => Some(current.map(|i| i.saturating_sub(1)).unwrap_or(0)),
                "Enter" => {
                    if let Some(link) = current
                        .and_then(|i| rows.item(i))
                        .and_then(|row| row.dyn_into::<web_sys::Element>().ok())
                        .and_then(|row| row.query_selector("a").ok().flatten())
                        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        e.prevent_default();
                        link.click();
                    }
                    None
                }
                _ => None,
            };
            if let Some(index) = next {
                e.prevent_default();
                for i in 0..count {
                    if let Some(row) = rows.item(i).and_then(|r| r.dyn_into::<web_sys::Element>().ok()) {
                        let _ = row.class_list().toggle_with_force("selected", i == index);
                        let _ = row.set_attribute("aria-selected", if i == index { "true" } else { "false" });
                    }
                }
                selected.set_value(Some(index));
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = table_id;
}
