//! The bulk data generator (`oxidesk demo-data --tickets N`) on SQLite and PostgreSQL: it writes
//! what the write path would — SLA timers, the ticket's SLA due instant, audit lines and events —
//! and a plausible desk (no resolved ticket left for the auto-close worker to sweep up).

mod common;

use app::services::entities::{configuration_item, sla_timer, ticket};
use app::services::generator::{generate, GenerateSpec};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;

both_backends!(generated_tickets_carry_timers_and_a_consistent_sla_due, |app: common::TestApp| async move {
    let before = app.ticket_count().await;
    let spec = GenerateSpec { tickets: 600, agents: 4, requesters: 10, comments_per_ticket: 2, seed: 7, cis: 400, relationships: 1_200 };
    let report = generate(&app.ctx, &spec, |_| {}).await.unwrap();
    assert_eq!(report.tickets, 600);
    // 400 CIs registered (demo names such as LT-0042 skipped, not duplicated); every generated
    // ticket names one of them that takes tickets, and mentions it in its title.
    assert_eq!(configuration_item::Entity::find().count(&app.ctx.db).await.unwrap(), 11 + 400);
    let cis: HashMap<i64, configuration_item::Model> = configuration_item::Entity::find().all(&app.ctx.db).await.unwrap().into_iter().map(|c| (c.id, c)).collect();
    assert!(cis.values().filter(|c| c.status == "retired").count() < 40, "a few retired CIs");
    let audited = app.audit_fields("configuration_item", *cis.keys().max().unwrap()).await;
    assert!(audited.contains(&"created".to_string()), "{audited:?}");
    // Relationships between them, each audited on both CIs; no CI related to itself.
    use app::services::entities::ci_relationship;
    let rels = ci_relationship::Entity::find().all(&app.ctx.db).await.unwrap();
    assert_eq!(report.relationships, 1_200);
    assert_eq!(rels.len(), 9 + 1_200, "the demo's nine and the generated ones");
    assert!(rels.iter().all(|r| r.from_ci_id != r.to_ci_id && cis.contains_key(&r.from_ci_id) && cis.contains_key(&r.to_ci_id)));
    assert!(rels.iter().any(|r| r.redundancy_set_id.is_some()), "some redundancy sets");
    let sample = &rels[rels.len() - 1];
    assert!(app.audit_fields("configuration_item", sample.from_ci_id).await.contains(&sample.kind), "{sample:?}");
    assert_eq!(app.ticket_count().await, before + 600);

    let now = Utc::now();
    let rows = ticket::Entity::find().filter(ticket::Column::Title.contains("(")).all(&app.ctx.db).await.unwrap();
    assert!(rows.len() >= 600);
    let auto_close = Duration::days(3);
    for t in &rows {
        let ci = t.ci_id.and_then(|id| cis.get(&id)).unwrap_or_else(|| panic!("{} names no CI", t.number));
        assert!(t.title.contains(&ci.name) && ci.status != "retired", "{}: {} on {}", t.number, t.title, ci.name);
        if t.state == "resolved" {
            assert!(t.resolved_at.is_some_and(|r| r + auto_close > now), "{} resolved long ago but not closed", t.number);
        }
        if t.state == "closed" {
            assert!(t.closed_at.is_some_and(|c| c <= now), "{} closed in the future", t.number);
        }
    }

    // `sla_due_at` is the earliest breach among each ticket's timers; open tickets have timers.
    let mut earliest: HashMap<i64, chrono::DateTime<Utc>> = HashMap::new();
    for timer in sla_timer::Entity::find().filter(sla_timer::Column::Kind.eq("breach")).all(&app.ctx.db).await.unwrap() {
        let e = earliest.entry(timer.ticket_id).or_insert(timer.due_at);
        *e = Ord::min(*e, timer.due_at);
    }
    let open: Vec<&ticket::Model> = rows.iter().filter(|t| ["new", "in_progress", "on_hold"].contains(&t.state.as_str())).collect();
    assert!(open.len() > 200, "about 60 % of generated tickets are open");
    for t in &rows {
        assert_eq!(t.sla_due_at, earliest.get(&t.id).copied(), "{}", t.number);
    }
    // Running resolution clocks (not on hold) always have a breach, pending or fired.
    assert!(open.iter().filter(|t| t.state != "on_hold").all(|t| t.sla_due_at.is_some()));
    let pending = sla_timer::Entity::find().filter(sla_timer::Column::FiredAt.is_null()).count(&app.ctx.db).await.unwrap();
    assert!(pending > 0, "recent tickets still have timers to fire");
});
