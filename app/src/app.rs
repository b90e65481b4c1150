//! The HTML shell, the application layout with its navigation, and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

use crate::api::auth::{Logout, get_me};
use crate::islands::hydrated_mark::HydratedMark;
use crate::model::{Role, UserInfo};
use crate::pages::{
    account::AccountPage,
    applications::ApplicationsPage,
    audit::AuditPage,
    bulk::BulkPage,
    connection_aliases::ConnectionAliasesPage,
    connections::ConnectionsPage,
    cost::CostPage,
    directories::DirectoriesPage,
    fleet::FleetPage,
    health::HealthPage,
    images::ImagesPage,
    ip_groups::IpGroupsPage,
    login::LoginPage,
    not_found::NotFound,
    provision::{NewWorkspacesPage, ProvisionReviewPage},
    rule_review::RuleReviewPage,
    tags::TagsPage,
    users::UsersPage,
    workspace::WorkspacePage,
};
use crate::session::{CurrentUser, current_role};

/// The HTML document the server renders around [`App`].
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::csp::set_for_page();
    // The stylesheet is in the shell, which only the server renders: its name may carry
    // the content hash the server reads from `hash.txt`.
    #[cfg(feature = "ssr")]
    let stylesheet = crate::server::assets::stylesheet_href();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = String::new();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=stylesheet/>
                <HydrationScripts options islands=true/>
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
/// Pages render fully on the server (`SsrMode::Async`), so every page works with
/// JavaScript off; only the islands ([`crate::islands`]) run in the browser, and once
/// they are hydrated the layout carries `data-hydrated`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|title: String| format!("{title} · Fleetdesk")/>
        <Router>
            <Layout/>
        </Router>
    }
}

#[component]
fn Layout() -> impl IntoView {
    let location = use_location();
    let me: CurrentUser = Resource::new(move || location.pathname.get(), |_| get_me());
    provide_context(me);

    view! {
        <div class="layout">
            <a class="skip-link" href="#main">"Skip to the main content"</a>
            <header class="topbar">
                <a class="brand" href="/">
                    <span class="brand-mark">"F"</span>
                    "Fleetdesk"
                </a>
                <span class="topbar-note">"Amazon WorkSpaces console"</span>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().flatten().map(|user| view! { <UserMenu user/> })
                    })}
                </Transition>
            </header>
            <nav class="sidebar" aria-label="Main">
                <A href="/" exact=true>"Fleet"</A>
                <A href="/health">"Session health"</A>
                <A href="/cost">"Cost"</A>
                <A href="/connections">"Connections"</A>
                <A href="/directories">"Directories"</A>
                <A href="/images">"Images & bundles"</A>
                <A href="/applications">"Applications"</A>
                <A href="/ip-groups">"IP groups"</A>
                <A href="/connection-aliases">"Connection aliases"</A>
                <A href="/account">"Account"</A>
                <A href="/audit">"Audit"</A>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        (current_role().await == Some(Role::Admin))
                            .then(|| view! { <A href="/users">"Users"</A> })
                    })}
                </Transition>
            </nav>
            <main class="content" id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=FleetPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/new") view=NewWorkspacesPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/new/review") view=ProvisionReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/workspaces/:id") view=WorkspacePage ssr=SsrMode::Async/>
                    <Route path=path!("/health") view=HealthPage ssr=SsrMode::Async/>
                    <Route path=path!("/cost") view=CostPage ssr=SsrMode::Async/>
                    <Route path=path!("/connections") view=ConnectionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/directories") view=DirectoriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/images") view=ImagesPage ssr=SsrMode::Async/>
                    <Route path=path!("/applications") view=ApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/ip-groups") view=IpGroupsPage ssr=SsrMode::Async/>
                    <Route path=path!("/ip-groups/review") view=RuleReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/connection-aliases") view=ConnectionAliasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/bulk") view=BulkPage ssr=SsrMode::Async/>
                    <Route path=path!("/tags/:id") view=TagsPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <HydratedMark/>
        </div>
    }
}

/// The user's name and role, and the logout button.
#[component]
fn UserMenu(user: UserInfo) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    view! {
        <div class="user-menu">
            <span class="user-name">{user.name}</span>
            <span class="role-badge">{user.role.as_str()}</span>
            <ActionForm action=logout>
                <button type="submit" class="button-dark">"Log out"</button>
            </ActionForm>
        </div>
    }
}
