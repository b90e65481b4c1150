//! Cost insight: which running mode a WorkSpace should be in, by the rules of AWS's Cost
//! Optimizer for Amazon WorkSpaces 2.8.7, so that owners can trust the figures.
//!
//! Usage is CloudWatch's `UserConnected` (Maximum, one point per 5 minutes). A run of 1s
//! is a session; a session ends once the WorkSpace's auto-stop timeout has passed with
//! zeros (ALWAYS_ON WorkSpaces count one hour). A session bills its points / 12 hours,
//! rounded up, plus the timeout (an AUTO_STOP WorkSpace keeps running that long after the
//! user leaves). Above its compute type's limit of billable hours a month, ALWAYS_ON is
//! cheaper; at or under it, AUTO_STOP is.

use serde::{Deserialize, Serialize};

/// Seconds between two `UserConnected` points the rules count.
pub const USAGE_PERIOD_SECONDS: i64 = 300;

/// Points per hour at [`USAGE_PERIOD_SECONDS`].
const POINTS_PER_HOUR: usize = 12;

/// The timeout counted for ALWAYS_ON WorkSpaces, which have none of their own.
const ALWAYS_ON_TIMEOUT_MINUTES: i32 = 60;

/// The days a recommendation is judged on (rolling, so it can be read any day).
pub const USAGE_WINDOW_DAYS: i64 = 30;

/// The billable hours a month above which ALWAYS_ON is cheaper, per compute type (Cost
/// Optimizer's defaults; configurable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModeLimits {
    pub hours: Vec<(String, f64)>,
}

impl Default for ModeLimits {
    fn default() -> Self {
        let hours = [
            ("VALUE", 81.0),
            ("STANDARD", 85.0),
            ("PERFORMANCE", 80.0),
            ("POWER", 92.0),
            ("POWERPRO", 78.0),
            ("GRAPHICS_G4DN", 334.0),
            ("GRAPHICSPRO_G4DN", 80.0),
        ];
        ModeLimits {
            hours: hours
                .into_iter()
                .map(|(compute, limit)| (compute.to_string(), limit))
                .collect(),
        }
    }
}

impl ModeLimits {
    /// The limit of `compute_type`; `None` for compute types Fleetdesk does not judge.
    pub fn limit(&self, compute_type: &str) -> Option<f64> {
        self.hours
            .iter()
            .find(|(compute, _)| compute == compute_type)
            .map(|(_, hours)| *hours)
    }

    /// Sets the limit of `compute_type` (the admin's setting).
    pub fn set(&mut self, compute_type: &str, hours: f64) {
        match self
            .hours
            .iter_mut()
            .find(|(compute, _)| compute == compute_type)
        {
            Some((_, limit)) => *limit = hours,
            None => self.hours.push((compute_type.to_string(), hours)),
        }
    }
}

/// A WorkSpace's usage over a range of `UserConnected` points.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub sessions: usize,
    pub billable_hours: f64,
}

/// The timeout, in points, that ends a session: the WorkSpace's auto-stop timeout for
/// AUTO_STOP (and MANUAL), one hour for ALWAYS_ON.
pub fn timeout_minutes(running_mode: &str, auto_stop_timeout_minutes: Option<i32>) -> i32 {
    match running_mode {
        "ALWAYS_ON" => ALWAYS_ON_TIMEOUT_MINUTES,
        _ => auto_stop_timeout_minutes
            .filter(|minutes| *minutes > 0)
            .unwrap_or(ALWAYS_ON_TIMEOUT_MINUTES),
    }
}

/// The sessions and billable hours of `points` (one per [`USAGE_PERIOD_SECONDS`], oldest
/// first, missing points as 0) for a WorkSpace whose timeout is `timeout_minutes`.
pub fn usage(points: &[f64], timeout_minutes: i32) -> Usage {
    let timeout_points = (timeout_minutes.max(5) / 5) as usize;
    let timeout_hours = f64::from(timeout_minutes) / 60.0;
    let mut usage = Usage::default();
    let mut bill = |start: usize, last: usize| {
        let points = last - start + 1;
        usage.sessions += 1;
        usage.billable_hours += points.div_ceil(POINTS_PER_HOUR) as f64 + timeout_hours;
    };
    // The open session: its first and last connected point, and the zeros since.
    let mut open: Option<(usize, usize)> = None;
    let mut zeros = 0;
    for (n, value) in points.iter().enumerate() {
        if *value >= 1.0 {
            open = Some(open.map_or((n, n), |(start, _)| (start, n)));
            zeros = 0;
        } else if let Some((start, last)) = open {
            zeros += 1;
            if zeros >= timeout_points {
                bill(start, last);
                open = None;
                zeros = 0;
            }
        }
    }
    if let Some((start, last)) = open {
        bill(start, last);
    }
    usage
}

/// What Fleetdesk recommends for a WorkSpace's running mode, with the reason in words.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// `ALWAYS_ON` or `AUTO_STOP`; `None` when nothing should change.
    pub recommended_mode: Option<String>,
    pub reason: String,
}

/// What the rules look at for one WorkSpace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judged<'a> {
    pub running_mode: &'a str,
    pub compute_type: &'a str,
    /// Billable hours of the last [`USAGE_WINDOW_DAYS`] days.
    pub billable_hours: f64,
    /// Tagged to be left alone (Cost Optimizer's `Skip_Convert`, a setting).
    pub skip_tagged: bool,
    pub standby: bool,
}

/// The rules: AUTO_STOP over its limit → ALWAYS_ON; ALWAYS_ON at or under its limit →
/// AUTO_STOP; otherwise keep. Standbys, WorkSpaces tagged to be skipped, MANUAL ones and
/// compute types without a limit are shown but never recommended for a change.
pub fn judge(workspace: &Judged, limits: &ModeLimits) -> Verdict {
    let keep = |reason: String| Verdict {
        recommended_mode: None,
        reason,
    };
    if workspace.standby {
        return keep("a standby WorkSpace: not judged".into());
    }
    if workspace.skip_tagged {
        return keep("tagged to be left alone".into());
    }
    let Some(limit) = limits.limit(workspace.compute_type) else {
        return keep(format!(
            "no limit for {} compute: not judged",
            if workspace.compute_type.is_empty() {
                "unknown"
            } else {
                workspace.compute_type
            }
        ));
    };
    let hours = workspace.billable_hours;
    let switch = |mode: &str, reason: String| Verdict {
        recommended_mode: Some(mode.to_string()),
        reason,
    };
    match workspace.running_mode {
        "AUTO_STOP" if hours > limit => switch(
            "ALWAYS_ON",
            format!(
                "{hours:.0} h in {USAGE_WINDOW_DAYS} days, over the {limit:.0} h at which ALWAYS_ON is cheaper"
            ),
        ),
        "AUTO_STOP" => keep(format!(
            "{hours:.0} h in {USAGE_WINDOW_DAYS} days, within the {limit:.0} h at which AUTO_STOP is cheaper"
        )),
        "ALWAYS_ON" if hours <= limit => switch(
            "AUTO_STOP",
            format!(
                "{hours:.0} h in {USAGE_WINDOW_DAYS} days, at or under the {limit:.0} h at which AUTO_STOP is cheaper"
            ),
        ),
        "ALWAYS_ON" => keep(format!(
            "{hours:.0} h in {USAGE_WINDOW_DAYS} days, over the {limit:.0} h at which ALWAYS_ON is cheaper"
        )),
        other => keep(format!(
            "running mode {}: not judged",
            if other.is_empty() { "unknown" } else { other }
        )),
    }
}

/// The most rows `/cost` shows on one page (the CSV has every row).
pub const COST_PAGE_ROWS: usize = 100;

/// What an admin keeps current about prices, per Region and compute type (and, where a
/// bundle costs more than its compute type, per bundle): what each running mode costs.
/// Without a price for a WorkSpace, `/cost` shows hours only, never an invented price.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub region: String,
    pub compute_type: String,
    /// Empty: every bundle of the compute type without a row of its own.
    pub bundle_id: String,
    /// ALWAYS_ON: the monthly price.
    pub always_on_monthly: f64,
    /// AUTO_STOP: the monthly fee (storage and infrastructure) and the price of an hour.
    pub auto_stop_monthly: f64,
    pub auto_stop_hourly: f64,
}

impl Price {
    /// What a month costs in `running_mode` with `billable_hours` of use.
    pub fn monthly(&self, running_mode: &str, billable_hours: f64) -> Option<f64> {
        match running_mode {
            "ALWAYS_ON" => Some(self.always_on_monthly),
            "AUTO_STOP" => Some(self.auto_stop_monthly + billable_hours * self.auto_stop_hourly),
            _ => None,
        }
    }
}

/// The prices file: one [`Price`] per line.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PriceList {
    pub prices: Vec<Price>,
    /// The currency every price is in (`USD` unless the file says otherwise).
    pub currency: String,
}

impl PriceList {
    /// The price of a WorkSpace of `bundle_id` and `compute_type` in `region`: the
    /// bundle's own line, else its compute type's.
    pub fn find(&self, region: &str, compute_type: &str, bundle_id: &str) -> Option<&Price> {
        let here = |p: &&Price| p.region == region && p.compute_type == compute_type;
        self.prices
            .iter()
            .filter(here)
            .find(|p| p.bundle_id == bundle_id)
            .or_else(|| {
                self.prices
                    .iter()
                    .filter(here)
                    .find(|p| p.bundle_id.is_empty())
            })
    }

    /// Reads a prices file: a CSV header naming at least `region`, `compute_type`,
    /// `always_on_monthly`, `auto_stop_monthly` and `auto_stop_hourly` (`bundle_id` and
    /// `currency` optional), then one line per price. A bad line is an error naming it.
    pub fn parse(text: &str) -> Result<PriceList, String> {
        let mut lines = text
            .lines()
            .map(str::trim)
            .enumerate()
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
        let (_, header) = lines.next().ok_or("the prices file is empty")?;
        let columns: Vec<&str> = header.split(',').map(str::trim).collect();
        let column = |name: &str| columns.iter().position(|c| *c == name);
        let required = |name: &str| column(name).ok_or(format!("the header has no {name} column"));
        let (region, compute, always_on, auto_stop, hourly) = (
            required("region")?,
            required("compute_type")?,
            required("always_on_monthly")?,
            required("auto_stop_monthly")?,
            required("auto_stop_hourly")?,
        );
        let (bundle, currency) = (column("bundle_id"), column("currency"));
        let mut list = PriceList {
            prices: Vec::new(),
            currency: String::new(),
        };
        for (n, line) in lines {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let cell = |at: usize| cells.get(at).copied().unwrap_or_default();
            let amount = |at: usize, name: &str| {
                cell(at)
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or(format!("line {}: {name} is not an amount", n + 1))
            };
            if let Some(at) = currency {
                let this = cell(at);
                if !list.currency.is_empty() && this != list.currency {
                    return Err(format!(
                        "line {}: every price must be in one currency",
                        n + 1
                    ));
                }
                list.currency = this.to_string();
            }
            list.prices.push(Price {
                region: cell(region).to_string(),
                compute_type: cell(compute).to_string(),
                bundle_id: bundle.map(|at| cell(at).to_string()).unwrap_or_default(),
                always_on_monthly: amount(always_on, "always_on_monthly")?,
                auto_stop_monthly: amount(auto_stop, "auto_stop_monthly")?,
                auto_stop_hourly: amount(hourly, "auto_stop_hourly")?,
            });
        }
        if list.currency.is_empty() {
            list.currency = "USD".into();
        }
        Ok(list)
    }
}

/// What a switch to `verdict`'s mode saves a month at `price` (negative: it costs more,
/// which the rules never recommend but a price list may say); `None` without a switch.
pub fn monthly_saving(
    price: &Price,
    running_mode: &str,
    verdict: &Verdict,
    billable_hours: f64,
) -> Option<f64> {
    let to = verdict.recommended_mode.as_deref()?;
    Some(price.monthly(running_mode, billable_hours)? - price.monthly(to, billable_hours)?)
}

/// One WorkSpace of `/cost`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostRow {
    pub workspace_id: String,
    pub account: String,
    pub region: String,
    pub directory_id: String,
    pub user_name: String,
    pub bundle_id: String,
    pub state: String,
    pub running_mode: String,
    pub compute_type: String,
    /// `None` until CloudWatch has been read for it.
    pub usage: Option<UsageFigures>,
    /// The compute type's limit; `None` when it is not judged.
    pub limit_hours: Option<f64>,
    pub verdict: Verdict,
    /// Why it counts as unused ("never connected", "no connection for 41 days"); `None`
    /// when it is used or nothing is known yet.
    pub unused: Option<String>,
    /// The last connection known from CloudWatch or the connection status (RFC 3339).
    pub last_connection: Option<String>,
    /// What the recommended switch saves a month, where the price is known.
    pub monthly_saving: Option<f64>,
}

impl CostRow {
    pub fn billable_hours(&self) -> Option<f64> {
        self.usage.as_ref().map(|u| u.billable_hours_30d)
    }
}

/// A WorkSpace's usage as last read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsageFigures {
    pub read_at: String,
    pub sessions_30d: usize,
    pub billable_hours_30d: f64,
    pub billable_hours_mtd: f64,
}

/// Which rows `/cost` lists, by what they are recommended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostFilter {
    /// Every WorkSpace.
    All,
    /// Recommended for a switch either way.
    Switch,
    ToAlwaysOn,
    ToAutoStop,
    /// Nothing to change.
    Keep,
    Unused,
    /// Not read from CloudWatch yet.
    Unread,
}

impl CostFilter {
    pub const ALL: [CostFilter; 7] = [
        CostFilter::Switch,
        CostFilter::ToAlwaysOn,
        CostFilter::ToAutoStop,
        CostFilter::Keep,
        CostFilter::Unused,
        CostFilter::Unread,
        CostFilter::All,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            CostFilter::All => "all",
            CostFilter::Switch => "switch",
            CostFilter::ToAlwaysOn => "always-on",
            CostFilter::ToAutoStop => "auto-stop",
            CostFilter::Keep => "keep",
            CostFilter::Unused => "unused",
            CostFilter::Unread => "unread",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CostFilter::All => "Every WorkSpace",
            CostFilter::Switch => "To switch (either way)",
            CostFilter::ToAlwaysOn => "To switch to ALWAYS_ON",
            CostFilter::ToAutoStop => "To switch to AUTO_STOP",
            CostFilter::Keep => "Nothing to change",
            CostFilter::Unused => "Unused",
            CostFilter::Unread => "Not read yet",
        }
    }

    /// The filter of a slug; an unknown or empty one lists every WorkSpace.
    pub fn from_slug(slug: &str) -> CostFilter {
        CostFilter::ALL
            .into_iter()
            .find(|f| f.slug() == slug)
            .unwrap_or(CostFilter::All)
    }

    pub fn admits(self, row: &CostRow) -> bool {
        let to = row.verdict.recommended_mode.as_deref();
        match self {
            CostFilter::All => true,
            CostFilter::Switch => to.is_some(),
            CostFilter::ToAlwaysOn => to == Some("ALWAYS_ON"),
            CostFilter::ToAutoStop => to == Some("AUTO_STOP"),
            CostFilter::Keep => to.is_none() && row.usage.is_some(),
            CostFilter::Unused => row.unused.is_some(),
            CostFilter::Unread => row.usage.is_none(),
        }
    }
}

/// The column `/cost` sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostSort {
    /// Billable hours, most first (the default).
    Hours,
    /// Month-to-date hours, most first.
    MonthToDate,
    /// The saving, largest first.
    Saving,
    /// The last connection, oldest (or none) first.
    LastConnection,
    User,
    Workspace,
}

impl CostSort {
    pub const ALL: [CostSort; 6] = [
        CostSort::Hours,
        CostSort::MonthToDate,
        CostSort::Saving,
        CostSort::LastConnection,
        CostSort::User,
        CostSort::Workspace,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            CostSort::Hours => "hours",
            CostSort::MonthToDate => "mtd",
            CostSort::Saving => "saving",
            CostSort::LastConnection => "last",
            CostSort::User => "user",
            CostSort::Workspace => "id",
        }
    }

    pub fn from_slug(slug: &str) -> CostSort {
        CostSort::ALL
            .into_iter()
            .find(|s| s.slug() == slug)
            .unwrap_or(CostSort::Hours)
    }

    /// Orders `rows`; ties by WorkSpace id, so a page is stable.
    pub fn sort(self, rows: &mut [CostRow]) {
        let hours = |r: &CostRow| r.billable_hours().unwrap_or(-1.0);
        let mtd = |r: &CostRow| r.usage.as_ref().map_or(-1.0, |u| u.billable_hours_mtd);
        let saving = |r: &CostRow| r.monthly_saving.unwrap_or(f64::MIN);
        rows.sort_by(|a, b| {
            let order = match self {
                CostSort::Hours => hours(b).total_cmp(&hours(a)),
                CostSort::MonthToDate => mtd(b).total_cmp(&mtd(a)),
                CostSort::Saving => saving(b).total_cmp(&saving(a)),
                CostSort::LastConnection => a.last_connection.cmp(&b.last_connection),
                CostSort::User => a.user_name.to_lowercase().cmp(&b.user_name.to_lowercase()),
                CostSort::Workspace => std::cmp::Ordering::Equal,
            };
            order.then_with(|| a.workspace_id.cmp(&b.workspace_id))
        });
    }
}

/// `/cost`'s filters, from its URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostQuery {
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub directory: String,
    #[serde(default)]
    pub compute: String,
    /// A running mode (`ALWAYS_ON`, `AUTO_STOP`, `MANUAL`).
    #[serde(default)]
    pub mode: String,
    /// A [`CostFilter`] slug.
    #[serde(default)]
    pub show: String,
    #[serde(default)]
    pub q: String,
    /// A [`CostSort`] slug.
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: usize,
}

impl CostQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        CostQuery {
            account: text("account"),
            region: text("region"),
            directory: text("directory"),
            compute: text("compute"),
            mode: text("mode"),
            show: text("show"),
            q: text("q"),
            sort: text("sort"),
            page: text("page").parse().unwrap_or(0),
        }
    }

    pub fn filter(&self) -> CostFilter {
        CostFilter::from_slug(&self.show)
    }

    /// Whether `row` is in the view: within every filter and the search (id or user).
    pub fn admits(&self, row: &CostRow) -> bool {
        let needle = self.q.to_lowercase();
        let matches = |wanted: &str, value: &str| wanted.is_empty() || wanted == value;
        matches(&self.account, &row.account)
            && matches(&self.region, &row.region)
            && matches(&self.directory, &row.directory_id)
            && matches(&self.compute, &row.compute_type)
            && matches(&self.mode, &row.running_mode)
            && self.filter().admits(row)
            && (needle.is_empty()
                || row.workspace_id.to_lowercase().contains(&needle)
                || row.user_name.to_lowercase().contains(&needle))
    }

    /// The query as URL parameters, without the page.
    pub fn to_query_string(&self) -> String {
        [
            ("account", &self.account),
            ("region", &self.region),
            ("directory", &self.directory),
            ("compute", &self.compute),
            ("mode", &self.mode),
            ("show", &self.show),
            ("q", &self.q),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", crate::model::encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// How many WorkSpaces of one account and Region are read, to switch each way and
/// unused, and what the switches save.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostTotal {
    pub account: String,
    pub region: String,
    pub workspaces: usize,
    pub read: usize,
    pub to_always_on: usize,
    pub to_auto_stop: usize,
    pub unused: usize,
    /// The savings of the switches whose price is known.
    pub monthly_saving: f64,
    /// Switches without a known price (their saving is not in `monthly_saving`).
    pub unpriced_switches: usize,
}

impl CostTotal {
    /// Counts `row` in.
    pub fn add(&mut self, row: &CostRow) {
        self.workspaces += 1;
        self.read += usize::from(row.usage.is_some());
        self.unused += usize::from(row.unused.is_some());
        match row.verdict.recommended_mode.as_deref() {
            Some("ALWAYS_ON") => self.to_always_on += 1,
            Some(_) => self.to_auto_stop += 1,
            None => return,
        }
        match row.monthly_saving {
            Some(saving) => self.monthly_saving += saving,
            None => self.unpriced_switches += 1,
        }
    }
}

/// The state of the usage reading in one account and Region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsageReadStatus {
    pub account: String,
    pub region: String,
    pub attempted_at: String,
    pub succeeded_at: Option<String>,
    pub metrics_requested: usize,
    pub problem: Option<String>,
}

/// `/cost`'s answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostPage {
    /// This page of the view's rows ([`COST_PAGE_ROWS`] at most).
    pub rows: Vec<CostRow>,
    /// Rows in the view.
    pub total: usize,
    /// Per account and Region over the view.
    pub totals: Vec<CostTotal>,
    /// The view's WorkSpaces to switch to ALWAYS_ON, to AUTO_STOP, and unused, for the
    /// "review all" links (at most as many as one review takes).
    pub to_always_on: Vec<String>,
    pub to_auto_stop: Vec<String>,
    pub unused: Vec<String>,
    /// The currency of the prices, `None` without a prices file.
    pub currency: Option<String>,
    pub reads: Vec<UsageReadStatus>,
    pub limits: ModeLimits,
    pub skip_tag: String,
    pub unused_days: i64,
    /// What the month-end policy does, in words.
    pub schedule: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub directories: Vec<String>,
    pub compute_types: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of points: 1 for connected, 0 for not, one per 5 minutes.
    fn points(runs: &[(usize, f64)]) -> Vec<f64> {
        runs.iter()
            .flat_map(|(count, value)| std::iter::repeat_n(*value, *count))
            .collect()
    }

    #[test]
    fn no_data_is_no_session_and_no_hour() {
        assert_eq!(usage(&[], 60), Usage::default());
        assert_eq!(usage(&points(&[(288, 0.0)]), 60), Usage::default());
    }

    #[test]
    fn a_session_shorter_than_five_minutes_bills_an_hour_and_the_timeout() {
        let day = points(&[(100, 0.0), (1, 1.0), (187, 0.0)]);
        assert_eq!(
            usage(&day, 60),
            Usage {
                sessions: 1,
                billable_hours: 2.0
            }
        );
    }

    #[test]
    fn a_session_crossing_midnight_is_one_session() {
        // 22:00 to 02:00 over two days of points: 48 connected points = 4 hours.
        let two_days = points(&[(264, 0.0), (48, 1.0), (264, 0.0)]);
        assert_eq!(
            usage(&two_days, 60),
            Usage {
                sessions: 1,
                billable_hours: 5.0
            }
        );
    }

    #[test]
    fn back_to_back_sessions_inside_the_timeout_are_one() {
        // 2 h, 30 minutes away (under a 60-minute timeout), 1 h: one session of 3 h 30.
        let day = points(&[(24, 1.0), (6, 0.0), (12, 1.0), (30, 0.0)]);
        assert_eq!(
            usage(&day, 60),
            Usage {
                sessions: 1,
                billable_hours: 4.0 + 1.0
            }
        );
        // The same gap with a 20-minute timeout ends the first session.
        let short = usage(&day, 20);
        assert_eq!(short.sessions, 2);
        assert!((short.billable_hours - (2.0 + 1.0 + 2.0 * 20.0 / 60.0)).abs() < 1e-9);
    }

    #[test]
    fn always_on_workspaces_count_an_hour_of_timeout() {
        assert_eq!(timeout_minutes("ALWAYS_ON", Some(120)), 60);
        assert_eq!(timeout_minutes("AUTO_STOP", Some(120)), 120);
        assert_eq!(timeout_minutes("AUTO_STOP", None), 60);
    }

    fn judged<'a>(mode: &'a str, compute: &'a str, hours: f64) -> Judged<'a> {
        Judged {
            running_mode: mode,
            compute_type: compute,
            billable_hours: hours,
            ..Judged::default()
        }
    }

    #[test]
    fn the_mode_follows_the_compute_types_limit() {
        let limits = ModeLimits::default();
        let heavy = judge(&judged("AUTO_STOP", "STANDARD", 101.0), &limits);
        assert_eq!(heavy.recommended_mode.as_deref(), Some("ALWAYS_ON"));
        assert_eq!(
            heavy.reason,
            "101 h in 30 days, over the 85 h at which ALWAYS_ON is cheaper"
        );
        let light = judge(&judged("ALWAYS_ON", "STANDARD", 85.0), &limits);
        assert_eq!(light.recommended_mode.as_deref(), Some("AUTO_STOP"));
        assert_eq!(
            judge(&judged("AUTO_STOP", "STANDARD", 85.0), &limits).recommended_mode,
            None
        );
        assert_eq!(
            judge(&judged("ALWAYS_ON", "GRAPHICS_G4DN", 300.0), &limits)
                .recommended_mode
                .as_deref(),
            Some("AUTO_STOP")
        );
        let graphics = judge(&judged("AUTO_STOP", "GRAPHICS", 500.0), &limits);
        assert_eq!(graphics.recommended_mode, None);
        assert!(graphics.reason.contains("no limit for GRAPHICS"));
    }

    #[test]
    fn skipped_standby_and_manual_workspaces_are_never_switched() {
        let limits = ModeLimits::default();
        let mut tagged = judged("AUTO_STOP", "STANDARD", 300.0);
        tagged.skip_tagged = true;
        assert_eq!(judge(&tagged, &limits).recommended_mode, None);
        let mut standby = judged("ALWAYS_ON", "STANDARD", 0.0);
        standby.standby = true;
        assert_eq!(judge(&standby, &limits).recommended_mode, None);
        assert_eq!(
            judge(&judged("MANUAL", "STANDARD", 0.0), &limits).recommended_mode,
            None
        );
    }
}
