//! Requester organisations on SQLite and PostgreSQL: admin management with validation, users
//! placed in them, tickets recording the requester's organisation, and SLA policies matching it.

mod common;

use reqwest::Method;
use serde_json::{json, Value};

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|f| f.iter().filter_map(|f| f["field"].as_str().map(String::from)).collect()).unwrap_or_default()
}

fn policy_of(clocks: &Value) -> String {
    clocks.as_array().unwrap().iter().find(|c| c["metric"] == "resolution").map(|c| c["policy_name"].as_str().unwrap().to_string()).unwrap_or_default()
}

async fn raise(app: &common::TestApp, token: &str, body: Value) -> String {
    let (s, t) = app.api(Method::POST, "/api/v1/tickets", token, Some(body)).await;
    assert_eq!(s, 201, "{t}");
    t["number"].as_str().unwrap().to_string()
}

both_backends!(organisations_are_managed_and_drive_sla_policies, |app: common::TestApp| async move {
    let admin = app.token("admin").await;
    let agent = app.token("agent").await;
    let riley = app.token("requester").await;
    let jordan = app.token("jordan").await;

    // Demo data places Riley in Contoso Retail and Jordan in Northwind Logistics.
    let (s, orgs) = app.api(Method::GET, "/api/v1/organisations", &agent, None).await;
    assert_eq!(s, 200, "{orgs}");
    let names: Vec<&str> = orgs.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Contoso Retail", "Northwind Logistics"]);
    assert!(orgs.as_array().unwrap().iter().all(|o| o["member_count"] == 1));
    assert_eq!(app.api(Method::GET, "/api/v1/organisations", &riley, None).await.0, 403);

    // Validation: names are required, bounded and unique ignoring case; only admins write.
    let (s, e) = app.api(Method::POST, "/api/v1/organisations", &admin, Some(json!({"name": " "}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["name".to_string()]), "{e}");
    let (s, e) = app.api(Method::POST, "/api/v1/organisations", &admin, Some(json!({"name": "contoso retail"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["name".to_string()]), "{e}");
    assert_eq!(app.api(Method::POST, "/api/v1/organisations", &agent, Some(json!({"name": "Fabrikam"}))).await.0, 403);
    let (s, fabrikam) = app.api(Method::POST, "/api/v1/organisations", &admin, Some(json!({"name": "Fabrikam"}))).await;
    assert_eq!(s, 201, "{fabrikam}");
    let fabrikam_id = fabrikam["id"].as_i64().unwrap();
    let (s, renamed) = app.api(Method::PUT, &format!("/api/v1/organisations/{fabrikam_id}"), &admin, Some(json!({"name": "Fabrikam Inc"}))).await;
    assert_eq!((s, renamed["name"].as_str()), (200, Some("Fabrikam Inc")), "{renamed}");
    assert_eq!(app.api(Method::PUT, "/api/v1/organisations/999999", &admin, Some(json!({"name": "Nobody"}))).await.0, 404);

    // Placing users: unknown organisations are refused on the field.
    let jordan_id = app.user_id("jordan").await;
    let (s, e) = app.api(Method::PUT, &format!("/api/v1/users/{jordan_id}/organisation"), &admin, Some(json!({"organisation_id": 999_999}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["organisation_id".to_string()]), "{e}");
    assert_eq!(app.api(Method::PUT, &format!("/api/v1/users/{jordan_id}/organisation"), &agent, Some(json!({"organisation_id": fabrikam_id}))).await.0, 403);

    // A policy for Fabrikam only: Jordan's tickets get it once Jordan is placed there.
    let (s, e) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Ghost customer", "position": -5, "organisation_id": 999_999,
            "response_minutes": 30, "resolution_minutes": 240, "calendar_id": 1})))
        .await;
    assert_eq!((s, fields(&e)), (422, vec!["organisation_id".to_string()]), "{e}");
    let (s, p) = app
        .api(Method::POST, "/api/v1/sla/policies", &admin, Some(json!({"name": "Fabrikam premium", "position": -5, "organisation_id": fabrikam_id,
            "response_minutes": 30, "resolution_minutes": 240, "calendar_id": 1})))
        .await;
    assert_eq!(s, 201, "{p}");
    assert_eq!(p["organisation_id"], fabrikam_id);

    let before = raise(&app, &jordan, json!({"title": "Printer jam", "impact": "low", "urgency": "low"})).await;
    let (s, placed) = app.api(Method::PUT, &format!("/api/v1/users/{jordan_id}/organisation"), &admin, Some(json!({"organisation_id": fabrikam_id}))).await;
    assert_eq!(s, 200, "{placed}");
    assert_eq!(placed["organisation_name"], "Fabrikam Inc");
    let after = raise(&app, &jordan, json!({"title": "Printer jam again", "impact": "low", "urgency": "low"})).await;
    // Raised on Jordan's behalf by an agent: the requester's organisation counts, not the agent's.
    let on_behalf = raise(&app, &agent, json!({"title": "Phoned in", "impact": "low", "urgency": "low", "requester_id": jordan_id})).await;
    let riley_ticket = raise(&app, &riley, json!({"title": "Badge reader", "impact": "low", "urgency": "low"})).await;
    for (number, expected) in [(&after, true), (&on_behalf, true), (&before, false), (&riley_ticket, false)] {
        let (s, clocks) = app.api(Method::GET, &format!("/api/v1/tickets/{number}/sla"), &agent, None).await;
        assert_eq!(s, 200, "{clocks}");
        assert_eq!(policy_of(&clocks) == "Fabrikam premium", expected, "{number}: {clocks}");
    }

    // The ticket shows the organisation it was raised under, to agents and to its requester.
    let (_, shown) = app.api(Method::GET, &format!("/api/v1/tickets/{after}"), &agent, None).await;
    assert_eq!(shown["organisation_name"], "Fabrikam Inc");
    let (_, earlier) = app.api(Method::GET, &format!("/api/v1/tickets/{before}"), &jordan, None).await;
    assert_eq!(earlier["organisation_name"], "Northwind Logistics", "raised before the move: {earlier}");
    let html = app.http.get(app.url(&format!("/console/tickets/{after}"))).header("cookie", app.login("agent", "oxidesk-demo").await.unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Fabrikam Inc"), "the console ticket page names the organisation");

    // The move is audited on the user, and the organisation list counts members.
    let (_, orgs) = app.api(Method::GET, "/api/v1/organisations", &agent, None).await;
    let count = |name: &str| orgs.as_array().unwrap().iter().find(|o| o["name"] == name).map(|o| o["member_count"].as_u64().unwrap());
    assert_eq!((count("Fabrikam Inc"), count("Northwind Logistics")), (Some(1), Some(0)));
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use app::services::entities::audit_entry;
    let moves = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("user"))
        .filter(audit_entry::Column::EntityId.eq(jordan_id))
        .filter(audit_entry::Column::Field.eq("organisation"))
        .all(&app.ctx.db)
        .await
        .unwrap();
    let last = moves.last().expect("organisation change audited");
    assert_eq!((last.old_value.as_deref(), last.new_value.as_deref()), (Some("Northwind Logistics"), Some("Fabrikam Inc")));

    // Taking Jordan out of any organisation.
    let (s, out) = app.api(Method::PUT, &format!("/api/v1/users/{jordan_id}/organisation"), &admin, Some(json!({"organisation_id": null}))).await;
    assert_eq!((s, out["organisation_id"].is_null()), (200, true), "{out}");
});
