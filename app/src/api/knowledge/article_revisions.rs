use crate::dto::{RevisionView, VoteCommentView};
use crate::error::AppError;
use leptos::prelude::*;

/// An article's revisions (newest first) and the comments left with votes.
#[server(endpoint = "kb/revisions")]
pub async fn article_revisions(number: String) -> Result<(Vec<RevisionView>, Vec<VoteCommentView>), AppError> {
    use crate::services::knowledge;
    super::super::support::respond(async move {
        let (ctx, actor) = super::super::support::context_and_actor().await?;
        let revisions = knowledge::revisions(&ctx, &actor, &number).await?;
        let comments = knowledge::vote_comments(&ctx, &actor, &number).await?;
        Ok((revisions, comments))
    })
    .await
}
