//! `/cost`, `/cost.csv` and the WorkSpace page's cost line: the cached WorkSpaces the
//! caller may see, each judged against its last usage reading, filtered, sorted and
//! totalled per account and Region.

use crate::error::AppError;
use crate::model::{
    COST_PAGE_ROWS, CostPage, CostQuery, CostRow, CostTotal, Judged, USAGE_WINDOW_DAYS, judge,
    monthly_saving,
};
use crate::server::actions::MAX_TARGETS;
use crate::server::caller::Caller;
use crate::server::cost::CostSettings;
use crate::server::repo::usage::{self, CostInput};

/// Days from `at` (RFC 3339) to `now` (seconds); `None` for a time that does not parse.
fn days_since(at: &str, now: i64) -> Option<i64> {
    let at = chrono::DateTime::parse_from_rfc3339(at).ok()?.timestamp();
    Some((now - at).div_euclid(86_400))
}

/// The later of two RFC 3339 times, by the time they name.
fn later(a: Option<String>, b: Option<String>) -> Option<String> {
    let at = |t: &String| {
        chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.timestamp())
            .ok()
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if at(&b) > at(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Why `input` counts as unused at `now`: no connection for `unused_days` or more, or
/// none at all where the connection status or CloudWatch was read. A WorkSpace being
/// created is never unused, nor a standby (idle by design until its Region fails over);
/// one of which nothing was read yet is not judged.
fn unused(input: &CostInput, last: Option<&str>, unused_days: i64, now: i64) -> Option<String> {
    if input.state == "PENDING" || input.standby {
        return None;
    }
    match last {
        Some(at) => {
            let days = days_since(at, now)?;
            (days >= unused_days).then(|| format!("no connection for {days} days"))
        }
        None if input.connection_checked => Some("never connected".into()),
        None if input.usage.is_some() => Some(format!(
            "no connection in the {USAGE_WINDOW_DAYS} days read"
        )),
        None => None,
    }
}

/// `input` judged by the rules under `settings` at `now`.
pub fn judged_row(input: CostInput, settings: &CostSettings, now: i64) -> CostRow {
    let hours = input.usage.as_ref().map(|u| u.billable_hours_30d);
    let verdict = match hours {
        Some(billable_hours) => judge(
            &Judged {
                running_mode: &input.running_mode,
                compute_type: &input.compute_type,
                billable_hours,
                skip_tagged: input.skip_tagged,
                standby: input.standby,
            },
            &settings.limits,
        ),
        None => crate::model::Verdict {
            recommended_mode: None,
            reason: "usage not read from CloudWatch yet".into(),
        },
    };
    let last_connection = later(
        input.last_connected_at.clone(),
        input.last_user_connection.clone(),
    );
    let unused = unused(
        &input,
        last_connection.as_deref(),
        settings.unused_days,
        now,
    );
    let mut verdict = verdict;
    let mut monthly_saving = settings.prices.as_ref().and_then(|prices| {
        let price = prices.find(&input.region, &input.compute_type, &input.bundle_id)?;
        monthly_saving(price, &input.running_mode, &verdict, hours?)
    });
    // Near a limit the admin's own prices may disagree with Cost Optimizer's hours: a
    // switch that would cost more at those prices is not recommended.
    if let (Some(saving), Some(prices)) = (monthly_saving, &settings.prices)
        && saving < 0.0
    {
        verdict = crate::model::Verdict {
            recommended_mode: None,
            reason: format!(
                "{}; but at the prices file's figures the switch would cost {:.2} {} more a month",
                verdict.reason, -saving, prices.currency
            ),
        };
        monthly_saving = None;
    }
    CostRow {
        limit_hours: settings.limits.limit(&input.compute_type),
        workspace_id: input.workspace_id,
        account: input.account,
        region: input.region,
        directory_id: input.directory_id,
        user_name: input.user_name,
        bundle_id: input.bundle_id,
        state: input.state,
        running_mode: input.running_mode,
        compute_type: input.compute_type,
        usage: input.usage,
        verdict,
        unused,
        last_connection,
        monthly_saving,
    }
}

/// Every row the caller may see (or only WorkSpace `only`), judged.
async fn visible_rows(caller: &Caller, only: Option<&str>) -> Result<Vec<CostRow>, AppError> {
    let settings = &caller.state.cost;
    let now = chrono::Utc::now().timestamp();
    Ok(usage::cost_inputs(caller.pool(), &settings.skip_tag, only)
        .await?
        .into_iter()
        .filter(|input| caller.may_use(&input.account))
        .map(|input| judged_row(input, settings, now))
        .collect())
}

/// The distinct values of `of` over `rows`, sorted, without the empty one.
fn facet(rows: &[CostRow], of: fn(&CostRow) -> &String) -> Vec<String> {
    let mut values: Vec<String> = rows
        .iter()
        .map(|r| of(r).clone())
        .filter(|v| !v.is_empty())
        .collect();
    values.sort();
    values.dedup();
    values
}

/// The view's rows, sorted, with the facets of every visible row.
async fn view(caller: &Caller, query: &CostQuery) -> Result<(Vec<CostRow>, CostPage), AppError> {
    crate::model::check_search(&query.q)?;
    let visible = visible_rows(caller, None).await?;
    let settings = &caller.state.cost;
    let facets = CostPage {
        accounts: caller.accounts(),
        regions: facet(&visible, |r| &r.region),
        directories: facet(&visible, |r| &r.directory_id),
        compute_types: facet(&visible, |r| &r.compute_type),
        limits: settings.limits.clone(),
        skip_tag: settings.skip_tag.clone(),
        unused_days: settings.unused_days,
        schedule: settings.schedule.describe().into(),
        currency: settings.prices.as_ref().map(|p| p.currency.clone()),
        ..CostPage::default()
    };
    let mut rows: Vec<CostRow> = visible.into_iter().filter(|r| query.admits(r)).collect();
    crate::model::CostSort::from_slug(&query.sort).sort(&mut rows);
    Ok((rows, facets))
}

/// `/cost`: one page of the view, its totals per account and Region, and the ids of
/// its switches and unused WorkSpaces for the review links.
pub async fn cost_page(caller: &Caller, query: &CostQuery) -> Result<CostPage, AppError> {
    let (rows, facets) = view(caller, query).await?;
    // One total per account and Region, in their order.
    let mut totals: std::collections::BTreeMap<(String, String), CostTotal> = Default::default();
    for row in &rows {
        totals
            .entry((row.account.clone(), row.region.clone()))
            .or_insert_with(|| CostTotal {
                account: row.account.clone(),
                region: row.region.clone(),
                ..CostTotal::default()
            })
            .add(row);
    }
    let ids = |wanted: fn(&CostRow) -> bool| -> Vec<String> {
        rows.iter()
            .filter(|r| wanted(r))
            .take(MAX_TARGETS)
            .map(|r| r.workspace_id.clone())
            .collect()
    };
    let page = CostPage {
        to_always_on: ids(|r| r.verdict.recommended_mode.as_deref() == Some("ALWAYS_ON")),
        to_auto_stop: ids(|r| r.verdict.recommended_mode.as_deref() == Some("AUTO_STOP")),
        unused: ids(|r| r.unused.is_some()),
        total: rows.len(),
        totals: totals.into_values().collect(),
        reads: usage::usage_reads(caller.pool())
            .await?
            .into_iter()
            .filter(|read| caller.may_use(&read.account))
            .collect(),
        rows: rows
            .into_iter()
            .skip(query.page.saturating_mul(COST_PAGE_ROWS))
            .take(COST_PAGE_ROWS)
            .collect(),
        ..facets
    };
    Ok(page)
}

/// `/cost.csv`: every row of the view (see [`crate::server::export::cost_csv`]).
pub async fn cost_csv(caller: &Caller, query: &CostQuery) -> Result<String, AppError> {
    let (rows, facets) = view(caller, query).await?;
    Ok(crate::server::export::cost_csv(
        &rows,
        facets.currency.as_deref(),
    ))
}

/// Every WorkSpace the caller may see that is recommended to switch: to AUTO_STOP, and
/// to ALWAYS_ON (the month-end policy's work).
pub async fn switches(caller: &Caller) -> Result<(Vec<String>, Vec<String>), AppError> {
    let rows = visible_rows(caller, None).await?;
    let to = |mode: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r.verdict.recommended_mode.as_deref() == Some(mode))
            .map(|r| r.workspace_id.clone())
            .collect()
    };
    Ok((to("AUTO_STOP"), to("ALWAYS_ON")))
}

/// WorkSpace `id`'s row, for its health card; `None` when it is not cached or not the
/// caller's.
pub async fn workspace_cost(caller: &Caller, id: &str) -> Result<Option<CostRow>, AppError> {
    Ok(visible_rows(caller, Some(id)).await?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Price, PriceList, UsageFigures};

    const NOW: i64 = 1_796_301_987; // 2026-12-03T12:46:27Z

    fn input(mode: &str, hours: Option<f64>) -> CostInput {
        CostInput {
            account: String::new(),
            region: "eu-west-1".into(),
            workspace_id: "ws-1".into(),
            state: "AVAILABLE".into(),
            running_mode: mode.into(),
            compute_type: "STANDARD".into(),
            bundle_id: "wsb-1".into(),
            usage: hours.map(|h| UsageFigures {
                read_at: "2026-12-03T06:00:00.000Z".into(),
                sessions_30d: 20,
                billable_hours_30d: h,
                billable_hours_mtd: 10.0,
            }),
            last_connected_at: hours.map(|_| "2026-12-02T17:00:00.000Z".into()),
            ..CostInput::default()
        }
    }

    #[test]
    fn a_heavy_auto_stop_workspace_is_recommended_always_on_with_its_saving() {
        let settings = CostSettings {
            prices: Some(PriceList {
                prices: vec![Price {
                    region: "eu-west-1".into(),
                    compute_type: "STANDARD".into(),
                    bundle_id: String::new(),
                    always_on_monthly: 35.0,
                    auto_stop_monthly: 9.75,
                    auto_stop_hourly: 0.30,
                }],
                currency: "USD".into(),
            }),
            ..CostSettings::default()
        };
        let row = judged_row(input("AUTO_STOP", Some(120.0)), &settings, NOW);
        assert_eq!(row.verdict.recommended_mode.as_deref(), Some("ALWAYS_ON"));
        assert_eq!(row.limit_hours, Some(85.0));
        // 9.75 + 120 × 0.30 = 45.75 a month now, 35 ALWAYS_ON.
        let saving = row.monthly_saving.expect("priced");
        assert!((saving - 10.75).abs() < 1e-9, "{saving}");
        assert_eq!(row.unused, None);
        let unpriced = judged_row(
            input("AUTO_STOP", Some(120.0)),
            &CostSettings::default(),
            NOW,
        );
        assert_eq!(unpriced.monthly_saving, None, "no prices: hours only");
        // 86 h: over the 85 h limit, but 9.75 + 86 × 0.30 = 35.55 against 40 ALWAYS_ON.
        let mut dear = settings.clone();
        if let Some(prices) = dear.prices.as_mut() {
            prices.prices[0].always_on_monthly = 40.0;
        }
        let near = judged_row(input("AUTO_STOP", Some(86.0)), &dear, NOW);
        assert_eq!(near.verdict.recommended_mode, None, "{near:?}");
        assert!(
            near.verdict
                .reason
                .ends_with("the switch would cost 4.45 USD more a month"),
            "{}",
            near.verdict.reason
        );
        assert_eq!(near.monthly_saving, None);
    }

    #[test]
    fn unused_means_no_connection_for_the_set_days_or_none_at_all() {
        let settings = CostSettings::default();
        let mut old = input("ALWAYS_ON", Some(0.0));
        old.last_connected_at = None;
        old.last_user_connection = Some("2026-10-01T09:00:00Z".into());
        let row = judged_row(old, &settings, NOW);
        assert_eq!(row.unused.as_deref(), Some("no connection for 63 days"));
        assert_eq!(row.last_connection.as_deref(), Some("2026-10-01T09:00:00Z"));

        let mut never = input("ALWAYS_ON", Some(0.0));
        never.last_connected_at = None;
        never.connection_checked = true;
        assert_eq!(
            judged_row(never, &settings, NOW).unused.as_deref(),
            Some("never connected")
        );
        let mut standby = input("ALWAYS_ON", Some(0.0));
        standby.last_connected_at = None;
        standby.connection_checked = true;
        standby.standby = true;
        assert_eq!(
            judged_row(standby, &settings, NOW).unused,
            None,
            "idle by design"
        );
        let unread = judged_row(input("ALWAYS_ON", None), &settings, NOW);
        assert_eq!(unread.unused, None, "nothing read: not judged");
        assert_eq!(unread.verdict.recommended_mode, None);
        assert_eq!(
            judged_row(input("ALWAYS_ON", Some(3.0)), &settings, NOW).unused,
            None
        );
    }

    #[test]
    fn the_later_connection_of_cloudwatch_and_the_status_counts() {
        let a = Some("2026-12-01T10:00:00.000Z".to_string());
        let b = Some("2026-12-02T09:00:00+01:00".to_string());
        assert_eq!(later(a.clone(), b.clone()), b);
        assert_eq!(later(a.clone(), None), a);
    }
}
