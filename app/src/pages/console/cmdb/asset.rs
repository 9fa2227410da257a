//! A CI's asset record (lifecycle, tag, serial, owner, purchase, warranty, lease) and the
//! licences installed on it; admins record and change it in place.

use crate::api::cmdb::SaveAsset;
use crate::components::{FieldMessage, FormError};
use crate::domain::cmdb::AssetLifecycle;
use crate::dto::{AssetView, LicenceRef};
use chrono::NaiveDate;
use leptos::prelude::*;

/// `2027-03-01 (in 28 days)`, `2026-01-31 (ended 12 days ago)`, or `—`.
pub(crate) fn end_date(end: Option<NaiveDate>, today: NaiveDate) -> String {
    let Some(end) = end else { return "—".into() };
    let days = (end - today).num_days();
    let when = match days {
        d if d < -1 => format!("ended {} days ago", -d),
        -1 => "ended yesterday".into(),
        0 => "ends today".into(),
        1 => "in 1 day".into(),
        d => format!("in {d} days"),
    };
    format!("{end} ({when})")
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The asset card of a CI page.
#[component]
pub fn AssetPanel(ci: String, asset: Option<AssetView>, licences: Vec<LicenceRef>, action: ServerAction<SaveAsset>, admin: bool) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let today = chrono::Utc::now().date_naive();
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let a = asset.clone();
    let current = a.as_ref().map(|a| a.lifecycle);
    let stages: Vec<AssetLifecycle> = match current {
        Some(now) => AssetLifecycle::ALL.iter().copied().filter(|s| *s == now || now.next().contains(s)).collect(),
        None => AssetLifecycle::ALL.to_vec(),
    };
    let chosen = current.unwrap_or(AssetLifecycle::Deployed);
    let val = move |f: fn(&AssetView) -> Option<String>| a.as_ref().and_then(f).unwrap_or_default();
    let (has, version) = (asset.is_some(), asset.as_ref().map_or(0, |a| a.version));
    view! {
        <section class="card" id="asset">
            <h2>"Asset"</h2>
            {match asset {
                Some(a) => view! {
                    <dl class="fields">
                        <dt>"Lifecycle stage"</dt><dd data-testid="asset-lifecycle">{a.lifecycle.label()}</dd>
                        <dt>"Asset tag"</dt><dd data-testid="asset-tag">{text(&a.asset_tag)}</dd>
                        <dt>"Serial number"</dt><dd>{text(&a.serial_number)}</dd>
                        <dt>"Owner"</dt><dd data-testid="asset-owner">{text(&a.owner_name)}</dd>
                        <dt>"Vendor"</dt><dd>{text(&a.vendor)}</dd>
                        <dt>"Purchased"</dt><dd>{a.purchase_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}
                            {a.cost.clone().map(|c| format!(" for {c}"))}</dd>
                        <dt>"Warranty end"</dt><dd data-testid="asset-warranty">{end_date(a.warranty_end, today)}</dd>
                        <dt>"Lease end"</dt><dd>{end_date(a.lease_end, today)}</dd>
                        <dt>"Notice"</dt><dd>{format!("{} days before an end, to the support group", a.notice_days)}</dd>
                    </dl>
                }.into_any(),
                None => view! { <p class="empty">"No asset record."</p> }.into_any(),
            }}
            <h3>"Installed licences"</h3>
            {if licences.is_empty() { view! { <p class="empty">"None recorded."</p> }.into_any() } else {
                view! { <ul id="ci-licences">{licences.into_iter().map(|l| view! {
                    <li>{if admin { view! { <a href=format!("/admin/licences/{}", l.id)>{l.product.clone()}</a> }.into_any() } else { l.product.clone().into_any() }}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            {admin.then(|| view! {
                <details open=!has>
                    <summary>{if has { "Change the asset record" } else { "Record as an asset" }}</summary>
                    <ActionForm action=action attr:class="form" attr:id="asset-form">
                        <input type="hidden" name="ci" value=ci/>
                        <input type="hidden" name="version" value=version/>
                        <div class="row">
                            <label>"Lifecycle stage"
                                <select name="lifecycle">
                                    {stages.into_iter().map(|s| view! { <option value=s.code() selected=s == chosen>{s.label()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"Asset tag" <input name="asset_tag" autocomplete="off" value=val(|a| a.asset_tag.clone())/></label>
                            <label>"Serial number" <input name="serial_number" autocomplete="off" value=val(|a| a.serial_number.clone())/></label>
                        </div>
                        <FieldMessage error field="lifecycle"/>
                        <FieldMessage error field="asset_tag"/>
                        <FieldMessage error field="serial_number"/>
                        <div class="row">
                            <label>"Owner (email)" <input name="owner_email" type="email" autocomplete="off" value=val(|a| a.owner_email.clone())/></label>
                            <label>"Vendor" <input name="vendor" value=val(|a| a.vendor.clone())/></label>
                        </div>
                        <FieldMessage error field="owner_email"/>
                        <FieldMessage error field="vendor"/>
                        <div class="row">
                            <label>"Purchase date" <input name="purchase_date" type="date" value=val(|a| day(a.purchase_date))/></label>
                            <label>"Cost" <input name="cost" inputmode="decimal" placeholder="e.g. 1299.50" value=val(|a| a.cost.clone())/></label>
                        </div>
                        <FieldMessage error field="purchase_date"/>
                        <FieldMessage error field="cost"/>
                        <div class="row">
                            <label>"Warranty end" <input name="warranty_end" type="date" value=val(|a| day(a.warranty_end))/></label>
                            <label>"Lease end" <input name="lease_end" type="date" value=val(|a| day(a.lease_end))/></label>
                            <label>"Notice (days before an end)" <input name="notice_days" type="number" min="1" max="365" inputmode="numeric" value=val(|a| Some(a.notice_days.to_string()))/></label>
                        </div>
                        <FieldMessage error field="warranty_end"/>
                        <FieldMessage error field="lease_end"/>
                        <FieldMessage error field="notice_days"/>
                        <FormError error/>
                        <button type="submit">{if has { "Save asset" } else { "Record asset" }}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_dates_say_how_far_away_they_are() {
        let today = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        let d = |s: &str| Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert_eq!(end_date(None, today), "—");
        assert_eq!(end_date(d("2027-03-01"), today), "2027-03-01 (in 28 days)");
        assert_eq!(end_date(d("2027-02-02"), today), "2027-02-02 (in 1 day)");
        assert_eq!(end_date(d("2027-02-01"), today), "2027-02-01 (ends today)");
        assert_eq!(end_date(d("2027-01-31"), today), "2027-01-31 (ended yesterday)");
        assert_eq!(end_date(d("2027-01-20"), today), "2027-01-20 (ended 12 days ago)");
    }
}
