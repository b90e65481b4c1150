//! The users page (`/users`, admin only): create users, change roles, disable and
//! enable users, reset passwords and, when several AWS accounts are configured, limit a
//! user to some of them. The server refuses removing the last admin.
//! Single sign-on users are listed with their source; their role follows the provider's
//! groups and they have no password, so only disabling applies to them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::users::{
    CreateUser, ResetUserPassword, SetUserAccounts, SetUserDisabled, SetUserRole, list_users,
};
use crate::components::error_box::ErrorBox;
use crate::components::loaded::Loaded;
use crate::error::AppError;
use crate::model::{Role, UserInfo, UserSource, UsersView};

/// The error of the last run of an action, if it failed.
fn action_error<I, O>(action: ServerAction<I>) -> impl Fn() -> Option<AppError>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    move || action.value().get().and_then(|result| result.err())
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_disabled = ServerAction::<SetUserDisabled>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let set_accounts = ServerAction::<SetUserAccounts>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_disabled.version().get(),
                reset.version().get(),
                set_accounts.version().get(),
            )
        },
        |_| list_users(),
    );
    let errors = {
        let (a, b, c, d, e) = (
            action_error(create),
            action_error(set_role),
            action_error(set_disabled),
            action_error(reset),
            action_error(set_accounts),
        );
        move || a().or_else(&b).or_else(&c).or_else(&d).or_else(&e)
    };
    view! {
        <Title text="Users"/>
        <div class="page-head"><h1>"Users"</h1></div>
        {move || errors().map(|error| view! { <ErrorBox error/> })}
        <section class="card">
            <h2>"New user"</h2>
            <ActionForm action=create attr:class="inline-form">
                <input type="text" name="username" placeholder="User name" aria-label="New user name" required/>
                <select name="role" aria-label="Role">
                    {Role::ALL.iter().map(|role| view! { <option value=role.as_str()>{role.as_str()}</option> }).collect_view()}
                </select>
                <input type="password" name="password" placeholder="Password (12+ characters)" aria-label="New user password" required/>
                <button type="submit">"Create"</button>
            </ActionForm>
        </section>
        <Loaded
            resource=users
            render=move |view: UsersView| {
                let show_accounts = !view.accounts.is_empty();
                view! { <UserTable users=view.users set_role set_disabled reset set_accounts show_accounts/> }
            }
        />
    }
}

#[component]
fn UserTable(
    users: Vec<UserInfo>,
    set_role: ServerAction<SetUserRole>,
    set_disabled: ServerAction<SetUserDisabled>,
    reset: ServerAction<ResetUserPassword>,
    set_accounts: ServerAction<SetUserAccounts>,
    /// Accounts are configured: each user's account limit can be set.
    show_accounts: bool,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th>"User"</th><th>"Source"</th><th>"Role"</th>
                        {show_accounts.then(|| view! { <th>"Accounts"</th> })}
                        <th>"Status"</th><th>"Password"</th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|user| {
                        let (id_role, id_status, id_reset) = (user.id.to_string(), user.id.to_string(), user.id.to_string());
                        let role_label = format!("Role of {}", user.name);
                        let password_label = format!("New password for {}", user.name);
                        let (role, disabled) = (user.role, user.disabled);
                        let sso = user.source == UserSource::Oidc;
                        let accounts_cell = show_accounts.then(|| {
                            let label = format!("Accounts of {}", user.name);
                            let current = user.accounts.clone().map(|names| names.join(",")).unwrap_or_else(|| "all".into());
                            view! {
                                <td>
                                    <ActionForm action=set_accounts attr:class="inline-form">
                                        <input type="hidden" name="id" value=user.id.to_string()/>
                                        <input type="text" name="accounts" value=current aria-label=label size="14" title="Account names separated by commas, or all"/>
                                        <button type="submit" class="button-secondary">"Set"</button>
                                    </ActionForm>
                                </td>
                            }
                        });
                        let source = if sso { "single sign-on" } else { "local" };
                        view! {
                            <tr>
                                <td class="strong">{user.name.clone()}</td>
                                <td>{source}</td>
                                <td>
                                    {if sso {
                                        view! { <span title="Set from the provider's groups at each sign-in">{role.as_str()}" (from groups)"</span> }.into_any()
                                    } else { view! {
                                    <ActionForm action=set_role attr:class="inline-form">
                                        <input type="hidden" name="id" value=id_role/>
                                        <select name="role" aria-label=role_label>
                                            {Role::ALL.iter().map(|option| view! {
                                                <option value=option.as_str() selected=*option == role>{option.as_str()}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="button-secondary">"Change"</button>
                                    </ActionForm>
                                    }.into_any() }}
                                </td>
                                {accounts_cell}
                                <td>
                                    <ActionForm action=set_disabled attr:class="inline-form">
                                        <input type="hidden" name="id" value=id_status/>
                                        <input type="hidden" name="disabled" value=if disabled { "false" } else { "true" }/>
                                        <span class=if disabled { "badge badge-bad" } else { "badge badge-ok" }>
                                            {if disabled { "disabled" } else { "active" }}
                                        </span>
                                        <button type="submit" class="button-secondary">
                                            {if disabled { "Enable" } else { "Disable" }}
                                        </button>
                                    </ActionForm>
                                </td>
                                <td>
                                    {if sso {
                                        view! { <span class="muted">"none (single sign-on)"</span> }.into_any()
                                    } else { view! {
                                    <ActionForm action=reset attr:class="inline-form">
                                        <input type="hidden" name="id" value=id_reset/>
                                        <input type="password" name="password" placeholder="New password" aria-label=password_label required/>
                                        <button type="submit" class="button-secondary">"Reset"</button>
                                    </ActionForm>
                                    }.into_any() }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
