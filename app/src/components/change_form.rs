//! A one-line change form: hidden fields naming the change plus the visible inputs and
//! buttons a card row needs. Posts through the page's server action (and, without
//! JavaScript, as a plain form), like every change form.

use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos::web_sys::FormData;
use serde::de::DeserializeOwned;

/// A form posting `fields` as hidden inputs plus `children` to `change`.
#[component]
pub fn ChangeForm<ServFn, OutputProtocol>(
    change: ServerAction<ServFn>,
    fields: Vec<(&'static str, String)>,
    children: Children,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
{
    view! {
        <ActionForm action=change attr:class="inline-form">
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            {children()}
        </ActionForm>
    }
}
