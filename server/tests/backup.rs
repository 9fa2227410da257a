//! `oxidesk backup` / `oxidesk restore` on SQLite: a backup taken while tickets are being raised
//! restores into an empty data directory with every ticket acknowledged before it began, its
//! attachments, and a search index that finds them.

mod common;

use reqwest::Method;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_every_acknowledged_ticket() {
    common::run(common::Backend::Sqlite, |app: common::TestApp| async move {
        let token = app.token("requester").await;
        let (s, t) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": "Scanner jams", "impact": "low", "urgency": "low"}))).await;
        assert_eq!(s, 201);
        let with_file = t["number"].as_str().unwrap().to_string();
        let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 scanner log".to_vec()).file_name("log.pdf");
        let res = app
            .http
            .post(app.url(&format!("/api/v1/tickets/{with_file}/attachments")))
            .bearer_auth(&token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);

        // Writers keep raising tickets; each records the number once the server acknowledged it.
        let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (app, token, acknowledged, stop) = (app.clone(), token.clone(), acknowledged.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000 {
                        let title = format!("Backup load {w}-{i} printer offline");
                        let (s, t) = app.api(Method::POST, "/api/v1/tickets", &token, Some(json!({"title": title, "impact": "low", "urgency": "low"}))).await;
                        assert_eq!(s, 201, "{t}");
                        acknowledged.lock().unwrap().push(t["number"].as_str().unwrap().to_string());
                        i += 1;
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before: Vec<String> = acknowledged.lock().unwrap().clone();
        let file = app.config.data_dir.join("../backup.oxidesk");
        let _ = std::fs::remove_file(&file);
        let bytes = oxidesk_server::backup::backup(&app.config, &file).await.unwrap();
        assert!(bytes > 0);
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for w in writers {
            w.await.unwrap();
        }
        assert!(!before.is_empty(), "tickets were acknowledged before the backup began");
        assert!(oxidesk_server::backup::backup(&app.config, &file).await.is_err(), "an existing file is never overwritten");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

        // Restore into an empty data directory.
        let tmp = tempfile::tempdir().unwrap();
        let config = oxidesk_server::config::Config { data_dir: tmp.path().join("restored"), ..app.config.clone() };
        let config = oxidesk_server::config::Config { index_dir: None, ..config };
        oxidesk_server::backup::restore(&config, &file).await.unwrap();
        assert!(oxidesk_server::backup::restore(&config, &file).await.is_err(), "never over an existing database");
        let not_a_backup = tmp.path().join("notes.txt");
        std::fs::write(&not_a_backup, "hello").unwrap();
        let other = oxidesk_server::config::Config { data_dir: tmp.path().join("other"), ..config.clone() };
        assert!(oxidesk_server::backup::restore(&other, &not_a_backup).await.is_err());

        let ctx = oxidesk_server::connect(&config).await.unwrap();
        use app::services::entities::{attachment, ticket};
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let restored = ticket::Entity::find().filter(ticket::Column::Number.is_in(before.clone())).count(&ctx.db).await.unwrap();
        assert_eq!(restored, before.len() as u64, "every ticket acknowledged before the backup is in it");
        let t = ticket::Entity::find().filter(ticket::Column::Number.eq(with_file.as_str())).one(&ctx.db).await.unwrap().unwrap();
        let files = attachment::Entity::find().filter(attachment::Column::TicketId.eq(t.id)).all(&ctx.db).await.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].data, b"%PDF-1.4 scanner log".to_vec());
        let hits = ctx.search.similar_tickets("Scanner jams", None, 5).unwrap();
        assert!(hits.contains(&t.id), "the restored search index finds the tickets: {hits:?}");
    })
    .await
}
