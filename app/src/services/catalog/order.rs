//! Ordering from the catalog: one request (REQ) holding one requested item (RITM) per line, each
//! answered against its item's current form (the one evaluation of `domain::catalog::form`),
//! with its approval stages opened and, when nothing needs approving, its fulfilment started —
//! all in one transaction.

use super::fulfilment::{answer_views, approvals_settled, move_item, rollup};
use super::{audience_of, definition, found, Definition};
use crate::domain::approval::Approval;
use crate::domain::catalog::{Answer, Answers, Approvers, FieldKind, ItemState, RawAnswers};
use crate::domain::{Actor, FieldError, TicketType};
use crate::dto::RequestView;
use crate::error::AppError;
use crate::services::approvals::{self, StagePlan};
use crate::services::entities::{app_user, catalog_item, group_member, request_item, ticket};
use crate::services::tickets::{blank, insert_tickets};
use crate::services::{sla, AppContext};
use chrono::{SubsecRound, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, NotSet, QueryFilter, Set};

/// Most items one request may hold.
pub const MAX_LINES: usize = 10;

/// One item of an order with what was sent for its form.
#[derive(Debug, Clone, Default)]
pub struct OrderLine {
    /// The catalog item.
    pub item_id: i64,
    /// The form's values by field key.
    pub answers: RawAnswers,
}

/// An order: its items, and whom it is for.
#[derive(Debug, Clone, Default)]
pub struct RequestOrder {
    /// Email or login of the person it is for (empty: the one ordering).
    pub requested_for: String,
    /// The items, 1 to [`MAX_LINES`].
    pub lines: Vec<OrderLine>,
}

/// A line ready to write.
struct Checked {
    item: catalog_item::Model,
    definition: Definition,
    answers: Answers,
}

/// Places an order for `actor` (for themselves or on behalf of another active user). Each line
/// is answered against its item's current form: hidden fields are not required and what was sent
/// for them is dropped, defaults count, a visible required field left empty is a 422 on
/// `items.N.answers.KEY`. User and CI answers must name an active user and a CI (of the field's
/// class). Returns the request as the orderer sees it.
pub async fn submit_request(ctx: &AppContext, actor: &Actor, order: RequestOrder) -> Result<RequestView, AppError> {
    if order.lines.is_empty() || order.lines.len() > MAX_LINES {
        return Err(AppError::field("items", format!("Order 1 to {MAX_LINES} items")));
    }
    let requested_for = match order.requested_for.trim() {
        "" => app_user::Entity::find_by_id(actor.user_id).one(&ctx.db).await?.ok_or(AppError::Unauthenticated)?,
        who => find_user(&ctx.db, who).await?.ok_or_else(|| AppError::field("requested_for", format!("No active user '{who}'")))?,
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let mut checked: Vec<Checked> = Vec::new();
    for (n, line) in order.lines.iter().enumerate() {
        let item = match found(&ctx.db, line.item_id).await {
            Ok(i) if i.active && audience_of(&i).admits(actor) => i,
            _ => {
                errors.push(FieldError::new(format!("items.{n}.item_id"), "Unknown catalog item"));
                continue;
            }
        };
        let definition = definition(&ctx.db, item.current_version_id.ok_or(AppError::Internal)?).await?;
        match definition.form.evaluate(&line.answers) {
            Ok(answers) => {
                errors.extend(check_references(&ctx.db, &definition, &answers).await?.into_iter().map(|e| FieldError::new(format!("items.{n}.answers.{}", e.field), e.message)));
                checked.push(Checked { item, definition, answers });
            }
            Err(es) => errors.extend(es.into_iter().map(|e| FieldError::new(format!("items.{n}.answers.{}", e.field), e.message))),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut plans: Vec<Vec<StagePlan>> = Vec::new();
    for c in &checked {
        let mut stages = Vec::new();
        for s in &c.definition.approvals {
            let approvers = match &s.approvers {
                Approvers::Manager => requested_for.manager_id.into_iter().collect(),
                Approvers::Users { user_ids } => user_ids.clone(),
                Approvers::Group { group_id } => {
                    group_member::Entity::find().filter(group_member::Column::GroupId.eq(*group_id)).all(&ctx.db).await?.into_iter().map(|m| m.user_id).collect()
                }
            };
            stages.push(StagePlan { name: s.name.clone(), rule: s.rule, due_hours: s.due_hours, on_expiry: s.on_expiry, approvers });
        }
        plans.push(stages);
    }

    let config = ctx.desk_config().await?;
    let now = Utc::now().trunc_subsecs(6);
    let names: Vec<&str> = checked.iter().map(|c| c.item.name.as_str()).collect();
    let on_behalf = requested_for.id != actor.user_id;
    let for_whom = if on_behalf { format!(" for {}", requested_for.display_name) } else { String::new() };
    let mut title: String = format!("{}{for_whom}", names.join(" + "));
    if title.chars().count() > 200 {
        title = title.chars().take(197).collect::<String>() + "...";
    }
    let request_row = ticket::Model {
        title,
        description: format!("Ordered by {}{for_whom}:\n\n{}", actor.display_name, names.iter().map(|n| format!("- {n}")).collect::<Vec<_>>().join("\n")),
        organisation_id: actor.organisation_id,
        group_id: checked.first().and_then(|c| c.item.group_id),
        ..blank(TicketType::ServiceRequest, actor.user_id, now)
    };
    let (_turn, txn) = ctx.begin_write().await?;
    let who = |row: ticket::Model, ty: TicketType| {
        let mut row = row.into_active_model().reset_all();
        row.id = NotSet;
        (row, ty, actor.user_id, actor.display_name.clone())
    };
    let [(request, _)]: [(ticket::Model, i64); 1] = insert_tickets(&txn, &config, &[who(request_row, TicketType::ServiceRequest)]).await?.try_into().map_err(|_| AppError::Internal)?;
    let item_rows: Vec<_> = checked
        .iter()
        .map(|c| {
            let mut row = ticket::Model {
                title: format!("{}{for_whom}", c.item.name).chars().take(200).collect(),
                description: format!("Part of {}. Ordered by {}{for_whom}.\n\n{}", request.number, actor.display_name, answers_markdown(&c.definition, &c.answers)),
                organisation_id: actor.organisation_id,
                group_id: c.item.group_id,
                service_id: c.item.service_id,
                category_id: c.item.category_id,
                sla_policy_id: c.item.sla_policy_id,
                ..blank(TicketType::RequestItem, actor.user_id, now)
            };
            row.sla_due_at = sla::first_due(&config.sla, &row, now);
            who(row, TicketType::RequestItem)
        })
        .collect();
    let items = insert_tickets(&txn, &config, &item_rows).await?;
    let mut last_seq = 0;
    for ((t, seq), (c, stages)) in items.into_iter().zip(checked.iter().zip(plans)) {
        last_seq = last_seq.max(seq);
        request_item::ActiveModel {
            ticket_id: Set(t.id),
            request_id: Set(request.id),
            catalog_item_id: Set(c.item.id),
            item_version_id: Set(c.definition.version.id),
            requested_for_id: Set(requested_for.id),
            answers: Set(serde_json::to_string(&c.answers).map_err(|_| AppError::Internal)?),
            state: Set(ItemState::Submitted.code().into()),
        }
        .insert(&txn)
        .await?;
        let whole = if stages.is_empty() {
            Approval::Approved
        } else {
            let (t2, seq) = move_item(&txn, &config, Some(actor), &t, ItemState::Submitted, ItemState::AwaitingApproval, None, now).await?;
            last_seq = last_seq.max(seq);
            approvals::open(&txn, t2.id, stages, now).await?
        };
        if !matches!(whole, Approval::AtStage(_)) {
            let t = ticket::Entity::find_by_id(t.id).one(&txn).await?.ok_or(AppError::Internal)?;
            let reason = "Rejected: nobody could approve it (no manager or an empty approver group)".to_string();
            last_seq = last_seq.max(approvals_settled(&txn, &config, Some(actor), t, whole == Approval::Approved, reason, now).await?);
        }
    }
    if let Some(seq) = rollup(&txn, &config, Some(actor), request.id, now).await? {
        last_seq = last_seq.max(seq);
    }
    txn.commit().await?;
    ctx.notify_committed(last_seq);
    super::fulfilment::request_view(&ctx.db, actor, request).await
}

async fn find_user(db: &impl ConnectionTrait, who: &str) -> Result<Option<app_user::Model>, AppError> {
    let key = who.trim().to_lowercase();
    let column = if key.contains('@') { app_user::Column::Email } else { app_user::Column::Username };
    Ok(app_user::Entity::find().filter(column.eq(key)).filter(app_user::Column::Active.eq(true)).one(db).await?)
}

/// User answers name an active user; CI answers a CI, of the field's class when it has one.
async fn check_references(db: &impl ConnectionTrait, d: &Definition, answers: &Answers) -> Result<Vec<FieldError>, AppError> {
    let mut errors = Vec::new();
    for f in &d.form.fields {
        let Some(Answer::One(value)) = answers.get(&f.key) else { continue };
        match &f.kind {
            FieldKind::User if find_user(db, value).await?.is_none() => errors.push(FieldError::new(&f.key, format!("{}: no active user '{value}'", f.label))),
            FieldKind::Ci { class } => match crate::services::cmdb::find_by_name(db, value).await? {
                None => errors.push(FieldError::new(&f.key, format!("{}: unknown configuration item '{value}'", f.label))),
                Some(c) if class.as_deref().is_some_and(|k| k != c.class) => {
                    errors.push(FieldError::new(&f.key, format!("{}: {} is not a {}", f.label, c.name, class.as_deref().unwrap_or_default())))
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    Ok(errors)
}

/// The answers as a markdown list, in form order (shown on the item and on every task).
pub(super) fn answers_markdown(d: &Definition, answers: &Answers) -> String {
    answer_views(d, answers).into_iter().map(|a| format!("- **{}**: {}", a.label, a.text)).collect::<Vec<_>>().join("\n")
}
