//! The login page (`/login`): "Sign in with <provider>" when single sign-on is
//! configured (a plain link to `/auth/oidc/login`), and the user name and password form
//! (fields `username` and `password`) unless password sign-in is off. Both work with
//! JavaScript off; after login the user returns to the page they asked for.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{Login, get_login_options};
use crate::components::loaded::Loaded;
use crate::model::{LoginOptions, encode_query_value};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let options = Resource::new(|| (), |_| get_login_options());
    let params = use_query_map();
    let next = move || params.with(|p| p.get("next").unwrap_or_else(|| "/".into()));
    let error = move || {
        params.with(|p| match p.get("error").as_deref() {
            Some("locked") => Some("Too many failed logins. Try again in 15 minutes."),
            Some(_) => Some("Wrong user name or password."),
            None => None,
        })
    };
    let render = move |options: LoginOptions| {
        let sso = options.sso_provider.map(|provider| {
            let href = format!("/auth/oidc/login?next={}", encode_query_value(&next()));
            view! {
                <a class="button sso-button" href=href rel="external">{format!("Sign in with {provider}")}</a>
            }
        });
        let form = options.password.then(|| view! {
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
        });
        view! { {sso} {form} }
    };
    view! {
        <Title text="Log in"/>
        <div class="login-card">
            <h1>"Log in to Fleetdesk"</h1>
            {move || error().map(|message| view! { <div class="error-box" role="alert"><strong>{message}</strong></div> })}
            <Loaded resource=options render/>
        </div>
    }
}
