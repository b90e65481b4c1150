//! The tags page of one resource (`/tags/{id}`): a WorkSpace, directory, image, custom
//! bundle or IP group. It reads the tags from AWS when it opens and lets the help desk
//! (WorkSpaces) or admins (the rest) edit them as `Key=Value` lines; only what changed is
//! sent, and every save is audited with the tags before and after.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::tags::{EditTags, get_resource_tags};
use crate::components::loaded::Loaded;
use crate::components::props::row;
use crate::components::sent_report::ChangeOutcome;
use crate::model::{MAX_TAGS, ResourceTags, Tag};

#[component]
pub fn TagsPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let title = super::id_title(params, "Tags of");
    let save = ServerAction::<EditTags>::new();
    let tags = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| get_resource_tags(id),
    );
    view! {
        <Title text=title/>
        <ChangeOutcome error=save.value().get_untracked().and_then(Result::err)/>
        <Loaded resource=tags render=move |tags| view! { <TagsView tags save/> }/>
    }
}

fn as_lines(tags: &[Tag]) -> String {
    tags.iter().map(Tag::as_line).collect::<Vec<_>>().join("\n")
}

#[component]
fn TagsView(tags: ResourceTags, save: ServerAction<EditTags>) -> impl IntoView {
    let title = format!("Tags of {} {}", tags.kind, tags.resource_id);
    let audit = format!("/audit?target={}", tags.resource_id);
    view! {
        <p class="breadcrumb"><a href=tags.back.clone()>"Back to the " {tags.kind.clone()}</a></p>
        <div class="page-head">
            <h1>{title}</h1>
        </div>
        <p class="muted">
            {tags.name.clone().map(|name| format!("{name} · "))}
            {tags.region.clone()}
            " · " <a href=audit>"Audit history"</a>
        </p>
        {match (tags.tags.clone(), tags.error.clone()) {
            (Some(list), _) => {
                let current = view! {
                    <section class="card">
                        <h2>"Current tags"</h2>
                        {if list.is_empty() {
                            view! { <p class="muted">"No tags."</p> }.into_any()
                        } else {
                            view! {
                                <table class="props"><tbody>
                                    {list.iter().map(|t| row(t.key.clone(), Some(t.value.clone()))).collect_view()}
                                </tbody></table>
                            }.into_any()
                        }}
                        <p class="small muted">"Read from AWS when this page opened."</p>
                    </section>
                };
                let editor = tags.can_edit.then(|| view! { <TagEditor id=tags.resource_id.clone() tags=list.clone() save/> });
                view! { <div class="detail-grid">{current}{editor}</div> }.into_any()
            }
            (None, error) => view! {
                <div class="error-box" role="alert">
                    <strong>"The tags could not be read from AWS"</strong>
                    <p>{error}</p>
                </div>
            }.into_any(),
        }}
    }
}

/// `text` as the content of a `<textarea>`. Leptos writes a textarea's text into the
/// server's HTML unescaped (the element's content is raw text to it), so a tag value
/// `</textarea><form …>` would end the element and inject markup (issue 20, finding 3):
/// the server escapes it. In the browser the text goes into a text node, which is safe
/// and must not be escaped twice.
fn textarea_text(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text
    }
}

/// The edit form: every tag as a `Key=Value` line, the tags shown (so that only what the
/// person changed is sent), and the required reason.
#[component]
fn TagEditor(id: String, tags: Vec<Tag>, save: ServerAction<EditTags>) -> impl IntoView {
    let lines = as_lines(&tags);
    view! {
        <section class="card">
            <h2>"Edit tags"</h2>
            <ActionForm action=save attr:class="stack">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="shown" value=lines.clone()/>
                <label>
                    <span>{format!("One Key=Value per line, at most {MAX_TAGS}; delete a line to remove its tag")}</span>
                    <textarea name="tags" rows="8" class="mono">{textarea_text(lines)}</textarea>
                </label>
                <p class="small muted">"Keys have 1 to 127 characters and may not start with aws:; values up to 255."</p>
                <label>
                    <span>"Reason or ticket"</span>
                    <input type="text" name="reason" required placeholder="CHG-1234: cost allocation"/>
                </label>
                <button type="submit">"Save tags"</button>
            </ActionForm>
        </section>
    }
}
