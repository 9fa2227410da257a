//! Requester organisations on `/admin`: the list with member counts, a form to create or rename
//! one, and a form to place a user in an organisation.

use crate::api::admin::{list_organisations, SaveOrganisation, SetUserOrganisation};
use crate::components::{FieldMessage, FormError};
use crate::dto::{OrganisationView, UserView};
use crate::error::AppError;
use leptos::prelude::*;

/// The organisation forms' actions; the users list reloads when a user is placed.
#[derive(Clone, Copy)]
pub struct OrganisationActions {
    /// Create or rename.
    pub save: ServerAction<SaveOrganisation>,
    /// Place a user.
    pub place: ServerAction<SetUserOrganisation>,
}

impl OrganisationActions {
    /// New actions.
    pub fn new() -> Self {
        Self { save: ServerAction::new(), place: ServerAction::new() }
    }

    /// Changes whenever an organisation or a user's organisation was saved.
    pub fn versions(&self) -> (usize, usize) {
        (self.save.version().get(), self.place.version().get())
    }

    /// Every organisation, reloaded after each save.
    pub fn list(&self) -> Resource<Result<Vec<OrganisationView>, AppError>> {
        let this = *self;
        Resource::new(move || this.versions(), |_| list_organisations())
    }
}

/// The "Organisations" card.
#[component]
pub fn OrganisationsCard(actions: OrganisationActions, organisations: Vec<OrganisationView>, users: Vec<UserView>) -> impl IntoView {
    let save_error = Signal::derive(move || actions.save.value().get().and_then(|r| r.err()));
    let place_error = Signal::derive(move || actions.place.value().get().and_then(|r| r.err()));
    let saved = move || actions.save.value().get().and_then(|r| r.ok()).map(|o| view! { <p class="notice" role="status">"Saved " {o.name}</p> });
    let placed = move || {
        actions.place.value().get().and_then(|r| r.ok()).map(|u| {
            let org = u.organisation_name.unwrap_or_else(|| "no organisation".into());
            view! { <p class="notice" role="status">{u.username} " now belongs to " {org}</p> }
        })
    };
    let options = |list: &[OrganisationView]| list.iter().map(|o| view! { <option value=o.id>{o.name.clone()}</option> }).collect_view();
    let (rename_options, place_options) = (options(&organisations), options(&organisations));
    view! {
        <section class="card">
            <h2>"Organisations"</h2>
            <table id="organisations">
                <thead><tr><th>"Organisation"</th><th>"Members"</th></tr></thead>
                <tbody>
                    {organisations.iter().map(|o| view! {
                        <tr data-organisation=o.name.clone()><td>{o.name.clone()}</td><td>{o.member_count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <ActionForm action=actions.save attr:class="form" attr:id="organisation-form">
                <h3>"Create or rename"</h3>
                <div class="row">
                    <label>"Organisation"
                        <select name="id"><option value="">"New organisation"</option>{rename_options}</select>
                    </label>
                    <label>"Organisation name" <input name="name" autocomplete="off"/></label>
                </div>
                <FieldMessage error=save_error field="name"/>
                <FieldMessage error=save_error field="id"/>
                <FormError error=save_error/>
                <button type="submit">"Save organisation"</button>
                {saved}
            </ActionForm>
            <ActionForm action=actions.place attr:class="form" attr:id="member-form">
                <h3>"Place a user"</h3>
                <div class="row">
                    <label>"User"
                        <select name="user_id">
                            {users.iter().map(|u| view! { <option value=u.id>{format!("{} ({})", u.display_name, u.username)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>"Organisation"
                        <select name="organisation_id"><option value="">"None"</option>{place_options}</select>
                    </label>
                </div>
                <FieldMessage error=place_error field="user_id"/>
                <FieldMessage error=place_error field="organisation_id"/>
                <FormError error=place_error/>
                <button type="submit">"Place user"</button>
                {placed}
            </ActionForm>
        </section>
    }
}
