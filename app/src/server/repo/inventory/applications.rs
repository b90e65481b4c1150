//! Which applications each WorkSpace has, as DescribeWorkspaceAssociations answered.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool};

use crate::server::repo::sql::{Backend, Sql};

use super::fleet_query::push_account_limit;
use super::write;

/// The association states that do not count as having the application (see
/// [`crate::model::AppAssociation::counts_as_installed`]), as an SQL list.
pub(super) const NOT_INSTALLED_SQL: &str =
    "('PENDING_UNINSTALL', 'PENDING_UNINSTALL_DEPLOYMENT', 'UNINSTALLING', 'REMOVED')";

/// The cached catalog as fleet filter choices: (application id, "name (Region)").
pub(super) async fn application_choices(
    pool: &AnyPool,
    visible: Option<&[String]>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let backend = Backend::of(pool);
    let name = backend.json_text("json", "name");
    let mut sql = Sql::new(
        backend,
        format!(
            "SELECT id, {name} || ' (' || \
             CASE account WHEN '' THEN region ELSE account || ' ' || region END || ')' \
             FROM inventory_items WHERE kind = 'application'"
        ),
    );
    if let Some(accounts) = visible {
        push_account_limit(&mut sql, accounts);
    }
    sql.push(" ORDER BY 2");
    sql.build_query_as()?.fetch_all(pool).await
}

/// Records one WorkSpace's association with an application in the state AWS gave it
/// (or will give it after an accepted associate or disassociate).
pub async fn set_workspace_application(
    conn: &mut AnyConnection,
    workspace_id: &str,
    application_id: &str,
    (account, region): (&str, &str),
    state: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_applications \
         (workspace_id, application_id, account, region, state, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace_id, application_id) \
         DO UPDATE SET state = excluded.state, account = excluded.account, \
         region = excluded.region, updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(application_id)
    .bind(account)
    .bind(region)
    .bind(state)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the cached application associations: of one WorkSpace (`workspace_id`, after
/// its card read them live), or of a whole account and Region (`None`, after the sync
/// listed every application's). REMOVED associations are not kept.
pub async fn replace_workspace_applications(
    pool: &AnyPool,
    (account, region): (&str, &str),
    workspace_id: Option<&str>,
    associations: &[crate::model::AppAssociation],
    at: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = write(pool).await?;
    match workspace_id {
        Some(id) => {
            sqlx::query("DELETE FROM workspace_applications WHERE workspace_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
        }
        None => {
            sqlx::query("DELETE FROM workspace_applications WHERE account = $1 AND region = $2")
                .bind(account)
                .bind(region)
                .execute(&mut *tx)
                .await?
        }
    };
    for association in associations {
        let state = association.state.as_deref().unwrap_or("PENDING_INSTALL");
        if association.resource_type != "WORKSPACE" || state == "REMOVED" {
            continue;
        }
        set_workspace_application(
            &mut tx,
            &association.resource_id,
            &association.application_id,
            (account, region),
            state,
            at,
        )
        .await?;
    }
    tx.commit().await
}

/// The cached (WorkSpace id, application id, state) of the WorkSpaces `ids`.
pub async fn applications_of(
    pool: &AnyPool,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let mut sql = Sql::new(
        Backend::of(pool),
        "SELECT workspace_id, application_id, state FROM workspace_applications WHERE workspace_id IN (",
    );
    sql.push_list(ids.iter().cloned());
    sql.push(") ORDER BY 1, 2");
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sql.build_query_as()?.fetch_all(pool).await
}

/// The names of the applications each WorkSpace has (installed or on its way in), `;`
/// separated, by WorkSpace id: the fleet export's applications column.
pub async fn application_names(pool: &AnyPool) -> Result<HashMap<String, String>, sqlx::Error> {
    let name = Backend::of(pool).json_text("i.json", "name");
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT a.workspace_id, COALESCE({name}, a.application_id) \
         FROM workspace_applications a LEFT JOIN inventory_items i \
           ON i.kind = 'application' AND i.account = a.account AND i.region = a.region \
              AND i.id = a.application_id \
         WHERE a.state NOT IN {NOT_INSTALLED_SQL} ORDER BY 1, 2"
    ))
    .fetch_all(pool)
    .await?;
    let mut names: HashMap<String, String> = HashMap::new();
    for (workspace_id, name) in rows {
        let entry = names.entry(workspace_id).or_default();
        if !entry.is_empty() {
            entry.push(';');
        }
        entry.push_str(&name);
    }
    Ok(names)
}
