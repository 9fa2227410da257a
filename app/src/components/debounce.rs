//! Debounced signals for type-ahead (search box, deflection suggestions).

use leptos::prelude::*;
use std::time::Duration;

/// Follows `source`, but only once it has stopped changing for `ms` milliseconds. On the server
/// (and before hydration) it holds the initial value.
pub fn debounced<T: Clone + Send + Sync + 'static>(source: Signal<T>, ms: u64) -> ReadSignal<T> {
    let (out, set_out) = signal(source.get_untracked());
    let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    Effect::new(move |_| {
        let value = source.get();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || set_out.set(value), Duration::from_millis(ms)).ok();
        pending.set_value(handle);
    });
    out
}
