//! Numbers, money and dates as Dutch readers write them.

use chrono::{DateTime, Datelike, Utc};

use crate::routes::search::params::facet_values;
use crate::web::text;

/// Cents as euros, Dutch style: `€ 1.250`, `€ 1.250,50`, `-€ 5`.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (whole, rest) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    if rest == 0 {
        format!("{sign}€ {grouped}")
    } else {
        format!("{sign}€ {grouped},{rest:02}")
    }
}

/// An offering's price: its range in its price model's unit, or "op aanvraag".
pub fn price(model: &str, min: Option<i64>, max: Option<i64>) -> String {
    let unit = label("price_model", model);
    let amount = match (min, max) {
        (Some(min), Some(max)) if min != max => format!("{} – {}", euros(min), euros(max)),
        (Some(one), _) | (None, Some(one)) => euros(one),
        (None, None) => return format!("prijs {unit}"),
    };
    format!("{amount} {unit}")
}

/// An estimate's amount: "€ 11.250 – € 15.000", one figure when the range is one, and
/// "per jaar" after a yearly price.
pub fn estimate(min_cents: i64, max_cents: i64, per_year: bool) -> String {
    let amount = if min_cents == max_cents || max_cents == 0 {
        euros(min_cents)
    } else {
        format!("{} – {}", euros(min_cents), euros(max_cents))
    };
    if per_year {
        format!("{amount} {}", text::PER_YEAR)
    } else {
        amount
    }
}

/// A text's paragraphs: its parts between blank lines, trimmed, empty ones left out.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The Dutch label of a code of a facet parameter (the code itself when unknown, so a code
/// added to the index before this build knows it still shows).
pub fn label<'a>(param: &str, code: &'a str) -> &'a str {
    facet_values(param)
        .into_iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, nl)| nl)
}

/// The labels of several codes, joined: "primair onderwijs, voortgezet onderwijs".
pub fn labels(param: &str, codes: &[String]) -> String {
    if codes.is_empty() {
        return text::NONE_GIVEN.to_owned();
    }
    codes
        .iter()
        .map(|c| label(param, c))
        .collect::<Vec<_>>()
        .join(", ")
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "1 december 2026" (the date in UTC).
pub fn date(at: DateTime<Utc>) -> String {
    let month = MONTHS[at.month0() as usize];
    format!("{} {month} {}", at.day(), at.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_group_thousands_with_dots_and_show_cents_only_when_there_are_some() {
        assert_eq!(euros(0), "€ 0");
        assert_eq!(euros(45_000), "€ 450");
        assert_eq!(euros(125_050), "€ 1.250,50");
        assert_eq!(euros(100_000_000), "€ 1.000.000");
        assert_eq!(euros(-505), "-€ 5,05");
        assert_eq!(euros(i64::MIN), "-€ 92.233.720.368.547.758,08");
    }

    #[test]
    fn prices_name_their_unit_and_requests_have_no_number() {
        assert_eq!(
            price("per_deelnemer", Some(45_000), Some(60_000)),
            "€ 450 – € 600 per deelnemer"
        );
        assert_eq!(price("per_uur", Some(9_500), Some(9_500)), "€ 95 per uur");
        assert_eq!(
            price("vaste_prijs", Some(250_000), None),
            "€ 2.500 vaste prijs"
        );
        assert_eq!(price("op_aanvraag", None, None), "prijs op aanvraag");
    }

    #[test]
    fn labels_are_dutch_and_unknown_codes_show_as_they_are() {
        assert_eq!(
            labels("sector", &["po".into(), "vo".into()]),
            "primair onderwijs, voortgezet onderwijs"
        );
        assert_eq!(label("region", "landelijk"), "landelijk");
        assert_eq!(label("theme", "nieuw_thema"), "nieuw_thema");
        assert_eq!(labels("theme", &[]), text::NONE_GIVEN);
        let at = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").unwrap();
        assert_eq!(date(at.with_timezone(&Utc)), "1 december 2026");
    }
}

/// The tender's words, shared by every tender page and mail.
pub mod tender {
    use crate::domain::award::{Criterion, PriceMethod};
    use crate::domain::bundle::{BundleStatus, Visibility};

    /// A bundle's status as its pages say it.
    pub fn status(status: BundleStatus) -> &'static str {
        match status {
            BundleStatus::Draft => "concept",
            BundleStatus::Open => "open voor aanmelding",
            BundleStatus::Tendering => "open voor offertes",
            BundleStatus::Evaluating => "offertes in beoordeling",
            BundleStatus::Awarded => "gegund",
            BundleStatus::Cancelled => "geannuleerd",
        }
    }

    /// An award criterion's name.
    pub fn criterion(criterion: Criterion) -> &'static str {
        match criterion {
            Criterion::Price => "prijs",
            Criterion::Fit => "aansluiting bij de vraag",
            Criterion::LastingEffect => "blijvend effect",
            Criterion::Evidence => "onderbouwing en bewijs",
            Criterion::CoCreation => "samen ontwikkelen met de scholen",
            Criterion::Expertise => "deskundigheid",
        }
    }

    /// How the price is scored.
    pub fn price_method(method: PriceMethod) -> &'static str {
        match method {
            PriceMethod::Relative => "ten opzichte van de laagste prijs",
            PriceMethod::Budget => "ten opzichte van het budget van de bundel",
        }
    }

    /// Who may join.
    pub fn visibility(visibility: Visibility) -> &'static str {
        match visibility {
            Visibility::Network => "alleen scholen van het netwerk",
            Visibility::Public => "alle scholen en besturen",
        }
    }
}
