//! `/console/cmdb/:id/map`: the CIs around one, to a chosen depth, as an SVG map and a table.

use crate::api::cmdb::get_map;
use crate::components::{CiMapView, Guard};
use crate::domain::cmdb::impact::MAX_DEPTH;
use crate::domain::Actor;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The map page: depth from `?depth=` (default 2).
#[component]
pub fn CmdbMap() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || params.with(|p| p.get("id")).unwrap_or_default();
    let depth = move || query.with(|q| q.get("depth")).and_then(|d| d.trim().parse::<i64>().ok());
    let map = Resource::new(move || (key(), depth()), |(k, d)| get_map(k, d));
    view! {
        <Guard allow=Actor::is_staff>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let m = match map.await {
                        Ok(m) => m,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let root = m.root.ci.clone();
                    let shown = m.depth;
                    view! {
                        <p><a href=format!("/console/cmdb/{}", root.id)>{format!("← {}", root.name)}</a></p>
                        <h1>"Map of " <span data-testid="map-root">{root.name.clone()}</span></h1>
                        <Form method="GET" action=format!("/console/cmdb/{}/map", root.id) attr:class="filters">
                            <label>"Hops "
                                <select name="depth">
                                    {(1..=MAX_DEPTH).map(|d| view! { <option value=d.to_string() selected=d == shown>{d.to_string()}</option> }).collect_view()}
                                </select>
                            </label>
                            <button type="submit">"Show"</button>
                        </Form>
                        <p class="meta" data-testid="map-count">{format!("{} configuration items within {} hop(s){}", m.nodes.len() + 1, shown, if m.truncated { ", the first 300 shown" } else { "" })}</p>
                        <CiMapView map=m depth=shown/>
                    }.into_any()
                })}
            </Suspense>
        </Guard>
    }
}
