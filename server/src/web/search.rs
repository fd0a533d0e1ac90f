//! `/`: the home and search page. The query string is the API's (`/v1/search/offerings`), read
//! by the same parser, so a search's URL can be shared, bookmarked and handed to the API; the
//! page is one GET form and works without JavaScript.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use edumarkt_search_sync::document::FACETS;
use edumarkt_search_sync::query::{MAX_HITS, SearchQuery};
use edumarkt_search_sync::{OfferingDocument, SearchResults};

use crate::domain::compare::MAX_ITEMS;
use crate::domain::taxonomy;
use crate::error::ApiError;
use crate::routes::search::params::{self, facet_values};
use crate::state::AppState;
use crate::web::compare;
use crate::web::error::PageResult;
use crate::web::form::FormErrors;
use crate::web::format::{self, label};
use crate::web::layout::{Layout, Section, render};
use crate::web::session::Visitor;
use crate::web::text as t;

/// The search form's state: the query string's pairs as they came (bounded), so the form
/// shows what was asked even when part of it was invalid.
#[derive(Debug, Clone, Default)]
pub struct QueryPairs(Vec<(String, String)>);

/// More pairs than any form sends; the rest are ignored rather than echoed into every link.
const MAX_PAIRS: usize = 200;

impl QueryPairs {
    /// The pairs with a value: the form sends its empty box and its selects left at "no
    /// preference" as empty values, which mean no filter (the API would refuse an empty code).
    pub fn parse(query_string: &str) -> QueryPairs {
        QueryPairs(
            form_urlencoded::parse(query_string.as_bytes())
                .filter(|(_, v)| !v.trim().is_empty())
                .take(MAX_PAIRS)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn value(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    pub(super) fn without(&self, drop: impl Fn(&str, &str) -> bool) -> QueryPairs {
        QueryPairs(
            self.0
                .iter()
                .filter(|(k, v)| !drop(k, v))
                .cloned()
                .collect(),
        )
    }

    pub(super) fn with(mut self, name: &str, value: String) -> QueryPairs {
        self.0.push((name.to_owned(), value));
        self
    }

    /// The search page's URL with these pairs.
    pub fn href(&self) -> String {
        self.href_at("/")
    }

    /// The URL of the search page at `base` with these pairs.
    pub(super) fn href_at(&self, base: &str) -> String {
        if self.0.is_empty() {
            return base.to_owned();
        }
        format!("{base}?{}", self.encoded())
    }

    pub(super) fn encoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.0)
            .finish()
    }

    /// Whether any filter is set (anything but the words, the order and the paging).
    fn filtered(&self) -> bool {
        self.0
            .iter()
            .any(|(k, _)| !matches!(k.as_str(), "q" | "sort" | "page" | "per_page" | compare::ID))
    }
}

pub struct CheckboxView {
    pub id: String,
    pub value: &'static str,
    pub label: &'static str,
    pub count: u64,
    pub checked: bool,
}

pub struct FacetView {
    pub param: &'static str,
    pub title: &'static str,
    pub options: Vec<CheckboxView>,
    /// Open when one of its boxes is ticked, so a filter in use is never hidden.
    pub open: bool,
}

pub struct SelectView {
    pub name: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, String, bool)>,
}

pub struct HitView {
    pub id: String,
    /// Ticked for the comparison (its id came in the URL).
    pub chosen: bool,
    pub href: String,
    pub title: String,
    pub summary: String,
    pub provider_name: String,
    pub domain: String,
    pub service_type: String,
    pub price: String,
    pub duration: String,
    pub evidence: String,
    pub long_term: bool,
}

impl From<&OfferingDocument> for HitView {
    fn from(d: &OfferingDocument) -> HitView {
        HitView {
            id: d.id.to_string(),
            chosen: false,
            href: format!("/aanbod/{}", d.id),
            title: d.title.clone(),
            summary: d.summary.clone(),
            provider_name: d.provider_name.clone(),
            domain: d.domain_label.clone(),
            service_type: d.service_type_label.clone(),
            price: format::price(&d.price_model, d.price_min_cents, d.price_max_cents),
            duration: label("duration", &d.duration).to_owned(),
            evidence: label("evidence_level", &d.evidence_level).to_owned(),
            long_term: d.long_term,
        }
    }
}

pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Default)]
pub struct Pager {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// A link that takes one filter value away.
pub struct RemoveLink {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    page: Layout,
    form: QueryPairs,
    errors: FormErrors,
    selects: Vec<SelectView>,
    facets: Vec<FacetView>,
    /// Pairs the form carries unseen (provider, page size), so submitting keeps them.
    hidden: Vec<(String, String)>,
    hits: Vec<HitView>,
    count: String,
    price_sort: bool,
    pager: Pager,
    /// The same words without any filter.
    clear_filters: String,
    /// When nothing was found: the help to offer.
    no_results: Option<NoResults>,
    /// Offerings chosen for the comparison that are not among these hits: the compare form
    /// carries them unseen.
    chosen_elsewhere: Vec<String>,
}

pub struct NoResults {
    pub several_words: bool,
    pub removals: Vec<RemoveLink>,
    pub without_filters: Option<(String, String)>,
    pub without_words: Option<String>,
}

pub async fn home(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let form = QueryPairs::parse(req.query_string());
    // The offerings chosen to compare (`compare::ID`) are the page's own, not the search's.
    let chosen = chosen_ids(&form);
    let asked = form.without(|k, _| k == compare::ID);
    // The API's parser decides; what it refuses is shown as form errors, and the rest of the
    // search still runs, so the page always answers with what it can.
    let (query, errors) = match params::parse(&asked.encoded()) {
        Ok(query) => (query, FormErrors::default()),
        Err(ApiError::Validation(fields)) => {
            let errors = FormErrors::from_fields(
                &fields,
                t::search_field_label,
                t::field_problem,
                control_id,
            );
            let valid = asked.without(|k, _| errors.fields().any(|f| f == k));
            // What remains holds only names the parser accepted; an error left (a page past
            // the end with a smaller page size) is dropped with the paging.
            let query = params::parse(&valid.encoded())
                .or_else(|_| params::parse(&valid.without(|k, _| k == "page").encoded()))
                .map_err(|_| ApiError::BadRequest("search parameters".into()))?;
            (query, errors)
        }
        Err(other) => return Err(other.into()),
    };
    let results = state
        .search
        .offerings(&query)
        .await
        .map_err(ApiError::from)?;
    let no_results = if results.total == 0 {
        Some(no_results_help(&state, &form, &query).await?)
    } else {
        None
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = SearchPage {
        page: visitor.layout(t::SEARCH_TITLE, Section::Search),
        selects: selects(&form),
        facets: facets(&form, &results),
        hidden: form
            .0
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "provider_id" | "per_page" | compare::ID))
            .cloned()
            .collect(),
        chosen_elsewhere: chosen
            .iter()
            .filter(|id| !results.hits.iter().any(|h| h.id.to_string() == **id))
            .cloned()
            .collect(),
        hits: results
            .hits
            .iter()
            .map(|d| HitView {
                chosen: chosen.contains(&d.id.to_string()),
                ..HitView::from(d)
            })
            .collect(),
        count: t::result_count(results.total, results.total >= MAX_HITS),
        price_sort: query.price_sort_groups().is_some(),
        pager: pager(&form, &query, results.total),
        no_results,
        clear_filters: form.without(|k, _| k != "q").href(),
        errors,
        form,
    };
    Ok(render(status, &page))
}

/// The distinct offering ids chosen to compare, at most as many as can be compared.
fn chosen_ids(form: &QueryPairs) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (_, value) in form.0.iter().filter(|(k, _)| k == compare::ID) {
        if let Ok(id) = value.trim().parse::<uuid::Uuid>()
            && !ids.contains(&id.to_string())
            && ids.len() < MAX_ITEMS
        {
            ids.push(id.to_string());
        }
    }
    ids
}

/// The id of the control a search parameter is typed or chosen in.
fn control_id(param: &str) -> String {
    match param {
        "q" | "sort" | "evidence_min" | "price_max_cents" | "rating_min" => format!("veld-{param}"),
        // The filters' section (a facet's boxes show only values with results); other
        // parameters have no control of their own: the query box.
        other if !facet_values(other).is_empty() => "filters".to_owned(),
        _ => "veld-q".to_owned(),
    }
}

fn selects(form: &QueryPairs) -> Vec<SelectView> {
    let options = |name: &str, list: Vec<(String, String)>, any: bool| {
        let chosen = form.value(name);
        let mut options: Vec<(String, String, bool)> = Vec::new();
        if any {
            options.push((String::new(), t::ANY.to_owned(), chosen.is_empty()));
        }
        for (value, label) in list {
            let selected = value == chosen;
            options.push((value, label, selected));
        }
        options
    };
    let sorts = t::SORTS
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect();
    let evidence = taxonomy::EVIDENCE_LEVELS
        .iter()
        .skip(1)
        .map(|c| (c.code.to_owned(), c.nl.to_owned()))
        .collect();
    let mut prices: Vec<(String, String)> = [10_000, 25_000, 50_000, 100_000, 250_000, 500_000]
        .into_iter()
        .map(|cents: i64| (cents.to_string(), format::euros(cents)))
        .collect();
    // A bookmarked amount that is not one of ours is kept, so the form shows what was asked.
    let asked = form.value("price_max_cents").trim();
    if let Ok(cents) = asked.parse::<i64>()
        && cents >= 0
        && !prices.iter().any(|(v, _)| v == asked)
    {
        prices.push((asked.to_owned(), format::euros(cents)));
    }
    let ratings = (1..=5)
        .map(|n| (n.to_string(), format!("{n} van 5")))
        .collect();
    vec![
        SelectView {
            name: "sort",
            label: t::SORT_LABEL,
            options: options("sort", sorts, false),
        },
        SelectView {
            name: "evidence_min",
            label: t::EVIDENCE_MIN_LABEL,
            options: options("evidence_min", evidence, true),
        },
        SelectView {
            name: "price_max_cents",
            label: t::PRICE_MAX_LABEL,
            options: options("price_max_cents", prices, true),
        },
        SelectView {
            name: "rating_min",
            label: t::RATING_MIN_LABEL,
            options: options("rating_min", ratings, true),
        },
    ]
}

/// Every facet with the values that have results or are ticked, with their counts.
fn facets(form: &QueryPairs, results: &SearchResults) -> Vec<FacetView> {
    facet_views(form, FACETS.iter().map(|f| f.param), &results.facets)
}

/// The facets `params` (of any index kind) with the values that have results or are ticked,
/// with their counts (`SearchResults::facets`).
pub(super) fn facet_views(
    form: &QueryPairs,
    params: impl Iterator<Item = &'static str>,
    counted: &BTreeMap<String, BTreeMap<String, u64>>,
) -> Vec<FacetView> {
    params
        .map(|param| {
            let counts = counted.get(param);
            let options: Vec<CheckboxView> = facet_values(param)
                .into_iter()
                .enumerate()
                .map(|(i, (code, label))| CheckboxView {
                    id: format!("veld-{param}-{i}"),
                    value: code,
                    label,
                    count: counts.and_then(|c| c.get(code)).copied().unwrap_or(0),
                    checked: form.has(param, code),
                })
                .filter(|o| o.count > 0 || o.checked)
                .collect();
            FacetView {
                param,
                title: t::facet_title(param),
                open: options.iter().any(|o| o.checked),
                options,
            }
        })
        .filter(|f| !f.options.is_empty())
        .collect()
}

fn pager(form: &QueryPairs, query: &SearchQuery, total: usize) -> Pager {
    let last = total.min(MAX_HITS).div_ceil(query.per_page.max(1));
    if last <= 1 {
        return Pager::default();
    }
    let at = |page: usize| {
        form.without(|k, _| k == "page")
            .with("page", page.to_string())
    };
    let current = query.page;
    let window = current.saturating_sub(2).max(1)..=(current + 2).min(last);
    Pager {
        previous: (current > 1).then(|| at(current - 1).href()),
        next: (current < last).then(|| at(current + 1).href()),
        pages: window
            .map(|number| PageLink {
                number,
                href: at(number).href(),
                current: number == current,
            })
            .collect(),
    }
}

/// Help when nothing was found: take away one filter at a time, all filters, or the words;
/// with the number of results the search would have without its filters.
async fn no_results_help(
    state: &AppState,
    form: &QueryPairs,
    query: &SearchQuery,
) -> PageResult<NoResults> {
    let unpaged = form.without(|k, _| k == "page");
    let removals = unpaged
        .0
        .iter()
        .filter(|(k, v)| !facet_values(k).is_empty() && !v.is_empty())
        .map(|(k, v)| RemoveLink {
            href: unpaged.without(|k2, v2| k2 == k && v2 == v).href(),
            label: format!("{}: {}", t::facet_title(k), label(k, v)),
        })
        .collect();
    let without_filters = if form.filtered() {
        let words_only = SearchQuery {
            q: query.q.clone(),
            sort: query.sort,
            page: 1,
            per_page: 1,
            ..SearchQuery::default()
        };
        let total = state
            .search
            .offerings(&words_only)
            .await
            .map_err(ApiError::from)?
            .total;
        (total > 0).then(|| {
            let href = unpaged.without(|k, _| !matches!(k, "q" | "sort")).href();
            (href, t::without_filters_count(total))
        })
    } else {
        None
    };
    let without_words = (form.filtered() && !query.q.trim().is_empty())
        .then(|| unpaged.without(|k, _| k == "q").href());
    Ok(NoResults {
        several_words: query.q.split_whitespace().count() > 1,
        removals,
        without_filters,
        without_words,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_search_and_replace_only_the_page() {
        let form = QueryPairs::parse("q=rekenen+po&sector=po&page=2&sector=vo");
        let query = params::parse(&form.encoded()).unwrap();
        let pager = pager(&form, &query, 95);
        assert_eq!(
            pager.next.as_deref(),
            Some("/?q=rekenen+po&sector=po&sector=vo&page=3")
        );
        assert_eq!(
            pager.pages.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3, 4]
        );
        assert!(pager.pages[1].current);
        assert_eq!(QueryPairs::default().href(), "/");
    }

    #[test]
    fn empty_fields_of_the_form_are_no_filter() {
        let form = QueryPairs::parse("q=&sort=relevance&evidence_min=&price_max_cents=+&sector=po");
        assert_eq!(form.encoded(), "sort=relevance&sector=po");
        assert!(params::parse(&form.encoded()).is_ok());
    }

    #[test]
    fn unknown_parameters_point_at_the_query_box_and_facets_at_their_first_box() {
        assert_eq!(control_id("colour"), "veld-q");
        assert_eq!(control_id("sector"), "filters");
        assert_eq!(control_id("sort"), "veld-sort");
    }
}
