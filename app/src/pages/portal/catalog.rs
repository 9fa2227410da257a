use crate::api::catalog::{browse_catalog, get_item_form, OrderItem};
use crate::components::{FieldMessage, FormError, Guard};
use crate::domain::catalog::{Condition, FieldKind, FormField, RawAnswers};
use crate::dto::{CatalogItemCard, CatalogItemForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// One catalog item as a card linking to its order form.
#[component]
pub fn CatalogCard(item: CatalogItemCard) -> impl IntoView {
    view! {
        <li class="catalog-card" data-item=item.id.to_string()>
            <a href=format!("/portal/catalog/{}", item.id) class="hit-title">{item.name.clone()}</a>
            <p class="snippet">{item.summary.clone()}</p>
            <p class="muted">
                {item.delivery.clone().map(|d| format!("Delivered in {d}"))}
                {item.needs_approval.then_some(" · needs approval")}
            </p>
        </li>
    }
}

/// `/portal/catalog`: what the requester may order, by category.
#[component]
pub fn PortalCatalog() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| browse_catalog());
    view! {
        <Guard allow=|_| true>
            <h1>"Request something"</h1>
            <p><a href="/portal/requests">"My requests"</a> " · " <a href="/portal/approvals">"My approvals"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(c) if c.categories.is_empty() => view! { <p class="empty">"Nothing can be ordered yet."</p> }.into_any(),
                        Ok(c) => c.categories.into_iter().map(|cat| view! {
                            <section class="card catalog-category">
                                <h2>{cat.name.clone()}</h2>
                                <ul class="catalog-items">{cat.items.into_iter().map(|item| view! { <CatalogCard item/> }).collect_view()}</ul>
                            </section>
                        }).collect_view().into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// `/portal/catalog/:id`: an item's description and order form.
#[component]
pub fn PortalCatalogItem() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|i| i.parse::<i64>().ok()).unwrap_or(0);
    let item = Resource::new(id, get_item_form);
    view! {
        <Guard allow=|_| true>
            <p><a href="/portal/catalog">"← Catalog"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match item.await {
                        Ok(f) => view! { <OrderForm item=f/> }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

fn condition_words(c: &Condition, form: &[FormField]) -> String {
    let label = |key: &str| form.iter().find(|f| f.key == key).map(|f| f.label.clone()).unwrap_or_else(|| key.to_string());
    match c {
        Condition::Checked { field } => format!("when “{}” is checked", label(field)),
        Condition::Equals { field, value } => format!("when “{}” is {value}", label(field)),
        Condition::OneOf { field, values } => format!("when “{}” is {}", label(field), values.join(" or ")),
    }
}

/// The order form of one item: its fields shown, hidden and required as the answers so far say
/// (the same evaluation the server runs); with JavaScript off every field shows with the
/// condition it depends on, and the server drops what its rules hide.
#[component]
pub fn OrderForm(item: CatalogItemForm) -> impl IntoView {
    let order = ServerAction::<OrderItem>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || order.value().get().and_then(|r| r.err()));
    let raw = RwSignal::new(RawAnswers::new());
    let definition = item.form.clone();
    let states = Memo::new(move |_| raw.with(|r| definition.state(r)));
    let fields = item.form.fields.clone();
    let all = fields.clone();
    let set = move |key: String, values: Vec<String>| raw.update(|r| {
        r.insert(key, values);
    });
    view! {
        <article class="card" id="catalog-item" data-item=item.item.id.to_string()>
            <h1>{item.item.name.clone()}</h1>
            <p class="muted">{item.item.summary.clone()}
                {item.item.delivery.clone().map(|d| format!(" · delivered in {d}"))}</p>
            <div class="article-body" inner_html=item.description_html.clone()></div>
            {(!item.stages.is_empty()).then(|| view! { <p class="muted" id="stages">"Approval: " {item.stages.join(" → ")}</p> })}
        </article>
        <section class="card">
            <h2>"Order"</h2>
            <ActionForm action=order attr:class="form" attr:id="order-form">
                <input type="hidden" name="item_id" value=item.item.id.to_string()/>
                {fields.into_iter().enumerate().map(|(i, f)| {
                    let key = f.key.clone();
                    let name = format!("answers[{key}][]");
                    let visible = move || states.with(|s| s.get(i).is_some_and(|s| s.visible));
                    let required = move || states.with(|s| s.get(i).is_some_and(|s| s.required));
                    let hint = f.visible_when.as_ref().map(|c| condition_words(c, &all));
                    let needs = f.required_when.as_ref().map(|c| format!("Required {}", condition_words(c, &all)));
                    let input = field_input(&f, name, set);
                    view! {
                        <div class="field" class:is-hidden=move || !visible() data-key=key.clone()>
                            <label>
                                {f.label.clone()}
                                <span class="required-mark" aria-hidden="true">{move || required().then_some(" *")}</span>
                                {input}
                            </label>
                            {(!f.help.is_empty()).then(|| view! { <p class="muted help">{f.help.clone()}</p> })}
                            {hint.map(|h| view! { <p class="muted condition">"Only " {h}</p> })}
                            {needs.map(|n| view! { <p class="muted condition">{n}</p> })}
                            <FieldMessage error field=format!("items.0.answers.{key}")/>
                        </div>
                    }
                }).collect_view()}
                <details>
                    <summary>"Order for someone else"</summary>
                    <label>"Requested for (email or login)" <input name="requested_for" autocomplete="off"/></label>
                </details>
                <FieldMessage error field="requested_for"/>
                <FieldMessage error field="items"/>
                <FormError error/>
                <button type="submit">"Submit request"</button>
            </ActionForm>
        </section>
    }
}

/// The input for one field, telling `set` its values as the requester types.
fn field_input(f: &FormField, name: String, set: impl Fn(String, Vec<String>) + Copy + Send + Sync + 'static) -> AnyView {
    let key = f.key.clone();
    let default = f.default.clone().unwrap_or_default();
    let on_text = {
        let key = key.clone();
        move |ev: leptos::ev::Event| set(key.clone(), vec![event_target_value(&ev)])
    };
    match &f.kind {
        FieldKind::Textarea => view! { <textarea name=name rows="3" on:input=on_text>{default}</textarea> }.into_any(),
        FieldKind::Number { min, max } => view! {
            <input type="number" name=name value=default step="any" min=min.map(|m| m.to_string()) max=max.map(|m| m.to_string()) on:input=on_text/>
        }.into_any(),
        FieldKind::Date => view! { <input type="date" name=name value=default on:input=on_text/> }.into_any(),
        FieldKind::Select { options } => view! {
            <select name=name on:change=on_text>
                <option value="">"—"</option>
                {options.iter().map(|o| view! { <option value=o.clone() selected=*o == default>{o.clone()}</option> }).collect_view()}
            </select>
        }.into_any(),
        FieldKind::MultiSelect { options } => {
            let chosen: Vec<String> = default.split(';').map(|s| s.trim().to_string()).collect();
            view! {
                <select name=name multiple on:change=move |ev| {
                    use leptos::wasm_bindgen::JsCast;
                    let picked = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlSelectElement>().ok()).map(|s| {
                        let opts = s.selected_options();
                        (0..opts.length()).filter_map(|i| opts.item(i)).filter_map(|o| o.get_attribute("value")).collect::<Vec<_>>()
                    }).unwrap_or_default();
                    set(key.clone(), picked);
                }>
                    {options.iter().map(|o| view! { <option value=o.clone() selected=chosen.contains(o)>{o.clone()}</option> }).collect_view()}
                </select>
            }.into_any()
        }
        FieldKind::Checkbox => view! {
            <input type="checkbox" name=name value="true" checked=default == "true"
                on:change=move |ev| set(key.clone(), if event_target_checked(&ev) { vec!["true".into()] } else { vec!["false".into()] })/>
        }.into_any(),
        FieldKind::User => view! { <input type="text" name=name value=default placeholder="email or login" autocomplete="off" on:input=on_text/> }.into_any(),
        FieldKind::Ci { .. } => view! { <input type="text" name=name value=default placeholder="CI name" autocomplete="off" on:input=on_text/> }.into_any(),
        FieldKind::Text | FieldKind::Attachment => view! {
            <input type="text" name=name value=default on:input=on_text/>
        }.into_any(),
    }
}
