//! Custom bundle changes through the real SDK against the in-process emulator.

use crate::common::user;
use app::error::AppError;
use app::model::{Bundle, Role};
use app::server::aws::BundleChange;
use app::server::bundles::apply;
use app::server::repo::{audit, inventory};

#[tokio::test]
async fn an_admin_creates_and_deletes_a_bundle_and_in_use_bundles_stay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = user(Role::Admin);
    let pool = &state.pool;
    let create = |image: &str, root| BundleChange::Create {
        name: "Finance desktop".into(),
        description: "Office + ERP".into(),
        image_id: image.into(),
        compute_type: "PERFORMANCE".into(),
        root_gib: root,
        user_gib: 100,
    };
    assert!(
        apply(
            &crate::common::caller(&state, &admin),
            create("wsi-0b7e3c912", 80)
        )
        .await
        .is_err(),
        "a PENDING image is refused"
    );
    assert!(
        apply(
            &crate::common::caller(&state, &admin),
            create("wsi-0f2c9a7b1", 20)
        )
        .await
        .is_err(),
        "root volume too small"
    );
    apply(
        &crate::common::caller(&state, &admin),
        create("wsi-0f2c9a7b1", 80),
    )
    .await
    .expect("create");
    let bundles: Vec<Bundle> = inventory::items(pool, inventory::ItemKind::Bundle)
        .await
        .expect("bundles");
    let created = bundles
        .iter()
        .find(|b| b.name == "Finance desktop")
        .expect("cached")
        .clone();
    assert!(created.id.starts_with("wsb-"), "{}", created.id);

    let in_use = apply(
        &crate::common::caller(&state, &admin),
        BundleChange::Delete {
            bundle_id: "wsb-office-std-eu".into(),
        },
    )
    .await;
    assert!(
        matches!(in_use, Err(AppError::Validation { .. })),
        "{in_use:?}"
    );
    apply(
        &crate::common::caller(&state, &admin),
        BundleChange::Delete {
            bundle_id: created.id.clone(),
        },
    )
    .await
    .expect("delete");
    let bundles: Vec<Bundle> = inventory::items(pool, inventory::ItemKind::Bundle)
        .await
        .expect("bundles");
    assert!(bundles.iter().all(|b| b.id != created.id));

    // The emulator lacks UpdateWorkspaceBundle: the failure is reported and audited.
    let update = BundleChange::Update {
        bundle_id: "wsb-dev-power-eu".into(),
        image_id: "wsi-0a81d44e6".into(),
    };
    assert!(matches!(
        apply(&crate::common::caller(&state, &admin), update).await,
        Err(AppError::Upstream { .. })
    ));
    let (entries, _) = audit::list(
        pool,
        &app::model::AuditQuery {
            action: "bundle.".into(),
            ..Default::default()
        },
        None,
    )
    .await
    .expect("audit");
    let outcomes: Vec<_> = entries
        .iter()
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            ("bundle.update", "failed"),
            ("bundle.delete", "succeeded"),
            ("bundle.create", "succeeded")
        ]
    );
}

/// 000_694e23744a3a4a46.txt:1038: CreateWorkspaceBundle takes the `GRAPHICS` and
/// `GRAPHICSPRO` compute types, the bundles of images imported with `BYOL_GRAPHICS` and
/// `BYOL_GRAPHICSPRO` (:4905). A bundle of each is created and cached with its type.
#[tokio::test]
async fn an_admin_creates_graphics_and_graphicspro_bundles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = user(Role::Admin);
    for compute_type in ["GRAPHICS", "GRAPHICSPRO"] {
        let name = format!("Design {compute_type}");
        apply(
            &crate::common::caller(&state, &admin),
            BundleChange::Create {
                name: name.clone(),
                description: "CAD workstations".into(),
                image_id: "wsi-0f2c9a7b1".into(),
                compute_type: compute_type.into(),
                root_gib: 100,
                user_gib: 100,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{compute_type} refused: {e:?}"));
        let bundles: Vec<Bundle> = inventory::items(&state.pool, inventory::ItemKind::Bundle)
            .await
            .expect("bundles");
        let created = bundles.iter().find(|b| b.name == name).expect("cached");
        assert_eq!(created.compute_type.as_deref(), Some(compute_type));
    }
}
