//! The WorkSpaces checked on the fleet page for a bulk action, by WorkSpace id (never by
//! row position: rows are reused for other WorkSpaces when the page changes).

use leptos::prelude::*;

/// The WorkSpaces checked for a bulk action, by id, in the order they were checked.
///
/// The layout provides one for the whole visit, so it survives the way to the bulk
/// review and back; a successful bulk change clears it.
#[derive(Clone, Copy, Default)]
pub struct Selection {
    pub ids: RwSignal<Vec<String>>,
    /// Set once the page runs in the browser: the count, the clear button and the
    /// "select the page" box only exist there (without JavaScript they could not work).
    pub live: RwSignal<bool>,
}

impl Selection {
    /// The layout's selection (a fresh one outside the layout, e.g. in tests).
    pub fn current() -> Self {
        use_context::<Selection>().unwrap_or_default()
    }

    /// Forgets every selected WorkSpace.
    pub fn clear(&self) {
        self.ids.set(Vec::new());
    }

    /// Whether the WorkSpace `id` is selected.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.with(|ids| ids.iter().any(|i| i == id))
    }

    /// Selects (`on`) or deselects the WorkSpace `id`.
    pub fn set(&self, id: &str, on: bool) {
        self.ids.update(|ids| {
            let present = ids.iter().any(|i| i == id);
            if on && !present {
                ids.push(id.to_string());
            } else if !on && present {
                ids.retain(|i| i != id);
            }
        });
    }
}
