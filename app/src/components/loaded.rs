//! Shows a resource once it has loaded: a loading note before, an error box on failure.

use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::components::error_box::ErrorBox;
use crate::error::AppError;

/// Renders `render(value)` when `resource` has loaded successfully.
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => render(value).into_any(),
                    Err(error) => view! { <ErrorBox error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
