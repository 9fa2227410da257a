//! A desk that grows keeps its text-filter plans (SQLite): the queue's title filter and its
//! count start from the full-text index's matches whatever the planner's statistics say, and
//! the statistics follow the growth without a restart.

mod common;

use app::domain::TicketType;
use app::services::tickets::{self, queue, NewTicket, TicketFilter};
use app::services::{auth, db};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

const WORDS: [&str; 6] = ["Printer", "Wifi", "Password", "Teams", "SAP", "VPN"];

/// The plan SQLite chooses for `stmt`, one line per step.
async fn plan(app: &common::TestApp, stmt: &sea_orm::sea_query::SelectStatement) -> Vec<String> {
    let built = DbBackend::Sqlite.build(stmt);
    let explain = Statement::from_sql_and_values(DbBackend::Sqlite, format!("EXPLAIN QUERY PLAN {}", built.sql), built.values.map(|v| v.0).unwrap_or_default());
    app.ctx.db.query_all_raw(explain).await.unwrap().iter().map(|r| r.try_get::<String>("", "detail").unwrap()).collect()
}

/// How many rows SQLite's statistics say the ticket table has.
async fn ticket_rows_in_statistics(app: &common::TestApp) -> i64 {
    let sql = "SELECT stat FROM sqlite_stat1 WHERE tbl = 'ticket' AND idx = 'idx_ticket_updated'";
    let row = app.ctx.db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().expect("statistics");
    row.try_get::<String>("", "stat").unwrap().split(' ').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn title_filter_plans_hold_while_a_desk_grows() {
    common::run(common::Backend::Sqlite, |app: common::TestApp| async move {
        // Statistics taken on the small demo desk, as `serve` takes them when it starts.
        db::refresh_statistics(&app.ctx).await.unwrap();
        let demo = app.ctx.db.query_one_raw(Statement::from_string(DbBackend::Sqlite, "SELECT count(*) AS n FROM ticket")).await.unwrap().unwrap().try_get::<i64>("", "n").unwrap();
        assert!(demo < 20, "{demo}");
        assert_eq!(ticket_rows_in_statistics(&app).await, demo);
        let agent = auth::actor_for_user(&app.ctx, app.user_id("agent").await).await.unwrap().unwrap();
        let riley = auth::actor_for_user(&app.ctx, app.user_id("requester").await).await.unwrap().unwrap();
        let jordan = auth::actor_for_user(&app.ctx, app.user_id("jordan").await).await.unwrap().unwrap();
        let mut on_demo_desk = std::collections::HashMap::new();
        for word in WORDS {
            let filter = TicketFilter { q: Some(word.to_lowercase()), ..Default::default() };
            on_demo_desk.insert(word, tickets::list_tickets(&app.ctx, &agent, filter).await.unwrap().total);
        }
        let rileys_vpn_on_demo_desk = tickets::list_tickets(&app.ctx, &riley, TicketFilter { q: Some("vpn".into()), ..Default::default() }).await.unwrap().total;
        assert!(rileys_vpn_on_demo_desk >= 1, "the demo's VPN incident is Riley's");
        for i in 0..1_200 {
            let who = if (i / WORDS.len()) % 2 == 0 { &riley } else { &jordan };
            let word = WORDS[i % WORDS.len()];
            let new = NewTicket {
                ticket_type: TicketType::Incident,
                title: format!("{word} issue {i} on floor {}", i % 9),
                description: "Raised while the desk grows.".into(),
                impact: "low".into(),
                urgency: "low".into(),
                requester_id: None,
                service_id: None,
                category_id: None,
                ci: None,
            };
            tickets::create_ticket(&app.ctx, who, new).await.unwrap();
        }
        assert_eq!(ticket_rows_in_statistics(&app).await, demo, "nothing refreshed them yet");

        for word in WORDS {
            let filter = TicketFilter { q: Some(word.to_lowercase()), limit: Some(50), ..Default::default() };
            let count = plan(&app, &queue::count_statement(DbBackend::Sqlite, &agent, &filter).unwrap()).await;
            let first = count.iter().find(|l| l.starts_with("SCAN") || l.starts_with("SEARCH")).unwrap();
            assert!(first.starts_with("SCAN ticket_title_fts"), "{word}: the count starts from the index's matches: {count:?}");
            assert!(count.iter().any(|l| l.starts_with("SEARCH ticket USING INTEGER PRIMARY KEY")), "{word}: each match read by id: {count:?}");
            let reach = queue::title_matches(&app.ctx.db, &filter).await.unwrap();
            let page = plan(&app, &queue::page_statement(DbBackend::Sqlite, &agent, &filter, reach, 50, 0).unwrap()).await;
            let first = page.iter().find(|l| l.starts_with("SCAN") || l.starts_with("SEARCH")).unwrap();
            assert!(first.starts_with("SCAN ticket_title_fts"), "{word}: 200 matches are read from the index, not found by walking every ticket: {page:?}");

            // And they still answer right.
            let listed = tickets::list_tickets(&app.ctx, &agent, filter.clone()).await.unwrap();
            // 200 raised here, and the demo's tickets whose title has the word.
            assert!(on_demo_desk[&word] < 5, "{word}");
            assert_eq!((listed.total, listed.total_capped), (200 + on_demo_desk[&word], false), "{word}");
            assert_eq!(listed.tickets.len(), 50);
            assert!(listed.tickets.iter().all(|t| t.title.starts_with(word)), "{word}");
            assert!(listed.tickets.windows(2).all(|w| (w[0].updated_at, w[0].id) >= (w[1].updated_at, w[1].id)), "{word}: most recently updated first");
            let second = tickets::list_tickets(&app.ctx, &agent, TicketFilter { offset: Some(50), ..filter.clone() }).await.unwrap();
            assert!(second.tickets.iter().all(|t| !listed.tickets.iter().any(|f| f.id == t.id)), "{word}: pages do not overlap");
        }
        // A requester's count and page hold their own tickets only (the condition survives the join).
        let mine = tickets::list_tickets(&app.ctx, &riley, TicketFilter { q: Some("vpn".into()), ..Default::default() }).await.unwrap();
        assert_eq!(mine.total, 100 + rileys_vpn_on_demo_desk, "Riley raised half of them, and the demo's VPN tickets");
        assert!(mine.tickets.iter().all(|t| t.requester_id == riley.user_id));

        // The statistics follow the growth without a restart.
        db::refresh_statistics(&app.ctx).await.unwrap();
        assert!(ticket_rows_in_statistics(&app).await >= 1_200);
    })
    .await
}

/// PostgreSQL: a table that grew is vacuumed and analyzed by the statistics refresh (as
/// autovacuum would, later), so its visibility map and statistics follow the growth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_tables_are_vacuumed_and_analyzed_as_they_grow() {
    common::run(common::Backend::Postgres, |app: common::TestApp| async move {
        let riley = auth::actor_for_user(&app.ctx, app.user_id("requester").await).await.unwrap().unwrap();
        for i in 0..1_200 {
            let new = NewTicket {
                ticket_type: TicketType::Incident,
                title: format!("Teams issue {i}"),
                description: "Raised while the desk grows.".into(),
                impact: "low".into(),
                urgency: "low".into(),
                requester_id: None,
                service_id: None,
                category_id: None,
                ci: None,
            };
            tickets::create_ticket(&app.ctx, &riley, new).await.unwrap();
        }
        let vacuumed = "SELECT (last_vacuum IS NOT NULL AND last_analyze IS NOT NULL) AS done FROM pg_stat_user_tables WHERE relname = 'ticket'";
        // The server's statistics of the inserts reach pg_stat_user_tables within a few seconds.
        let mut done = false;
        for _ in 0..30 {
            db::refresh_statistics(&app.ctx).await.unwrap();
            let row = app.ctx.db.query_one_raw(Statement::from_string(DbBackend::Postgres, vacuumed)).await.unwrap().unwrap();
            done = row.try_get::<bool>("", "done").unwrap();
            if done {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        assert!(done, "ticket was vacuumed and analyzed after growing by 1,200 rows");
    })
    .await
}
