//! Session-health charts as SVG, drawn on the server.
//!
//! The WorkSpace page's session-health card shows CloudWatch metrics over time. Drawing
//! each chart here, as one SVG document string, means the charts work with JavaScript off
//! (inline in the server-rendered HTML, or served as `image/svg+xml` from their own URL),
//! add nothing to the wasm bundle and need no chart library. Colours and fonts are SVG
//! attributes, so a chart looks the same inline, as an image and without the site's CSS.
//!
//! Everything here is a pure function: points and a [`ChartSpec`] in, text out; no I/O
//! and no clock (the window's `end` is the caller's "now"). Times are shown in UTC.

use std::fmt::Write;

use crate::model::HealthPoint;

/// The chart's coordinate system (the `viewBox`); the page may scale it with CSS.
pub const WIDTH: f64 = 480.0;
pub const HEIGHT: f64 = 160.0;

/// What an empty chart says, centred in its plot area.
pub const NO_DATA: &str = "No data from CloudWatch in this period";

/// The plot area inside the view box: room on the left for the y labels, above for the
/// title, below for the time labels, and on the right for a time label's half.
const PLOT_LEFT: f64 = 60.0;
const PLOT_RIGHT: f64 = 456.0;
const PLOT_TOP: f64 = 26.0;
const PLOT_BOTTOM: f64 = 136.0;

/// Colours that read well on a white card.
const TEXT: &str = "#374151";
const MUTED: &str = "#6b7280";
const AXIS: &str = "#9ca3af";
const GRID: &str = "#e5e7eb";
const SERIES: &str = "#2563eb";
const THRESHOLD: &str = "#b45309";
const WARNING: &str = "#dc2626";

/// Windows longer than this label their time axis with days ("Mon 14"), not "HH:MM".
const DAY_LABELS_AFTER: i64 = 24 * 3600;

/// Consecutive points further apart than this many median steps break the line.
const GAP_FACTOR: f64 = 2.5;

/// One data point: seconds since the Unix epoch, and the value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartPoint {
    pub at: i64,
    pub value: f64,
}

impl From<HealthPoint> for ChartPoint {
    fn from(point: HealthPoint) -> Self {
        ChartPoint {
            at: point.at,
            value: point.value,
        }
    }
}

/// What a chart shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartSpec<'a> {
    /// The chart's title, e.g. "In-session latency".
    pub title: &'a str,
    /// The values' unit: "ms", "%", "s", "count" (shown as a bare number), or any other.
    pub unit: &'a str,
    /// The time window (x axis), seconds since the Unix epoch, both ends included.
    /// Points outside it are not drawn nor summed up.
    pub start: i64,
    pub end: i64,
    /// A value that means trouble: drawn as a dashed, labelled line; values at or over it
    /// (as `HealthThresholds::exceeded` counts them) are marked in a warning colour.
    pub threshold: Option<f64>,
    /// The y axis goes at least this high (e.g. `Some(100.0)` for percentages).
    pub max_hint: Option<f64>,
}

/// The chart as a standalone SVG document: title and summary (for screen readers and as
/// the image's text), a y axis with 3–5 round values, a time axis in UTC, the series as
/// polylines broken at gaps, the threshold, and [`NO_DATA`] when there are no points.
pub fn chart_svg(points: &[ChartPoint], spec: &ChartSpec) -> String {
    let points = usable(points, spec);
    let axis = y_axis(&points, spec);
    let id = format!("chart-{}-{}", slug(spec.title), spec.start);
    let mut svg = String::with_capacity(4096);

    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"system-ui, sans-serif\" font-size=\"11\">"
    );
    let _ = write!(
        svg,
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(spec.title),
        escape(&summary_of(&points, spec)),
    );
    let _ = write!(
        svg,
        "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>"
    );

    // The title, with the unit as the y axis's title and the time axis's zone.
    let _ = write!(
        svg,
        "<text x=\"8\" y=\"15\" fill=\"{TEXT}\" font-weight=\"600\">{}\
         <tspan fill=\"{MUTED}\" font-weight=\"400\"> ({}; times UTC)</tspan></text>",
        escape(spec.title),
        escape(spec.unit),
    );

    // The y axis: grid lines and labels.
    for &tick in &axis.ticks {
        let y = y_of(tick, &axis);
        let _ = write!(
            svg,
            "<line x1=\"{PLOT_LEFT}\" y1=\"{y:.1}\" x2=\"{PLOT_RIGHT}\" y2=\"{y:.1}\" \
             stroke=\"{GRID}\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{MUTED}\" text-anchor=\"end\">{}</text>",
            PLOT_LEFT - 6.0,
            y + 3.5,
            escape(&with_unit(&format!("{tick:.*}", axis.decimals), spec.unit)),
        );
    }

    // The time axis: tick marks and labels.
    for (at, label) in time_ticks(spec.start, spec.end) {
        let x = x_of(at, spec);
        let _ = write!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{PLOT_BOTTOM}\" x2=\"{x:.1}\" y2=\"{:.1}\" \
             stroke=\"{AXIS}\" stroke-width=\"1\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" fill=\"{MUTED}\" text-anchor=\"middle\">{}</text>",
            PLOT_BOTTOM + 4.0,
            PLOT_BOTTOM + 16.0,
            escape(&label),
        );
    }

    // The frame: the two axes.
    let _ = write!(
        svg,
        "<polyline points=\"{PLOT_LEFT},{PLOT_TOP} {PLOT_LEFT},{PLOT_BOTTOM} \
         {PLOT_RIGHT},{PLOT_BOTTOM}\" fill=\"none\" stroke=\"{AXIS}\" stroke-width=\"1\"/>"
    );

    if let Some(threshold) = spec.threshold.filter(|t| t.is_finite()) {
        let y = y_of(threshold, &axis);
        // The label sits above the line, or below it when the line is at the top.
        let label_y = if y - PLOT_TOP < 12.0 {
            y + 12.0
        } else {
            y - 4.0
        };
        let _ = write!(
            svg,
            "<line x1=\"{PLOT_LEFT}\" y1=\"{y:.1}\" x2=\"{PLOT_RIGHT}\" y2=\"{y:.1}\" \
             stroke=\"{THRESHOLD}\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\
             <text x=\"{:.1}\" y=\"{label_y:.1}\" fill=\"{THRESHOLD}\" text-anchor=\"end\" \
             stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">threshold {}</text>",
            PLOT_RIGHT - 4.0,
            escape(&setting(threshold, spec.unit)),
        );
    }

    if points.is_empty() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{MUTED}\" text-anchor=\"middle\">{}</text>",
            (PLOT_LEFT + PLOT_RIGHT) / 2.0,
            (PLOT_TOP + PLOT_BOTTOM) / 2.0 + 4.0,
            escape(NO_DATA),
        );
    }

    for segment in segments(&points) {
        if let [only] = segment {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{SERIES}\"/>",
                x_of(only.at, spec),
                y_of(only.value, &axis),
            );
            continue;
        }
        let coordinates: Vec<String> = segment
            .iter()
            .map(|p| format!("{:.1},{:.1}", x_of(p.at, spec), y_of(p.value, &axis)))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{SERIES}\" stroke-width=\"1.5\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            coordinates.join(" "),
        );
    }

    // Points at or over the threshold, marked on top of the line.
    if let Some(threshold) = spec.threshold {
        for point in points.iter().filter(|p| p.value >= threshold) {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{WARNING}\"/>",
                x_of(point.at, spec),
                y_of(point.value, &axis),
            );
        }
    }

    svg.push_str("</svg>");
    svg
}

/// The chart in words, for its `<desc>` and the card's text: "Latest 312 ms (12:05 UTC),
/// max 480 ms, over threshold 250 ms", or "No data in this period".
pub fn summary(points: &[ChartPoint], spec: &ChartSpec) -> String {
    summary_of(&usable(points, spec), spec)
}

/// [`summary`] of points already through [`usable`].
fn summary_of(points: &[ChartPoint], spec: &ChartSpec) -> String {
    let Some(latest) = points.last() else {
        return "No data in this period".to_string();
    };
    let max = points.iter().map(|p| p.value).fold(f64::MIN, f64::max);
    let when = if spec.end - spec.start > DAY_LABELS_AFTER {
        format!("{} {}", day_label(latest.at), clock_label(latest.at))
    } else {
        clock_label(latest.at)
    };
    let mut text = format!(
        "Latest {} ({when} UTC), max {}",
        value(latest.value, spec.unit),
        value(max, spec.unit),
    );
    if let Some(threshold) = spec.threshold.filter(|t| t.is_finite()) {
        let side = if latest.value >= threshold {
            "over"
        } else {
            "below"
        };
        let _ = write!(text, ", {side} threshold {}", setting(threshold, spec.unit));
    }
    text
}

/// The points a chart uses: finite values inside the window, oldest first.
fn usable(points: &[ChartPoint], spec: &ChartSpec) -> Vec<ChartPoint> {
    let mut usable: Vec<ChartPoint> = points
        .iter()
        .filter(|p| p.value.is_finite() && p.at >= spec.start && p.at <= spec.end)
        .copied()
        .collect();
    usable.sort_by_key(|p| p.at);
    usable
}

/// The y axis: the range drawn and the round values labelled on it.
#[derive(Clone, Debug, PartialEq)]
struct YAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    /// Decimals the tick labels need (1 for a step of 2.5, 0 for 250).
    decimals: usize,
}

/// The y axis for `points`: from 0 (or the lowest value, if negative) to at least the
/// highest value, the threshold and the hint. Counts and milliseconds get whole steps.
fn y_axis(points: &[ChartPoint], spec: &ChartSpec) -> YAxis {
    let values = points.iter().map(|p| p.value);
    let extras = [spec.threshold, spec.max_hint]
        .into_iter()
        .flatten()
        .filter(|v| v.is_finite());
    let (min, max) = values
        .chain(extras)
        .fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    nice_axis(min, max, matches!(spec.unit, "count" | "ms"))
}

/// Round ticks covering `min..=max` (0 included): 3–5 values in steps of 1, 2, 2.5 or 5
/// × 10ⁿ, the step whose axis wastes least room, and of those the one with most ticks.
/// `whole` allows integer steps only (an axis of at least 0..2).
fn nice_axis(min: f64, max: f64, whole: bool) -> YAxis {
    let lo = min.min(0.0);
    let mut hi = max.max(lo);
    if whole {
        hi = hi.max(lo + 2.0);
    } else if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let range = hi - lo;
    let exponent = range.log10().floor() as i32;
    // (first tick index, last tick index, step), for every candidate step.
    let mut candidates = Vec::new();
    for power in (exponent - 2)..=(exponent + 1) {
        for mantissa in [1.0, 2.0, 2.5, 5.0] {
            let step = mantissa * 10f64.powi(power);
            if whole && (step < 1.0 || step.fract() != 0.0) {
                continue;
            }
            let first = (lo / step + 1e-9).floor() as i64;
            let last = (hi / step - 1e-9).ceil() as i64;
            candidates.push((first, last, step));
        }
    }
    let extent = |&(first, last, step): &(i64, i64, f64)| (last - first) as f64 * step;
    let valid = candidates
        .iter()
        .filter(|(first, last, _)| (2..=4).contains(&(last - first)))
        .min_by(|a, b| {
            extent(a)
                .partial_cmp(&extent(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then((b.1 - b.0).cmp(&(a.1 - a.0)))
        });
    let (first, last, step) = valid
        .or_else(|| {
            // Not reached for axes from 0; a precaution for odd negative ranges.
            candidates
                .iter()
                .filter(|(first, last, _)| last - first >= 2)
                .min_by_key(|(first, last, _)| last - first)
        })
        .copied()
        .unwrap_or((0, 4, range / 4.0));
    YAxis {
        lo: first as f64 * step,
        hi: last as f64 * step,
        ticks: (first..=last).map(|n| n as f64 * step).collect(),
        decimals: decimals_of(step),
    }
}

/// The decimals needed to write `step` and its multiples exactly (at most 6).
fn decimals_of(step: f64) -> usize {
    (0..=6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(6)
}

/// The y coordinate of `value`.
fn y_of(value: f64, axis: &YAxis) -> f64 {
    PLOT_BOTTOM - (value - axis.lo) / (axis.hi - axis.lo) * (PLOT_BOTTOM - PLOT_TOP)
}

/// The x coordinate of the moment `at`.
fn x_of(at: i64, spec: &ChartSpec) -> f64 {
    let span = (spec.end - spec.start).max(1) as f64;
    PLOT_LEFT + (at - spec.start) as f64 / span * (PLOT_RIGHT - PLOT_LEFT)
}

/// Time ticks inside `start..=end` with their UTC labels: 3–6 ticks at round moments
/// (multiples of the step since the epoch, so whole hours and midnights), "HH:MM" for
/// windows up to 24 h, "Mon 14" for longer ones.
fn time_ticks(start: i64, end: i64) -> Vec<(i64, String)> {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;
    const STEPS: [i64; 18] = [
        MINUTE,
        2 * MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        4 * HOUR,
        6 * HOUR,
        12 * HOUR,
        DAY,
        2 * DAY,
        7 * DAY,
        14 * DAY,
        28 * DAY,
        56 * DAY,
    ];
    let end = end.max(start);
    let days = end - start > DAY_LABELS_AFTER;
    let moments = |step: i64| {
        let first = start.div_euclid(step) * step;
        let first = if first < start { first + step } else { first };
        (0..)
            .map(move |n| first + n * step)
            .take_while(move |&at| at <= end)
    };
    let candidates = STEPS.iter().copied().filter(|&step| !days || step >= DAY);
    let step = candidates
        .clone()
        .find(|&step| (3..=6).contains(&moments(step).count()))
        .or_else(|| candidates.clone().find(|&step| moments(step).count() <= 6))
        .unwrap_or(STEPS[STEPS.len() - 1]);
    moments(step)
        .map(|at| {
            let label = if days { day_label(at) } else { clock_label(at) };
            (at, label)
        })
        .collect()
}

/// "HH:MM" in UTC.
fn clock_label(at: i64) -> String {
    let seconds = at.rem_euclid(86_400);
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// "Mon 14": the UTC weekday and day of the month.
fn day_label(at: i64) -> String {
    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let days = at.div_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    format!("{weekday} {}", day_of_month(days))
}

/// The day of the month of a day counted from 1970-01-01 (proleptic Gregorian; Howard
/// Hinnant's `civil_from_days`).
fn day_of_month(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    day_of_year - (153 * month_index + 2) / 5 + 1
}

/// The runs of `points` (sorted) drawn as one line each: a new run starts after a gap
/// wider than [`GAP_FACTOR`] times the median step between points.
fn segments(points: &[ChartPoint]) -> Vec<&[ChartPoint]> {
    let mut steps: Vec<i64> = points
        .windows(2)
        .map(|pair| pair[1].at - pair[0].at)
        .filter(|&step| step > 0)
        .collect();
    if steps.is_empty() {
        return if points.is_empty() {
            Vec::new()
        } else {
            vec![points]
        };
    }
    steps.sort_unstable();
    let middle = steps.len() / 2;
    let median = if steps.len().is_multiple_of(2) {
        (steps[middle - 1] + steps[middle]) as f64 / 2.0
    } else {
        steps[middle] as f64
    };
    let mut runs = Vec::new();
    let mut from = 0;
    for n in 1..points.len() {
        if (points[n].at - points[n - 1].at) as f64 > GAP_FACTOR * median {
            runs.push(&points[from..n]);
            from = n;
        }
    }
    runs.push(&points[from..]);
    runs
}

/// A measured value in its unit: whole milliseconds and counts, one decimal for
/// percentages and seconds.
fn value(value: f64, unit: &str) -> String {
    let decimals = match unit {
        "ms" | "count" => 0,
        "%" | "s" => 1,
        _ if value.abs() >= 100.0 => 0,
        _ => 1,
    };
    with_unit(&fixed(value, decimals), unit)
}

/// A configured figure (the threshold) as written: "250 ms", "5%", "2.5%".
fn setting(value: f64, unit: &str) -> String {
    let text = fixed(value, 2);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    with_unit(text, unit)
}

/// `value` with `decimals` decimals, never "-0".
fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// A number with its unit: "250 ms", "50%", and a bare number for counts.
fn with_unit(number: &str, unit: &str) -> String {
    match unit {
        "" | "count" => number.to_string(),
        "%" => format!("{number}%"),
        _ => format!("{number} {unit}"),
    }
}

/// `text` safe inside SVG text and attribute values.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// The title as an id fragment: lowercase ASCII letters and digits, `-` between words.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-15 12:00 UTC, a Monday.
    const NOON: i64 = 1_705_320_000;

    fn latency(start: i64, end: i64) -> ChartSpec<'static> {
        ChartSpec {
            title: "In-session latency",
            unit: "ms",
            start,
            end,
            threshold: Some(250.0),
            max_hint: None,
        }
    }

    fn points(values: &[(i64, f64)]) -> Vec<ChartPoint> {
        values
            .iter()
            .map(|&(at, value)| ChartPoint { at, value })
            .collect()
    }

    #[test]
    fn ticks_are_round_and_three_to_five() {
        assert_eq!(nice_axis(0.0, 480.0, true).ticks, vec![0.0, 250.0, 500.0]);
        assert_eq!(
            nice_axis(0.0, 100.0, false).ticks,
            vec![0.0, 25.0, 50.0, 75.0, 100.0]
        );
        assert_eq!(nice_axis(0.0, 1.0, true).ticks, vec![0.0, 1.0, 2.0]);
        assert_eq!(nice_axis(0.0, 7.3, false).ticks, vec![0.0, 2.5, 5.0, 7.5]);
        assert_eq!(nice_axis(0.0, 7.3, false).decimals, 1);
        assert_eq!(nice_axis(0.0, 0.0, false).ticks.last(), Some(&1.0));
        for n in 1..2000 {
            let max = n as f64 * 0.37;
            for whole in [false, true] {
                let axis = nice_axis(0.0, max, whole);
                assert!((3..=5).contains(&axis.ticks.len()), "{max}: {axis:?}");
                assert!(axis.hi >= max && axis.lo == 0.0, "{max}: {axis:?}");
                let step = axis.ticks[1] - axis.ticks[0];
                let mantissa = step / 10f64.powi(step.log10().floor() as i32);
                assert!(
                    [1.0, 2.0, 2.5, 5.0, 10.0]
                        .iter()
                        .any(|m| (m - mantissa).abs() < 1e-9),
                    "{max}: step {step}"
                );
            }
        }
    }

    #[test]
    fn values_map_to_their_height() {
        let axis = nice_axis(0.0, 480.0, true);
        assert_eq!(y_of(0.0, &axis), PLOT_BOTTOM);
        assert_eq!(y_of(500.0, &axis), PLOT_TOP);
        assert_eq!(y_of(250.0, &axis), (PLOT_TOP + PLOT_BOTTOM) / 2.0);
        let spec = latency(NOON, NOON + 3600);
        assert_eq!(x_of(NOON, &spec), PLOT_LEFT);
        assert_eq!(x_of(NOON + 1800, &spec), (PLOT_LEFT + PLOT_RIGHT) / 2.0);
    }

    #[test]
    fn a_gap_splits_the_line_and_a_lone_point_is_a_dot() {
        let spec = latency(NOON, NOON + 3 * 3600);
        let gap = points(&[
            (NOON, 100.0),
            (NOON + 300, 110.0),
            (NOON + 600, 120.0),
            (NOON + 3600, 90.0),
            (NOON + 3900, 95.0),
        ]);
        assert_eq!(segments(&gap).len(), 2);
        let svg = chart_svg(&gap, &spec);
        assert_eq!(
            svg.matches("<polyline").count(),
            3,
            "the frame and two runs"
        );
        assert!(!svg.contains(&format!("fill=\"{SERIES}\"")));

        let lone = chart_svg(&points(&[(NOON + 600, 100.0)]), &spec);
        assert_eq!(lone.matches("<polyline").count(), 1, "the frame only");
        assert_eq!(lone.matches(&format!("fill=\"{SERIES}\"")).count(), 1);
    }

    #[test]
    fn no_points_draw_the_axes_and_say_so() {
        let spec = latency(NOON, NOON + 3 * 3600);
        let svg = chart_svg(&[], &spec);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 160\"")
        );
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(NO_DATA));
        assert!(svg.contains(">No data in this period</desc>"));
        assert!(svg.contains(">12:00</text>") && svg.contains(">300 ms</text>"));
        assert_eq!(svg.matches("<polyline").count(), 1, "the frame only");
        // Points outside the window do not count.
        let outside = points(&[(NOON - 600, 100.0)]);
        assert!(chart_svg(&outside, &spec).contains(NO_DATA));
    }

    #[test]
    fn the_threshold_is_a_labelled_dashed_line_and_points_over_it_are_marked() {
        let spec = latency(NOON, NOON + 3 * 3600);
        let series = points(&[
            (NOON, 100.0),
            (NOON + 300, 300.0),
            (NOON + 600, 250.0),
            (NOON + 900, 120.0),
        ]);
        let svg = chart_svg(&series, &spec);
        assert!(svg.contains("stroke-dasharray=\"4 3\""));
        assert!(svg.contains(">threshold 250 ms</text>"));
        assert_eq!(svg.matches(&format!("fill=\"{WARNING}\"")).count(), 2);
        let without = ChartSpec {
            threshold: None,
            ..spec
        };
        let svg = chart_svg(&series, &without);
        assert!(!svg.contains("stroke-dasharray") && !svg.contains("threshold"));
    }

    #[test]
    fn the_time_axis_uses_clock_times_then_days() {
        let three_hours = time_ticks(NOON + 60, NOON + 3 * 3600 + 60);
        assert!((3..=6).contains(&three_hours.len()), "{three_hours:?}");
        assert_eq!(three_hours[0].1, "12:30");
        let day = time_ticks(NOON, NOON + 24 * 3600);
        assert!((3..=6).contains(&day.len()), "{day:?}");
        let week = time_ticks(NOON, NOON + 7 * 86_400);
        assert!((3..=6).contains(&week.len()), "{week:?}");
        assert_eq!(week[0].1, "Tue 16");
        assert_eq!(day_label(NOON), "Mon 15");
        assert_eq!(day_label(951_782_400), "Tue 29", "2000-02-29");
        assert_eq!(clock_label(NOON + 5 * 60), "12:05");
    }

    #[test]
    fn the_summary_says_the_latest_value_the_max_and_the_threshold() {
        let spec = latency(NOON - 3 * 3600, NOON + 600);
        let series = points(&[(NOON - 600, 480.0), (NOON + 300, 312.4)]);
        assert_eq!(
            summary(&series, &spec),
            "Latest 312 ms (12:05 UTC), max 480 ms, over threshold 250 ms"
        );
        assert_eq!(summary(&[], &spec), "No data in this period");

        let cpu = ChartSpec {
            title: "CPU",
            unit: "%",
            threshold: Some(90.0),
            max_hint: Some(100.0),
            ..spec
        };
        let series = points(&[(NOON, 12.345), (NOON + 300, 40.0 / 3.0)]);
        assert_eq!(
            summary(&series, &cpu),
            "Latest 13.3% (12:05 UTC), max 13.3%, below threshold 90%"
        );

        let week = ChartSpec {
            title: "Connection attempts",
            unit: "count",
            start: NOON - 7 * 86_400,
            end: NOON + 3600,
            threshold: None,
            max_hint: None,
        };
        let series = points(&[(NOON - 3600, 2.0), (NOON, 3.0)]);
        assert_eq!(
            summary(&series, &week),
            "Latest 3 (Mon 15 12:00 UTC), max 3"
        );
        assert!(chart_svg(&series, &week).contains(">Latest 3 (Mon 15 12:00 UTC), max 3</desc>"));
    }

    #[test]
    fn text_is_escaped() {
        let spec = ChartSpec {
            title: "<script>\"Tom\" & 'Jerry'",
            ..latency(NOON, NOON + 3600)
        };
        let svg = chart_svg(&[], &spec);
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;</title>"));
        assert!(svg.contains("aria-labelledby=\"chart-script-tom-jerry-1705320000-title "));
    }

    #[test]
    fn numbers_are_written_sensibly() {
        assert_eq!(value(312.4999, "ms"), "312 ms");
        assert_eq!(value(-0.2, "count"), "0");
        assert_eq!(value(7.26, "s"), "7.3 s");
        assert_eq!(setting(2.5, "%"), "2.5%");
        assert_eq!(setting(60.0, "s"), "60 s");
    }

    /// Writes an example to the temporary directory, to look at:
    /// `cargo test -p app --features ssr --lib chart -- --ignored`.
    #[test]
    #[ignore]
    fn write_example() {
        let start = NOON - 3 * 3600 + 120;
        let end = NOON + 120;
        let mut series = Vec::new();
        for n in 0..36 {
            if (14..19).contains(&n) {
                continue; // the WorkSpace stopped for a while
            }
            let wave = ((n as f64) / 3.0).sin() * 60.0;
            let spike = if (26..29).contains(&n) { 200.0 } else { 0.0 };
            series.push(ChartPoint {
                at: start + n * 300,
                value: 140.0 + wave + spike + (n % 4) as f64 * 9.0,
            });
        }
        let spec = latency(start, end);
        let path = std::env::temp_dir().join("chart_example.svg");
        std::fs::write(&path, chart_svg(&series, &spec)).unwrap();
        let empty = ChartSpec {
            title: "CPU",
            unit: "%",
            threshold: Some(90.0),
            max_hint: Some(100.0),
            ..spec
        };
        let path = std::env::temp_dir().join("chart_example_empty.svg");
        std::fs::write(&path, chart_svg(&[], &empty)).unwrap();
        let week: Vec<ChartPoint> = (0..168)
            .map(|n| ChartPoint {
                at: NOON - 7 * 86_400 + n * 3600,
                value: 40.0 + ((n as f64) / 8.0).sin() * 35.0 + (n % 5) as f64 * 4.0,
            })
            .collect();
        let week_spec = ChartSpec {
            start: NOON - 7 * 86_400,
            end: NOON,
            ..empty
        };
        let path = std::env::temp_dir().join("chart_example_week.svg");
        std::fs::write(&path, chart_svg(&week, &week_spec)).unwrap();
    }
}
