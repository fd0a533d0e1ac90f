//! Parsing a search's query string into a `SearchQuery`. Facet parameters repeat
//! (`sector=po&sector=vo` means po OR vo), so the query string is read as a list of pairs, not
//! into a struct. Every value is checked: unknown codes, unknown parameters and pages beyond
//! the limit are a 422, not an empty result.

use std::collections::BTreeMap;

use edumarkt_search_sync::document::{FACETS, Facet};
use edumarkt_search_sync::query::{MAX_HITS, MAX_PER_PAGE, SearchQuery, Sort, facet_by_param};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use uuid::Uuid;

use crate::domain::Fields;
use crate::domain::taxonomy::{self, Code};
use crate::error::ApiError;

pub const Q_MAX: usize = 200;

/// The codes a facet parameter accepts with their Dutch labels (none for a parameter that is
/// no facet). The parser, the OpenAPI description and the pages all read this.
pub fn facet_values(param: &str) -> Vec<(&'static str, &'static str)> {
    let list: &[Code] = match param {
        "domain" => taxonomy::DOMAINS,
        "service_type" => {
            return taxonomy::SERVICE_TYPES
                .iter()
                .map(|s| (s.code, s.nl))
                .collect();
        }
        "sector" => taxonomy::SECTORS,
        "region" => {
            return std::iter::once(&taxonomy::NATIONWIDE)
                .chain(taxonomy::PROVINCES)
                .map(|c| (c.code, c.nl))
                .collect();
        }
        "format" => taxonomy::FORMATS,
        "delivery" => taxonomy::DELIVERY,
        "duration" => taxonomy::DURATIONS,
        "co_creation" => taxonomy::CO_CREATION_PHASES,
        "theme" => taxonomy::THEMES,
        "evidence_level" => taxonomy::EVIDENCE_LEVELS,
        "price_model" => taxonomy::PRICE_MODELS,
        "provider_kind" => taxonomy::PROVIDER_KINDS,
        _ => &[],
    };
    list.iter().map(|c| (c.code, c.nl)).collect()
}

/// The codes a facet parameter accepts.
pub fn facet_codes(param: &str) -> Vec<&'static str> {
    facet_values(param)
        .into_iter()
        .map(|(code, _)| code)
        .collect()
}

pub(super) fn known(param: &str, value: &str) -> bool {
    facet_codes(param).contains(&value)
}

/// The query parameters `parse` reads, for the OpenAPI document: facets repeat (form style,
/// exploded: `sector=po&sector=vo`) and list their codes; `sort` and `evidence_min` are enums.
pub fn openapi_parameters() -> Vec<Parameter> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let integer = |min: i64, max: Option<usize>| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(min))
            .maximum(max)
    };
    let evidence: Vec<&str> = taxonomy::EVIDENCE_LEVELS.iter().map(|c| c.code).collect();
    let sorts: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
    let mut parameters = shared_parameters();
    parameters.extend([
        query_param(
            "provider_id",
            "Only this provider's offerings (repeat for several)",
            ArrayBuilder::new()
                .items(string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))))
                .into(),
        ),
        query_param(
            "evidence_min",
            "At least this evidence level",
            string().enum_values(Some(evidence)).into(),
        ),
        query_param(
            "price_max_cents",
            "At most this price, in cents",
            integer(0, None).into(),
        ),
        query_param(
            "rating_min",
            "At least this average rating",
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(1))
                .maximum(Some(5))
                .into(),
        ),
        query_param(
            "sort",
            "Result order",
            string().enum_values(Some(sorts)).into(),
        ),
    ]);
    for facet in FACETS {
        parameters.push(query_param(
            facet.param,
            "Facet filter: repeat for OR; different facets combine with AND",
            ArrayBuilder::new()
                .items(string().enum_values(Some(facet_codes(facet.param))))
                .into(),
        ));
    }
    parameters
}

/// The parameters of every search: `q`, `page`, `per_page` (see `paging`).
pub(super) fn shared_parameters() -> Vec<Parameter> {
    let integer = |max: Option<usize>| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(max)
    };
    vec![
        query_param(
            "q",
            "Free text, typo-tolerant Dutch",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(Q_MAX))
                .into(),
        ),
        query_param("page", "Page number, from 1", integer(None).into()),
        query_param(
            "per_page",
            "Results per page",
            integer(Some(MAX_PER_PAGE)).into(),
        ),
    ]
}

pub(super) fn query_param(name: &str, description: &str, schema: Schema) -> Parameter {
    let repeats = matches!(schema, Schema::Array(_));
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .style(repeats.then_some(ParameterStyle::Form))
        .explode(repeats.then_some(true))
        .build()
}

pub(super) fn number<T: std::str::FromStr>(
    fields: &mut Fields,
    name: &str,
    value: &str,
) -> Option<T> {
    let parsed = value.trim().parse().ok();
    if parsed.is_none() {
        fields.push(name, "invalid", "must be a number");
    }
    parsed
}

pub fn parse(query_string: &str) -> Result<SearchQuery, ApiError> {
    let mut fields = Fields::new();
    let mut query: SearchQuery = SearchQuery {
        page: 1,
        per_page: 20,
        ..SearchQuery::default()
    };
    let mut facets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(query_string.as_bytes()) {
        let value = value.into_owned();
        if paging(
            &mut fields,
            &name,
            &value,
            &mut query.q,
            &mut query.page,
            &mut query.per_page,
        ) {
            continue;
        }
        match name.as_ref() {
            "provider_id" => match Uuid::parse_str(value.trim()) {
                Ok(id) => query.filters.provider_ids.push(id),
                Err(_) => fields.push("provider_id", "invalid", "must be a UUID"),
            },
            "evidence_min" => match taxonomy::evidence_rank(&value) {
                Some(rank) => query.filters.evidence_min = u8::try_from(rank).ok(),
                None => fields.push(
                    "evidence_min",
                    "unknown_code",
                    format!(
                        "must be one of {}",
                        taxonomy::codes(taxonomy::EVIDENCE_LEVELS)
                    ),
                ),
            },
            "price_max_cents" => match number::<i64>(&mut fields, "price_max_cents", &value) {
                Some(v) if v >= 0 => query.filters.price_max_cents = Some(v),
                Some(_) => fields.push("price_max_cents", "out_of_range", "must not be negative"),
                None => {}
            },
            "rating_min" => match number::<f64>(&mut fields, "rating_min", &value) {
                Some(v) if (1.0..=5.0).contains(&v) => query.filters.rating_min = Some(v),
                Some(_) => fields.push("rating_min", "out_of_range", "must be between 1 and 5"),
                None => {}
            },
            "sort" => match Sort::parse(&value) {
                Some(sort) => query.sort = sort,
                None => fields.push(
                    "sort",
                    "unknown_code",
                    "must be relevance, rating, price_asc, price_desc, newest or review_count",
                ),
            },
            other => facet(
                &mut fields,
                facet_by_param(other),
                other,
                value,
                &mut facets,
            ),
        }
    }
    last_page(&mut fields, query.page, query.per_page);
    fields.finish()?;
    query.facets = facets;
    Ok(query)
}

/// The parameters every search takes: `q`, `page` and `per_page`. Whether `name` was one.
pub(super) fn paging(
    fields: &mut Fields,
    name: &str,
    value: &str,
    q: &mut String,
    page: &mut usize,
    per_page: &mut usize,
) -> bool {
    match name {
        "q" => {
            if value.chars().count() > Q_MAX {
                fields.push(
                    "q",
                    "too_long",
                    format!("must be at most {Q_MAX} characters"),
                );
            }
            value.clone_into(q);
        }
        "page" => match number::<usize>(fields, "page", value) {
            Some(v) if v >= 1 => *page = v,
            Some(_) => fields.push("page", "out_of_range", "must be at least 1"),
            None => {}
        },
        "per_page" => match number::<usize>(fields, "per_page", value) {
            Some(v) if (1..=MAX_PER_PAGE).contains(&v) => *per_page = v,
            Some(_) => fields.push(
                "per_page",
                "out_of_range",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ),
            None => {}
        },
        _ => return false,
    }
    true
}

/// A facet parameter's value added to its field's codes (once), or why not; a parameter that
/// names no facet (`facet` is `None`) is unknown.
pub(super) fn facet(
    fields: &mut Fields,
    facet: Option<&'static Facet>,
    name: &str,
    value: String,
    facets: &mut BTreeMap<&'static str, Vec<String>>,
) {
    match facet {
        Some(facet) if known(facet.param, &value) => {
            let values = facets.entry(facet.field).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        }
        Some(facet) => fields.push(
            facet.param,
            "unknown_code",
            format!("`{value}` is not a known {} code", facet.param),
        ),
        None => fields.push(name, "unknown_parameter", "is not a search parameter"),
    }
}

/// Pages end where the engines' results do.
pub(super) fn last_page(fields: &mut Fields, page: usize, per_page: usize) {
    if page.saturating_mul(per_page) > MAX_HITS {
        fields.push(
            "page",
            "out_of_range",
            format!("results end after the first {MAX_HITS}; narrow the search"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(qs: &str) -> Vec<(String, &'static str)> {
        match parse(qs) {
            Err(ApiError::Validation(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors for {qs}, got {other:?}"),
        }
    }

    #[test]
    fn repeated_facets_are_or_and_different_facets_and() {
        let query = parse(
            "q=lezen&sector=po&sector=vo&domain=leerlingenzorg&sort=newest&page=2&per_page=10",
        )
        .unwrap();
        assert_eq!(query.facets["sectors"], ["po", "vo"]);
        assert_eq!(query.facets["domain"], ["leerlingenzorg"]);
        assert_eq!(
            (query.q.as_str(), query.sort, query.page, query.per_page),
            ("lezen", Sort::Newest, 2, 10)
        );
    }

    #[test]
    fn unknown_codes_parameters_and_pages_are_refused() {
        assert_eq!(
            errors("sector=hbo"),
            [("sector".to_owned(), "unknown_code")]
        );
        assert_eq!(
            errors("theme=x%22%20OR%20domain%3D%22y"),
            [("theme".to_owned(), "unknown_code")]
        );
        assert_eq!(
            errors("colour=blue"),
            [("colour".to_owned(), "unknown_parameter")]
        );
        assert_eq!(
            errors("page=11&per_page=100"),
            [("page".to_owned(), "out_of_range")]
        );
        assert_eq!(
            errors("per_page=101"),
            [("per_page".to_owned(), "out_of_range")]
        );
        assert_eq!(errors("page=0"), [("page".to_owned(), "out_of_range")]);
        assert_eq!(
            errors("rating_min=6&price_max_cents=-1"),
            [
                ("rating_min".to_owned(), "out_of_range"),
                ("price_max_cents".to_owned(), "out_of_range")
            ]
        );
        assert_eq!(
            errors("evidence_min=sterk"),
            [("evidence_min".to_owned(), "unknown_code")]
        );
    }

    #[test]
    fn evidence_and_price_filters_parse() {
        let query =
            parse("evidence_min=goed_onderbouwd&price_max_cents=50000&rating_min=4").unwrap();
        assert_eq!(
            (
                query.filters.evidence_min,
                query.filters.price_max_cents,
                query.filters.rating_min
            ),
            (Some(2), Some(50_000), Some(4.0))
        );
    }
}
