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
