//! The rule change confirmation (`/ip-groups/review?op=…&group_id=…&cidr=…`): before an
//! IP group's rules change, shows every rule before and after, with added and removed
//! rules marked (a CIDR with host bits set shows as the network it becomes). The rules
//! before are read from AWS, not the cache; confirming posts the change together with the
//! rules shown, so an edit is refused if the group changed meanwhile.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::ip_groups::{ChangeIpGroup, preview_rule_change};
use crate::components::loaded::Loaded;
use crate::components::sent_report::ChangeOutcome;
use crate::error::AppError;
use crate::model::{IpGroupOp, IpRule, RuleDiff, RuleMark, rules_fingerprint};

/// The fields of the requested change, as the query string carries them.
#[derive(Clone, Debug, PartialEq)]
struct RuleRequest {
    /// `None` when the URL names no rule change.
    op: Option<IpGroupOp>,
    group_id: String,
    cidr: String,
    old_cidr: String,
    description: String,
}

#[component]
pub fn RuleReviewPage() -> impl IntoView {
    let params = use_query_map();
    let request = move || {
        params.with(|p| {
            let field = |name: &str| p.get(name).unwrap_or_default();
            RuleRequest {
                op: IpGroupOp::rule_change(&field("op")),
                group_id: field("group_id"),
                cidr: field("cidr"),
                old_cidr: field("old_cidr"),
                description: field("description"),
            }
        })
    };
    let diff = Resource::new(request, |r| async move {
        let op = r.op.ok_or_else(|| AppError::Validation {
            field: "op".into(),
            message: "the link names no rule change (add_rule, edit_rule or remove_rule)".into(),
        })?;
        preview_rule_change(op, r.group_id, r.cidr, r.old_cidr, r.description).await
    });
    let change = ServerAction::<ChangeIpGroup>::new();
    view! {
        <Title text="Confirm rule change"/>
        <p class="breadcrumb"><a href="/ip-groups">"IP groups"</a> " / confirm rule change"</p>
        <ChangeOutcome error=change.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=diff render=move |diff| view! { <Review diff request=request() change/> }/>
    }
}

#[component]
fn Review(
    diff: RuleDiff,
    request: RuleRequest,
    change: ServerAction<ChangeIpGroup>,
) -> impl IntoView {
    let op = request.op.unwrap_or(IpGroupOp::EditRule);
    let verb = match op {
        IpGroupOp::AddRule => "Add a rule to",
        IpGroupOp::RemoveRule => "Remove a rule from",
        _ => "Edit a rule of",
    };
    let fields = [
        ("shown", rules_fingerprint(&diff.before)),
        ("op", op.as_str().to_string()),
        ("group_id", request.group_id),
        ("cidr", request.cidr),
        ("old_cidr", request.old_cidr),
        ("description", request.description),
    ];
    view! {
        <div class="page-head"><h1>{format!("{verb} {}", diff.group_name)}</h1></div>
        <p class="muted">{format!("{} · {} · {} rules before, {} after", diff.group_id, diff.region, diff.before.len(), diff.after.len())}</p>
        <div class="rule-diff">
            <RuleList title="Before" rules=diff.before_marked()/>
            <RuleList title="After" rules=diff.after_marked()/>
        </div>
        <section class="card">
            <p>{match op {
                IpGroupOp::AddRule => "The rule marked + is added to the group; its other rules stay as they are.",
                IpGroupOp::RemoveRule => "The rule marked − is removed from the group; its other rules stay as they are. Users connecting from addresses no rule allows any more are refused at their next connection.",
                _ => "AWS replaces the group's rules with the list on the right. If the rules in AWS differ from the list on the left by the time you confirm, nothing is changed and you are asked to review again.",
            }}</p>
            <ActionForm action=change attr:class="inline-form">
                {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                <input type="hidden" name="confirmed" value="true"/>
                <button type="submit">"Confirm rule change"</button>
                <a class="button-secondary" href="/ip-groups">"Cancel"</a>
            </ActionForm>
        </section>
    }
}

#[component]
fn RuleList(title: &'static str, rules: Vec<(IpRule, RuleMark)>) -> impl IntoView {
    let list = if rules.is_empty() {
        view! { <p class="muted">"No rules: nobody can connect through this group."</p> }.into_any()
    } else {
        view! {
            <ul class="rules">
                {rules.into_iter().map(|(rule, mark)| {
                    let (class, sign) = match mark {
                        RuleMark::Kept => ("rule-kept", " "),
                        RuleMark::Added => ("rule-added", "+"),
                        RuleMark::Removed => ("rule-removed", "−"),
                    };
                    view! {
                        <li class=class>
                            <span class="rule-sign" aria-hidden="true">{sign}</span>
                            <span class="mono">{rule.cidr}</span>
                            " " <span class="muted">{rule.description}</span>
                            {match mark {
                                RuleMark::Added => Some(view! { <span class="sr-only">" (added)"</span> }),
                                RuleMark::Removed => Some(view! { <span class="sr-only">" (removed)"</span> }),
                                RuleMark::Kept => None,
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };
    view! { <section class="card" aria-label=title><h2>{title}</h2>{list}</section> }
}
