//! Directory changes through the real SDK against the in-process emulator.

use app::error::AppError;
use app::model::{Directory, Role, SelfService, UserInfo};
use app::server::auth::Client;
use app::server::aws::DirectoryChange;
use app::server::directories::apply;
use app::server::repo::inventory;

#[tokio::test]
async fn an_admin_registers_configures_and_deregisters_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = crate::common::demo_state(&dir).await;
    let admin = UserInfo {
        id: 1,
        name: "root".into(),
        role: Role::Admin,
        disabled: false,
    };
    let (pool, regions, client) = (&state.pool, state.regions.as_slice(), Client::default());
    let id = "d-1234567890".to_string();

    let bad = DirectoryChange::Register {
        directory_id: "d-12".into(),
    };
    assert!(matches!(
        apply(pool, regions, &admin, &client, "eu-west-1", bad).await,
        Err(AppError::Validation { .. })
    ));
    apply(
        pool,
        regions,
        &admin,
        &client,
        "eu-west-1",
        DirectoryChange::Register {
            directory_id: id.clone(),
        },
    )
    .await
    .expect("register");
    let api = state.region("eu-west-1").expect("region");
    let listed = app::server::aws::all_pages(|t| api.describe_directories(t))
        .await
        .expect("directories");
    assert!(
        listed.iter().any(|d| d.id == id),
        "registered in the emulator"
    );

    let permissions = SelfService {
        restart: true,
        rebuild: true,
        ..SelfService::default()
    };
    let set = DirectoryChange::SetSelfService {
        directory_id: id.clone(),
        permissions,
    };
    apply(pool, regions, &admin, &client, "", set)
        .await
        .expect("self-service");
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    assert_eq!(
        cached
            .iter()
            .find(|d| d.id == id)
            .and_then(|d| d.self_service),
        Some(permissions)
    );

    let in_use = DirectoryChange::Deregister {
        directory_id: "d-93670c1e5a".into(),
    };
    assert!(matches!(
        apply(pool, regions, &admin, &client, "", in_use).await,
        Err(AppError::Validation { .. })
    ));
    apply(
        pool,
        regions,
        &admin,
        &client,
        "",
        DirectoryChange::Deregister {
            directory_id: id.clone(),
        },
    )
    .await
    .expect("deregister");
    let cached: Vec<Directory> = inventory::items(pool, inventory::ItemKind::Directory)
        .await
        .expect("dirs");
    assert!(cached.iter().all(|d| d.id != id));
}
