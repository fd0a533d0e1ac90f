//! Numbers, money and dates as Dutch readers write them.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

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

/// Cents as the price box shows them: `450`, `1250,50`.
pub fn euros_typed(cents: i64) -> String {
    let (whole, rest) = (cents / 100, (cents % 100).abs());
    if rest == 0 {
        whole.to_string()
    } else {
        format!("{whole},{rest:02}")
    }
}

/// An amount in euros as a Dutch reader types it (`450`, `1.250,50`, `€ 450`, `450.5`), in
/// cents; empty is no amount. A sign is kept, so the use case can say a price is out of range.
pub(crate) fn parse_euros(typed: &str) -> Result<Option<i64>, ()> {
    let cleaned: String = typed
        .trim()
        .trim_start_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    // A comma is the decimal sign and dots group thousands; without a comma, a dot before one
    // or two final digits is a decimal point (450.50) and other dots group thousands (1.250).
    let (whole, fraction) = match digits.rsplit_once(',') {
        Some((whole, fraction)) => (whole.replace('.', ""), fraction.to_owned()),
        None => match digits.rsplit_once('.') {
            Some((whole, fraction)) if (1..=2).contains(&fraction.len()) => {
                (whole.replace('.', ""), fraction.to_owned())
            }
            _ => (digits.replace('.', ""), String::new()),
        },
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(&whole) || !all_digits(&fraction) || fraction.len() > 2 {
        return Err(());
    }
    let whole: i64 = whole.parse().map_err(|_| ())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| ())?;
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or(())?;
    Ok(Some(if negative { -cents } else { cents }))
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

/// The last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or(NaiveDate::MAX);
    let last = first_of_next.pred_opt().unwrap_or(first_of_next);
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// The offset of Dutch time at `at`: CEST (+2) from the last Sunday of March to the last
/// Sunday of October, both at 01:00 UTC, else CET (+1). The EU rule (Directive 2000/84/EC)
/// is written out rather than taken from a time-zone database: it is fixed in law, and the
/// pages show no other zone.
pub fn dutch_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let switch = |month| {
        last_sunday(year, month)
            .and_hms_opt(1, 0, 0)
            .map(|n| n.and_utc())
    };
    let summer =
        matches!((switch(3), switch(10)), (Some(start), Some(end)) if at >= start && at < end);
    if summer { CEST } else { CET }
}

/// Both offsets are checked when the program is compiled, so neither can fail when it runs.
const CET: FixedOffset = match FixedOffset::east_opt(3600) {
    Some(offset) => offset,
    None => panic!("UTC+1 is a valid offset"),
};
const CEST: FixedOffset = match FixedOffset::east_opt(2 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+2 is a valid offset"),
};

fn dutch(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&dutch_offset(at))
}

/// A moment as Dutch readers read it, in Dutch time: "10 december 2026, 17:00".
pub fn moment(at: DateTime<Utc>) -> String {
    let local = dutch(at);
    let month = MONTHS[local.month0() as usize];
    format!(
        "{} {month} {}, {}",
        local.day(),
        local.year(),
        local.format("%H:%M")
    )
}

/// A moment as a `datetime-local` control holds it, in Dutch time: "2026-12-10T17:00".
pub fn moment_typed(at: DateTime<Utc>) -> String {
    dutch(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// A moment typed in Dutch time (`2026-12-10T17:00`, as a `datetime-local` control sends it,
/// or with a space, or with seconds). The hour that happens twice in October is its first;
/// a time in the hour skipped in March is read as summer time an hour later.
pub fn parse_moment(typed: &str) -> Option<DateTime<Utc>> {
    let typed = typed.trim().replace(' ', "T");
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&typed, f).ok())?;
    let as_offset = |hours: i32| {
        let offset = FixedOffset::east_opt(hours * 3600)?;
        let at = offset
            .from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc);
        Some((at, dutch_offset(at) == offset))
    };
    match (as_offset(2)?, as_offset(1)?) {
        ((summer, true), _) => Some(summer),
        (_, (winter, true)) => Some(winter),
        (_, (winter, false)) => Some(winter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_in_dutch_time_winter_and_summer() {
        let winter = Utc.with_ymd_and_hms(2026, 12, 10, 16, 0, 0).unwrap();
        assert_eq!(moment(winter), "10 december 2026, 17:00");
        assert_eq!(moment_typed(winter), "2026-12-10T17:00");
        let summer = Utc.with_ymd_and_hms(2027, 6, 1, 10, 30, 0).unwrap();
        assert_eq!(moment(summer), "1 juni 2027, 12:30");
        // 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.
        let before = Utc.with_ymd_and_hms(2027, 3, 28, 0, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap();
        assert_eq!(moment_typed(before), "2027-03-28T01:59");
        assert_eq!(moment_typed(after), "2027-03-28T03:00");
        let end = Utc.with_ymd_and_hms(2027, 10, 31, 1, 0, 0).unwrap();
        assert_eq!(moment_typed(end), "2027-10-31T02:00");
        assert_eq!(moment_typed(end - Duration::minutes(1)), "2027-10-31T02:59");
    }

    #[test]
    fn a_typed_moment_reads_back_as_the_instant_shown() {
        for at in [
            Utc.with_ymd_and_hms(2026, 12, 10, 16, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 6, 1, 10, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap(),
        ] {
            assert_eq!(parse_moment(&moment_typed(at)), Some(at));
        }
        assert_eq!(
            parse_moment("2026-12-10 17:00:30"),
            Some(Utc.with_ymd_and_hms(2026, 12, 10, 16, 0, 30).unwrap())
        );
        // Twice in October: the first; skipped in March: an hour later in summer time.
        assert_eq!(
            parse_moment("2027-10-31T02:30"),
            Some(Utc.with_ymd_and_hms(2027, 10, 31, 0, 30, 0).unwrap())
        );
        assert_eq!(
            parse_moment("2027-03-28T02:30"),
            Some(Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).unwrap())
        );
        for bad in [
            "",
            "morgen",
            "2026-13-01T10:00",
            "2026-12-10",
            "10-12-2026 17:00",
        ] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }

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
