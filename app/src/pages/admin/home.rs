use super::desk::{CategoryForm, DeskActions, DeskForms, GroupForm};
use super::organisations::{OrganisationActions, OrganisationsCard};
use crate::api::admin::{list_groups, list_users, CreateUser};
use crate::api::desk::{desk_config, list_catalog};
use crate::components::{FieldMessage, FormError, Guard};
use crate::domain::{Actor, Role};
use leptos::prelude::*;

/// `/admin`: users, groups and a form to create a user.
#[component]
pub fn AdminHome() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    let created = move || create.value().get().and_then(|r| r.ok());
    let orgs = OrganisationActions::new();
    let users = Resource::new(move || (create.version().get(), orgs.versions()), |_| list_users());
    let organisations = orgs.list();
    let desk = DeskActions::new();
    let groups = Resource::new(move || desk.versions(), |_| list_groups());
    let config = Resource::new(move || desk.versions(), |_| desk_config());
    let catalog = Resource::new(move || desk.versions(), |_| list_catalog());
    view! {
        <Guard allow=Actor::is_admin>
            <h1>"Administration"</h1>
            <p><a href="/admin/catalog">"Service catalog: items, order forms, approvals, fulfilment tasks →"</a></p>
            <p><a href="/admin/sla">"Service levels: calendars, policies, compliance →"</a></p>
            <p><a href="/admin/kb">"Knowledge: import articles, deflection report →"</a></p>
            <p><a href="/admin/cmdb">"CMDB: import and export configuration items and relationships (CSV) →"</a></p>
            <p><a href="/admin/licences">"Assets and licences: what runs out, over-used licences, licences and installations →"</a></p>
            <super::macros::MacrosCard/>
            <section class="card">
                <h2>"Users"</h2>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match users.await {
                            Ok(users) => view! {
                                <table class="users" id="users">
                                    <thead><tr><th>"Username"</th><th>"Name"</th><th>"E-mail"</th><th>"Role"</th><th>"Groups"</th><th>"Organisation"</th><th>"Status"</th></tr></thead>
                                    <tbody>
                                        {users.into_iter().map(|u| view! {
                                            <tr data-username=u.username.clone()>
                                                <td><a href=format!("/admin/users/{}", u.id)>{u.username.clone()}</a></td><td>{u.display_name.clone()}</td><td>{u.email.clone()}</td>
                                                <td>{u.role.label()}</td><td>{u.groups.join(", ")}</td>
                                                <td>{u.organisation_name.clone().unwrap_or_else(|| "—".into())}</td>
                                                <td>{if u.active { "Active" } else { "Deactivated" }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card">
                <h2>"Create a user"</h2>
                <ActionForm action=create attr:class="form" attr:id="create-user">
                    <label>"Username" <input name="username" autocomplete="off"/></label>
                    <FieldMessage error field="username"/>
                    <label>"Name" <input name="display_name"/></label>
                    <FieldMessage error field="display_name"/>
                    <label>"E-mail" <input name="email" type="text"/></label>
                    <FieldMessage error field="email"/>
                    <label>"Role"
                        <select name="role">
                            {Role::ALL.into_iter().map(|r| view! { <option value=r.code()>{r.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <FieldMessage error field="role"/>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let options = organisations.await.unwrap_or_default();
                            view! {
                                <label>"Organisation"
                                    <select name="organisation_id">
                                        <option value="">"None"</option>
                                        {options.into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view()}
                                    </select>
                                </label>
                            }
                        })}
                    </Suspense>
                    <FieldMessage error field="organisation_id"/>
                    <label>"Initial password" <input name="password" type="password" autocomplete="new-password"/></label>
                    <FieldMessage error field="password"/>
                    <FormError error/>
                    <button type="submit">"Create user"</button>
                    {move || created().map(|u| view! { <p class="notice" role="status">"Created " {u.username}</p> })}
                </ActionForm>
            </section>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (organisations.await, users.await) {
                        (Ok(organisations), Ok(users)) => view! { <OrganisationsCard actions=orgs organisations users/> }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="card">
                <h2>"Assignment groups"</h2>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match (groups.await, users.await) {
                            (Ok(groups), Ok(users)) => {
                                let staff: Vec<_> = users.into_iter().filter(|u| u.role.is_staff()).collect();
                                view! {
                                <table id="groups">
                                    <thead><tr><th>"Group"</th><th>"Tier"</th><th>"Members"</th><th>"Manager"</th><th>"Handles"</th></tr></thead>
                                    <tbody>
                                        {groups.iter().map(|g| view! {
                                            <tr data-group=g.name.clone()><td>{g.name.clone()}</td><td>{format!("L{}", g.tier)}</td><td>{g.member_count}</td>
                                                <td>{g.manager_name.clone().unwrap_or_else(|| "—".into())}</td><td>{g.description.clone()}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <GroupForm actions=desk groups=groups staff=staff/>
                            }.into_any()
                            }
                            (Err(e), _) | (_, Err(e)) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (config.await, catalog.await) {
                        (Ok(config), Ok((services, categories))) => view! {
                            <DeskForms actions=desk config/>
                            <CategoryForm actions=desk services categories/>
                        }.into_any(),
                        (Err(e), _) | (_, Err(e)) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Guard>
    }
}
