//! Attachments: size-limited, content-type verified from the bytes (not the client's word),
//! stored in the database (so every node serves them), served as downloads.

use super::{audit_line, find_visible, may_see};
use crate::domain::Actor;
use crate::dto::AttachmentView;
use crate::error::AppError;
use crate::services::entities::{attachment, ticket};
use crate::services::journal::{self, AuditLine};
use crate::services::AppContext;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use sha2::{Digest, Sha256};

/// Largest accepted file.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Types recognised from their content that may be attached.
const ALLOWED_BINARY: [&str; 10] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/gzip",
];

/// Text files accepted by extension when their bytes are valid UTF-8.
const TEXT_EXTENSIONS: [(&str, &str); 7] = [
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("csv", "text/csv"),
    ("json", "application/json"),
    ("md", "text/markdown"),
    ("eml", "message/rfc822"),
    ("xml", "application/xml"),
];

/// An upload to attach.
pub struct NewAttachment {
    /// The name the client gave.
    pub filename: String,
    /// File content.
    pub data: Vec<u8>,
    /// Agents-only file.
    pub internal: bool,
}

/// A file to send back, with its metadata.
pub struct AttachmentContent {
    /// Safe file name for `Content-Disposition`.
    pub filename: String,
    /// Verified content type.
    pub content_type: String,
    /// Bytes.
    pub data: Vec<u8>,
}

/// Keeps the last path segment, drops control and quoting characters, caps the length.
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>' | '`'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(200)
        .collect();
    if clean.is_empty() {
        "attachment".into()
    } else {
        clean
    }
}

/// The content type of `data`, if it is a type we accept.
pub fn verified_content_type(filename: &str, data: &[u8]) -> Result<&'static str, AppError> {
    let refuse = |m: &str| Err(AppError::field("file", m.to_string()));
    if data.is_empty() {
        return refuse("The file is empty");
    }
    if data.len() > MAX_ATTACHMENT_BYTES {
        return refuse("The file is larger than 10 MB");
    }
    if let Some(kind) = infer::get(data) {
        return match ALLOWED_BINARY.iter().find(|t| **t == kind.mime_type()) {
            Some(t) => Ok(t),
            None => refuse("This type of file cannot be attached"),
        };
    }
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match TEXT_EXTENSIONS.iter().find(|(e, _)| *e == ext) {
        Some((_, t)) if std::str::from_utf8(data).is_ok() => Ok(t),
        _ => refuse("This type of file cannot be attached"),
    }
}

/// Attaches a file. Requesters may attach to their own tickets (never internally).
pub async fn add_attachment(ctx: &AppContext, actor: &Actor, key: &str, upload: NewAttachment) -> Result<AttachmentView, AppError> {
    if upload.internal && !actor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let filename = sanitize_filename(&upload.filename);
    let content_type = verified_content_type(&filename, &upload.data)?;
    let sha = hex::encode(Sha256::digest(&upload.data));
    let size = upload.data.len() as i64;
    let (_w, txn) = ctx.begin_write().await?;
    let t = find_visible(&txn, actor, key).await?;
    let now = Utc::now();
    let row = attachment::ActiveModel {
        ticket_id: Set(t.id),
        uploader_id: Set(actor.user_id),
        filename: Set(filename.clone()),
        content_type: Set(content_type.into()),
        size: Set(size),
        sha256: Set(sha),
        data: Set(upload.data),
        internal: Set(upload.internal),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let visibility = if upload.internal { "internal" } else { "public" };
    let field = if upload.internal { "internal_attachment" } else { "attachment" };
    journal::audit(&txn, AuditLine { field: Some(field), new_value: Some(format!("{filename} ({visibility})")), ..audit_line(&t, Some(actor.user_id), "attachment_added", now) }).await?;
    let seq = journal::append_event(&txn, "ticket.attachment_added", "ticket", t.id, serde_json::json!({ "number": t.number, "attachment_id": row.id, "internal": upload.internal })).await?;
    txn.commit().await?;
    ctx.notify_committed(seq);
    Ok(AttachmentView {
        id: row.id,
        filename,
        content_type: content_type.into(),
        size,
        uploader_name: actor.display_name.clone(),
        internal: upload.internal,
        created_at: now,
    })
}

/// A file the actor may download (requesters: public files on their own tickets).
pub async fn get_attachment(ctx: &AppContext, actor: &Actor, id: i64) -> Result<AttachmentContent, AppError> {
    let missing = || AppError::NotFound("Attachment".into());
    let file = attachment::Entity::find_by_id(id).one(&ctx.db).await?.ok_or_else(missing)?;
    let t = ticket::Entity::find_by_id(file.ticket_id).one(&ctx.db).await?.ok_or_else(missing)?;
    if !may_see(actor, &t) || (file.internal && !actor.is_staff()) {
        return Err(missing());
    }
    Ok(AttachmentContent { filename: file.filename, content_type: file.content_type, data: file.data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_sanitised() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(sanitize_filename("a\"b;c\n.txt"), "abc.txt");
        assert_eq!(sanitize_filename(".."), "attachment");
        assert_eq!(sanitize_filename(".htaccess"), "htaccess");
    }

    #[test]
    fn content_type_comes_from_the_bytes() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
        assert_eq!(verified_content_type("shot.png", &png).unwrap(), "image/png");
        assert_eq!(verified_content_type("renamed.txt", &png).unwrap(), "image/png", "extension does not win");
        assert_eq!(verified_content_type("notes.log", b"hello").unwrap(), "text/plain");
        assert!(verified_content_type("run.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00").is_err(), "executables refused");
        assert!(verified_content_type("page.html", b"<script>alert(1)</script>").is_err());
        assert!(verified_content_type("bin.txt", &[0xff, 0xfe, 0x00, 0x80]).is_err(), "non-UTF-8 text refused");
        assert!(verified_content_type("empty.txt", b"").is_err());
        assert!(verified_content_type("big.txt", &vec![b'a'; MAX_ATTACHMENT_BYTES + 1]).is_err());
    }
}
