//! The login page (`/login`): a plain form (fields `username` and `password`) that
//! works with JavaScript off; after login the user returns to the page they asked for.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let params = use_query_map();
    let next = move || params.with(|p| p.get("next").unwrap_or_else(|| "/".into()));
    let error = move || {
        params.with(|p| match p.get("error").as_deref() {
            Some("locked") => Some("Too many failed logins. Try again in 15 minutes."),
            Some(_) => Some("Wrong user name or password."),
            None => None,
        })
    };
    view! {
        <Title text="Log in"/>
        <div class="login-card">
            <h1>"Log in to Fleetdesk"</h1>
            {move || error().map(|message| view! { <div class="error-box" role="alert"><strong>{message}</strong></div> })}
            <ActionForm action=login attr:class="stack">
                <input type="hidden" name="next" value=next/>
                <label>
                    <span>"User name"</span>
                    <input type="text" name="username" autocomplete="username" required autofocus/>
                </label>
                <label>
                    <span>"Password"</span>
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <button type="submit">"Log in"</button>
            </ActionForm>
            <p class="muted">"Accounts are created by a Fleetdesk admin (Users page or "<code>"fleetdesk user add"</code>")."</p>
        </div>
    }
}
