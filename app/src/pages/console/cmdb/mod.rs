//! `/console/cmdb`: configuration items — search by name, class and status; a CI's page with its
//! ticket history, incident record, relationships and impact; admins register and change CIs in
//! the same form. `map.rs`: the map around a CI; `asset.rs`: its asset record and licences.

mod asset;
mod map;
mod relationships;

use asset::AssetPanel;
pub(crate) use asset::end_date;
pub use map::CmdbMap;
pub(crate) use relationships::CiLink;
use relationships::{ImpactPanel, RelationshipsPanel};

use crate::api::admin::list_groups;
use crate::api::auth::current_user;
use crate::api::cmdb::{get_ci, get_impact, list_cis, list_relationships, AddRelationship, RemoveRelationship, SaveAsset, SaveCi};
use crate::components::live::use_live;
use crate::api::desk::list_catalog;
use crate::components::{when, FieldMessage, FormError, Guard, StateBadge};
use crate::domain::{Actor, CiClass, CiStatus};
use crate::dto::{count_label, CiView, GroupView, ServiceView};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The CI list with its filters and, for admins, the registration form.
#[component]
pub fn CmdbList() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.with(|q| q.get(key)).filter(|v| !v.trim().is_empty());
    let save = ServerAction::<SaveCi>::new();
    let page = Resource::new(
        move || (param("q"), param("class"), param("status"), save.version().get()),
        |(q, class, status, _)| list_cis(q, class, status, None),
    );
    let me = Resource::new(|| (), |_| current_user());
    let choices = FormChoices::new();
    let saved = move || {
        save.value().get().and_then(|r| r.ok()).map(|c| {
            view! { <p class="notice" role="status">"Registered " <a href=format!("/console/cmdb/{}", c.ci.id)>{c.ci.name.clone()}</a></p> }
        })
    };
    let chosen = move |key: &'static str, code: &'static str| query.with(|q| q.get(key).as_deref() == Some(code));
    view! {
        <Guard allow=Actor::is_staff>
            <h1>"Configuration items"</h1>
            <Form method="GET" action="/console/cmdb" attr:class="filters" attr:id="ci-filters">
                <label>"Name " <input name="q" type="search" placeholder="e.g. VPN-GW" value=move || param("q").unwrap_or_default()/></label>
                <label>"Class "
                    <select name="class">
                        <option value="">"Any"</option>
                        {CiClass::ALL.iter().map(|c| view! { <option value=c.code() selected=move || chosen("class", c.code())>{c.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Status "
                    <select name="status">
                        <option value="">"Any"</option>
                        {CiStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=move || chosen("status", s.code())>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">"Find"</button>
            </Form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <p class="meta" data-testid="ci-total">{count_label(p.total, p.total_capped)} " configuration items"</p>
                            <table id="cis">
                                <thead><tr><th>"Name"</th><th>"Class"</th><th>"Status"</th><th>"Service"</th><th>"Support group"</th><th>"Location"</th></tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|c| view! {
                                        <tr data-ci=c.name.clone()>
                                            <td><a href=format!("/console/cmdb/{}", c.id)>{c.name.clone()}</a></td>
                                            <td>{c.class.label()}</td>
                                            <td>{c.status.label()}</td>
                                            <td>{c.service_name.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{c.support_group_name.clone().unwrap_or_else(|| "—".into())}</td>
                                            <td>{c.location.clone().unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let admin = me.await.ok().flatten().is_some_and(|a| a.is_admin());
                    let (services, groups) = choices.load().await;
                    admin.then(|| view! {
                        <section class="card">
                            <h2>"Register a configuration item"</h2>
                            <CiForm action=save ci=None services groups/>
                            {saved}
                        </section>
                    })
                })}
            </Suspense>
        </Guard>
    }
}

/// `/console/cmdb/:id`: one CI (by id, or by name), its open-ticket count, incident record and
/// latest tickets, its relationships and what its failure affects; admins change it and its
/// relationships. A change made elsewhere shows "changed by X — Reload" rather than replacing
/// what an admin is editing.
#[component]
pub fn CmdbItem() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.with(|p| p.get("id")).unwrap_or_default();
    let save = ServerAction::<SaveCi>::new();
    let add = ServerAction::<AddRelationship>::new();
    let remove = ServerAction::<RemoveRelationship>::new();
    let save_asset = ServerAction::<SaveAsset>::new();
    let reload = RwSignal::new(0u32);
    let versions = move || (save.version().get(), add.version().get(), remove.version().get(), save_asset.version().get(), reload.get());
    let ci = Resource::new(move || (key(), versions()), |(k, _)| get_ci(k));
    let rels = Resource::new(move || (key(), versions()), |(k, _)| list_relationships(k));
    let impact = Resource::new(move || (key(), versions()), |(k, _)| get_impact(k, None, None));
    let me = Resource::new(|| (), |_| current_user());
    let choices = FormChoices::new();
    let changed_by = RwSignal::new(None::<String>);
    use_live(move |m| {
        if !m.kind.starts_with("ci.") {
            return;
        }
        let mine = me.get_untracked().and_then(|r| r.ok()).flatten().map(|a| a.user_id);
        let this = ci.get_untracked().and_then(|r| r.ok()).map(|d| d.ci.id);
        let touches = m.payload.get("ci_ids").and_then(|v| v.as_array()).is_some_and(|ids| ids.iter().any(|i| i.as_i64() == this));
        if touches && m.actor_id != mine {
            changed_by.set(Some(m.actor_name.clone().unwrap_or_else(|| "someone else".into())));
        }
    });
    view! {
        <Guard allow=Actor::is_staff>
            <p><a href="/console/cmdb">"← Configuration items"</a></p>
            {move || changed_by.get().map(|who| view! {
                <div class="banner" role="status" data-testid="changed-banner">
                    {format!("This configuration item was changed by {who}. ")}
                    <button type="button" class="secondary" on:click=move |_| { changed_by.set(None); reload.update(|r| *r += 1); }>"Reload"</button>
                </div>
            })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let d = match ci.await {
                        Ok(d) => d,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let admin = me.await.ok().flatten().is_some_and(|a| a.is_admin());
                    let (services, groups) = choices.load().await;
                    let c = d.ci.clone();
                    let st = d.stats.clone();
                    view! {
                        <article class="card">
                            <h1 data-testid="ci-name">{c.name.clone()}</h1>
                            <p><a href=format!("/console/cmdb/{}/map", c.id) data-testid="map-link">"Map of its relationships"</a></p>
                            <dl class="fields">
                                <dt>"Class"</dt><dd data-testid="ci-class">{c.class.label()}</dd>
                                <dt>"Status"</dt><dd data-testid="ci-status">{c.status.label()}</dd>
                                <dt>"Service"</dt><dd>{c.service_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Support group"</dt><dd>{c.support_group_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Location"</dt><dd data-testid="ci-location">{c.location.clone().unwrap_or_else(|| "—".into())}</dd>
                                <dt>"Open tickets"</dt><dd data-testid="ci-open">{d.open_tickets}</dd>
                                <dt>"Incidents, last 90 days"</dt><dd data-testid="ci-incidents-90d">{st.incidents_90d}</dd>
                                <dt>"Mean time to resolve"</dt><dd data-testid="ci-mttr">{st.mean_minutes_to_resolve.map(duration).unwrap_or_else(|| "—".into())}
                                    {(st.resolved_90d > 0).then(|| format!(" ({} resolved)", st.resolved_90d))}</dd>
                                <dt>"Most frequent categories"</dt><dd data-testid="ci-categories">{if st.top_categories.is_empty() { "—".to_string() } else {
                                    st.top_categories.iter().map(|c| format!("{} ({})", c.name, c.count)).collect::<Vec<_>>().join(", ")
                                }}</dd>
                                <dt>"Last change"</dt><dd>{when(&c.updated_at)}</dd>
                            </dl>
                            <p class="description">{c.description.clone()}</p>
                            <h2>"Tickets"</h2>
                            {if d.recent_tickets.is_empty() { view! { <p class="empty">"No ticket names this CI."</p> }.into_any() } else {
                                view! { <ul id="ci-tickets">{d.recent_tickets.into_iter().map(|r| view! {
                                    <li data-number=r.number.clone()><a href=format!("/console/tickets/{}", r.number)>{r.number.clone()}</a> " " {r.title.clone()} " " <StateBadge state=r.state/></li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                        </article>
                        <AssetPanel ci=c.id.to_string() asset=d.asset.clone() licences=d.licences.clone() action=save_asset admin/>
                        <RelationshipsPanel rels add remove admin/>
                        <ImpactPanel impact/>
                        {admin.then(|| view! {
                            <section class="card">
                                <h2>"Change"</h2>
                                <CiForm action=save ci=Some(c) services groups/>
                            </section>
                        })}
                    }.into_any()
                })}
            </Suspense>
        </Guard>
    }
}

/// Minutes for people: `45 min`, `3 h 20 min`, `2 d 4 h`.
pub(crate) fn duration(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

/// The services and groups the CI form offers, loaded by the page (a resource created inside
/// suspended markup is numbered differently on the server and in the browser, and hydration would
/// pick up another resource's data).
#[derive(Clone, Copy)]
struct FormChoices {
    catalog: Resource<Result<(Vec<ServiceView>, Vec<crate::dto::CategoryView>), crate::error::AppError>>,
    groups: Resource<Result<Vec<GroupView>, crate::error::AppError>>,
}

impl FormChoices {
    fn new() -> Self {
        Self { catalog: Resource::new(|| (), |_| list_catalog()), groups: Resource::new(|| (), |_| list_groups()) }
    }

    async fn load(self) -> (Vec<ServiceView>, Vec<GroupView>) {
        (self.catalog.await.map(|(s, _)| s).unwrap_or_default(), self.groups.await.unwrap_or_default())
    }
}

/// The CI form: empty to register a CI, filled (with its id and version) to change one.
#[component]
fn CiForm(action: ServerAction<SaveCi>, ci: Option<CiView>, services: Vec<ServiceView>, groups: Vec<GroupView>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let c = ci;
    let class = c.as_ref().map(|c| c.class);
    let status = c.as_ref().map(|c| c.status).unwrap_or(CiStatus::InService);
    let service = c.as_ref().and_then(|c| c.service_id);
    let group = c.as_ref().and_then(|c| c.support_group_id);
    view! {
        <ActionForm action=action attr:class="form" attr:id="ci-edit-form">
            <input type="hidden" name="id" value=c.as_ref().map(|c| c.id.to_string()).unwrap_or_default()/>
            {c.as_ref().map(|c| view! { <input type="hidden" name="version" value=c.version/> })}
            <div class="row">
                <label>"CI name" <input name="name" autocomplete="off" value=c.as_ref().map(|c| c.name.clone()).unwrap_or_default()/></label>
                <label>"CI class"
                    <select name="class">
                        <option value="">"Choose…"</option>
                        {CiClass::ALL.iter().map(|k| view! { <option value=k.code() selected=class == Some(*k)>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"CI status"
                    <select name="status">
                        {CiStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=status == *s>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMessage error field="name"/>
            <FieldMessage error field="class"/>
            <FieldMessage error field="status"/>
            <div class="row">
                <label>"CI service"
                    <select name="service_id">
                        <option value="">"—"</option>
                        {services.into_iter().map(|s| view! { <option value=s.id selected=service == Some(s.id)>{s.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Support group"
                    <select name="support_group_id">
                        <option value="">"—"</option>
                        {groups.into_iter().map(|g| view! { <option value=g.id selected=group == Some(g.id)>{g.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Location" <input name="location" value=c.as_ref().and_then(|c| c.location.clone()).unwrap_or_default()/></label>
            </div>
            <FieldMessage error field="service_id"/>
            <FieldMessage error field="support_group_id"/>
            <FieldMessage error field="location"/>
            <label>"CI description" <textarea name="description" rows="2">{c.as_ref().map(|c| c.description.clone()).unwrap_or_default()}</textarea></label>
            <FieldMessage error field="description"/>
            <FormError error/>
            <button type="submit">{if c.is_some() { "Save changes" } else { "Register CI" }}</button>
        </ActionForm>
    }
}
