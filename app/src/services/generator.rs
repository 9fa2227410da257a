//! Realistic bulk data for demos and benchmarks: agents, requesters and tickets with plausible
//! text (services, symptoms, configuration items), comments and audit history.
//!
//! Rows are inserted in large batches for speed, but they are the same rows the write path
//! produces (ticket, comments, audit lines, one outbox event per ticket, SLA timers), so search
//! indexing, live updates, SLA recomputes and reports see generated data exactly like real data.
//! Timers already due when the data is generated are stored as fired, as the SLA worker would
//! have left them.

use super::entities::{
    app_user, assignment_group, audit_entry, configuration_item, group_member, outbox_event, service, sla_timer, ticket, ticket_comment, ticket_number_seq,
};
use super::sla::{refresh_due_column, start_rows, SlaBook};
use super::{auth, desk, AppContext};
use crate::domain::{CiClass, CiName, CiStatus, Impact, TicketNumber, TicketState, TicketType, Urgency};
use std::collections::{HashMap, HashSet};
use crate::error::AppError;
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};

/// How much to generate.
#[derive(Debug, Clone)]
pub struct GenerateSpec {
    /// Incidents to create.
    pub tickets: u64,
    /// Agents to create (spread over the assignment groups).
    pub agents: u32,
    /// Requesters to create.
    pub requesters: u32,
    /// Comments per ticket (on average).
    pub comments_per_ticket: u32,
    /// Configuration items to register first; tickets then name one of their service's CIs
    /// (`ticket.ci_id`). With none, tickets mention made-up CI names in their text only.
    pub cis: u64,
    /// Relationships to draw between the CIs (see [`generate_relationships`]).
    pub relationships: u64,
    /// Random seed, for reproducible data sets.
    pub seed: u64,
}

/// Password of every generated user.
pub const GENERATED_PASSWORD: &str = "oxidesk-bench";

/// The CI class behind each CI name prefix.
const CI_CLASSES: [(&str, CiClass); 16] = [
    ("MBX", CiClass::Server),
    ("EXCH", CiClass::Server),
    ("VPN-GW", CiClass::NetworkDevice),
    ("FW", CiClass::NetworkDevice),
    ("LT", CiClass::Workstation),
    ("PC", CiClass::Workstation),
    ("PRN", CiClass::Printer),
    ("MFP", CiClass::Printer),
    ("HRP", CiClass::Application),
    ("APP", CiClass::Application),
    ("SW", CiClass::NetworkDevice),
    ("AP", CiClass::NetworkDevice),
    ("PBX", CiClass::Telephony),
    ("PHN", CiClass::Telephony),
    ("AD", CiClass::Server),
    ("IDP", CiClass::Application),
];

const SITES: [&str; 6] = ["Paris DC", "Lyon DC", "Head office", "Lyon office", "Hamburg office", "Remote"];

const SERVICES: [(&str, &[&str], &[&str]); 8] = [
    ("Email", &["Outlook keeps asking for my password", "Mails stuck in the outbox", "Shared mailbox not visible", "Calendar invites arrive twice", "Cannot send attachments over 10 MB"], &["MBX", "EXCH"]),
    ("VPN", &["VPN disconnects every few minutes", "VPN client fails with certificate error", "Cannot reach intranet over VPN", "VPN very slow from home"], &["VPN-GW", "FW"]),
    ("Laptops & Desktops", &["Laptop does not boot after update", "Screen flickers on battery", "Docking station not detected", "Keyboard keys stuck", "Battery drains in one hour"], &["LT", "PC"]),
    ("Printing", &["Printer shows paper jam that cannot be cleared", "Print jobs stay in queue", "Scanner sends empty PDF", "Toner low warning stays after replacement"], &["PRN", "MFP"]),
    ("HR Portal", &["Cannot open payslip", "Leave request stuck in approval", "Personal data change not saved", "Timesheet shows wrong hours"], &["HRP", "APP"]),
    ("Network", &["Wi-Fi drops in meeting room", "No network on desk port", "DNS resolution fails for internal sites", "Slow file transfers to file server"], &["SW", "AP"]),
    ("Telephony", &["Softphone has no audio", "Voicemail PIN reset needed", "Calls drop after 30 seconds", "Headset not recognised"], &["PBX", "PHN"]),
    ("Identity", &["Account locked after password change", "MFA prompt never arrives", "Cannot access shared drive", "New starter needs access to finance folder"], &["AD", "IDP"]),
];

const DETAILS: [&str; 8] = [
    "Started this morning after the overnight update.",
    "Affects the whole team on the third floor.",
    "Error message: 0x80070005 access denied.",
    "Restarting did not help; cleared cache as suggested in the article.",
    "Happens only when connected through the docking station.",
    "Colleagues in the Lyon office report the same symptom.",
    "It worked fine until yesterday evening.",
    "Urgent: quarterly close depends on it.",
];

const REPLIES: [&str; 6] = [
    "Thanks for the report, looking into it now.",
    "Could you send a screenshot of the error?",
    "We pushed a configuration fix; please restart and confirm.",
    "Escalating to the network team for a closer look.",
    "Known issue with the latest client; workaround is in the knowledge base.",
    "Confirmed fixed on our side, please let us know if it comes back.",
];

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct GenerateReport {
    /// Tickets inserted.
    pub tickets: u64,
    /// Comments inserted.
    pub comments: u64,
    /// Users created.
    pub users: u32,
    /// Configuration items registered.
    pub cis: u64,
    /// Relationships drawn between them.
    pub relationships: u64,
}

/// Generates the data set; `progress(done_tickets)` is called after every batch.
pub async fn generate(ctx: &AppContext, spec: &GenerateSpec, progress: impl Fn(u64)) -> Result<GenerateReport, AppError> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let password_hash = auth::hash_password(GENERATED_PASSWORD)?;
    let groups: Vec<i64> = assignment_group::Entity::find().select_only().column(assignment_group::Column::Id).into_tuple().all(&ctx.db).await?;
    if groups.is_empty() {
        return Err(AppError::field("groups", "Load the demo data first (it creates the assignment groups)"));
    }
    let now = Utc::now();
    let stamp = now.timestamp();
    let w = ctx.write_turn().await;
    let mut agents = Vec::new();
    let mut requesters = Vec::new();
    let txn = ctx.writer(&w).begin().await?;
    for i in 0..spec.agents + spec.requesters {
        let agent = i < spec.agents;
        let username = format!("{}{stamp}x{i}", if agent { "agent" } else { "user" });
        let user = app_user::ActiveModel {
            username: Set(username.clone()),
            display_name: Set(format!("{} {i}", if agent { "Agent" } else { "Employee" })),
            email: Set(format!("{username}@example.com")),
            role: Set(if agent { "agent" } else { "requester" }.into()),
            password_hash: Set(password_hash.clone()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if agent {
            group_member::ActiveModel { group_id: Set(groups[i as usize % groups.len()]), user_id: Set(user.id) }.insert(&txn).await?;
            agents.push(user.id);
        } else {
            requesters.push(user.id);
        }
    }
    txn.commit().await?;
    if requesters.is_empty() {
        requesters.push(agents.first().copied().ok_or_else(|| AppError::field("requesters", "Generate at least one user"))?);
    }

    let service_cis = generate_cis(ctx, &w, spec.cis, &groups, &mut rng, now).await?;
    let relationships = generate_relationships(ctx, &w, spec.relationships, &mut rng, now).await?;
    let desk = desk::load(&ctx.db).await?;
    let (matrix, auto_close) = (desk.matrix, Duration::days(desk.settings.auto_close_days.into()));
    let book = SlaBook::load(&ctx.db).await?;
    let mut report = GenerateReport { users: spec.agents + spec.requesters, cis: service_cis.iter().map(|c| c.len() as u64).sum(), relationships, ..Default::default() };
    let batch = 1000u64;
    let mut done = 0u64;
    while done < spec.tickets {
        let n = batch.min(spec.tickets - done);
        let txn = ctx.writer(&w).begin().await?;
        let seq_row = ticket_number_seq::Entity::find_by_id(TicketType::Incident.code().to_string()).one(&txn).await?.ok_or(AppError::Internal)?;
        ticket_number_seq::Entity::update_many()
            .col_expr(ticket_number_seq::Column::LastValue, Expr::value(seq_row.last_value + n as i64))
            .filter(ticket_number_seq::Column::TicketType.eq(TicketType::Incident.code()))
            .exec(&txn)
            .await?;
        let max_before: i64 = ticket::Entity::find()
            .select_only()
            .column_as(ticket::Column::Id.max(), "m")
            .into_tuple::<Option<i64>>()
            .one(&txn)
            .await?
            .flatten()
            .unwrap_or(0);
        let mut rows = Vec::with_capacity(n as usize);
        for k in 0..n {
            let which = rng.random_range(0..SERVICES.len());
            let (service, symptoms, ci_prefixes) = SERVICES[which];
            let symptom = symptoms[rng.random_range(0..symptoms.len())];
            let (ci_id, ci) = match service_cis[which].as_slice() {
                [] => (None, format!("{}-{:04}", ci_prefixes[rng.random_range(0..ci_prefixes.len())], rng.random_range(1..5000))),
                registered => {
                    let (id, name) = &registered[rng.random_range(0..registered.len())];
                    (Some(*id), name.clone())
                }
            };
            let impact = Impact::ALL[rng.random_range(0..3)];
            let urgency = Urgency::ALL[rng.random_range(0..3)];
            let created = now - Duration::minutes(rng.random_range(0..60 * 24 * 365));
            let state = match rng.random_range(0..10) {
                0..=1 => TicketState::New,
                2..=4 => TicketState::InProgress,
                5 => TicketState::OnHold,
                6..=7 => TicketState::Resolved,
                _ => TicketState::Closed,
            };
            let resolved_at = Ord::min(created + Duration::minutes(rng.random_range(30..4000)), now);
            // A desk's old resolved tickets were closed by the auto-close worker long ago; leaving
            // them resolved would make every server start close them in one wave.
            let state = if state == TicketState::Resolved && resolved_at + auto_close <= now { TicketState::Closed } else { state };
            let assignee = (state != TicketState::New && !agents.is_empty()).then(|| agents[rng.random_range(0..agents.len())]);
            let resolved = matches!(state, TicketState::Resolved | TicketState::Closed);
            rows.push(ticket::ActiveModel {
                number: Set(TicketNumber::new(TicketType::Incident, (seq_row.last_value + k as i64 + 1) as u64).to_string()),
                ticket_type: Set(TicketType::Incident.code().into()),
                title: Set(format!("{symptom} ({ci})")),
                description: Set(format!("{symptom} on {ci} ({service}). {}", DETAILS[rng.random_range(0..DETAILS.len())])),
                state: Set(state.code().into()),
                impact: Set(impact.code().into()),
                urgency: Set(urgency.code().into()),
                priority: Set(matrix.priority(impact, urgency).number() as i16),
                requester_id: Set(requesters[rng.random_range(0..requesters.len())]),
                assignee_id: Set(assignee),
                group_id: Set(Some(groups[rng.random_range(0..groups.len())])),
                service_id: Set(None),
                category_id: Set(None),
                resolution_code: Set(resolved.then(|| "solved_permanently".into())),
                resolution_note: Set(resolved.then(|| REPLIES[5].into())),
                created_at: Set(created),
                updated_at: Set(created + Duration::minutes(rng.random_range(0..600))),
                first_response_at: Set(assignee.map(|_| created + Duration::minutes(rng.random_range(1..240)))),
                resolved_at: Set(resolved.then_some(resolved_at)),
                closed_at: Set((state == TicketState::Closed).then_some(Ord::min(resolved_at + auto_close, now))),
                reopen_count: Set(0),
                reassignment_count: Set(0),
                version: Set(1),
                on_hold_reason: Set((state == TicketState::OnHold).then(|| "awaiting_vendor".into())),
                priority_overridden: Set(false),
                priority_reason: Set(None),
                ci_id: Set(ci_id),
                ..Default::default()
            });
        }
        ticket::Entity::insert_many(rows).exec(&txn).await?;
        let written = ticket::Entity::find().filter(ticket::Column::Id.gt(max_before)).all(&txn).await?;
        let mut timers: Vec<sla_timer::ActiveModel> = Vec::new();
        for t in written.iter().filter(|t| TicketState::parse(&t.state).is_ok_and(TicketState::is_open)) {
            for mut timer in start_rows(&book, t, now) {
                if let sea_orm::ActiveValue::Set(due) = timer.due_at {
                    if due <= now {
                        timer.fired_at = Set(Some(due));
                    }
                }
                timers.push(timer);
            }
        }
        for chunk in timers.chunks(2000) {
            sla_timer::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        refresh_due_column(&txn, max_before).await?;
        let inserted: Vec<(i64, i64, chrono::DateTime<Utc>)> = written.iter().map(|t| (t.id, t.requester_id, t.created_at)).collect();
        let mut comments = Vec::new();
        let mut audits = Vec::new();
        let mut events = Vec::new();
        for (id, requester, created) in &inserted {
            for c in 0..spec.comments_per_ticket {
                let by_agent = c % 2 == 0 && !agents.is_empty();
                comments.push(ticket_comment::ActiveModel {
                    ticket_id: Set(*id),
                    author_id: Set(if by_agent { agents[rng.random_range(0..agents.len())] } else { *requester }),
                    body: Set(if by_agent { REPLIES[rng.random_range(0..REPLIES.len())].into() } else { DETAILS[rng.random_range(0..DETAILS.len())].into() }),
                    internal: Set(by_agent && rng.random_bool(0.2)),
                    created_at: Set(*created + Duration::minutes(10 * (c as i64 + 1))),
                    ..Default::default()
                });
            }
            audits.push(audit_entry::ActiveModel {
                entity_type: Set("ticket".into()),
                entity_id: Set(*id),
                actor_id: Set(Some(*requester)),
                action: Set("created".into()),
                field: Set(None),
                old_value: Set(None),
                new_value: Set(None),
                at: Set(*created),
                ..Default::default()
            });
            events.push(outbox_event::ActiveModel {
                kind: Set("ticket.created".into()),
                entity_type: Set("ticket".into()),
                entity_id: Set(*id),
                payload: Set(serde_json::json!({ "generated": true }).to_string()),
                created_at: Set(now),
                ..Default::default()
            });
        }
        report.comments += comments.len() as u64;
        for chunk in comments.chunks(2000) {
            ticket_comment::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in audits.chunks(2000) {
            audit_entry::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in events.chunks(2000) {
            outbox_event::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        txn.commit().await?;
        done += n;
        report.tickets += inserted.len() as u64;
        progress(done);
    }
    // Fresh planner statistics after a bulk load, as after any large import (autovacuum would get
    // there later); without them the databases sort whole queues instead of reading an index.
    ctx.db.execute_unprepared("ANALYZE").await?;
    Ok(report)
}

/// Registers `count` configuration items named like the CIs in ticket texts (`PBX-0042`), spread
/// over the services' name prefixes, with a class, a site and a support group each — the rows,
/// "created" audit lines and `ci.saved` events the CMDB service writes. Names already taken are
/// skipped. Returns each service's CIs (id, name), in [`SERVICES`] order.
async fn generate_cis(
    ctx: &AppContext,
    w: &super::WriteTurn,
    count: u64,
    groups: &[i64],
    rng: &mut StdRng,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<Vec<(i64, String)>>, AppError> {
    let mut by_service: Vec<Vec<(i64, String)>> = vec![Vec::new(); SERVICES.len()];
    if count == 0 {
        return Ok(by_service);
    }
    let taken: HashSet<String> = configuration_item::Entity::find().all(&ctx.db).await?.into_iter().map(|c| c.name_key).collect();
    let service_ids: HashMap<String, i64> = service::Entity::find().all(&ctx.db).await?.into_iter().map(|s| (s.name, s.id)).collect();
    let prefixes: Vec<(usize, &str)> = SERVICES.iter().enumerate().flat_map(|(i, (_, _, p))| p.iter().map(move |p| (i, *p))).collect();
    let mut planned = Vec::with_capacity(count as usize);
    let mut n = 0u64;
    while (planned.len() as u64) < count {
        let (service, prefix) = prefixes[(n % prefixes.len() as u64) as usize];
        let name = format!("{prefix}-{:04}", n / prefixes.len() as u64 + 1);
        n += 1;
        if !taken.contains(&CiName::key_of(&name)) {
            planned.push((service, prefix, name));
        }
    }
    for chunk in planned.chunks(1000) {
        let txn = ctx.writer(w).begin().await?;
        let max_before: i64 = configuration_item::Entity::find()
            .select_only()
            .column_as(configuration_item::Column::Id.max(), "m")
            .into_tuple::<Option<i64>>()
            .one(&txn)
            .await?
            .flatten()
            .unwrap_or(0);
        let rows = chunk.iter().map(|(service, prefix, name)| {
            let class = CI_CLASSES.iter().find(|(p, _)| p == prefix).map(|(_, c)| *c).unwrap_or(CiClass::Server);
            let status = if rng.random_range(0..50) == 0 { CiStatus::Retired } else { CiStatus::InService };
            configuration_item::ActiveModel {
                name: Set(name.clone()),
                name_key: Set(CiName::key_of(name)),
                class: Set(class.code().into()),
                status: Set(status.code().into()),
                service_id: Set(service_ids.get(SERVICES[*service].0).copied()),
                support_group_id: Set(Some(groups[rng.random_range(0..groups.len())])),
                location: Set(Some(SITES[rng.random_range(0..SITES.len())].into())),
                description: Set(format!("{} for {}", class.label(), SERVICES[*service].0)),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        configuration_item::Entity::insert_many(rows.collect::<Vec<_>>()).exec(&txn).await?;
        let written = configuration_item::Entity::find().filter(configuration_item::Column::Id.gt(max_before)).all(&txn).await?;
        let mut audits = Vec::with_capacity(written.len());
        let mut events = Vec::with_capacity(written.len());
        for c in &written {
            audits.push(audit_entry::ActiveModel {
                entity_type: Set("configuration_item".into()),
                entity_id: Set(c.id),
                actor_id: Set(None),
                action: Set("created".into()),
                field: Set(None),
                old_value: Set(None),
                new_value: Set(Some(c.name.clone())),
                at: Set(now),
                ..Default::default()
            });
            events.push(outbox_event::ActiveModel {
                kind: Set("ci.saved".into()),
                entity_type: Set("configuration_item".into()),
                entity_id: Set(c.id),
                payload: Set(serde_json::json!({ "name": c.name, "created": true, "generated": true }).to_string()),
                created_at: Set(now),
                ..Default::default()
            });
        }
        audit_entry::Entity::insert_many(audits).exec(&txn).await?;
        outbox_event::Entity::insert_many(events).exec(&txn).await?;
        txn.commit().await?;
        let service_of: HashMap<&str, usize> = chunk.iter().map(|(s, _, name)| (name.as_str(), *s)).collect();
        for c in written {
            let accepts = CiStatus::parse(&c.status).is_ok_and(CiStatus::accepts_tickets);
            if let (Some(service), true) = (service_of.get(c.name.as_str()), accepts) {
                by_service[*service].push((c.id, c.name));
            }
        }
    }
    Ok(by_service)
}

/// Draws `count` relationships over every CI, as layers the way an estate is built: the CIs are
/// dealt into six layers (business services on top, then applications, servers, hosts,
/// storage and network); most relationships go from a layer to the next one (`depends_on`,
/// `runs_on`, `hosted_on`, `contains`), one in ten links peers (`connected_to`), one in fifty goes
/// back up (cycles); one CI in twenty has two of its dependencies in a redundancy set (1 of 2).
/// Each is audited on both CIs, as the write path does.
pub async fn generate_relationships(ctx: &AppContext, w: &super::WriteTurn, count: u64, rng: &mut StdRng, now: chrono::DateTime<Utc>) -> Result<u64, AppError> {
    use super::entities::{ci_redundancy_set, ci_relationship};
    if count == 0 {
        return Ok(0);
    }
    let ids: Vec<i64> = configuration_item::Entity::find().select_only().column(configuration_item::Column::Id).into_tuple().all(&ctx.db).await?;
    if ids.len() < 2 {
        return Err(AppError::field("relationships", "Generate configuration items first"));
    }
    const LAYERS: usize = 6;
    let layers: Vec<Vec<i64>> = (0..LAYERS).map(|l| ids.iter().copied().skip(l).step_by(LAYERS).collect()).collect();
    let mut taken: HashSet<(i64, i64, &str)> = HashSet::new();
    let kinds = ["depends_on", "runs_on", "hosted_on", "contains"];
    let mut planned: Vec<(i64, i64, &str)> = Vec::with_capacity(count as usize);
    let mut attempts = 0u64;
    while (planned.len() as u64) < count && attempts < count * 20 {
        attempts += 1;
        let roll = rng.random_range(0..100);
        let layer = rng.random_range(0..LAYERS - 1);
        let (from_layer, to_layer, kind) = match roll {
            0..=9 => (layer, layer, "connected_to"),
            10..=11 => (layer + 1, layer, "depends_on"),
            _ => (layer, layer + 1, kinds[layer.min(kinds.len() - 1)]),
        };
        let (Some(&a), Some(&b)) = (layers[from_layer].get(rng.random_range(0..layers[from_layer].len().max(1))), layers[to_layer].get(rng.random_range(0..layers[to_layer].len().max(1)))) else { continue };
        let (from, to) = if kind == "connected_to" { (a.min(b), a.max(b)) } else { (a, b) };
        if from != to && taken.insert((from, to, kind)) {
            planned.push((from, to, kind));
        }
    }
    let mut written = 0u64;
    for chunk in planned.chunks(1000) {
        let txn = ctx.writer(w).begin().await?;
        // One CI in twenty gets a redundancy set over its first two dependencies of the chunk.
        let mut by_from: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, (from, _, kind)) in chunk.iter().enumerate() {
            if *kind != "connected_to" {
                by_from.entry(*from).or_default().push(i);
            }
        }
        let mut set_of: HashMap<usize, i64> = HashMap::new();
        let mut owners: Vec<i64> = by_from.iter().filter(|(_, v)| v.len() >= 2).map(|(f, _)| *f).collect();
        owners.sort_unstable();
        for from in owners {
            if rng.random_range(0..20) != 0 {
                continue;
            }
            let set = ci_redundancy_set::ActiveModel { ci_id: Set(from), name: Set(format!("pair-{}", rng.random_range(0..1_000_000))), min_up: Set(1), created_at: Set(now), ..Default::default() }
                .insert(&txn)
                .await?;
            for &i in by_from[&from].iter().take(2) {
                set_of.insert(i, set.id);
            }
        }
        let rows = chunk.iter().enumerate().map(|(i, (from, to, kind))| ci_relationship::ActiveModel {
            from_ci_id: Set(*from),
            to_ci_id: Set(*to),
            kind: Set(kind.to_string()),
            redundancy_set_id: Set(set_of.get(&i).copied()),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        ci_relationship::Entity::insert_many(rows.collect::<Vec<_>>()).exec(&txn).await?;
        let audits = chunk.iter().flat_map(|(from, to, kind)| {
            let forward = crate::domain::cmdb::RelationshipKind::from_code(kind).map(|k| (k.code(), k.inverse_code())).unwrap_or((kind, kind));
            [(*from, forward.0, *to), (*to, forward.1, *from)].map(|(ci, field, other)| audit_entry::ActiveModel {
                entity_type: Set("configuration_item".into()),
                entity_id: Set(ci),
                actor_id: Set(None),
                action: Set("relationship_added".into()),
                field: Set(Some(field.into())),
                old_value: Set(None),
                new_value: Set(Some(format!("#{other}"))),
                at: Set(now),
                ..Default::default()
            })
        });
        audit_entry::Entity::insert_many(audits.collect::<Vec<_>>()).exec(&txn).await?;
        txn.commit().await?;
        written += chunk.len() as u64;
    }
    Ok(written)
}

const ARTICLE_TITLES: [&str; 6] = [
    "{symptom}",
    "How to fix: {symptom}",
    "Troubleshooting {service}: {symptom}",
    "{symptom} on {ci}-{n}",
    "Known error: {symptom} after the {month} update",
    "Workaround: {symptom} ({service})",
];

const ARTICLE_STEPS: [&str; 14] = [
    "Restart the device and sign in again.",
    "Check that the cable or dock is firmly connected and the link light is on.",
    "Open **Settings** and confirm the account is signed in with your company address.",
    "Clear the credential cache: run `cmdkey /list` and delete the stale entries.",
    "Update the client to the latest version from the Software Center.",
    "Run `ipconfig /flushdns` and try again.",
    "Remove and re-add the device in the management console.",
    "If the error code is 0x80070005, ask the service desk to reset your permissions.",
    "Disconnect from the VPN, wait one minute, then reconnect.",
    "Check the service status page for an ongoing incident.",
    "Reboot the access point or switch port (network team only).",
    "Reset the PIN from the self-service password page.",
    "Collect the log file from `%TEMP%` and attach it to the ticket.",
    "Escalate to the second line if the symptom persists after these steps.",
];

const MONTHS: [&str; 6] = ["January", "March", "May", "July", "September", "November"];

/// Generates `count` published knowledge articles (varied services, symptoms, steps) through the
/// import path, owned by the first admin; `progress(done)` after each batch. Returns how many.
pub async fn generate_articles(ctx: &AppContext, count: u64, seed: u64, progress: impl Fn(u64)) -> Result<u64, AppError> {
    let admin = app_user::Entity::find()
        .filter(app_user::Column::Role.eq("admin"))
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::BadRequest("Create an admin (or load the demo data) first".into()))?;
    let actor = auth::actor_for_user(ctx, admin.id).await?.ok_or(AppError::Internal)?;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6b62);
    let mut done = 0u64;
    while done < count {
        let batch = (count - done).min(2_000);
        let mut lines = String::new();
        for i in 0..batch {
            let (service, symptoms, cis) = SERVICES[rng.random_range(0..SERVICES.len())];
            let symptom = symptoms[rng.random_range(0..symptoms.len())];
            let n = done + i;
            let title = ARTICLE_TITLES[rng.random_range(0..ARTICLE_TITLES.len())]
                .replace("{symptom}", symptom)
                .replace("{service}", service)
                .replace("{ci}", cis[rng.random_range(0..cis.len())])
                .replace("{n}", &format!("{:04}", n % 10_000))
                .replace("{month}", MONTHS[rng.random_range(0..MONTHS.len())]);
            let mut body = format!("## Symptoms\n\n{symptom}. {}\n\n## Steps\n\n", DETAILS[rng.random_range(0..DETAILS.len())]);
            for step in 1..=rng.random_range(3..7) {
                body.push_str(&format!("{step}. {}\n", ARTICLE_STEPS[rng.random_range(0..ARTICLE_STEPS.len())]));
            }
            body.push_str(&format!("\nApplies to {service} (reference {n})."));
            let audience = if rng.random_range(0..10) == 0 { "agents" } else { "public" };
            let line = serde_json::json!({
                "title": title,
                "body": body,
                "category": service,
                "tags": [service.to_lowercase().replace(' ', "-").replace('&', "and")],
                "audience": audience,
            });
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
        let report = super::knowledge::import_articles(ctx, &actor, &lines, true, |_| {}).await?;
        if let Some(e) = report.errors.first() {
            tracing::error!(line = e.line, message = %e.message, "generated article refused");
            return Err(AppError::Internal);
        }
        done += batch;
        progress(done);
    }
    Ok(done)
}
