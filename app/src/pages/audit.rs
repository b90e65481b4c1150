//! The audit page (`/audit`): what was changed through Fleetdesk, by whom and why.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit"/>
        <div class="page-head"><h1>"Audit log"</h1></div>
        <div class="empty">
            <p>"No change has been made through Fleetdesk yet."</p>
            <p class="muted">
                "Every action taken here (reboots, rebuilds, rule changes, logins) will be recorded on this page with who did it, when, why and what AWS answered."
            </p>
        </div>
    }
}
