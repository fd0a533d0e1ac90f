//! `/vergelijken?id=..&id=..&aantal=400&eenheid=leerling`: two to six offerings side by side,
//! over the API's compare use case (`usecases::compare`, `domain::compare`). One GET form, so a
//! comparison can be shared, bookmarked and recomputed without JavaScript.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::compare::{Comparison, MAX_ITEMS, MAX_QUANTITY};
use crate::domain::cost::{CostEstimate, PriceModel, Unit, priced_unit};
use crate::domain::{DomainError, FieldError};
use crate::state::AppState;
use crate::usecases::compare::{self, Compared};
use crate::web::error::PageResult;
use crate::web::form::FormErrors;
use crate::web::format::{self, label, labels};
use crate::web::layout::{Layout, Section, render};
use crate::web::session::Visitor;
use crate::web::shortlist::SaveForm;
use crate::web::text as t;

/// The parameter naming a compared offering, repeated; the search page's checkboxes and the
/// offering page's link use it too.
pub const ID: &str = "id";
const QUANTITY: &str = "aantal";
const UNIT: &str = "eenheid";
/// More values than the form ever sends; the rest are not read (nor echoed into links).
const MAX_PAIRS: usize = 50;
/// Enough for any id or quantity; longer values are cut, never echoed back whole.
const MAX_VALUE: usize = 50;

/// A quantity typed in a form: a whole number from 1 to the domain's limit, or the field error
/// of `field` saying so.
pub fn parse_quantity(field: &str, typed: &str) -> Result<u64, FieldError> {
    match typed.trim().parse::<u64>() {
        Ok(n) if (1..=MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            field,
            "out_of_range",
            format!("must be a whole number from 1 to {MAX_QUANTITY}"),
        )),
    }
}

/// The query string as the page reads it: the ids (a comma-separated value counts as several,
/// as in the API), and the quantity and unit as typed.
#[derive(Debug, Default)]
struct CompareForm {
    ids: Vec<String>,
    quantity: String,
    unit: String,
}

impl CompareForm {
    fn parse(query_string: &str) -> CompareForm {
        let mut form = CompareForm::default();
        for (name, value) in form_urlencoded::parse(query_string.as_bytes()).take(MAX_PAIRS) {
            let cut = |v: &str| v.chars().take(MAX_VALUE).collect::<String>();
            match name.as_ref() {
                ID => form.ids.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .take(MAX_PAIRS)
                        .map(cut),
                ),
                QUANTITY if form.quantity.is_empty() => form.quantity = cut(&value),
                UNIT if form.unit.is_empty() => form.unit = cut(&value),
                // Other parameters (a search's, a tracker's) change nothing here.
                _ => {}
            }
        }
        form.ids.truncate(MAX_PAIRS);
        form
    }

    /// This comparison's URL with `ids` (the quantity and unit kept).
    fn href(&self, ids: &[&str]) -> String {
        let mut url = form_urlencoded::Serializer::new(String::new());
        for id in ids {
            url.append_pair(ID, id);
        }
        for (name, value) in [(QUANTITY, &self.quantity), (UNIT, &self.unit)] {
            if !value.trim().is_empty() {
                url.append_pair(name, value);
            }
        }
        format!("/vergelijken?{}", url.finish())
    }
}

/// The search page with `ids` already chosen, to choose more.
pub fn choose_more_href(ids: &[&str]) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for id in ids {
        url.append_pair(ID, id);
    }
    format!("/?{}", url.finish())
}

/// A compared offering's column head.
pub struct Column {
    pub id: String,
    pub href: String,
    pub title: String,
    pub provider_href: String,
    pub provider_name: String,
    /// The comparison without this one; none when that would leave fewer than two.
    pub remove_href: Option<String>,
}

/// One attribute across the columns.
pub struct Row {
    pub label: String,
    pub values: Vec<String>,
    /// Not every column has the same value: marked in the row's header in words.
    pub differs: bool,
}

impl Row {
    fn new(label: impl Into<String>, values: Vec<String>) -> Row {
        let differs = values.windows(2).any(|pair| pair[0] != pair[1]);
        Row {
            label: label.into(),
            values,
            differs,
        }
    }
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    page: Layout,
    errors: FormErrors,
    caption: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// The ids the form carries, so recomputing keeps the comparison.
    ids: Vec<String>,
    quantity: String,
    /// The unit menu: value, label, selected.
    units: Vec<(String, String, bool)>,
    /// The search page with the compared ones chosen, while there is room for more.
    choose_more: Option<String>,
    /// Saving the compared offerings as a shortlist, once there is a comparison.
    save: Option<SaveForm>,
}

pub async fn compare_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
) -> PageResult<HttpResponse> {
    let form = CompareForm::parse(req.query_string());
    let mut errors: Vec<FieldError> = Vec::new();
    // A bad quantity or unit still shows the offerings, only without estimates.
    let quantity = match form.quantity.trim() {
        "" => None,
        typed => parse_quantity(QUANTITY, typed)
            .map_err(|e| errors.push(e))
            .ok(),
    };
    let unit = match form.unit.trim() {
        "" => None,
        code => {
            let unit = Unit::parse(code);
            if unit.is_none() {
                errors.push(FieldError::new(UNIT, "unknown_code", "no such unit"));
            }
            unit
        }
    };
    let mut conn = state.conn().await?;
    // A signed-in reviewer sees the ratings of reviewers in their own sector beside the rest.
    let sector = match &visitor.caller {
        Some(caller) => compare::reviewer_sector(&mut conn, caller).await?,
        None => None,
    };
    let compared = match Comparison::parse(
        &form.ids.join(","),
        Some(quantity.unwrap_or(1)),
        unit.map(Unit::as_str),
        sector.clone(),
    ) {
        Ok(request) => {
            match compare::compare_offerings(
                &mut conn,
                visitor.caller.as_ref(),
                &request,
                &state.config.reviews,
            )
            .await
            {
                Ok(compared) => compared,
                Err(DomainError::Invalid(fields)) => {
                    errors.extend(fields);
                    Vec::new()
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(DomainError::Invalid(fields)) => {
            errors.extend(fields);
            Vec::new()
        }
        Err(other) => return Err(other.into()),
    };
    // The save form takes a connection of its own: this one goes back to the pool first.
    drop(conn);
    let errors = FormErrors::from_messages(&errors, message, |field| anchor(field).to_owned());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut page = ComparePage::new(&form, errors, compared, quantity, unit, sector.as_deref());
    page.page = visitor.layout(t::COMPARE_TITLE, Section::Other);
    if !page.columns.is_empty() {
        page.save = Some(SaveForm::for_visitor(&state, &visitor, page.ids.clone(), true).await?);
    }
    Ok(render(status, &page))
}

/// The Dutch message of an error of the compare form.
fn message(error: &FieldError) -> String {
    match error.field.as_str() {
        QUANTITY => format!("{}: {}", t::COMPARE_QUANTITY_LABEL, t::QUANTITY_PROBLEM),
        UNIT => t::COMPARE_UNIT_PROBLEM.to_owned(),
        "ids" => t::COMPARE_IDS_COUNT.to_owned(),
        // `ids[i]`: the offering at place i.
        field => {
            let place = field
                .strip_prefix("ids[")
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .map_or(1, |i| i + 1);
            t::compare_item_problem(place, error.code)
        }
    }
}

/// Where an error's summary link leads: its control, or for the offerings the way to choose.
fn anchor(field: &str) -> &'static str {
    match field {
        QUANTITY => "veld-aantal",
        UNIT => "veld-eenheid",
        _ => "kiezen",
    }
}

impl ComparePage {
    fn new(
        form: &CompareForm,
        errors: FormErrors,
        compared: Vec<Compared>,
        quantity: Option<u64>,
        unit: Option<Unit>,
        sector: Option<&str>,
    ) -> ComparePage {
        let ids: Vec<String> = compared.iter().map(|c| c.offering.id.to_string()).collect();
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        // Without a comparison, the way back keeps the ids that named a published offering.
        let kept: Vec<&str> = if id_refs.is_empty() {
            form.ids
                .iter()
                .enumerate()
                .filter(|(i, id)| {
                    id.parse::<crate::domain::OfferingId>().is_ok()
                        && errors.of(&format!("ids[{i}]")).is_none()
                })
                .map(|(_, id)| id.as_str())
                .take(MAX_ITEMS)
                .collect()
        } else {
            id_refs.clone()
        };
        let columns = compared
            .iter()
            .map(|c| {
                let id = c.offering.id.to_string();
                let others: Vec<&str> = id_refs.iter().copied().filter(|o| *o != id).collect();
                Column {
                    href: format!("/aanbod/{id}"),
                    title: c.offering.content.title.clone(),
                    provider_href: format!("/aanbieders/{}", c.offering.provider_id),
                    provider_name: c
                        .provider
                        .as_ref()
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    remove_href: (others.len() >= 2).then(|| form.href(&others)),
                    id,
                }
            })
            .collect();
        let mut caption = t::compare_caption(compared.len());
        if let (Some(n), Some(unit)) = (quantity, unit) {
            caption = format!(
                "{caption}, {} voor {}",
                t::COMPARE_COST.to_lowercase(),
                t::quantity(n, unit)
            );
        }
        let units = std::iter::once((
            String::new(),
            t::COMPARE_OWN_UNIT.to_owned(),
            unit.is_none(),
        ))
        .chain(Unit::ALL.into_iter().map(|u| {
            (
                u.as_str().to_owned(),
                t::unit_plural(u).to_owned(),
                unit == Some(u),
            )
        }))
        .collect();
        ComparePage {
            page: Layout::new(t::COMPARE_TITLE, Section::Other),
            errors,
            caption,
            columns,
            rows: rows(&compared, quantity, unit, sector),
            quantity: form.quantity.clone(),
            units,
            choose_more: (kept.len() < MAX_ITEMS).then(|| choose_more_href(&kept)),
            ids,
            save: None,
        }
    }
}

/// Every attribute with its Dutch label, one value per compared offering.
fn rows(
    compared: &[Compared],
    quantity: Option<u64>,
    unit: Option<Unit>,
    sector: Option<&str>,
) -> Vec<Row> {
    if compared.is_empty() {
        return Vec::new();
    }
    let row = |name: &str, value: &dyn Fn(&Compared) -> String| {
        Row::new(name, compared.iter().map(value).collect())
    };
    let mut rows = vec![
        row(t::PROVIDER_KIND, &|c| {
            c.provider
                .as_ref()
                .and_then(|p| p.provider_kind.as_deref())
                .map_or(t::NONE_GIVEN, |k| label("provider_kind", k))
                .to_owned()
        }),
        row(t::DOMAIN, &|c| {
            label("domain", &c.offering.content.domain).to_owned()
        }),
        row(t::SERVICE_TYPE, &|c| {
            label("service_type", &c.offering.content.service_type).to_owned()
        }),
        row(t::SECTORS, &|c| {
            labels("sector", &c.offering.content.sectors)
        }),
        row(t::REGIONS, &|c| {
            labels("region", &c.offering.content.regions)
        }),
        row(t::FORMATS, &|c| {
            labels("format", &c.offering.content.formats)
        }),
        row(t::DELIVERY, &|c| {
            labels("delivery", &c.offering.content.delivery)
        }),
        row(t::DURATION, &|c| {
            label("duration", &c.offering.content.duration).to_owned()
        }),
        row(t::PRICE, &|c| {
            let o = &c.offering.content;
            format::price(&o.price_model, o.price_min_cents, o.price_max_cents)
        }),
        row(
            &format!("{} ({})", t::COMPARE_COST, t::PRICE_EXCL_VAT),
            &|c| cost(c, quantity, unit),
        ),
        row(t::EVIDENCE, &|c| {
            label("evidence_level", &c.offering.content.evidence_level).to_owned()
        }),
        row(t::CO_CREATION, &|c| {
            labels("co_creation", &c.offering.content.co_creation_phases)
        }),
        row(t::THEMES, &|c| labels("theme", &c.offering.content.themes)),
        row(t::COMPARE_RATING, &|c| match c
            .document
            .as_ref()
            .and_then(|d| Some((d.rating_avg?, d.review_count)))
        {
            Some((average, count)) if count > 0 => t::rating(average, count),
            _ => t::NO_RATINGS.to_owned(),
        }),
    ];
    if let Some(sector) = sector {
        // Shown only for groups large enough (the use case leaves the others out).
        rows.push(row(
            &t::compare_sector_rating(label("sector", sector)),
            &|c| {
                c.sector_ratings
                    .as_ref()
                    .and_then(|stats| {
                        let overall = stats.dimensions.get("overall")?;
                        let count = i64::try_from(overall.count).ok()?;
                        Some(t::rating(overall.average?, count))
                    })
                    .unwrap_or_else(|| t::COMPARE_SECTOR_TOO_FEW.to_owned())
            },
        ));
    }
    rows
}

/// The use case's estimate for the asked quantity, in words; nothing asked, nothing estimated.
fn cost(compared: &Compared, quantity: Option<u64>, unit: Option<Unit>) -> String {
    let Some(quantity) = quantity else {
        return t::COMPARE_COST_ASK.to_owned();
    };
    match compared.cost {
        CostEstimate::Estimate {
            min_cents,
            max_cents,
            per_year,
        } => {
            let amount = format::estimate(min_cents, max_cents, per_year);
            match unit {
                Some(_) => amount,
                // Each in its own unit: say which, as the figures are not alike.
                None => {
                    let model = PriceModel::parse(&compared.offering.content.price_model)
                        .unwrap_or(PriceModel::OpAanvraag);
                    let own = priced_unit(model, None);
                    format!("{}: {amount}", t::quantity(quantity, own))
                }
            }
        }
        CostEstimate::OnRequest => label("price_model", "op_aanvraag").to_owned(),
        CostEstimate::UnitMismatch { price_unit } => {
            t::unit_mismatch(unit.unwrap_or(price_unit), price_unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_differs_when_any_value_differs() {
        assert!(!Row::new("a", vec!["x".into(), "x".into(), "x".into()]).differs);
        assert!(Row::new("a", vec!["x".into(), "x".into(), "y".into()]).differs);
    }

    #[test]
    fn the_form_reads_repeated_and_comma_separated_ids_and_keeps_the_first_quantity() {
        let form = CompareForm::parse("id=a&id=b,+c&aantal=400&aantal=5&eenheid=leerling&q=x");
        assert_eq!(form.ids, ["a", "b", "c"]);
        assert_eq!(
            (form.quantity.as_str(), form.unit.as_str()),
            ("400", "leerling")
        );
        assert_eq!(
            form.href(&["a", "c"]),
            "/vergelijken?id=a&id=c&aantal=400&eenheid=leerling"
        );
        let many = "id=x&".repeat(10_000);
        assert!(CompareForm::parse(&many).ids.len() <= MAX_PAIRS);
        let commas = format!("id={}", "x,".repeat(10_000));
        assert!(CompareForm::parse(&commas).ids.len() <= MAX_PAIRS);
        let long = format!("id={}&aantal={}", "x".repeat(500), "9".repeat(500));
        let form = CompareForm::parse(&long);
        assert_eq!(
            (form.ids[0].len(), form.quantity.len()),
            (MAX_VALUE, MAX_VALUE)
        );
    }

    #[test]
    fn errors_name_the_place_of_the_offering_in_dutch() {
        let error = FieldError::new("ids[2]", "not_found", "x");
        assert_eq!(
            message(&error),
            "Aanbod 3: dit aanbod bestaat niet (meer) of is niet gepubliceerd"
        );
        assert_eq!(anchor("ids[2]"), "kiezen");
    }
}
