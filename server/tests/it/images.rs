//! Image sharing and deletion through the real SDK against the in-process emulator;
//! copying to another Region (which the emulator lacks) against `aws-smithy-mocks`, and
//! within a Region through the demo overlay.

use std::sync::Arc;

use crate::common::user;
use app::error::AppError;
use app::model::{Image, Role};
use app::server::aws::WorkspacesApi;
use app::server::images::{ImageEdit, apply};
use app::server::repo::{audit, inventory};
use aws_smithy_mocks::{mock, mock_client};
use server::aws_sdk::SdkWorkspaces;

fn share(image: &str, account: &str) -> ImageEdit {
    ImageEdit::Share {
        image_id: image.into(),
        account: account.into(),
    }
}

#[tokio::test]
async fn an_admin_shares_unshares_and_deletes_an_image() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = user(Role::Admin);
    let pool = &state.pool;
    let image = "wsi-0a81d44e6";

    let bad = apply(
        &crate::common::caller(&state, &admin),
        share(image, "12345"),
    )
    .await;
    assert!(matches!(bad, Err(AppError::Validation { .. })), "{bad:?}");
    let owner = apply(
        &crate::common::caller(&state, &admin),
        share(image, "123456789012"),
    )
    .await;
    assert!(
        matches!(owner, Err(AppError::Validation { .. })),
        "the owning account: {owner:?}"
    );
    apply(
        &crate::common::caller(&state, &admin),
        share(image, "111122223333"),
    )
    .await
    .expect("share");
    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    assert_eq!(
        api.describe_image_permissions(image)
            .await
            .expect("permissions"),
        vec!["111122223333".to_string()]
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
        vec!["111122223333".to_string()]
    );

    let unshare = ImageEdit::Unshare {
        image_id: image.into(),
        account: "111122223333".into(),
    };
    apply(&crate::common::caller(&state, &admin), unshare)
        .await
        .expect("unshare");
    assert!(
        api.describe_image_permissions(image)
            .await
            .expect("permissions")
            .is_empty()
    );

    let viewer = user(Role::Viewer);
    let delete = || ImageEdit::Delete {
        image_id: image.into(),
    };
    assert_eq!(
        apply(&crate::common::caller(&state, &viewer), delete())
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    apply(&crate::common::caller(&state, &admin), delete())
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

#[tokio::test]
async fn an_admin_copies_an_image_to_another_region() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = user(Role::Admin);
    // eu-west-1 stays the emulator; us-east-1 answers CopyWorkspaceImage, and only for
    // the request the copy form should produce.
    let copy = mock!(aws_sdk_workspaces::Client::copy_workspace_image)
        .match_requests(|req| {
            req.source_region() == Some("eu-west-1")
                && req.source_image_id() == Some("wsi-0f2c9a7b1")
                && req.name() == Some("Win2022-Office-us")
                && req.description() == Some("Office image for US users")
        })
        .then_output(|| {
            aws_sdk_workspaces::operation::copy_workspace_image::CopyWorkspaceImageOutput::builder()
                .image_id("wsi-0c0p1ed00")
                .build()
        });
    let us: Arc<dyn WorkspacesApi> = Arc::new(SdkWorkspaces::from_client(
        mock_client!(aws_sdk_workspaces, [&copy]),
        "us-east-1",
    ));
    let eu = state.workspaces[0].clone();
    assert_eq!(eu.region(), "eu-west-1");
    let regions = [eu, us];
    let edit = |image: &str, destination: &str, name: &str| ImageEdit::Copy {
        image_id: image.into(),
        destination: destination.into(),
        name: name.into(),
        description: "Office image for US users".into(),
    };

    for (refused, why) in [
        // The same Region is a destination (000_694e23744a3a4a46.txt:7113), but not
        // under the name its image already has there.
        (
            edit("wsi-0f2c9a7b1", "eu-west-1", "Win2022-Office-2026-10"),
            "name taken in the Region",
        ),
        (
            edit("wsi-0f2c9a7b1", "ap-south-1", "x"),
            "Region not configured",
        ),
        (edit("wsi-0f2c9a7b1", "us-east-1", "has space"), "bad name"),
        (
            edit("wsi-0b7e3c912", "eu-west-1", "pending"),
            "image still PENDING",
        ),
    ] {
        let result = apply(
            &crate::common::caller_over(&state.pool, &regions, &admin),
            refused,
        )
        .await;
        assert!(
            matches!(result, Err(AppError::Validation { .. })),
            "{why}: {result:?}"
        );
    }
    assert_eq!(copy.num_calls(), 0, "refusals never reach AWS");

    let done = apply(
        &crate::common::caller_over(&state.pool, &regions, &admin),
        edit("wsi-0f2c9a7b1", "us-east-1", "Win2022-Office-us"),
    )
    .await
    .expect("copy");
    assert!(done.contains("PENDING"), "{done}");
    assert_eq!(copy.num_calls(), 1);

    let cached: Vec<Image> = inventory::items(&state.pool, inventory::ItemKind::Image)
        .await
        .expect("images");
    let new = cached
        .iter()
        .find(|i| i.id == "wsi-0c0p1ed00")
        .expect("the copy is cached");
    assert_eq!(new.region, "us-east-1");
    assert_eq!(new.state.as_deref(), Some("PENDING"));
    assert_eq!(new.operating_system.as_deref(), Some("WINDOWS"));

    let (entries, _) = audit::list(
        &state.pool,
        &app::model::AuditQuery {
            action: "image.copy".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].outcome, "succeeded");
    let params: serde_json::Value = serde_json::from_str(&entries[0].params).expect("json");
    assert_eq!(params["destination"], "us-east-1");
    assert_eq!(params["source_region"], "eu-west-1");
    assert_eq!(
        entries[0].targets[0].target, "wsi-0f2c9a7b1",
        "the image copied"
    );
    assert_eq!(
        entries[0].detail.as_deref(),
        Some("wsi-0f2c9a7b1 → wsi-0c0p1ed00"),
        "the copy's id"
    );
}

/// 000_694e23744a3a4a46.txt:502 and :7113: an image may be copied within its own Region
/// ("In the China (Ningxia) Region, you can copy images only within the same Region").
/// Through the demo (whose overlay answers CopyWorkspaceImage) the copy is sent, cached
/// and described PENDING, as AWS starts it.
#[tokio::test]
async fn an_admin_copies_an_image_within_its_region_and_it_starts_pending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_overlay_state(&dir).await;
    let admin = user(Role::Admin);
    let done = apply(
        &crate::common::caller(&state, &admin),
        ImageEdit::Copy {
            image_id: "wsi-0f2c9a7b1".into(),
            destination: "eu-west-1".into(),
            name: "Win2022-Office-2026-10-b".into(),
            description: "Second copy in Ireland".into(),
        },
    )
    .await
    .expect("a copy within the Region");
    assert!(done.contains("PENDING"), "{done}");

    let cached: Vec<Image> = inventory::items(&state.pool, inventory::ItemKind::Image)
        .await
        .expect("images");
    let copy = cached
        .iter()
        .find(|i| i.name == "Win2022-Office-2026-10-b")
        .expect("the copy is cached");
    assert_eq!(copy.region, "eu-west-1");
    assert_eq!(copy.state.as_deref(), Some("PENDING"));
    assert!(copy.id.starts_with("wsi-"), "under AWS's id: {}", copy.id);

    let api =
        app::server::changes::find_client(&state.workspaces, "", "eu-west-1").expect("region");
    let described = app::server::aws::all_pages(|t| api.describe_owned_images(t))
        .await
        .expect("images");
    let live = described
        .iter()
        .find(|i| i.id == copy.id)
        .expect("the demo describes the copy");
    assert_eq!(
        live.state.as_deref(),
        Some("PENDING"),
        "AVAILABLE only after a while"
    );
}
