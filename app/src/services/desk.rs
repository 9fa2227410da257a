//! Desk configuration: priority matrix, reopen/auto-close settings, resolution codes.
//! Read on every ticket write; changed by admins through audited writes.

use super::authz::require_admin;
use super::entities::{desk_setting, priority_matrix_cell, resolution_code};
use super::journal::{self, AuditLine};
use super::AppContext;
use crate::domain::field::{bounded_text, Validator};
use crate::domain::{Actor, DeskSettings, FieldError, Impact, Priority, PriorityMatrix, ResolutionCode, Urgency};
use crate::dto::{DeskConfigView, MatrixCell, ResolutionCodeView};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryOrder, Set};

/// The configuration ticket rules need.
#[derive(Debug, Clone)]
pub struct Desk {
    /// Impact × urgency → priority.
    pub matrix: PriorityMatrix,
    /// Reopen window and auto-close.
    pub settings: DeskSettings,
    /// Every resolution code, active or not.
    pub resolution_codes: Vec<resolution_code::Model>,
}

impl Desk {
    /// Checks a resolution code exists and is active.
    pub fn active_resolution_code(&self, raw: &str) -> Result<ResolutionCode, FieldError> {
        let code = ResolutionCode::parse(raw)?;
        if self.resolution_codes.iter().any(|c| c.code == code.as_str() && c.active) {
            Ok(code)
        } else {
            Err(FieldError::new("resolution_code", format!("Unknown resolution code '{}'", code.as_str())))
        }
    }
}

/// Loads the desk configuration.
pub async fn load(db: &impl ConnectionTrait) -> Result<Desk, AppError> {
    let cells = priority_matrix_cell::Entity::find().all(db).await?;
    let matrix = PriorityMatrix::from_cells(cells.into_iter().filter_map(|c| {
        Some((Impact::parse(&c.impact).ok()?, Urgency::parse(&c.urgency).ok()?, Priority::from_number(c.priority as u8)?))
    }));
    let mut settings = DeskSettings::default();
    for s in desk_setting::Entity::find().all(db).await? {
        let value = s.value.parse::<u32>().ok();
        match (s.key.as_str(), value) {
            ("reopen_window_days", Some(v)) => settings.reopen_window_days = v,
            ("auto_close_days", Some(v)) => settings.auto_close_days = v,
            _ => {}
        }
    }
    let resolution_codes = resolution_code::Entity::find()
        .order_by_asc(resolution_code::Column::SortOrder)
        .order_by_asc(resolution_code::Column::Code)
        .all(db)
        .await?;
    Ok(Desk { matrix, settings, resolution_codes })
}

/// The configuration as shown in forms (any signed-in user may read it).
pub async fn config_view(ctx: &AppContext) -> Result<DeskConfigView, AppError> {
    let desk = load(&ctx.db).await?;
    Ok(DeskConfigView {
        matrix: desk
            .matrix
            .cells()
            .into_iter()
            .map(|(impact, urgency, p)| MatrixCell { impact, urgency, priority: p.number() })
            .collect(),
        settings: desk.settings,
        resolution_codes: desk
            .resolution_codes
            .into_iter()
            .map(|c| ResolutionCodeView { code: c.code, label: c.label, active: c.active })
            .collect(),
    })
}


async fn record(txn: &DatabaseTransaction, actor: &Actor, field: &str, old: Option<String>, new: Option<String>) -> Result<i64, AppError> {
    journal::audit(
        txn,
        AuditLine {
            entity_type: "desk",
            entity_id: 0,
            actor_id: Some(actor.user_id),
            action: "field_changed",
            field: Some(field),
            old_value: old,
            new_value: new,
            at: Utc::now(),
        },
    )
    .await?;
    Ok(journal::append_event(txn, "desk.updated", "desk", 0, serde_json::json!({ "field": field })).await?)
}

/// Replaces the priority matrix. `cells` maps `"{impact}_{urgency}"` (e.g. `high_low`) to 1–5.
pub async fn update_matrix(ctx: &AppContext, actor: &Actor, cells: &[(String, String)]) -> Result<DeskConfigView, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let mut matrix = PriorityMatrix::default();
    for impact in Impact::ALL {
        for urgency in Urgency::ALL {
            let key = format!("{}_{}", impact.code(), urgency.code());
            let raw = cells.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str()).unwrap_or("");
            let parsed = Priority::parse(raw).map_err(|e| FieldError::new(key.clone(), e.message));
            if let Some(p) = v.check(parsed) {
                matrix.set(impact, urgency, p);
            }
        }
    }
    v.finish()?;
    let (_w, txn) = ctx.begin_write().await?;
    let old = load(&txn).await?.matrix;
    for (impact, urgency, p) in matrix.cells() {
        priority_matrix_cell::Entity::delete_by_id((impact.code().to_string(), urgency.code().to_string())).exec(&txn).await?;
        priority_matrix_cell::ActiveModel {
            impact: Set(impact.code().into()),
            urgency: Set(urgency.code().into()),
            priority: Set(p.number() as i16),
        }
        .insert(&txn)
        .await?;
    }
    let describe = |m: &PriorityMatrix| m.cells().iter().map(|c| c.2.number().to_string()).collect::<Vec<_>>().join("");
    let seq = record(&txn, actor, "priority_matrix", Some(describe(&old)), Some(describe(&matrix))).await?;
    txn.commit().await?;
    ctx.config.invalidate();
    ctx.notify_committed(seq);
    config_view(ctx).await
}

/// Changes the reopen window and auto-close delay.
pub async fn update_settings(ctx: &AppContext, actor: &Actor, reopen_window_days: &str, auto_close_days: &str) -> Result<DeskConfigView, AppError> {
    require_admin(actor)?;
    let settings = DeskSettings::parse(reopen_window_days, auto_close_days)?;
    let (_w, txn) = ctx.begin_write().await?;
    let old = load(&txn).await?.settings;
    for (key, value) in [
        ("reopen_window_days", settings.reopen_window_days),
        ("auto_close_days", settings.auto_close_days),
    ] {
        desk_setting::Entity::delete_by_id(key.to_string()).exec(&txn).await?;
        desk_setting::ActiveModel { key: Set(key.into()), value: Set(value.to_string()) }.insert(&txn).await?;
    }
    let seq = record(
        &txn,
        actor,
        "settings",
        Some(format!("reopen {}d, close {}d", old.reopen_window_days, old.auto_close_days)),
        Some(format!("reopen {}d, close {}d", settings.reopen_window_days, settings.auto_close_days)),
    )
    .await?;
    txn.commit().await?;
    ctx.config.invalidate();
    ctx.notify_committed(seq);
    config_view(ctx).await
}

/// Adds a resolution code, or renames/re-activates an existing one; `active = false` retires it.
pub async fn save_resolution_code(ctx: &AppContext, actor: &Actor, code: &str, label: &str, active: bool) -> Result<DeskConfigView, AppError> {
    require_admin(actor)?;
    let mut v = Validator::new();
    let code = v.check(ResolutionCode::parse(code).map_err(|e| FieldError::new("code", e.message)));
    let label = v.check(bounded_text("label", "Label", label, 1, 100));
    v.finish()?;
    let (Some(code), Some(label)) = (code, label) else { return Err(AppError::Internal) };
    let (_w, txn) = ctx.begin_write().await?;
    let existing = resolution_code::Entity::find_by_id(code.as_str().to_string()).one(&txn).await?;
    let old = existing.as_ref().map(|c| format!("{} ({})", c.label, if c.active { "active" } else { "retired" }));
    match existing {
        Some(row) => {
            let mut row: resolution_code::ActiveModel = row.into();
            row.label = Set(label.clone());
            row.active = Set(active);
            row.update(&txn).await?;
        }
        None => {
            let count = resolution_code::Entity::find().all(&txn).await?.len() as i32;
            resolution_code::ActiveModel {
                code: Set(code.as_str().into()),
                label: Set(label.clone()),
                active: Set(active),
                sort_order: Set(count),
            }
            .insert(&txn)
            .await?;
        }
    }
    let new = Some(format!("{label} ({})", if active { "active" } else { "retired" }));
    let seq = record(&txn, actor, &format!("resolution_code:{}", code.as_str()), old, new).await?;
    txn.commit().await?;
    ctx.config.invalidate();
    ctx.notify_committed(seq);
    config_view(ctx).await
}
