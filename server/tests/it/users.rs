//! A user change and its audit entry commit together: when the audit entry cannot be
//! written, the change is rolled back.

use app::model::Role;
use app::server::repo::audit::Actor;
use app::server::repo::users;

#[tokio::test]
async fn a_user_change_is_rolled_back_when_its_audit_entry_fails() {
    let (_dir, state) = crate::auth::with_users().await;
    let pool = &state.pool;
    let actor = Actor::default();
    let viewer = users::by_name(pool, "viewer")
        .await
        .expect("query")
        .expect("user");
    let (_, hash_before) = users::credentials(pool, "viewer")
        .await
        .expect("query")
        .expect("user");
    crate::common::refuse_inserts(
        pool,
        "refuse_audit",
        "audit_entries",
        "audit log unavailable",
    )
    .await;

    let new_password = "another long enough password".to_string();
    assert!(
        app::server::users::create(pool, &actor, "newcomer", "viewer", new_password.clone())
            .await
            .is_err()
    );
    assert!(
        app::server::users::set_role(pool, &actor, viewer.id, "admin")
            .await
            .is_err()
    );
    assert!(
        app::server::users::set_disabled(pool, &actor, viewer.id, true)
            .await
            .is_err()
    );
    assert!(
        app::server::users::reset_password(pool, &actor, viewer.id, new_password)
            .await
            .is_err()
    );

    assert_eq!(users::by_name(pool, "newcomer").await.expect("query"), None);
    let (after, hash_after) = users::credentials(pool, "viewer")
        .await
        .expect("query")
        .expect("user");
    assert_eq!(after.role, Role::Viewer);
    assert!(!after.disabled);
    assert_eq!(hash_after, hash_before);

    crate::common::drop_trigger(pool, "refuse_audit", "audit_entries").await;
    app::server::users::set_role(pool, &actor, viewer.id, "helpdesk")
        .await
        .expect("role change");
    let entries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_entries WHERE action = 'user.set_role'")
            .fetch_one(pool)
            .await
            .expect("count");
    assert_eq!(entries, 1);
}

/// A client of a named account that never answers: the users page reads no AWS, it
/// only needs the configured account names.
struct Offline(&'static str);

#[async_trait::async_trait]
impl app::server::aws::WorkspacesApi for Offline {
    fn region(&self) -> &str {
        "eu-west-1"
    }
    fn account(&self) -> &str {
        self.0
    }
    async fn describe(
        &self,
        _: &app::server::aws::Query,
    ) -> Result<app::server::aws::Answer, app::server::aws::AwsError> {
        Err(offline())
    }
    async fn apply(
        &self,
        _: &app::server::aws::Change,
    ) -> Result<app::server::aws::ChangeOutcome, app::server::aws::AwsError> {
        Err(offline())
    }
}

fn offline() -> app::server::aws::AwsError {
    app::server::aws::AwsError {
        kind: app::server::aws::ErrorKind::Unavailable,
        code: "Offline".into(),
        message: "not reachable in this test".into(),
    }
}

/// Issue 20, finding 1 (High): an admin limited to `dev` could set their own limit to
/// `all`, create an unlimited admin, or reset an unlimited admin's password. Now they
/// manage only users within `dev`, over HTTP as the Users page sends it.
#[tokio::test]
async fn an_admin_limited_to_one_account_cannot_lift_or_pass_on_more() {
    use crate::auth::{post, send};
    use axum::http::StatusCode;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::unsynced_state(
        &dir,
        vec![
            std::sync::Arc::new(Offline("dev")),
            std::sync::Arc::new(Offline("prod")),
        ],
    )
    .await;
    let pool = &state.pool;
    let password = crate::auth::PASSWORD;
    let make = |name: &'static str, limit: Option<Vec<String>>| async move {
        let user =
            app::server::users::create(pool, &Actor::default(), name, "admin", password.into())
                .await
                .expect("user");
        app::server::users::set_accounts(pool, &Actor::default(), user.id, limit)
            .await
            .expect("limit");
        user
    };
    let root = make("root", None).await;
    let dev_admin = make("dev-admin", Some(vec!["dev".into()])).await;
    let prod_admin = make("prod-admin", Some(vec!["prod".into()])).await;

    let (cookie, _) = crate::auth::login_as(&state, "dev-admin", crate::auth::PASSWORD, None).await;
    let cookie = cookie.expect("session cookie");
    let call = |path: &'static str, body: String| {
        let cookie = cookie.clone();
        let state = state.clone();
        async move {
            send(&state, post(path, &body, Some(&cookie)))
                .await
                .status()
        }
    };
    let limit_of = |id: i64| async move {
        users::by_id(pool, id)
            .await
            .expect("query")
            .expect("user")
            .accounts
    };

    // Their own limit: not to all, not wider, not blank.
    for accounts in ["all", "dev%2Cprod", "prod", ""] {
        let status = call(
            "/api/users/set-accounts",
            format!("id={}&accounts={accounts}", dev_admin.id),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "accounts={accounts}");
    }
    assert_eq!(limit_of(dev_admin.id).await, Some(vec!["dev".to_string()]));

    // Users outside their limit are unknown to them.
    for (path, body) in [
        (
            "/api/users/reset-password",
            format!("id={}&password=another+long+password", root.id),
        ),
        ("/api/users/set-role", format!("id={}&role=viewer", root.id)),
        (
            "/api/users/set-disabled",
            format!("id={}&disabled=true", prod_admin.id),
        ),
        (
            "/api/users/set-accounts",
            format!("id={}&accounts=dev", root.id),
        ),
    ] {
        assert_eq!(call(path, body).await, StatusCode::NOT_FOUND, "{path}");
    }
    let root_after = users::by_id(pool, root.id)
        .await
        .expect("query")
        .expect("user");
    assert_eq!((root_after.role, root_after.disabled), (Role::Admin, false));
    assert_eq!(limit_of(root.id).await, None);

    // A user they create gets their limit, whatever role it has.
    let created = call(
        "/api/users/create",
        "username=new-admin&role=admin&password=a+long+enough+password".into(),
    )
    .await;
    assert_eq!(created, StatusCode::OK);
    let new_admin = users::by_name(pool, "new-admin")
        .await
        .expect("query")
        .expect("user");
    assert_eq!(new_admin.accounts, Some(vec!["dev".to_string()]));

    // Their users page lists only users within dev, and offers dev only.
    let list = send(&state, post("/api/users/list", "", Some(&cookie))).await;
    assert_eq!(list.status(), StatusCode::OK);
    let body = http_body_util::BodyExt::collect(list.into_body())
        .await
        .expect("body")
        .to_bytes();
    let view: app::model::UsersView = serde_json::from_slice(&body).expect("users view");
    let names: Vec<&str> = view.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"dev-admin") && names.contains(&"new-admin"),
        "{names:?}"
    );
    assert_eq!(view.accounts, vec!["dev".to_string()]);
}
