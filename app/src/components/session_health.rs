//! The WorkSpace page's session-health card: latency, connections, launch time, CPU,
//! memory, disks and packet loss over 3 h, 24 h or 7 d, from CloudWatch.
//!
//! Each chart is an SVG image the server draws (`/workspaces/{id}/health/{metric}.svg`),
//! so the card works without JavaScript and adds no chart code to the wasm; the
//! current value is written out beside it, and metrics over their threshold are named
//! at the top.

use leptos::prelude::*;

use crate::model::{
    CostRow, HealthMetric, HealthWindow, MetricHistory, SessionHealth, USAGE_WINDOW_DAYS,
};

/// The card for `health`.
#[component]
pub fn SessionHealthCard(health: SessionHealth) -> impl IntoView {
    let window = health.window;
    let id = health.workspace_id.clone();
    let windows = HealthWindow::ALL.map(|w| {
        let label = match w {
            HealthWindow::Hours3 => "3 hours",
            HealthWindow::Hours24 => "24 hours",
            HealthWindow::Days7 => "7 days",
        };
        let href = format!("/workspaces/{id}?window={}#health", w.as_str());
        if w == window {
            view! { <strong aria-current="true">{label}</strong> }.into_any()
        } else {
            view! { <a href=href>{label}</a> }.into_any()
        }
    });
    let trouble = health.in_trouble();
    let trouble_note = (!trouble.is_empty()).then(|| {
        let names: Vec<&str> = trouble.iter().map(|m| m.title()).collect();
        view! {
            <p class="health-trouble" role="status">
                <strong>"Over threshold now: "</strong>{names.join(", ")}
            </p>
        }
    });
    let no_data = health.problem.is_none() && health.histories.iter().all(|h| h.points.is_empty());
    let body = match &health.problem {
        Some(problem) => view! { <p class="error" role="alert">{problem.clone()}</p> }.into_any(),
        None => {
            let charts = HealthMetric::ALL
                .iter()
                .map(|metric| {
                    let history = health.history(*metric);
                    let threshold = health.thresholds.and_then(|t| t.of(*metric));
                    let words = in_words(&history, threshold);
                    let src = format!(
                        "/workspaces/{}/health/{}.svg?window={}",
                        health.workspace_id,
                        metric.slug(),
                        window.as_str()
                    );
                    view! {
                        <figure class="health-chart">
                            <figcaption><strong>{metric.title()}</strong>" — "{words.clone()}</figcaption>
                            <img src=src alt=format!("{}: {words}", metric.title()) width="480" height="160" loading="lazy"/>
                        </figure>
                    }
                })
                .collect_view();
            if no_data {
                view! {
                    <p class="muted">"CloudWatch has no data for this WorkSpace in this period: it was not running, or its agent does not publish these metrics."</p>
                }
                .into_any()
            } else {
                view! { <div class="health-charts">{charts}</div> }.into_any()
            }
        }
    };
    let read_at = (!health.read_at.is_empty()).then(|| {
        view! {
            <small class="muted">
                {format!("Read from CloudWatch at {} UTC; reused for 5 minutes.", short(&health.read_at))}
            </small>
        }
    });
    view! {
        <section class="card" id="health" aria-labelledby="health-title">
            <h2 id="health-title">"Session health"</h2>
            <p class="health-windows">"Last: " {windows}</p>
            {trouble_note}
            {health.cost.map(|row| view! { <CostLine row/> })}
            {body}
            {read_at}
        </section>
    }
}

/// Cost insight's line for the WorkSpace: its billable hours against its limit and what
/// `/cost` recommends, in words.
#[component]
fn CostLine(row: CostRow) -> impl IntoView {
    let figures = match &row.usage {
        Some(usage) => format!(
            "{} {}: {:.1} h billable in the last {USAGE_WINDOW_DAYS} days, {:.1} h this month.",
            row.running_mode, row.compute_type, usage.billable_hours_30d, usage.billable_hours_mtd
        ),
        None => format!(
            "{} {}: usage not read from CloudWatch yet.",
            row.running_mode, row.compute_type
        ),
    };
    let advice = match &row.verdict.recommended_mode {
        Some(mode) => format!("Switch to {mode}: {}.", row.verdict.reason),
        None => format!("Keep {}: {}.", row.running_mode, row.verdict.reason),
    };
    let unused = row
        .unused
        .map(|why| view! { <span class="warning-text">{format!(" Unused: {why}.")}</span> });
    view! {
        <p class="cost-line">
            <strong>"Cost: "</strong>{figures}" "{advice}{unused}" "
            <a href=format!("/cost?q={}", row.workspace_id)>"Cost insight"</a>
        </p>
    }
}

/// The history's latest and highest values in words, with its unit.
fn in_words(history: &MetricHistory, threshold: Option<f64>) -> String {
    let unit = history.metric.unit();
    let number = |value: f64| {
        if unit == "%" {
            format!("{value:.1} %")
        } else if unit == "count" {
            format!("{value:.0}")
        } else {
            format!("{value:.0} {unit}")
        }
    };
    match (history.latest(), history.max()) {
        (Some(latest), Some(max)) => {
            let over = threshold
                .filter(|limit| latest.value >= *limit)
                .map(|limit| format!(", over the threshold of {}", number(limit)))
                .unwrap_or_default();
            format!(
                "latest {}, highest {}{over}",
                number(latest.value),
                number(max)
            )
        }
        _ => "no data in this period".to_string(),
    }
}

/// `2026-12-03T10:15:42.123Z` as `2026-12-03 10:15`.
fn short(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HealthPoint;

    #[test]
    fn values_are_told_in_words_with_their_unit_and_threshold() {
        let history = MetricHistory {
            metric: HealthMetric::InSessionLatency,
            points: vec![
                HealthPoint {
                    at: 0,
                    value: 480.2,
                },
                HealthPoint {
                    at: 300,
                    value: 312.0,
                },
            ],
        };
        assert_eq!(
            in_words(&history, Some(250.0)),
            "latest 312 ms, highest 480 ms, over the threshold of 250 ms"
        );
        let cpu = MetricHistory {
            metric: HealthMetric::CpuUsage,
            points: vec![HealthPoint {
                at: 0,
                value: 42.25,
            }],
        };
        assert_eq!(in_words(&cpu, Some(90.0)), "latest 42.2 %, highest 42.2 %");
        let empty = MetricHistory {
            metric: HealthMetric::MemoryUsage,
            points: Vec::new(),
        };
        assert_eq!(in_words(&empty, None), "no data in this period");
    }
}
