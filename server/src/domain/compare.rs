//! What a comparison asks: two to six distinct offerings, a quantity and optionally a unit and
//! the caller's sector.

use crate::domain::OfferingId;

use crate::domain::cost::Unit;
use crate::domain::{DomainError, Fields, taxonomy};

pub const MIN_ITEMS: usize = 2;
pub const MAX_ITEMS: usize = 6;
/// Larger quantities than any school or network buys; the cost arithmetic is safe beyond it.
pub const MAX_QUANTITY: u64 = 1_000_000;

/// A validated comparison request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub ids: Vec<OfferingId>,
    pub quantity: u64,
    pub unit: Option<Unit>,
    pub sector: Option<String>,
}

fn parse_ids(fields: &mut Fields, raw: &str) -> Vec<OfferingId> {
    let mut ids = Vec::new();
    for (i, part) in raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        match part.parse::<OfferingId>() {
            Ok(id) if ids.contains(&id) => {
                fields.push(format!("ids[{i}]"), "duplicate", "is listed twice")
            }
            Ok(id) => ids.push(id),
            Err(_) => fields.push(format!("ids[{i}]"), "invalid", "must be a UUID"),
        }
        // Past the limit the request is refused anyway; reading on would only cost work.
        if i > MAX_ITEMS {
            break;
        }
    }
    if !(MIN_ITEMS..=MAX_ITEMS).contains(&ids.len()) {
        fields.push(
            "ids",
            "out_of_range",
            format!("compare {MIN_ITEMS} to {MAX_ITEMS} offerings"),
        );
    }
    ids
}

impl Comparison {
    pub fn parse(
        ids: &str,
        quantity: Option<u64>,
        unit: Option<&str>,
        sector: Option<String>,
    ) -> Result<Comparison, DomainError> {
        let mut fields = Fields::new();
        let ids = parse_ids(&mut fields, ids);
        let quantity = quantity.unwrap_or(1);
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            fields.push(
                "quantity",
                "out_of_range",
                format!("must be between 1 and {MAX_QUANTITY}"),
            );
        }
        let unit = unit.and_then(|u| {
            let unit = Unit::parse(u);
            if unit.is_none() {
                fields.push(
                    "unit",
                    "unknown_code",
                    format!("must be one of {}", taxonomy::codes(taxonomy::UNITS)),
                );
            }
            unit
        });
        if sector
            .as_deref()
            .is_some_and(|s| !taxonomy::is_code(taxonomy::SECTORS, s))
        {
            fields.push(
                "sector",
                "unknown_code",
                format!("must be one of {}", taxonomy::codes(taxonomy::SECTORS)),
            );
        }
        fields.finish()?;
        Ok(Comparison {
            ids,
            quantity,
            unit,
            sector,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<Comparison, DomainError>) -> Vec<(String, &'static str)> {
        match result {
            Err(DomainError::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn two_to_six_distinct_offerings() {
        let (a, b) = (OfferingId::generate(), OfferingId::generate());
        let ok = Comparison::parse(&format!("{a}, {b}"), Some(3), Some("leerling"), None).unwrap();
        assert_eq!(
            (ok.ids, ok.quantity, ok.unit),
            (vec![a, b], 3, Some(Unit::Leerling))
        );
        assert_eq!(
            codes(Comparison::parse(&format!("{a},{a}"), None, None, None)),
            [
                ("ids[1]".to_owned(), "duplicate"),
                ("ids".to_owned(), "out_of_range")
            ]
        );
        assert_eq!(
            codes(Comparison::parse(
                &format!("{a},{b}"),
                Some(0),
                Some("kilo"),
                Some("x".into())
            )),
            [
                ("quantity".to_owned(), "out_of_range"),
                ("unit".to_owned(), "unknown_code"),
                ("sector".to_owned(), "unknown_code")
            ]
        );
    }

    #[test]
    fn a_long_list_of_ids_is_refused_without_reading_it_all() {
        let many = vec!["not-a-uuid"; 100_000].join(",");
        let errors = codes(Comparison::parse(&many, None, None, None));
        assert!(errors.len() <= MAX_ITEMS + 3, "{}", errors.len());
        assert!(errors.contains(&("ids".to_owned(), "out_of_range")));
    }
}
