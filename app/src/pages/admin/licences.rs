//! `/admin/licences`: what runs out (warranties, leases and licences ending within 90 days, or
//! ended in the last 90) and what is over-used, every licence with its seats and installations,
//! and the form recording a licence; `/admin/licences/:id`: one licence — change it, and record or
//! remove its installations.

use crate::api::admin::list_groups;
use crate::api::cmdb::{get_asset_report, get_licence, list_licences, AddInstallation, RemoveInstallation, SaveLicence};
use crate::components::{when, FieldMessage, FormError, Guard};
use crate::domain::Actor;
use crate::dto::{GroupView, LicenceView};
use crate::pages::console::{end_date, CiLink};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Seats used, e.g. `27 of 25 (2 over)`.
fn use_of(l: &LicenceView) -> String {
    match l.over_use {
        0 => format!("{} of {}", l.installed, l.seats),
        n => format!("{} of {} ({n} over)", l.installed, l.seats),
    }
}

/// The licence table (shared by the report and the full list).
#[component]
fn LicenceTable(licences: Vec<LicenceView>, id: &'static str) -> impl IntoView {
    let today = chrono::Utc::now().date_naive();
    view! {
        <table id=id>
            <thead><tr><th>"Product"</th><th>"Vendor"</th><th>"Seats used"</th><th>"Expires"</th><th>"Told"</th></tr></thead>
            <tbody>
                {licences.into_iter().map(|l| view! {
                    <tr data-product=l.product.clone() class:over={l.over_use > 0}>
                        <td><a href=format!("/admin/licences/{}", l.id)>{l.product.clone()}</a></td>
                        <td>{l.vendor.clone().unwrap_or_else(|| "—".into())}</td>
                        <td data-testid="licence-use">{use_of(&l)}</td>
                        <td>{if l.expires_on.is_some() { end_date(l.expires_on, today) } else { "Perpetual".into() }}</td>
                        <td>{l.support_group_name.clone().unwrap_or_else(|| "Admins".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The report, the licence list and the form recording a licence.
#[component]
pub fn AdminLicences() -> impl IntoView {
    let save = ServerAction::<SaveLicence>::new();
    let report = Resource::new(move || save.version().get(), |_| get_asset_report(None));
    let licences = Resource::new(move || save.version().get(), |_| list_licences());
    let groups = Resource::new(|| (), |_| list_groups());
    let saved = move || {
        save.value().get().and_then(|r| r.ok()).map(|l| {
            view! { <p class="notice" role="status">"Recorded " <a href=format!("/admin/licences/{}", l.licence.id)>{l.licence.product.clone()}</a></p> }
        })
    };
    view! {
        <Guard allow=Actor::is_admin>
            <h1>"Assets and licences"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let r = match report.await {
                        Ok(r) => r,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    view! {
                        <section class="card" id="expiring">
                            <h2>{format!("Ending within {} days", r.days)}</h2>
                            <p class="meta">"Warranties and leases of assets still in use, and licences, ending in the next " {r.days} " days or ended in the last " {r.days}
                                ". The support group (or, without one, the admins) is told the set number of days before each end."</p>
                            {if r.expiring_assets.is_empty() { view! { <p class="empty">"No warranty or lease ends in this window."</p> }.into_any() } else { view! {
                                <table id="expiring-assets">
                                    <thead><tr><th>"Configuration item"</th><th>"Asset tag"</th><th>"What"</th><th>"Ends"</th><th>"Support group"</th></tr></thead>
                                    <tbody>
                                        {r.expiring_assets.into_iter().map(|a| view! {
                                            <tr data-ci=a.ci.name.clone() data-kind=a.kind.code() class:ended={a.days_left < 0}>
                                                <td><CiLink ci=a.ci.clone()/></td>
                                                <td>{a.asset_tag.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td>{a.kind.label()}</td>
                                                <td>{end_date(Some(a.ends_on), chrono::Utc::now().date_naive())}</td>
                                                <td>{a.support_group_name.clone().unwrap_or_else(|| "Admins".into())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any() }}
                            <h3>"Licences expiring"</h3>
                            {if r.expiring_licences.is_empty() { view! { <p class="empty">"No licence expires in this window."</p> }.into_any() } else {
                                view! { <LicenceTable licences=r.expiring_licences id="expiring-licences"/> }.into_any()
                            }}
                        </section>
                        <section class="card" id="over-used">
                            <h2>"Over-used licences"</h2>
                            {if r.over_used_licences.is_empty() { view! { <p class="empty">"Every licence is within its seats."</p> }.into_any() } else {
                                view! { <LicenceTable licences=r.over_used_licences id="over-used-licences"/> }.into_any()
                            }}
                        </section>
                    }.into_any()
                })}
            </Suspense>
            <section class="card">
                <h2>"Licences"</h2>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match licences.await {
                            Ok(l) if l.items.is_empty() => view! { <p class="empty">"No licence recorded yet."</p> }.into_any(),
                            Ok(l) => view! { <LicenceTable licences=l.items id="licences"/> }.into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card">
                <h2>"Record a licence"</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let groups = groups.await.unwrap_or_default();
                        view! { <LicenceForm action=save licence=None groups/> }
                    })}
                </Suspense>
                {saved}
            </section>
        </Guard>
    }
}

/// The licence form: empty to record one, filled (with id and version) to change it.
#[component]
fn LicenceForm(action: ServerAction<SaveLicence>, licence: Option<LicenceView>, groups: Vec<GroupView>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let l = licence;
    let group = l.as_ref().and_then(|l| l.support_group_id);
    let text = |f: fn(&LicenceView) -> Option<String>| l.as_ref().and_then(f).unwrap_or_default();
    let (id, product, vendor, seats) = (text(|l| Some(l.id.to_string())), text(|l| Some(l.product.clone())), text(|l| l.vendor.clone()), text(|l| Some(l.seats.to_string())));
    let (expires_on, notice_days, notes) = (text(|l| l.expires_on.map(|d| d.to_string())), text(|l| Some(l.notice_days.to_string())), text(|l| Some(l.notes.clone())));
    let version = l.as_ref().map(|l| l.version);
    let label = if l.is_some() { "Save licence" } else { "Record licence" };
    view! {
        <ActionForm action=action attr:class="form" attr:id="licence-form">
            <input type="hidden" name="id" value=id/>
            {version.map(|v| view! { <input type="hidden" name="version" value=v/> })}
            <div class="row">
                <label>"Product" <input name="product" autocomplete="off" placeholder="e.g. Office 365 E3" value=product/></label>
                <label>"Vendor" <input name="vendor" value=vendor/></label>
                <label>"Seats" <input name="seats" type="number" min="0" inputmode="numeric" value=seats/></label>
            </div>
            <FieldMessage error field="product"/>
            <FieldMessage error field="vendor"/>
            <FieldMessage error field="seats"/>
            <div class="row">
                <label>"Expires on" <input name="expires_on" type="date" value=expires_on/></label>
                <label>"Group told before expiry"
                    <select name="support_group_id">
                        <option value="">"Admins"</option>
                        {groups.into_iter().map(|g| view! { <option value=g.id selected=group == Some(g.id)>{g.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Notice (days)" <input name="notice_days" type="number" min="1" max="365" inputmode="numeric" value=notice_days/></label>
            </div>
            <FieldMessage error field="expires_on"/>
            <FieldMessage error field="support_group_id"/>
            <FieldMessage error field="notice_days"/>
            <label>"Notes" <textarea name="notes" rows="2">{notes}</textarea></label>
            <FieldMessage error field="notes"/>
            <FormError error/>
            <button type="submit">{label}</button>
        </ActionForm>
    }
}

/// One licence: its use, its form, its installations.
#[component]
pub fn AdminLicence() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let save = ServerAction::<SaveLicence>::new();
    let add = ServerAction::<AddInstallation>::new();
    let remove = ServerAction::<RemoveInstallation>::new();
    let licence = Resource::new(move || (id(), save.version().get(), add.version().get(), remove.version().get()), |(i, ..)| get_licence(i));
    let groups = Resource::new(|| (), |_| list_groups());
    let add_error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let remove_error = Signal::derive(move || remove.value().get().and_then(|r| r.err()));
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin/licences">"← Assets and licences"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let d = match licence.await {
                        Ok(d) => d,
                        Err(e) => return view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let groups = groups.await.unwrap_or_default();
                    let l = d.licence.clone();
                    let (lid, version) = (l.id, l.version);
                    view! {
                        <h1 data-testid="licence-product">{l.product.clone()}</h1>
                        <p class="meta" data-testid="licence-use">{format!("Seats used: {}", use_of(&l))}</p>
                        <section class="card" id="installations">
                            <h2>"Installations"</h2>
                            {if d.installations.is_empty() { view! { <p class="empty">"Not installed anywhere yet."</p> }.into_any() } else { view! {
                                <table id="licence-installations">
                                    <thead><tr><th>"Configuration item"</th><th>"Recorded"</th><th><span class="sr-only">"Remove"</span></th></tr></thead>
                                    <tbody>
                                        {d.installations.into_iter().map(|i| {
                                            let label = format!("Remove the installation on {}", i.ci.name);
                                            view! {
                                                <tr data-ci=i.ci.name.clone()>
                                                    <td><CiLink ci=i.ci.clone()/></td>
                                                    <td>{when(&i.installed_at)}</td>
                                                    <td>
                                                        <ActionForm action=remove attr:class="inline">
                                                            <input type="hidden" name="licence" value=lid/>
                                                            <input type="hidden" name="version" value=version/>
                                                            <input type="hidden" name="ci_id" value=i.ci.id/>
                                                            <button type="submit" class="secondary" aria-label=label>"Remove"</button>
                                                        </ActionForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any() }}
                            <FormError error=remove_error/>
                            <ActionForm action=add attr:class="form compact" attr:id="installation-form">
                                <input type="hidden" name="licence" value=lid/>
                                <input type="hidden" name="version" value=version/>
                                <label>"Installed on (CI name)" <input name="ci" autocomplete="off" placeholder="e.g. LT-0042"/></label>
                                <FieldMessage error=add_error field="ci"/>
                                <FormError error=add_error/>
                                <button type="submit">"Record installation"</button>
                            </ActionForm>
                        </section>
                        <section class="card">
                            <h2>"Change"</h2>
                            <LicenceForm action=save licence=Some(l) groups/>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        </Guard>
    }
}
