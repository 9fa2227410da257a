//! `oxidesk` command line: serve, migrate, create users and API tokens, account hygiene
//! (deactivate, reset passwords, end sessions, revoke tokens), load demo data, rebuild the search
//! index, import knowledge articles.

use crate::config::Config;
use crate::{connect, router, ServerState};
use app::services::search::indexer;
use app::services::{accounts, auth, demo, generator, knowledge, users};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Oxidesk — IT service management.
#[derive(Debug, Parser)]
#[command(name = "oxidesk", version, about)]
pub struct Cli {
    /// Configuration file (default: ./oxidesk.toml if present).
    #[arg(long, global = true, env = "OXIDESK_CONFIG")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the web app and API (the default).
    Serve {
        /// Load demo users, groups and tickets into an empty database.
        #[arg(long)]
        demo: bool,
        /// Listen address (overrides config `bind`).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a user.
    CreateUser {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Name shown to others (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// requester, agent or admin.
        #[arg(long, default_value = "requester")]
        role: String,
        /// Initial password (or set OXIDESK_NEW_PASSWORD).
        #[arg(long, env = "OXIDESK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Create an API token for a user and print it (shown once; stored hashed).
    CreateToken {
        /// Whose token.
        #[arg(long)]
        username: String,
        /// What the token is for, e.g. "monitoring".
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// Deactivate a user: sign-in refused, sessions ended, API tokens stop working (on every node).
    DeactivateUser {
        /// Whose account.
        #[arg(long)]
        username: String,
    },
    /// Reactivate a deactivated user.
    ActivateUser {
        /// Whose account.
        #[arg(long)]
        username: String,
    },
    /// Set a new password for a user and end their sessions.
    ResetPassword {
        /// Whose account.
        #[arg(long)]
        username: String,
        /// The new password (or set OXIDESK_NEW_PASSWORD).
        #[arg(long, env = "OXIDESK_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// End every session of a user.
    RevokeSessions {
        /// Whose sessions.
        #[arg(long)]
        username: String,
    },
    /// List a user's API tokens (id, name, issued, last used).
    ListTokens {
        /// Whose tokens.
        #[arg(long)]
        username: String,
    },
    /// Revoke an API token by its id (see `list-tokens`).
    RevokeToken {
        /// Token id.
        #[arg(long)]
        id: i64,
    },
    /// Write a consistent copy of the SQLite database (tickets, history, attachments …) to FILE,
    /// while the server keeps running. PostgreSQL: use pg_dump.
    Backup {
        /// The backup file to write (must not exist).
        file: PathBuf,
    },
    /// Restore a backup into an empty data directory, migrate it and rebuild the search index.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Load the demo data set into an empty database, then optionally generate bulk data.
    DemoData {
        /// Extra incidents to generate (plausible text, comments, history).
        #[arg(long, default_value_t = 0)]
        tickets: u64,
        /// Extra agents to generate.
        #[arg(long, default_value_t = 20)]
        agents: u32,
        /// Extra requesters to generate.
        #[arg(long, default_value_t = 200)]
        requesters: u32,
        /// Comments per generated ticket.
        #[arg(long, default_value_t = 2)]
        comments: u32,
        /// Random seed (same seed, same data).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Knowledge articles to generate (published, varied topics).
        #[arg(long, default_value_t = 0)]
        articles: u64,
        /// Configuration items to register before the tickets (which then name one each).
        #[arg(long, default_value_t = 0)]
        cis: u64,
        /// Relationships to draw between the CIs (layered like an estate, some cycles and
        /// redundancy sets).
        #[arg(long, default_value_t = 0)]
        relationships: u64,
    },
    /// Rebuild this node's search index from the database (stop the server first).
    Reindex,
    /// Import configuration items or their relationships from a CSV file; the header says which
    /// (`name,class,status,service,support_group,location,description` or
    /// `ci,type,target,redundancy_set,min_up`). Each bad row is reported with its line and
    /// column; the good rows are applied (all or none with `--atomic`). Importing the same file
    /// again changes nothing.
    ImportCis {
        /// The `.csv` file.
        file: PathBuf,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// All rows or none: write nothing if a row is refused.
        #[arg(long)]
        atomic: bool,
        /// The admin the changes are recorded for.
        #[arg(long, default_value = "admin")]
        actor: String,
    },
    /// Export every configuration item as CSV (and, with `--relationships`, every relationship),
    /// in the form `import-cis` reads back unchanged.
    ExportCis {
        /// Where the CIs go.
        file: PathBuf,
        /// Where the relationships go.
        #[arg(long)]
        relationships: Option<PathBuf>,
        /// The admin the export is made as.
        #[arg(long, default_value = "admin")]
        actor: String,
    },
    /// Import knowledge articles from a JSON-lines file: one `{"title", "body", "category"?,
    /// "tags"?, "audience"?}` per line. Bad lines are reported and skipped.
    ImportKb {
        /// The `.jsonl` file.
        file: PathBuf,
        /// Owner of the imported articles (an admin).
        #[arg(long, default_value = "admin")]
        owner: String,
        /// Import as drafts instead of publishing.
        #[arg(long)]
        draft: bool,
    },
}

/// Runs the parsed command line.
pub async fn run(cli: Cli, config: Config) -> Result<(), BoxError> {
    match cli.command.unwrap_or(Command::Serve { demo: false, bind: None }) {
        Command::Serve { demo, bind } => {
            let mut config = config;
            if let Some(bind) = bind {
                config.bind = bind;
            }
            serve(config, demo).await
        }
        Command::Migrate => {
            connect(&config).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::CreateUser { username, display_name, email, role, password } => {
            let ctx = connect(&config).await?;
            let input = users::NewUser {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                email,
                role,
                password,
                group_ids: vec![],
                organisation_id: None,
            };
            let user = users::create_user(&ctx, None, input).await.map_err(describe)?;
            println!("Created {} ({}) with id {}", user.username, user.role.code(), user.id);
            Ok(())
        }
        Command::CreateToken { username, name } => {
            let ctx = connect(&config).await?;
            let id = user_id(&ctx, &username).await?;
            let token = auth::create_api_token(&ctx, id, &name).await.map_err(describe)?;
            println!("{token}");
            Ok(())
        }
        Command::DeactivateUser { username } => {
            let ctx = connect(&config).await?;
            accounts::set_active(&ctx, None, user_id(&ctx, &username).await?, false).await.map_err(describe)?;
            println!("Deactivated {username}; their sessions ended and their API tokens stopped working.");
            Ok(())
        }
        Command::ActivateUser { username } => {
            let ctx = connect(&config).await?;
            accounts::set_active(&ctx, None, user_id(&ctx, &username).await?, true).await.map_err(describe)?;
            println!("Reactivated {username}.");
            Ok(())
        }
        Command::ResetPassword { username, password } => {
            let ctx = connect(&config).await?;
            accounts::reset_password(&ctx, None, user_id(&ctx, &username).await?, &password).await.map_err(describe)?;
            println!("Password of {username} reset; their sessions ended.");
            Ok(())
        }
        Command::RevokeSessions { username } => {
            let ctx = connect(&config).await?;
            let n = accounts::revoke_sessions(&ctx, None, user_id(&ctx, &username).await?, None).await.map_err(describe)?;
            println!("Ended {n} sessions of {username}.");
            Ok(())
        }
        Command::ListTokens { username } => {
            let ctx = connect(&config).await?;
            let tokens = accounts::list_tokens(&ctx, None, user_id(&ctx, &username).await?).await.map_err(describe)?;
            println!("{:>6}  {:<30}  {:<20}  last used", "id", "name", "issued");
            for t in tokens {
                let used = t.last_used_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_else(|| "never".into());
                println!("{:>6}  {:<30}  {:<20}  {used}", t.id, t.name, t.created_at.format("%Y-%m-%d %H:%M").to_string());
            }
            Ok(())
        }
        Command::RevokeToken { id } => {
            let ctx = connect(&config).await?;
            accounts::revoke_token(&ctx, None, id).await.map_err(describe)?;
            println!("Revoked token {id}.");
            Ok(())
        }
        Command::Backup { file } => {
            let started = std::time::Instant::now();
            let bytes = crate::backup::backup(&config, &file).await?;
            println!("Backed up to {} ({:.1} MB) in {:.1}s.", file.display(), bytes as f64 / 1e6, started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Restore { file } => {
            crate::backup::restore(&config, &file).await?;
            println!("Restored {} into {}.", file.display(), config.data_dir.display());
            Ok(())
        }
        Command::Reindex => {
            let ctx = connect(&config).await?;
            let bar = progress_bar(0, "documents");
            let started = std::time::Instant::now();
            let done = indexer::rebuild(&ctx, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await
            .map_err(describe)?;
            bar.finish();
            println!("Indexed {done} documents in {:.1}s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::ImportCis { file, dry_run, atomic, actor } => {
            use app::services::cmdb::transfer::{self, ImportOptions};
            let data = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let ctx = connect(&config).await?;
            let id = user_id(&ctx, &actor).await?;
            let actor = auth::actor_for_user(&ctx, id).await.map_err(describe)?.ok_or("actor not found")?;
            let bar = progress_bar(1, "rows");
            let started = std::time::Instant::now();
            let report = transfer::import_csv(&ctx, &actor, &data, ImportOptions { dry_run, atomic }, |done, total| {
                bar.set_length(total);
                bar.set_position(done);
            })
            .await
            .map_err(describe)?;
            bar.finish_and_clear();
            for e in &report.errors {
                let column = if e.column.is_empty() { String::new() } else { format!(", column {}", e.column) };
                eprintln!("line {}{column}: {}", e.line, e.message);
            }
            let verb = if report.applied { "" } else { "would be " };
            println!(
                "{} rows of {}: {} {verb}created, {} {verb}updated, {} unchanged, {} refused{} ({:.1}s).",
                report.rows,
                if report.kind.is_empty() { "?" } else { report.kind.as_str() },
                report.created,
                report.updated,
                report.unchanged,
                report.errors.len(),
                if !report.applied && !dry_run { "; nothing written" } else { "" },
                started.elapsed().as_secs_f64()
            );
            if report.errors.is_empty() { Ok(()) } else { Err(format!("{} rows were refused", report.errors.len()).into()) }
        }
        Command::ExportCis { file, relationships, actor } => {
            use app::services::cmdb::transfer;
            let ctx = connect(&config).await?;
            let id = user_id(&ctx, &actor).await?;
            let actor = auth::actor_for_user(&ctx, id).await.map_err(describe)?.ok_or("actor not found")?;
            let cis = transfer::export_cis(&ctx, &actor).await.map_err(describe)?;
            std::fs::write(&file, &cis).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            println!("Wrote {} configuration items to {}", cis.lines().count().saturating_sub(1), file.display());
            if let Some(path) = relationships {
                let rels = transfer::export_relationships(&ctx, &actor).await.map_err(describe)?;
                std::fs::write(&path, &rels).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                println!("Wrote {} relationships to {}", rels.lines().count().saturating_sub(1), path.display());
            }
            Ok(())
        }
        Command::ImportKb { file, owner, draft } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let ctx = connect(&config).await?;
            let id = user_id(&ctx, &owner).await?;
            let actor = auth::actor_for_user(&ctx, id).await.map_err(describe)?.ok_or("owner not found")?;
            let bar = progress_bar(text.lines().count() as u64, "lines");
            let report = knowledge::import_articles(&ctx, &actor, &text, !draft, |n| bar.set_position(n)).await.map_err(describe)?;
            bar.finish();
            for e in &report.errors {
                eprintln!("line {}: {}", e.line, e.message);
            }
            println!("Imported {} articles; {} lines refused.", report.imported, report.errors.len());
            if report.errors.is_empty() {
                Ok(())
            } else {
                Err(format!("{} lines were not imported", report.errors.len()).into())
            }
        }
        Command::DemoData { tickets, agents, requesters, comments, seed, articles, cis, relationships } => {
            let ctx = connect(&config).await?;
            if demo::load_if_empty(&ctx).await.map_err(describe)? {
                print_demo_logins();
            } else {
                println!("The database already has users; demo data not loaded again.");
            }
            if articles > 0 {
                let bar = progress_bar(articles, "articles");
                let started = std::time::Instant::now();
                let n = generator::generate_articles(&ctx, articles, seed, |done| bar.set_position(done)).await.map_err(describe)?;
                bar.finish();
                println!("Generated {n} articles in {:.1}s", started.elapsed().as_secs_f64());
            }
            if tickets > 0 {
                let spec = generator::GenerateSpec { tickets, agents, requesters, comments_per_ticket: comments, seed, cis, relationships };
                let bar = progress_bar(tickets, "tickets");
                let started = std::time::Instant::now();
                let report = generator::generate(&ctx, &spec, |done| bar.set_position(done)).await.map_err(describe)?;
                bar.finish();
                println!(
                    "Generated {} tickets, {} comments, {} users, {} configuration items, {} relationships in {:.1}s (users' password: {})",
                    report.tickets,
                    report.comments,
                    report.users,
                    report.cis,
                    report.relationships,
                    started.elapsed().as_secs_f64(),
                    generator::GENERATED_PASSWORD
                );
            }
            Ok(())
        }
    }
}

/// The id of the user called `username`, or a message saying there is none.
async fn user_id(ctx: &app::services::AppContext, username: &str) -> Result<i64, BoxError> {
    users::user_id_by_username(ctx, username)
        .await
        .map_err(describe)?
        .ok_or_else(|| format!("no user named '{username}'").into())
}

fn progress_bar(len: u64, unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}}, eta {{eta}})");
    bar.set_style(indicatif::ProgressStyle::with_template(&template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()));
    bar
}

fn describe(e: app::AppError) -> BoxError {
    match e {
        app::AppError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n")
            .into(),
        other => other.to_string().into(),
    }
}

fn print_demo_logins() {
    println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
    for (user, role) in demo::DEMO_LOGINS {
        println!("  {user:<10} {role}");
    }
}

async fn serve(config: Config, demo_data: bool) -> Result<(), BoxError> {
    let started = std::time::Instant::now();
    let ctx = connect(&config).await?;
    if demo_data && demo::load_if_empty(&ctx).await.map_err(describe)? {
        tracing::info!("demo data loaded");
    }
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr()?;
    crate::workers::spawn_auto_close(ctx.clone(), std::time::Duration::from_secs(config.auto_close_interval_secs.max(1)));
    crate::workers::spawn_sla_timers(ctx.clone(), std::time::Duration::from_secs(config.sla_interval_secs.max(1)));
    crate::workers::spawn_expiry_notices(ctx.clone(), std::time::Duration::from_secs(60));
    crate::workers::spawn_approval_expiry(ctx.clone(), std::time::Duration::from_secs(60));
    crate::workers::spawn_statistics(ctx.clone(), std::time::Duration::from_secs(10));
    crate::workers::spawn_memory_trim(std::time::Duration::from_secs(10));
    let state = ServerState::start(&config, ctx).await?;
    let app = router::build(state);
    println!("Oxidesk is running at http://{addr}  (ready in {} ms)", started.elapsed().as_millis());
    println!("  portal  http://{addr}/portal\n  console http://{addr}/console\n  admin   http://{addr}/admin");
    if demo_data {
        print_demo_logins();
    }
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
