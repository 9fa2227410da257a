//! Admin forms for desk configuration: priority matrix, settings, resolution codes, groups.

use crate::api::admin::{SaveCategory, SaveGroup, SaveMatrix, SaveResolutionCode, SaveSettings};
use crate::components::{FieldMessage, FormError};
use crate::domain::{Impact, Urgency};
use crate::dto::{CategoryView, DeskConfigView, GroupView, ServiceView, UserView};
use leptos::prelude::*;

/// The three desk-configuration actions plus the group one; their versions refresh the page data.
#[derive(Clone, Copy)]
pub struct DeskActions {
    pub matrix: ServerAction<SaveMatrix>,
    pub settings: ServerAction<SaveSettings>,
    pub code: ServerAction<SaveResolutionCode>,
    pub group: ServerAction<SaveGroup>,
    pub category: ServerAction<SaveCategory>,
}

impl DeskActions {
    /// Creates the actions.
    pub fn new() -> Self {
        Self {
            matrix: ServerAction::new(),
            settings: ServerAction::new(),
            code: ServerAction::new(),
            group: ServerAction::new(),
            category: ServerAction::new(),
        }
    }

    /// Changes whenever any of them completes.
    pub fn versions(&self) -> [usize; 5] {
        [
            self.matrix.version().get(),
            self.settings.version().get(),
            self.code.version().get(),
            self.group.version().get(),
            self.category.version().get(),
        ]
    }
}

/// Priority matrix (3×3 selects), reopen/auto-close settings and resolution codes.
#[component]
pub fn DeskForms(actions: DeskActions, config: DeskConfigView) -> impl IntoView {
    let matrix_err = Signal::derive(move || actions.matrix.value().get().and_then(|r| r.err()));
    let settings_err = Signal::derive(move || actions.settings.value().get().and_then(|r| r.err()));
    let code_err = Signal::derive(move || actions.code.value().get().and_then(|r| r.err()));
    let cell = move |i: Impact, u: Urgency| config.matrix.iter().find(|c| c.impact == i && c.urgency == u).map(|c| c.priority).unwrap_or(3);
    let cells: Vec<(Impact, Vec<(Urgency, u8)>)> =
        Impact::ALL.into_iter().map(|i| (i, Urgency::ALL.into_iter().map(|u| (u, cell(i, u))).collect())).collect();
    view! {
        <section class="card">
            <h2>"Priority matrix"</h2>
            <ActionForm action=actions.matrix attr:id="matrix-form" attr:class="form">
                <table class="matrix">
                    <thead><tr><th>"Impact \\ Urgency"</th>{Urgency::ALL.into_iter().map(|u| view! { <th>{u.label()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {cells.into_iter().map(|(i, row)| view! {
                            <tr><th>{i.label()}</th>
                                {row.into_iter().map(|(u, p)| {
                                    let name = format!("{}_{}", i.code(), u.code());
                                    view! {
                                        <td><select name=name.clone() aria-label=format!("{} impact, {} urgency", i.label(), u.label())>
                                            {(1..=5u8).map(|n| view! { <option value=n.to_string() selected=n == p>{n}</option> }).collect_view()}
                                        </select></td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <FormError error=matrix_err/>
                <button type="submit">"Save matrix"</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>"Lifecycle settings"</h2>
            <ActionForm action=actions.settings attr:id="settings-form" attr:class="form">
                <label>"Reopen window (days)" <input name="reopen_window_days" value=config.settings.reopen_window_days.to_string()/></label>
                <FieldMessage error=settings_err field="reopen_window_days"/>
                <label>"Auto-close resolved tickets after (days)" <input name="auto_close_days" value=config.settings.auto_close_days.to_string()/></label>
                <FieldMessage error=settings_err field="auto_close_days"/>
                <FormError error=settings_err/>
                <button type="submit">"Save settings"</button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>"Resolution codes"</h2>
            <table id="resolution-codes">
                <thead><tr><th>"Code"</th><th>"Label"</th><th>"Status"</th></tr></thead>
                <tbody>
                    {config.resolution_codes.iter().map(|c| view! {
                        <tr data-code=c.code.clone()><td>{c.code.clone()}</td><td>{c.label.clone()}</td><td>{if c.active { "Active" } else { "Retired" }}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ActionForm action=actions.code attr:id="resolution-code-form" attr:class="form">
                <div class="row">
                    <label>"Code" <input name="code" placeholder="solved_remotely"/></label>
                    <label>"Label" <input name="label" placeholder="Solved remotely"/></label>
                </div>
                <label class="check"><input type="checkbox" name="active" value="true" checked/> "Active"</label>
                <FieldMessage error=code_err field="code"/>
                <FieldMessage error=code_err field="label"/>
                <FormError error=code_err/>
                <button type="submit">"Save code"</button>
            </ActionForm>
        </section>
    }
}

/// Create an assignment group with tier, manager and escalation target.
#[component]
pub fn GroupForm(actions: DeskActions, groups: Vec<GroupView>, staff: Vec<UserView>) -> impl IntoView {
    let err = Signal::derive(move || actions.group.value().get().and_then(|r| r.err()));
    view! {
        <ActionForm action=actions.group attr:id="group-form" attr:class="form">
            <h3>"New group"</h3>
            <div class="row">
                <label>"Group name" <input name="name"/></label>
                <label>"Tier"
                    <select name="tier"><option value="1">"L1"</option><option value="2">"L2"</option><option value="3">"L3"</option></select>
                </label>
            </div>
            <FieldMessage error=err field="name"/>
            <FieldMessage error=err field="tier"/>
            <label>"Handles" <input name="description"/></label>
            <div class="row">
                <label>"Manager"
                    <select name="manager_id">
                        <option value="">"—"</option>
                        {staff.iter().map(|u| view! { <option value=u.id>{u.display_name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Escalates to"
                    <select name="escalates_to_id">
                        <option value="">"Next tier"</option>
                        {groups.iter().map(|g| view! { <option value=g.id>{g.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <FieldMessage error=err field="manager_id"/>
            <FieldMessage error=err field="escalates_to_id"/>
            <FormError error=err/>
            <button type="submit">"Create group"</button>
        </ActionForm>
    }
}

/// Categories (by business service) and a form to add one.
#[component]
pub fn CategoryForm(actions: DeskActions, services: Vec<ServiceView>, categories: Vec<CategoryView>) -> impl IntoView {
    let err = Signal::derive(move || actions.category.value().get().and_then(|r| r.err()));
    view! {
        <section class="card">
            <h2>"Categories"</h2>
            <table id="categories">
                <thead><tr><th>"Category"</th><th>"Service"</th></tr></thead>
                <tbody>
                    {categories.into_iter().map(|c| view! {
                        <tr data-category=c.name.clone()><td>{c.name.clone()}</td><td>{c.service_name.clone().unwrap_or_else(|| "—".into())}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ActionForm action=actions.category attr:id="category-form" attr:class="form">
                <div class="row">
                    <label>"Category name" <input name="name"/></label>
                    <label>"Service"
                        <select name="service_id">
                            <option value="">"—"</option>
                            {services.into_iter().map(|s| view! { <option value=s.id>{s.name}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <FieldMessage error=err field="name"/>
                <FieldMessage error=err field="service_id"/>
                <FormError error=err/>
                <button type="submit">"Add category"</button>
            </ActionForm>
        </section>
    }
}
