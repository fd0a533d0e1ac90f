//! Parsing a bundle search's query string into a `SearchQuery<Bundles>`: the facets of bundles
//! (`domain`, `service_type`, `sector`, `region`, repeatable), the deadline filters and the
//! sort, with `q`, `page` and `per_page` as every search takes them. Whom the results are for
//! (audiences) and the instant offers must still be possible at are not parameters: the use
//! case sets them (`usecases::bundle_search`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use edumarkt_search_sync::bundle::{BundleSort, Bundles, FACETS};
use edumarkt_search_sync::query::SearchQuery;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};

use super::params::{self, facet, last_page, number, paging};
use crate::domain::Fields;
use crate::error::ApiError;

/// `deadline_within_days` looks at most this far ahead.
pub const WITHIN_DAYS_MAX: i64 = 366;

fn instant(fields: &mut Fields, name: &str, value: &str) -> Option<i64> {
    let parsed = DateTime::parse_from_rfc3339(value.trim()).ok();
    if parsed.is_none() {
        fields.push(name, "invalid", "must be an RFC 3339 date and time");
    }
    parsed.map(|t| t.with_timezone(&Utc).timestamp_millis())
}

/// The query as of `now` (`deadline_within_days` counts from it).
pub fn parse(query_string: &str, now: DateTime<Utc>) -> Result<SearchQuery<Bundles>, ApiError> {
    let mut fields = Fields::new();
    let mut query = SearchQuery::<Bundles> {
        page: 1,
        per_page: 20,
        ..SearchQuery::default()
    };
    let mut facets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut before: Vec<i64> = Vec::new();
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
            "offer_deadline_before" => {
                before.extend(instant(&mut fields, "offer_deadline_before", &value));
            }
            "join_deadline_after" => {
                query.filters.join_deadline_after =
                    instant(&mut fields, "join_deadline_after", &value);
            }
            "deadline_within_days" => {
                match number::<i64>(&mut fields, "deadline_within_days", &value) {
                    Some(days) if (1..=WITHIN_DAYS_MAX).contains(&days) => {
                        before.push((now + Duration::days(days)).timestamp_millis());
                    }
                    Some(_) => fields.push(
                        "deadline_within_days",
                        "out_of_range",
                        format!("must be between 1 and {WITHIN_DAYS_MAX}"),
                    ),
                    None => {}
                }
            }
            "sort" => match BundleSort::parse(&value) {
                Some(sort) => query.sort = sort,
                None => fields.push(
                    "sort",
                    "unknown_code",
                    "must be relevance, offer_deadline or join_deadline",
                ),
            },
            other => facet(
                &mut fields,
                FACETS.iter().find(|f| f.param == other),
                other,
                value,
                &mut facets,
            ),
        }
    }
    last_page(&mut fields, query.page, query.per_page);
    fields.finish()?;
    // Both bounds given: the earlier holds.
    query.filters.offer_deadline_before = before.into_iter().min();
    query.facets = facets;
    Ok(query)
}

/// The parameters `parse` reads, for the OpenAPI document.
pub fn openapi_parameters() -> Vec<Parameter> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let time = || string().format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)));
    let sorts: Vec<&str> = BundleSort::ALL.iter().map(|s| s.as_str()).collect();
    let mut parameters = params::shared_parameters();
    parameters.extend([
        params::query_param(
            "offer_deadline_before",
            "Only bundles whose offer deadline is at or before this time",
            time().into(),
        ),
        params::query_param(
            "join_deadline_after",
            "Only bundles schools may still join after this time",
            time().into(),
        ),
        params::query_param(
            "deadline_within_days",
            "Only bundles whose offer deadline falls within this many days",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(WITHIN_DAYS_MAX))
                .into(),
        ),
        params::query_param(
            "sort",
            "Result order: relevance, or the first deadline to come first",
            string().enum_values(Some(sorts)).into(),
        ),
    ]);
    for facet in FACETS {
        parameters.push(params::query_param(
            facet.param,
            "Facet filter: repeat for OR; different facets combine with AND",
            ArrayBuilder::new()
                .items(string().enum_values(Some(params::facet_codes(facet.param))))
                .into(),
        ));
    }
    parameters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2027-01-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn facets_deadlines_and_sort_parse() {
        let query = parse(
            "q=rekenen&sector=po&sector=vo&region=utrecht&deadline_within_days=10\
             &offer_deadline_before=2027-01-05T00:00:00Z&join_deadline_after=2027-01-02T00:00:00%2B01:00\
             &sort=offer_deadline&page=2&per_page=5",
            now(),
        )
        .unwrap();
        assert_eq!(query.facets["sectors"], ["po", "vo"]);
        assert_eq!(query.facets["regions"], ["utrecht"]);
        assert_eq!(query.sort, BundleSort::OfferDeadline);
        // The earlier of the two bounds.
        let jan5: DateTime<Utc> = "2027-01-05T00:00:00Z".parse().unwrap();
        assert_eq!(
            query.filters.offer_deadline_before,
            Some(jan5.timestamp_millis())
        );
        let jan2: DateTime<Utc> = "2027-01-01T23:00:00Z".parse().unwrap();
        assert_eq!(
            query.filters.join_deadline_after,
            Some(jan2.timestamp_millis())
        );
        assert_eq!((query.page, query.per_page), (2, 5));
        // Nobody's audience or clock comes from the query string.
        assert_eq!(query.filters.audiences, None);
        assert_eq!(query.filters.open_at, None);
    }

    #[test]
    fn offering_parameters_and_bad_values_are_refused() {
        let Err(ApiError::Validation(errors)) = parse(
            "format=training&deadline_within_days=0&offer_deadline_before=morgen&sort=rating&sector=hbo&audience=public",
            now(),
        ) else {
            panic!("expected field errors");
        };
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("format", "unknown_parameter"),
                ("deadline_within_days", "out_of_range"),
                ("offer_deadline_before", "invalid"),
                ("sort", "unknown_code"),
                ("sector", "unknown_code"),
                ("audience", "unknown_parameter"),
            ]
        );
    }
}
