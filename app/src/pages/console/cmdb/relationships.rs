//! A CI's relationships (admins add and remove them) and what its failure affects.

use crate::api::cmdb::{AddRelationship, RemoveRelationship};
use crate::components::{FieldMessage, FormError};
use crate::domain::cmdb::RelationshipType;
use crate::dto::{CiRef, ImpactReport, RelationshipList};
use crate::error::AppError;
use leptos::prelude::*;

type Loaded<T> = Resource<Result<T, AppError>>;

/// A CI named with its class and status, linking to its page.
#[component]
pub fn CiLink(ci: CiRef) -> impl IntoView {
    view! {
        <a href=format!("/console/cmdb/{}", ci.id) data-ci=ci.name.clone()>{ci.name.clone()}</a>
        <span class="meta">" · " {ci.class.label()} " · " {ci.status.label()}</span>
    }
}

/// The relationship table and, for admins, the form adding one.
#[component]
pub fn RelationshipsPanel(rels: Loaded<RelationshipList>, add: ServerAction<AddRelationship>, remove: ServerAction<RemoveRelationship>, admin: bool) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let remove_error = Signal::derive(move || remove.value().get().and_then(|r| r.err()));
    view! {
        <section class="card" id="relationships">
            <h2>"Relationships"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let list = match rels.await {
                        Ok(l) => l,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let ci_id = list.ci.id.to_string();
                    let version = list.version;
                    let rows = list.items.clone();
                    view! {
                        {if rows.is_empty() { view! { <p class="empty">"No relationships yet."</p> }.into_any() } else { view! {
                            <table id="ci-relationships">
                                <thead><tr><th>"Relationship"</th><th>"Configuration item"</th><th>"Redundancy"</th>{admin.then(|| view! { <th><span class="sr-only">"Remove"</span></th> })}</tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let ci_id = ci_id.clone();
                                        let remove_label = format!("Remove {} {}", r.label.to_lowercase(), r.other.name);
                                        view! {
                                            <tr data-type=r.rel_type.clone() data-other=r.other.name.clone()>
                                                <td>{r.label.clone()}</td>
                                                <td><CiLink ci=r.other.clone()/></td>
                                                <td>{r.redundancy.as_ref().map(|s| format!("{}: {} of {} must be up", s.name, s.min_up, s.members)).unwrap_or_else(|| "—".into())}</td>
                                                {admin.then(|| view! {
                                                    <td>
                                                        <ActionForm action=remove attr:class="inline">
                                                            <input type="hidden" name="ci" value=ci_id/>
                                                            <input type="hidden" name="version" value=version/>
                                                            <input type="hidden" name="relationship_id" value=r.id/>
                                                            <button type="submit" class="secondary" aria-label=remove_label>"Remove"</button>
                                                        </ActionForm>
                                                    </td>
                                                })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any() }}
                        <FormError error=remove_error/>
                        {admin.then(|| view! {
                            <ActionForm action=add attr:class="form compact" attr:id="relationship-form">
                                <input type="hidden" name="ci" value=ci_id.clone()/>
                                <input type="hidden" name="version" value=version/>
                                <div class="row">
                                    <label>"Relationship"
                                        <select name="rel_type">
                                            {RelationshipType::all().into_iter().map(|t| view! { <option value=t.code()>{t.label()}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>"Related CI" <input name="target" autocomplete="off" placeholder="e.g. DB-ORA-01"/></label>
                                </div>
                                <FieldMessage error=add_error field="type"/>
                                <FieldMessage error=add_error field="target"/>
                                <div class="row">
                                    <label>"Redundancy set (optional)" <input name="redundancy_set" placeholder="e.g. db-cluster"/></label>
                                    <label>"At least this many up" <input name="min_up" type="number" min="1" inputmode="numeric"/></label>
                                </div>
                                <FieldMessage error=add_error field="redundancy_set"/>
                                <FieldMessage error=add_error field="min_up"/>
                                <FormError error=add_error/>
                                <button type="submit">"Add relationship"</button>
                            </ActionForm>
                        })}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// What fails with this CI: the business services and CIs reached, and redundancy that held.
#[component]
pub fn ImpactPanel(impact: Loaded<ImpactReport>) -> impl IntoView {
    view! {
        <section class="card" id="impact">
            <h2>"If this CI fails"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let r = match impact.await {
                        Ok(r) => r,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let services = r.business_services.clone();
                    view! {
                        <p data-testid="impact-summary">
                            {if r.nodes.is_empty() { "Nothing depends on it.".to_string() } else {
                                format!("{} configuration item(s) affected within {} hops{}.", r.nodes.len(), r.depth, if r.truncated { " (first 2,000)" } else { "" })
                            }}
                        </p>
                        {(!services.is_empty()).then(|| view! {
                            <p><strong>"Business services affected: "</strong>
                                <span data-testid="impact-services">{services.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", ")}</span>
                            </p>
                        })}
                        <ul class="impact-list" id="impact-nodes">
                            {r.nodes.iter().take(25).map(|n| view! {
                                <li data-ci=n.ci.name.clone()>
                                    <CiLink ci=n.ci.clone()/>
                                    <span class="meta">" — " {n.path.iter().map(|s| format!("{} {}", s.label.to_lowercase(), s.name)).collect::<Vec<_>>().join(" → ")}</span>
                                    {(n.open_incidents > 0).then(|| view! { " " <span class="badge">{format!("{} open incident(s)", n.open_incidents)}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                        {(r.nodes.len() > 25).then(|| view! { <p class="meta">{format!("… and {} more on the map.", r.nodes.len() - 25)}</p> })}
                        {r.held.iter().map(|h| view! {
                            <p class="notice" data-testid="impact-held">{format!("{} stays up: its set {} keeps {} of {} up ({} needed).", h.ci.name, h.set_name, h.up, h.members, h.needed)}</p>
                        }).collect_view()}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
