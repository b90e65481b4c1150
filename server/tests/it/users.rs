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
    sqlx::query(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries \
         BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END",
    )
    .execute(pool)
    .await
    .expect("trigger");

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

    sqlx::query("DROP TRIGGER refuse_audit")
        .execute(pool)
        .await
        .expect("drop trigger");
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
