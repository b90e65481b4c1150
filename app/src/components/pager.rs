//! The pager under a paged list (fleet, connections, audit). Its links are plain
//! `<a href>` links to the neighbouring pages, so paging works without JavaScript; the
//! page passes how a page number becomes a URL, since each list keeps its query in its
//! own URL.

use leptos::prelude::*;

/// Where one page sits in a list of `total` rows shown `size` at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSpan {
    /// The page number, from 0.
    pub page: usize,
    size: usize,
    shown: usize,
    pub total: usize,
}

impl PageSpan {
    pub fn new(page: usize, size: usize, shown: usize, total: usize) -> Self {
        PageSpan {
            page,
            size,
            shown,
            total,
        }
    }

    /// The 1-based number of the first row on this page.
    fn first(&self) -> usize {
        // Saturating, and never past the total: a page number from a URL may be absurd.
        self.page.saturating_mul(self.size).min(self.total) + 1
    }

    /// The 1-based number of the last row on this page.
    fn last(&self) -> usize {
        self.page
            .saturating_mul(self.size)
            .saturating_add(self.shown)
            .min(self.total)
    }

    fn has_previous(&self) -> bool {
        self.page > 0
    }

    fn has_next(&self) -> bool {
        self.last() < self.total
    }

    /// "1–50 of 120 WorkSpaces": the rows this page shows, for the line over the list.
    pub fn count(&self, noun: &str) -> String {
        format!("{}–{} of {} {noun}", self.first(), self.last(), self.total)
    }

    fn pages(&self) -> usize {
        self.total.div_ceil(self.size).max(1)
    }
}

/// What the pager says between its links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagerLabel {
    /// Nothing: the links alone.
    None,
    /// "Page 2".
    Page,
    /// "Page 2 of 7".
    PageOfPages,
}

/// Previous/next links around an optional page label. `href` turns a page number
/// (from 0) into the URL of that page.
#[component]
pub fn Pager(
    span: PageSpan,
    href: impl Fn(usize) -> String + 'static,
    #[prop(default = PagerLabel::None)] label: PagerLabel,
    #[prop(default = "← Previous")] previous_text: &'static str,
    #[prop(default = "Next →")] next_text: &'static str,
) -> impl IntoView {
    let previous = span
        .has_previous()
        .then(|| view! { <a rel="prev" href=href(span.page - 1)>{previous_text}</a> });
    let position = match label {
        PagerLabel::None => None,
        PagerLabel::Page => Some(format!("Page {}", span.page.saturating_add(1))),
        PagerLabel::PageOfPages => Some(format!(
            "Page {} of {}",
            span.page.saturating_add(1),
            span.pages()
        )),
    };
    let next = span
        .has_next()
        .then(|| view! { <a rel="next" href=href(span.page.saturating_add(1))>{next_text}</a> });
    view! {
        <nav class="pager" aria-label="Pages">
            {previous}
            {position.map(|text| view! { <span>{text}</span> })}
            {next}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_counts_rows_and_pages() {
        let middle = PageSpan::new(1, 50, 50, 120);
        assert_eq!(middle.count("WorkSpaces"), "51–100 of 120 WorkSpaces");
        assert!(middle.has_previous() && middle.has_next());
        assert_eq!(middle.pages(), 3);

        let last = PageSpan::new(2, 50, 20, 120);
        assert_eq!(last.count("entries"), "101–120 of 120 entries");
        assert!(!last.has_next());

        let only = PageSpan::new(0, 50, 0, 0);
        assert!(!only.has_previous() && !only.has_next());
        assert_eq!(only.pages(), 1);
    }
}
