//! `fleetdesk sync`: one full sync of the inventory cache, with progress, then exit.

use std::time::Duration;

use app::server::sync::{SyncHandle, sync_all};

use crate::config::{CommonArgs, SyncArgs};
use crate::error::ServerError;

/// One full sync with a progress line per Region.
pub async fn run(common: CommonArgs, sync: SyncArgs) -> Result<(), ServerError> {
    let pool = common.connect().await?;
    let regions = sync.rate_limited(common.clients().await?);
    let handle = SyncHandle::default();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    let watcher = {
        let (handle, bar) = (handle.clone(), bar.clone());
        tokio::spawn(async move {
            loop {
                let progress = handle.progress();
                let parts: Vec<String> = progress
                    .regions
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} ({} pages, {} items)",
                            r.region, r.step, r.pages, r.items
                        )
                    })
                    .collect();
                bar.set_message(parts.join("  |  "));
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let report = sync_all(&pool, &regions, &handle, &sync.settings()).await;
    watcher.abort();
    bar.finish_and_clear();
    let Some(report) = report else {
        return Err(ServerError::Refused("another sync is running".into()));
    };
    println!(
        "Synced {} WorkSpaces from {} Region(s).",
        report.workspaces,
        regions.len()
    );
    for (region, step, error) in &report.failures {
        println!("  stale: {region} {step}: {error}");
    }
    if report.failures.is_empty() {
        Ok(())
    } else {
        Err(ServerError::Refused(format!(
            "{} sync step(s) failed",
            report.failures.len()
        )))
    }
}
