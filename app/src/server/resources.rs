//! What every listing of cached resources shares: the items of one kind in the accounts
//! the caller may see, and the usage counts the lists show. Each area's listing lives in
//! its own module (`directories::list`, `images::catalog`, `ip_groups::list`, ...).

use std::collections::HashMap;

use crate::error::AppError;
use crate::model::{Image, IpGroup};
use crate::server::caller::Caller;
use crate::server::repo::inventory::{self, ItemKind};

/// The cached items of `kind` in the accounts `user` may see.
pub async fn visible_items<T: serde::de::DeserializeOwned + HasAccount>(
    caller: &Caller,
    kind: ItemKind,
) -> Result<Vec<T>, AppError> {
    let mut items: Vec<T> = inventory::items(caller.pool(), kind).await?;
    items.retain(|item| caller.user.may_use(item.account()));
    Ok(items)
}

/// A cached item that names its account.
pub trait HasAccount {
    fn account(&self) -> &str;
}

macro_rules! has_account {
    ($($model:ty),*) => {
        $(impl HasAccount for $model {
            fn account(&self) -> &str {
                &self.account
            }
        })*
    };
}

has_account!(
    crate::model::Directory,
    Image,
    crate::model::Bundle,
    IpGroup,
    crate::model::ConnectionAlias
);

/// The count of `counts` (see [`inventory::count_by`]) for an account's `id`.
pub(crate) fn count_of(
    counts: &HashMap<(String, String), usize>,
    account: &str,
    id: &str,
) -> usize {
    counts
        .get(&(account.to_string(), id.to_string()))
        .copied()
        .unwrap_or(0)
}
