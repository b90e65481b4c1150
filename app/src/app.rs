//! The HTML shell, the application layout with its navigation, and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::pages::{
    audit::AuditPage, connections::ConnectionsPage, directories::DirectoriesPage,
    fleet::FleetPage, images::ImagesPage, ip_groups::IpGroupsPage, not_found::NotFound,
    workspace::WorkspacePage,
};

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: layout, navigation and routes.
///
/// Pages render fully on the server (`SsrMode::Async`) so that every page works with
/// JavaScript off; once the wasm has loaded, the layout carries `data-hydrated`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/fleetdesk.css"/>
        <Title formatter=|title: String| format!("{title} · Fleetdesk")/>
        <Router>
            <div class="layout" data-hydrated=move || hydrated.get().then_some("true")>
                <header class="topbar">
                    <a class="brand" href="/">
                        <span class="brand-mark">"F"</span>
                        "Fleetdesk"
                    </a>
                    <span class="topbar-note">"Amazon WorkSpaces console"</span>
                </header>
                <nav class="sidebar" aria-label="Main">
                    <A href="/" exact=true>"Fleet"</A>
                    <A href="/connections">"Connections"</A>
                    <A href="/directories">"Directories"</A>
                    <A href="/images">"Images & bundles"</A>
                    <A href="/ip-groups">"IP groups"</A>
                    <A href="/audit">"Audit"</A>
                </nav>
                <main class="content">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=FleetPage ssr=SsrMode::Async/>
                        <Route path=path!("/workspaces/:id") view=WorkspacePage ssr=SsrMode::Async/>
                        <Route path=path!("/connections") view=ConnectionsPage ssr=SsrMode::Async/>
                        <Route path=path!("/directories") view=DirectoriesPage ssr=SsrMode::Async/>
                        <Route path=path!("/images") view=ImagesPage ssr=SsrMode::Async/>
                        <Route path=path!("/ip-groups") view=IpGroupsPage ssr=SsrMode::Async/>
                        <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
