use crate::error::AppError;
use leptos::prelude::*;

/// The message for one field, shown next to its input when the last submission failed there.
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, #[prop(into)] field: String) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.field_message(&field)).map(|m| {
            view! { <p class="field-error" role="alert" data-field=field.clone()>{m}</p> }
        })
    }
}

/// A form-level message for errors that are not about one field (sign-in, permission, conflict).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().filter(|e| !matches!(e, AppError::Validation(_))).map(|e| {
            view! { <p class="form-error" role="alert">{e.to_string()}</p> }
        })
    }
}
