//! Image sharing and deletion through the real SDK against the in-process emulator.

use app::error::AppError;
use app::model::{Image, Role, UserInfo};
use app::server::auth::Client;
use app::server::images::apply;
use app::server::repo::{audit, inventory};

#[tokio::test]
async fn an_admin_shares_unshares_and_deletes_an_image() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = UserInfo {
        id: 1,
        name: "root".into(),
        role: Role::Admin,
        disabled: false,
    };
    let (pool, regions, client) = (&state.pool, state.regions.as_slice(), Client::default());
    let image = "wsi-0a81d44e6";

    let bad = apply(pool, regions, &admin, &client, "share", image, "12345").await;
    assert!(matches!(bad, Err(AppError::Validation { .. })), "{bad:?}");
    apply(
        pool,
        regions,
        &admin,
        &client,
        "share",
        image,
        "123456789012",
    )
    .await
    .expect("share");
    let api = state.region("eu-west-1").expect("region");
    assert_eq!(
        api.describe_image_permissions(image)
            .await
            .expect("permissions"),
        vec!["123456789012".to_string()]
    );
    let cached: Vec<Image> = inventory::items(pool, inventory::ItemKind::Image)
        .await
        .expect("images");
    assert_eq!(
        cached
            .iter()
            .find(|i| i.id == image)
            .expect("image")
            .shared_with,
        vec!["123456789012".to_string()]
    );

    apply(
        pool,
        regions,
        &admin,
        &client,
        "unshare",
        image,
        "123456789012",
    )
    .await
    .expect("unshare");
    assert!(
        api.describe_image_permissions(image)
            .await
            .expect("permissions")
            .is_empty()
    );

    let viewer = UserInfo {
        role: Role::Viewer,
        ..admin.clone()
    };
    assert_eq!(
        apply(pool, regions, &viewer, &client, "delete", image, "")
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    apply(pool, regions, &admin, &client, "delete", image, "")
        .await
        .expect("delete");
    let cached: Vec<Image> = inventory::items(pool, inventory::ItemKind::Image)
        .await
        .expect("images");
    assert!(cached.iter().all(|i| i.id != image));
    let (entries, _) = audit::list(
        pool,
        &app::model::AuditQuery {
            action: "image.".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    assert_eq!(entries.len(), 3, "share, unshare and delete are audited");
}
