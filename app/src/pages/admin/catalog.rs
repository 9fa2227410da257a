use crate::api::admin::sla_setup;
use crate::api::catalog::{get_catalog_item, list_catalog_items, SaveCatalogItem};
use crate::components::{FieldMessage, FormError, Guard};
use crate::domain::catalog::builder::{FieldRow, StageRow, TaskRow, APPROVER_KINDS, CONDITION_OPS, EXPIRY_ACTIONS, FIELD_KINDS, RULES};
use crate::domain::{Actor, Role};
use crate::dto::{CatalogItemAdmin, SlaSetupView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Blank rows offered after the existing ones (more appear after a save).
const BLANK_ROWS: usize = 2;

/// `/admin/catalog`: every catalog item with its state, version and how often it was ordered.
#[component]
pub fn AdminCatalog() -> impl IntoView {
    let items = Resource::new(|| (), |_| list_catalog_items());
    view! {
        <Guard allow=Actor::is_admin>
            <h1>"Service catalog"</h1>
            <p><a href="/admin/catalog/new" id="new-item">"New catalog item"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) => view! {
                            <table class="tickets" id="catalog-items">
                                <thead><tr><th>"Item"</th><th>"State"</th><th>"Form version"</th><th>"Fields"</th><th>"Stages"</th><th>"Tasks"</th><th>"Requested"</th></tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr data-item=i.id.to_string()>
                                            <td><a href=format!("/admin/catalog/{}", i.id)>{i.name.clone()}</a></td>
                                            <td>{if i.active { "active" } else { "retired" }}</td>
                                            <td>{i.form_version}</td>
                                            <td>{i.form.len()}</td>
                                            <td>{i.approvals.len()}</td>
                                            <td>{i.tasks.len()}</td>
                                            <td>{i.requested}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

/// `/admin/catalog/:id` (or `new`): the item builder.
#[component]
pub fn AdminCatalogItem() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|i| i.parse::<i64>().ok());
    let item = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_catalog_item(id).await.map(Some),
            None => Ok(None),
        }
    });
    let setup = Resource::new(|| (), |_| sla_setup());
    view! {
        <Guard allow=Actor::is_admin>
            <p><a href="/admin/catalog">"← Service catalog"</a></p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (item.await, setup.await) {
                        (Ok(item), Ok(setup)) => view! { <ItemBuilder item setup/> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}

fn options(list: Vec<(i64, String)>, selected: Option<i64>, none: &'static str) -> impl IntoView {
    view! {
        <option value="">{none}</option>
        {list.into_iter().map(|(id, name)| view! { <option value=id.to_string() selected=Some(id) == selected>{name}</option> }).collect_view()}
    }
}

fn code_options(list: &'static [(&'static str, &'static str)], selected: Option<String>) -> impl IntoView {
    list.iter().map(move |(code, label)| view! { <option value=*code selected=selected.as_deref() == Some(*code)>{*label}</option> }).collect_view()
}

/// A text input of a builder row, named `rows[i][part]`.
fn cell(rows: &'static str, i: usize, part: &'static str, label: &'static str, value: Option<String>) -> impl IntoView {
    view! { <label>{label} <input name=format!("{rows}[{i}][{part}]") value=value.unwrap_or_default()/></label> }
}

/// The builder: details, audience, form fields, approval stages and tasks, each row a fieldset
/// whose inputs are named `fields[i][part]` (and so on), so the page works without JavaScript.
#[component]
fn ItemBuilder(item: Option<CatalogItemAdmin>, setup: SlaSetupView) -> impl IntoView {
    let save = ServerAction::<SaveCatalogItem>::new();
    let error: Signal<Option<AppError>> = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let i = item.clone();
    let get = |f: fn(&CatalogItemAdmin) -> Option<i64>| i.as_ref().and_then(f);
    let (service, category, group, policy) = (get(|i| i.service_id), get(|i| i.category_id), get(|i| i.group_id), get(|i| i.sla_policy_id));
    let roles = i.as_ref().map(|i| i.audience.roles.clone()).unwrap_or_default();
    let orgs = i.as_ref().map(|i| i.audience.organisation_ids.clone()).unwrap_or_default();
    let mut fields: Vec<FieldRow> = i.as_ref().map(|i| i.form.iter().map(FieldRow::from_field).collect()).unwrap_or_default();
    fields.extend((0..BLANK_ROWS).map(|_| FieldRow::default()));
    let mut stages: Vec<StageRow> = i.as_ref().map(|i| i.approvals.iter().map(StageRow::from_stage).collect()).unwrap_or_default();
    stages.extend((0..BLANK_ROWS).map(|_| StageRow::default()));
    let mut tasks: Vec<TaskRow> = i.as_ref().map(|i| i.tasks.iter().map(TaskRow::from_task).collect()).unwrap_or_default();
    tasks.extend((0..BLANK_ROWS).map(|_| TaskRow::default()));
    let groups: Vec<(i64, String)> = setup.groups.iter().map(|g| (g.id, g.name.clone())).collect();
    let title = item.as_ref().map(|i| format!("{} (form version {})", i.name, i.form_version)).unwrap_or_else(|| "New catalog item".into());
    view! {
        <h1 id="builder-title">{title}</h1>
        <ActionForm action=save attr:class="form" attr:id="item-builder">
            <input type="hidden" name="id" value=item.as_ref().map(|i| i.id.to_string()).unwrap_or_default()/>
            <input type="hidden" name="version" value=item.as_ref().map(|i| i.version.to_string()).unwrap_or_default()/>
            <section class="card">
                <h2>"Details"</h2>
                <label>"Name" <input name="name" maxlength="120" value=item.as_ref().map(|i| i.name.clone()).unwrap_or_default()/></label>
                <FieldMessage error field="name"/>
                <label>"Summary" <input name="summary" maxlength="300" value=item.as_ref().map(|i| i.summary.clone()).unwrap_or_default()/></label>
                <FieldMessage error field="summary"/>
                <label>"Description (markdown)" <textarea name="description" rows="5">{item.as_ref().map(|i| i.description.clone()).unwrap_or_default()}</textarea></label>
                <FieldMessage error field="description"/>
                <label>"Icon" <input name="icon" maxlength="32" value=item.as_ref().map(|i| i.icon.clone()).unwrap_or_default()/></label>
                <FieldMessage error field="icon"/>
                <div class="row">
                    <label>"Service" <select name="service_id">{options(setup.services.iter().map(|s| (s.id, s.name.clone())).collect(), service, "—")}</select></label>
                    <label>"Category" <select name="category_id">{options(setup.categories.iter().map(|c| (c.id, c.name.clone())).collect(), category, "—")}</select></label>
                </div>
                <div class="row">
                    <label>"Fulfilment group" <select name="group_id">{options(groups.clone(), group, "—")}</select></label>
                    <label>"Delivery target (SLA policy)" <select name="sla_policy_id">{options(setup.policies.iter().map(|p| (p.id, p.name.clone())).collect(), policy, "None")}</select></label>
                </div>
                <FieldMessage error field="sla_policy_id"/>
                <label class="check"><input type="checkbox" name="active" value="on" checked=item.as_ref().is_none_or(|i| i.active)/> "Active (requesters can order it)"</label>
            </section>
            <section class="card">
                <h2>"Who may order it"</h2>
                <p class="muted">"Nothing chosen: everyone."</p>
                <div class="row">
                    {Role::ALL.into_iter().map(|r| view! {
                        <label class="check"><input type="checkbox" name="roles[]" value=r.code() checked=roles.contains(&r)/> {r.label()}</label>
                    }).collect_view()}
                </div>
                <label>"Organisations"
                    <select name="organisations[]" multiple>
                        {setup.organisations.iter().map(|o| view! { <option value=o.id.to_string() selected=orgs.contains(&o.id)>{o.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            </section>
            <section class="card" id="form-fields">
                <h2>"Form"</h2>
                <p class="muted">"A condition may only look at a field placed before it. Fields with a position are sorted by it."</p>
                {fields.into_iter().enumerate().map(|(n, f)| {
                    let at = move |part: &str| format!("fields.{n}.{part}");
                    view! {
                        <fieldset class="builder-row" data-row=n.to_string()>
                            <legend>{f.label.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| "New field".into())}</legend>
                            <div class="row">
                                {cell("fields", n, "key", "Key", f.key.clone())}
                                {cell("fields", n, "label", "Label", f.label.clone())}
                                <label>"Type" <select name=format!("fields[{n}][kind]")>{code_options(&FIELD_KINDS, f.kind.clone())}</select></label>
                                {cell("fields", n, "position", "Position", f.position.clone())}
                            </div>
                            <FieldMessage error field=at("key")/>
                            <FieldMessage error field=at("label")/>
                            <FieldMessage error field=at("kind")/>
                            {cell("fields", n, "help", "Help", f.help.clone())}
                            <div class="row">
                                <label>"Choices (one per line)" <textarea name=format!("fields[{n}][options]") rows="2">{f.options.clone().unwrap_or_default()}</textarea></label>
                                {cell("fields", n, "min", "Min", f.min.clone())}
                                {cell("fields", n, "max", "Max", f.max.clone())}
                                {cell("fields", n, "class", "CI class", f.class.clone())}
                            </div>
                            <FieldMessage error field=at("options")/>
                            <FieldMessage error field=at("min")/>
                            <FieldMessage error field=at("max")/>
                            <div class="row">
                                {cell("fields", n, "default", "Default", f.default.clone())}
                                {cell("fields", n, "pattern", "Pattern", f.pattern.clone())}
                                <label class="check"><input type="checkbox" name=format!("fields[{n}][required]") value="on" checked=f.required.is_some()/> "Required"</label>
                            </div>
                            <FieldMessage error field=at("default")/>
                            <FieldMessage error field=at("pattern")/>
                            <div class="row">
                                {cell("fields", n, "show_field", "Show when field", f.show_field.clone())}
                                <label>"is" <select name=format!("fields[{n}][show_op]")>{code_options(&CONDITION_OPS, f.show_op.clone())}</select></label>
                                {cell("fields", n, "show_values", "Values (; between)", f.show_values.clone())}
                            </div>
                            <FieldMessage error field=at("visible_when")/>
                            <div class="row">
                                {cell("fields", n, "req_field", "Require when field", f.req_field.clone())}
                                <label>"is" <select name=format!("fields[{n}][req_op]")>{code_options(&CONDITION_OPS, f.req_op.clone())}</select></label>
                                {cell("fields", n, "req_values", "Values (; between)", f.req_values.clone())}
                            </div>
                            <FieldMessage error field=at("required_when")/>
                            <label class="check"><input type="checkbox" name=format!("fields[{n}][remove]") value="on"/> "Remove this field"</label>
                        </fieldset>
                    }
                }).collect_view()}
                <FieldMessage error field="fields"/>
            </section>
            <section class="card" id="stages">
                <h2>"Approval stages (in order)"</h2>
                {stages.into_iter().enumerate().map(|(n, s)| {
                    let at = move |part: &str| format!("approvals.{n}.{part}");
                    view! {
                        <fieldset class="builder-row" data-row=n.to_string()>
                            <div class="row">
                                {cell("stages", n, "name", "Stage", s.name.clone())}
                                <label>"Approvers" <select name=format!("stages[{n}][approvers]")>{code_options(&APPROVER_KINDS, s.approvers.clone())}</select></label>
                                {cell("stages", n, "user_ids", "People (user ids)", s.user_ids.clone())}
                                <label>"Group" <select name=format!("stages[{n}][group_id]")>{options(groups.clone(), s.group_id.as_deref().and_then(|g| g.parse().ok()), "—")}</select></label>
                            </div>
                            <FieldMessage error field=at("name")/>
                            <FieldMessage error field=at("approvers")/>
                            <FieldMessage error field=at("user_ids")/>
                            <FieldMessage error field=at("group_id")/>
                            <div class="row">
                                <label>"Rule" <select name=format!("stages[{n}][rule]")>{code_options(&RULES, s.rule.clone())}</select></label>
                                {cell("stages", n, "n", "N or %", s.n.clone())}
                                {cell("stages", n, "due_hours", "Hours to decide", s.due_hours.clone())}
                                <label>"When it expires" <select name=format!("stages[{n}][on_expiry]")>{code_options(&EXPIRY_ACTIONS, s.on_expiry.clone())}</select></label>
                            </div>
                            <FieldMessage error field=at("rule")/>
                            <FieldMessage error field=at("n")/>
                            <FieldMessage error field=at("due_hours")/>
                            <label class="check"><input type="checkbox" name=format!("stages[{n}][remove]") value="on"/> "Remove this stage"</label>
                        </fieldset>
                    }
                }).collect_view()}
                <FieldMessage error field="approvals"/>
            </section>
            <section class="card" id="tasks">
                <h2>"Fulfilment tasks"</h2>
                <p class="muted">"Lower orders first; tasks with the same order run side by side."</p>
                {tasks.into_iter().enumerate().map(|(n, t)| {
                    let at = move |part: &str| format!("tasks.{n}.{part}");
                    view! {
                        <fieldset class="builder-row" data-row=n.to_string()>
                            <div class="row">
                                {cell("tasks", n, "title", "Task", t.title.clone())}
                                <label>"Group" <select name=format!("tasks[{n}][group_id]")>{options(groups.clone(), t.group_id.as_deref().and_then(|g| g.parse().ok()), "The item's group")}</select></label>
                                {cell("tasks", n, "order", "Order", t.order.clone())}
                                <label class="check"><input type="checkbox" name=format!("tasks[{n}][remove]") value="on"/> "Remove"</label>
                            </div>
                            <FieldMessage error field=at("title")/>
                            <FieldMessage error field=at("group_id")/>
                            <FieldMessage error field=at("order")/>
                        </fieldset>
                    }
                }).collect_view()}
                <FieldMessage error field="tasks"/>
            </section>
            <FormError error/>
            <button type="submit">"Save item"</button>
        </ActionForm>
    }
}
