//! The form that drafts and changes a bundle: every field of the API's `BundleInput` as a
//! control with its Dutch label, the need asked along the advice's questions, a weight box per
//! award criterion and the deadlines in Dutch time. What was typed is read back into the use
//! case's input; the form checks only what the use case cannot read (a weight or a moment
//! that is no number or date), and shows those errors beside the use case's own.

use crate::db::models::bundle::Bundle;
use crate::domain::FieldError;
use crate::domain::award::{Criterion, PriceMethod};
use crate::domain::bundle::{BundleInput, CriterionInput, NeedInput, Visibility};
use crate::domain::cost::Unit;
use crate::domain::taxonomy;
use crate::web::csrf::CsrfForm;
use crate::web::form::{Builder, FormErrors, FormSection, Pairs};
use crate::web::format::{moment_typed, parse_moment, tender};
use crate::web::text as t;

/// Each criterion's weight box is named `weight_<code>`.
const WEIGHT_NAMES: [&str; 6] = [
    "weight_price",
    "weight_fit",
    "weight_lasting_effect",
    "weight_evidence",
    "weight_co_creation",
    "weight_expertise",
];

fn weight_name(criterion: Criterion) -> &'static str {
    let i = Criterion::ALL
        .iter()
        .position(|c| *c == criterion)
        .unwrap_or(0);
    WEIGHT_NAMES[i]
}

/// What the form holds, as typed, so a refused form shows exactly what was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleForm {
    pub title: String,
    pub problem: String,
    pub goals: String,
    pub intended_result: String,
    pub success_measure: String,
    pub domain: String,
    pub service_type: String,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub unit: String,
    /// One per criterion, in `Criterion::ALL`'s order; empty is not weighed.
    pub weights: Vec<String>,
    pub price_method: String,
    pub join_deadline: String,
    pub offer_deadline: String,
    pub visibility: String,
}

impl BundleForm {
    /// A new bundle's form: price weighed no more than quality, as the advice asks.
    pub fn blank(network: bool) -> BundleForm {
        let mut weights = vec![String::new(); Criterion::ALL.len()];
        for (criterion, weight) in [
            (Criterion::Price, "40"),
            (Criterion::Fit, "30"),
            (Criterion::LastingEffect, "30"),
        ] {
            weights[Criterion::ALL
                .iter()
                .position(|c| *c == criterion)
                .unwrap_or(0)] = weight.to_owned();
        }
        BundleForm {
            weights,
            price_method: PriceMethod::Relative.as_str().to_owned(),
            visibility: if network {
                Visibility::Network
            } else {
                Visibility::Public
            }
            .as_str()
            .to_owned(),
            ..BundleForm::default()
        }
    }

    pub fn posted(form: &CsrfForm) -> BundleForm {
        // Browsers send a text area's line breaks as CRLF; bundles store LF.
        let text = |name: &str| form.value(name).replace("\r\n", "\n");
        let list = |name: &str| form.values(name).map(str::to_owned).collect::<Vec<_>>();
        BundleForm {
            title: text("title"),
            problem: text("problem"),
            goals: text("goals"),
            intended_result: text("intended_result"),
            success_measure: text("success_measure"),
            domain: text("domain"),
            service_type: text("service_type"),
            sectors: list("sectors"),
            regions: list("regions"),
            unit: text("unit"),
            weights: WEIGHT_NAMES.iter().map(|n| text(n)).collect(),
            price_method: text("price_method"),
            join_deadline: text("join_deadline"),
            offer_deadline: text("offer_deadline"),
            visibility: text("visibility"),
        }
    }

    /// A stored bundle, as its form shows it.
    pub fn of(bundle: &Bundle) -> BundleForm {
        let stored: Vec<CriterionInput> =
            serde_json::from_value(bundle.criteria.clone()).unwrap_or_default();
        let weights = Criterion::ALL
            .iter()
            .map(|c| {
                stored
                    .iter()
                    .find(|s| s.code == c.as_str())
                    .map(|s| s.weight.to_string())
                    .unwrap_or_default()
            })
            .collect();
        BundleForm {
            title: bundle.title.clone(),
            problem: bundle.need_problem.clone(),
            goals: bundle.need_goals.clone(),
            intended_result: bundle.need_intended_result.clone(),
            success_measure: bundle.need_success_measure.clone(),
            domain: bundle.domain.clone(),
            service_type: bundle.service_type.clone(),
            sectors: bundle.sectors.clone(),
            regions: bundle.regions.clone(),
            unit: bundle.unit.clone(),
            weights,
            price_method: bundle.price_method.as_str().to_owned(),
            join_deadline: moment_typed(bundle.join_deadline),
            offer_deadline: moment_typed(bundle.offer_deadline),
            visibility: bundle.visibility.as_str().to_owned(),
        }
    }

    /// The use case's input, and the errors of what it cannot read: a weight that is no whole
    /// number, a deadline that is no date and time. The weighed criteria go in `Criterion::ALL`'s
    /// order, which `criteria_controls` follows back.
    pub fn input(&self) -> (BundleInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut criteria = Vec::new();
        for (criterion, typed) in Criterion::ALL.iter().zip(&self.weights) {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            match typed.parse::<i64>() {
                Ok(weight) => criteria.push(CriterionInput {
                    code: criterion.as_str().to_owned(),
                    weight,
                }),
                Err(_) => errors.push(FieldError::new(
                    weight_name(*criterion),
                    "invalid",
                    "a weight is a whole number",
                )),
            }
        }
        let mut moment = |field: &'static str, typed: &str| {
            if typed.trim().is_empty() {
                return None;
            }
            let parsed = parse_moment(typed);
            if parsed.is_none() {
                errors.push(FieldError::new(field, "invalid", "no date and time"));
            }
            parsed
        };
        let join_deadline = moment("join_deadline", &self.join_deadline);
        let offer_deadline = moment("offer_deadline", &self.offer_deadline);
        let input = BundleInput {
            owner_organization_id: None,
            title: self.title.clone(),
            need: NeedInput {
                problem: self.problem.clone(),
                goals: self.goals.clone(),
                intended_result: self.intended_result.clone(),
                success_measure: self.success_measure.clone(),
            },
            domain: self.domain.clone(),
            service_type: self.service_type.clone(),
            sectors: self.sectors.clone(),
            regions: self.regions.clone(),
            unit: self.unit.clone(),
            criteria,
            price_method: Some(self.price_method.clone()),
            join_deadline,
            offer_deadline,
            visibility: self.visibility.clone(),
        };
        (input, errors)
    }

    /// The weighed criteria in the order `input` sent them: `criteria[i]`'s control.
    fn criteria_controls(&self) -> Vec<&'static str> {
        Criterion::ALL
            .iter()
            .zip(&self.weights)
            .filter(|(_, typed)| !typed.trim().is_empty())
            .map(|(c, _)| weight_name(*c))
            .collect()
    }

    /// The errors (the form's and the use case's) in Dutch, each at its control: a weight's at
    /// its box, the sum's at the first box, a listed region's at its group.
    pub fn errors(&self, errors: &[FieldError]) -> FormErrors {
        let weighed = self.criteria_controls();
        let named: Vec<FieldError> = errors
            .iter()
            .map(|e| {
                let (control, label, problem) = match e.field.as_str() {
                    f if f.starts_with("criteria[") => {
                        let i = f
                            .trim_start_matches("criteria[")
                            .trim_end_matches(']')
                            .parse::<usize>()
                            .ok();
                        let control = i.and_then(|i| weighed.get(i)).copied();
                        (
                            control.unwrap_or(WEIGHT_NAMES[0]).to_owned(),
                            t::CRITERIA_LEGEND,
                            t::bundle_problem("criteria", e.code),
                        )
                    }
                    f if f.starts_with("weight_") => (
                        f.to_owned(),
                        t::CRITERIA_LEGEND,
                        t::bundle_problem("criteria", e.code),
                    ),
                    "criteria" => (
                        WEIGHT_NAMES[0].to_owned(),
                        t::CRITERIA_LEGEND,
                        t::bundle_problem("criteria", e.code),
                    ),
                    f => {
                        let field = f.split('[').next().unwrap_or(f);
                        (
                            need_control(field).to_owned(),
                            t::bundle_field_label(field),
                            t::bundle_problem(field, e.code),
                        )
                    }
                };
                FieldError::new(control, e.code, format!("{label}: {problem}"))
            })
            .collect();
        FormErrors::from_messages(&named, |e| e.message.clone(), |f| format!("veld-{f}"))
    }

    /// The form's controls in sections, showing the values and each control's error.
    pub fn sections(&self, errors: &FormErrors, tendering: bool) -> Vec<FormSection> {
        let b = Builder { errors };
        let units: Pairs = Unit::ALL
            .iter()
            .map(|u| (u.as_str(), t::unit_plural(*u)))
            .collect();
        let methods: Pairs = PriceMethod::ALL
            .iter()
            .map(|m| (m.as_str(), tender::price_method(*m)))
            .collect();
        let audiences: Pairs = Visibility::ALL
            .iter()
            .map(|v| (v.as_str(), tender::visibility(*v)))
            .collect();
        let weights: Vec<_> = Criterion::ALL
            .iter()
            .zip(&self.weights)
            .map(|(c, typed)| b.numeric(weight_name(*c), tender::criterion(*c), None, typed))
            .collect();
        let mut deadlines = Vec::new();
        // Once joining has closed its deadline stays: it is shown on the page, not offered.
        if !tendering {
            deadlines.push(b.moment(
                "join_deadline",
                t::JOIN_DEADLINE,
                Some(t::MOMENT_HINT),
                &self.join_deadline,
            ));
        }
        deadlines.push(b.moment(
            "offer_deadline",
            t::OFFER_DEADLINE,
            Some(t::MOMENT_HINT),
            &self.offer_deadline,
        ));
        vec![
            FormSection {
                legend: t::NEED_LEGEND,
                controls: vec![
                    b.text("title", t::BUNDLE_TITLE_LABEL, None, &self.title, 0),
                    b.text(
                        "problem",
                        t::NEED_PROBLEM,
                        Some(t::NEED_PROBLEM_HINT),
                        &self.problem,
                        4,
                    ),
                    b.text("goals", t::NEED_GOALS, None, &self.goals, 4),
                    b.text(
                        "intended_result",
                        t::NEED_RESULT,
                        None,
                        &self.intended_result,
                        3,
                    ),
                    b.text(
                        "success_measure",
                        t::NEED_MEASURE,
                        Some(t::NEED_MEASURE_HINT),
                        &self.success_measure,
                        3,
                    ),
                ],
            },
            FormSection {
                legend: t::CONDITIONS_LEGEND,
                controls: vec![
                    b.select("domain", t::DOMAIN, None, taxonomy::DOMAINS, &self.domain),
                    b.service_type(&self.service_type),
                    b.sectors(&self.sectors),
                    b.regions(&self.regions),
                    b.select_groups(
                        "unit",
                        t::UNIT,
                        Some(t::UNIT_HINT),
                        vec![(None, units)],
                        &self.unit,
                    ),
                    b.select_groups(
                        "visibility",
                        t::VISIBILITY,
                        None,
                        vec![(None, audiences)],
                        &self.visibility,
                    ),
                ],
            },
            FormSection {
                legend: t::CRITERIA_LEGEND,
                controls: std::iter::once(b.select_groups(
                    "price_method",
                    t::PRICE_METHOD,
                    Some(t::PRICE_METHOD_HINT),
                    vec![(None, methods)],
                    &self.price_method,
                ))
                .chain(weights)
                .collect(),
            },
            FormSection {
                legend: t::DEADLINES_LEGEND,
                controls: deadlines,
            },
        ]
    }
}

/// The control of an API field: the need's parts are named without their group.
fn need_control(field: &str) -> &str {
    field.strip_prefix("need.").unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_moments_that_cannot_be_read_are_named_and_the_rest_is_sent() {
        let form = BundleForm {
            weights: vec![
                "60".into(),
                "veel".into(),
                String::new(),
                "40".into(),
                String::new(),
                String::new(),
            ],
            join_deadline: "morgen".into(),
            offer_deadline: "2027-01-15T17:00".into(),
            ..BundleForm::default()
        };
        let (input, errors) = form.input();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["weight_fit", "join_deadline"]);
        let codes: Vec<&str> = input.criteria.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["price", "evidence"]);
        assert!(input.offer_deadline.is_some() && input.join_deadline.is_none());
    }

    #[test]
    fn a_criterions_error_goes_to_its_own_box() {
        let mut form = BundleForm::blank(true);
        form.weights = vec![
            String::new(),
            "50".into(),
            String::new(),
            "0".into(),
            String::new(),
            String::new(),
        ];
        let errors = form.errors(&[
            FieldError::new("criteria[1]", "out_of_range", "x"),
            FieldError::new("need.goals", "required", "x"),
        ]);
        assert!(errors.of("weight_evidence").is_some());
        assert_eq!(
            errors.of("goals"),
            Some("Wat willen ze bereiken?: vul dit in")
        );
        assert_eq!(errors.list()[0].anchor, "veld-weight_evidence");
    }
}
