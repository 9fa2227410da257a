//! Browser side of the live console: a subscription to `/api/live` (Server-Sent Events, resumed
//! by the browser with `Last-Event-ID`) and presence heartbeats. Both do nothing during SSR.

use crate::dto::LiveMessage;
#[cfg(feature = "hydrate")]
use leptos::prelude::*;

/// Calls `on_message` for every live message while the calling component is mounted.
///
/// The subscription opens on the next task, after the page has finished hydrating: a message
/// that arrived while server-rendered markup was still being hydrated would change signals that
/// markup was rendered without, and hydration would stop on the mismatch.
pub fn use_live(on_message: impl Fn(LiveMessage) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use send_wrapper::SendWrapper;
        use std::cell::{Cell, RefCell};
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        type Subscription = (web_sys::EventSource, Closure<dyn FnMut(web_sys::MessageEvent)>);
        let slot: Rc<RefCell<Option<Subscription>>> = Rc::default();
        let unmounted = Rc::new(Cell::new(false));
        let (opened, stopped) = (slot.clone(), unmounted.clone());
        set_timeout(
            move || {
                if stopped.get() {
                    return;
                }
                let Ok(source) = web_sys::EventSource::new("/api/live") else { return };
                let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    if let Some(text) = e.data().as_string() {
                        if let Ok(m) = serde_json::from_str::<LiveMessage>(&text) {
                            on_message(m);
                        }
                    }
                });
                source.set_onmessage(Some(handler.as_ref().unchecked_ref()));
                *opened.borrow_mut() = Some((source, handler));
            },
            std::time::Duration::ZERO,
        );
        let guard = SendWrapper::new((slot, unmounted));
        on_cleanup(move || {
            let (slot, unmounted) = guard.take();
            unmounted.set(true);
            let subscription = slot.borrow_mut().take();
            if let Some((source, _handler)) = subscription {
                source.close();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on_message;
}

/// Tells the server this agent is viewing (and maybe typing on) ticket `number`.
pub fn send_presence(number: &str, typing: bool, leave: bool) {
    #[cfg(feature = "hydrate")]
    {
        let body = serde_json::json!({ "number": number, "typing": typing, "leave": leave }).to_string();
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&wasm_bindgen::JsValue::from_str(&body));
        if let Ok(headers) = web_sys::Headers::new() {
            let _ = headers.set("content-type", "application/json");
            init.set_headers(&headers);
        }
        let _ = window().fetch_with_str_and_init("/api/live/presence", &init);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (number, typing, leave);
}

/// Sends heartbeats for `number` every 10 s while mounted, and a "left" beat on unmount.
pub fn use_presence(number: String) {
    #[cfg(feature = "hydrate")]
    {
        send_presence(&number, false, false);
        let beat = number.clone();
        if let Ok(handle) = set_interval_with_handle(move || send_presence(&beat, false, false), std::time::Duration::from_secs(10)) {
            on_cleanup(move || {
                handle.clear();
                send_presence(&number, false, true);
            });
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = number;
}

/// People (other than `me`) in a presence payload's `viewers` or `typing` list.
pub fn others(payload: &serde_json::Value, key: &str, me: Option<i64>) -> Vec<String> {
    payload
        .get(key)
        .and_then(|v| v.as_array())
        .map(|people| {
            people
                .iter()
                .filter(|p| p.get("id").and_then(|i| i.as_i64()) != me)
                .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::others;

    #[test]
    fn presence_lists_exclude_me() {
        let p = serde_json::json!({ "viewers": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}], "typing": [{"id": 2, "name": "B"}] });
        assert_eq!(others(&p, "viewers", Some(1)), ["B"]);
        assert_eq!(others(&p, "typing", Some(2)), Vec::<String>::new());
        assert_eq!(others(&serde_json::json!({}), "viewers", None), Vec::<String>::new());
    }
}
