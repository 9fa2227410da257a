//! Macros: canned replies defined by admins that agents apply to a ticket in one step (the
//! reply or note, then the state change it carries).

use super::authz::{require_admin, require_staff};
use super::entities::reply_macro;
use super::tickets::{self, TicketPatch};
use super::AppContext;
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{Actor, CommentBody, OnHoldReason, TicketState};
use crate::dto::MacroView;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// Raw macro fields from the admin form or API.
#[derive(Debug, Clone, Default)]
pub struct MacroInput {
    /// Name.
    pub name: String,
    /// Reply text.
    pub body: String,
    /// Post as an internal note.
    pub internal: bool,
    /// State code to move to, empty for none.
    pub state: Option<String>,
    /// On-hold reason (needed with `on_hold`).
    pub on_hold_reason: Option<String>,
    /// Offered to agents.
    pub active: bool,
}

fn view(m: reply_macro::Model) -> MacroView {
    MacroView { id: m.id, name: m.name, body: m.body, internal: m.internal, state: m.state, on_hold_reason: m.on_hold_reason, active: m.active }
}

/// Macros (agents: active ones; admins: all).
pub async fn list_macros(ctx: &AppContext, actor: &Actor) -> Result<Vec<MacroView>, AppError> {
    require_staff(actor)?;
    let mut q = reply_macro::Entity::find().order_by_asc(reply_macro::Column::Name);
    if !actor.is_admin() {
        q = q.filter(reply_macro::Column::Active.eq(true));
    }
    Ok(q.all(&ctx.db).await?.into_iter().map(view).collect())
}

/// Creates (`id` None) or changes a macro (admins).
pub async fn save_macro(ctx: &AppContext, actor: &Actor, id: Option<i64>, input: MacroInput) -> Result<MacroView, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let name = v.check(bounded_text("name", "Name", &input.name, 1, 80));
    let body = v.check(CommentBody::parse(&input.body));
    let state = match input.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => v.check(TicketState::parse(s).map(Some)),
    };
    let reason = match (state.flatten(), input.on_hold_reason.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (Some(TicketState::OnHold), Some(r)) => v.check(OnHoldReason::parse(r).map(|r| Some(r.code().to_string()))),
        (Some(TicketState::OnHold), None) => {
            v.check::<()>(Err(crate::domain::FieldError::new("on_hold_reason", "Choose why the ticket goes on hold")));
            None
        }
        (Some(TicketState::Resolved | TicketState::Closed), _) => {
            v.check::<()>(Err(crate::domain::FieldError::new("state", "Macros cannot resolve or close (a resolution code and note are needed)")));
            None
        }
        _ => Some(None),
    };
    v.finish()?;
    let (Some(name), Some(body), Some(state), Some(reason)) = (name, body, state, reason) else { return Err(AppError::Internal) };
    let same_name = reply_macro::Entity::find().filter(reply_macro::Column::Name.eq(name.clone())).one(&ctx.db).await?;
    if same_name.is_some_and(|m| Some(m.id) != id) {
        return Err(AppError::field("name", "A macro with this name exists"));
    }
    let model = reply_macro::ActiveModel {
        name: Set(name),
        body: Set(body.as_str().to_string()),
        internal: Set(input.internal),
        state: Set(state.map(|s| s.code().to_string())),
        on_hold_reason: Set(reason),
        active: Set(input.active),
        ..Default::default()
    };
    let w = ctx.write_turn().await;
    let saved = match id {
        Some(id) => {
            let mut m = model;
            m.id = Set(id);
            if reply_macro::Entity::find_by_id(id).one(&ctx.db).await?.is_none() {
                return Err(AppError::NotFound("Macro".into()));
            }
            m.update(ctx.writer(&w)).await
        }
        None => model.insert(ctx.writer(&w)).await,
    }?;
    Ok(view(saved))
}

/// Applies macro `id` to ticket `key`: posts the reply (or note), then moves the state.
pub async fn apply_macro(ctx: &AppContext, actor: &Actor, key: &str, id: i64) -> Result<(), AppError> {
    require_staff(actor)?;
    let m = reply_macro::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|m| m.active)
        .ok_or_else(|| AppError::field("macro_id", "Choose a macro from the list"))?;
    tickets::add_comment(ctx, actor, key, &m.body, m.internal).await?;
    if let Some(state) = m.state {
        let current = tickets::find_visible(&ctx.db, actor, key).await?;
        if current.state != state {
            let patch = TicketPatch { state: Some(state), on_hold_reason: m.on_hold_reason, ..Default::default() };
            tickets::update_ticket(ctx, actor, key, patch).await?;
        }
    }
    Ok(())
}
