//! The estimated cost of an offering for a quantity: one pure function that compare and the
//! tenders use. A price model names what a price is per (hour, participant, pupil per year,
//! licence per year, or a fixed price); asking for a quantity in another unit cannot be
//! answered, and "on request" has no number at all. Both are said, not guessed.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Deelnemer,
    Leerling,
    Licentie,
    Uur,
    School,
}

impl Unit {
    pub const ALL: [Unit; 5] = [
        Unit::Deelnemer,
        Unit::Leerling,
        Unit::Licentie,
        Unit::Uur,
        Unit::School,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Deelnemer => "deelnemer",
            Unit::Leerling => "leerling",
            Unit::Licentie => "licentie",
            Unit::Uur => "uur",
            Unit::School => "school",
        }
    }

    pub fn parse(code: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceModel {
    PerUur,
    PerDeelnemer,
    PerLeerlingPerJaar,
    PerLicentiePerJaar,
    VastePrijs,
    OpAanvraag,
}

impl PriceModel {
    pub const ALL: [PriceModel; 6] = [
        PriceModel::PerUur,
        PriceModel::PerDeelnemer,
        PriceModel::PerLeerlingPerJaar,
        PriceModel::PerLicentiePerJaar,
        PriceModel::VastePrijs,
        PriceModel::OpAanvraag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriceModel::PerUur => "per_uur",
            PriceModel::PerDeelnemer => "per_deelnemer",
            PriceModel::PerLeerlingPerJaar => "per_leerling_per_jaar",
            PriceModel::PerLicentiePerJaar => "per_licentie_per_jaar",
            PriceModel::VastePrijs => "vaste_prijs",
            PriceModel::OpAanvraag => "op_aanvraag",
        }
    }

    pub fn parse(code: &str) -> Option<PriceModel> {
        PriceModel::ALL.into_iter().find(|m| m.as_str() == code)
    }

    /// The unit a price is per; `None` for a fixed price and for "on request".
    pub fn unit(self) -> Option<Unit> {
        match self {
            PriceModel::PerUur => Some(Unit::Uur),
            PriceModel::PerDeelnemer => Some(Unit::Deelnemer),
            PriceModel::PerLeerlingPerJaar => Some(Unit::Leerling),
            PriceModel::PerLicentiePerJaar => Some(Unit::Licentie),
            PriceModel::VastePrijs | PriceModel::OpAanvraag => None,
        }
    }

    /// Whether the price recurs every year (licences and per-pupil subscriptions).
    pub fn per_year(self) -> bool {
        matches!(
            self,
            PriceModel::PerLeerlingPerJaar | PriceModel::PerLicentiePerJaar
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostEstimate {
    /// What the quantity costs, excluding VAT, as a range from the lowest to the highest price.
    Estimate {
        min_cents: i64,
        max_cents: i64,
        per_year: bool,
    },
    /// The provider quotes on request; no figure can be given.
    OnRequest,
    /// The price is per `price_unit` and the quantity is in another unit.
    UnitMismatch { price_unit: Unit },
}

/// The cost of `quantity` `unit`s. A fixed price covers the whole engagement, except that with
/// the unit `school` it is taken as a price per school. Arithmetic saturates instead of
/// overflowing, so no input makes it fail.
pub fn estimate(
    model: PriceModel,
    min_cents: i64,
    max_cents: i64,
    quantity: u64,
    unit: Unit,
) -> CostEstimate {
    let (low, high) = (min_cents.max(0), max_cents.max(min_cents).max(0));
    let quantity = i64::try_from(quantity).unwrap_or(i64::MAX);
    let times = |q: i64| CostEstimate::Estimate {
        min_cents: low.saturating_mul(q),
        max_cents: high.saturating_mul(q),
        per_year: model.per_year(),
    };
    match (model, model.unit()) {
        (PriceModel::OpAanvraag, _) => CostEstimate::OnRequest,
        (PriceModel::VastePrijs, _) if unit == Unit::School => times(quantity),
        (PriceModel::VastePrijs, _) => times(1),
        (_, Some(price_unit)) if price_unit == unit => times(quantity),
        (_, Some(price_unit)) => CostEstimate::UnitMismatch { price_unit },
        (_, None) => CostEstimate::OnRequest,
    }
}

/// What an offering as stored costs for `quantity` of `unit`; without a unit, each offering
/// is priced in its own (a fixed price per school). A model this build does not know is
/// treated as "on request": no figure is better than a wrong one.
pub fn offering_cost(
    price_model: &str,
    min_cents: Option<i64>,
    max_cents: Option<i64>,
    quantity: u64,
    unit: Option<Unit>,
) -> CostEstimate {
    let model = PriceModel::parse(price_model).unwrap_or(PriceModel::OpAanvraag);
    estimate(
        model,
        min_cents.unwrap_or(0),
        max_cents.unwrap_or(0),
        quantity,
        priced_unit(model, unit),
    )
}

/// The unit `offering_cost` counts a quantity in: the one asked, else the price's own (a
/// fixed price, or none, per school). Pages say it next to a figure.
pub fn priced_unit(model: PriceModel, asked: Option<Unit>) -> Unit {
    asked.or(model.unit()).unwrap_or(Unit::School)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn an_offering_is_priced_in_its_own_unit_unless_one_is_asked() {
        let own = offering_cost("per_deelnemer", Some(100), Some(200), 3, None);
        assert_eq!(
            own,
            CostEstimate::Estimate {
                min_cents: 300,
                max_cents: 600,
                per_year: false
            }
        );
        assert_eq!(
            offering_cost("per_deelnemer", Some(100), None, 3, Some(Unit::Leerling)),
            CostEstimate::UnitMismatch {
                price_unit: Unit::Deelnemer
            }
        );
        assert_eq!(
            offering_cost("astrologie", Some(100), None, 3, None),
            CostEstimate::OnRequest
        );
    }

    #[test]
    fn a_price_per_participant_scales_with_the_group() {
        assert_eq!(
            estimate(
                PriceModel::PerDeelnemer,
                45_000,
                60_000,
                25,
                Unit::Deelnemer
            ),
            CostEstimate::Estimate {
                min_cents: 1_125_000,
                max_cents: 1_500_000,
                per_year: false
            }
        );
        assert_eq!(
            estimate(
                PriceModel::PerLeerlingPerJaar,
                1_200,
                1_500,
                400,
                Unit::Leerling
            ),
            CostEstimate::Estimate {
                min_cents: 480_000,
                max_cents: 600_000,
                per_year: true
            }
        );
    }

    #[test]
    fn units_that_do_not_match_are_said_not_guessed() {
        assert_eq!(
            estimate(PriceModel::PerUur, 9_500, 12_000, 25, Unit::Deelnemer),
            CostEstimate::UnitMismatch {
                price_unit: Unit::Uur
            }
        );
        assert_eq!(
            estimate(PriceModel::OpAanvraag, 0, 0, 25, Unit::Deelnemer),
            CostEstimate::OnRequest
        );
    }

    #[test]
    fn a_fixed_price_is_per_engagement_or_per_school() {
        let per_engagement = estimate(
            PriceModel::VastePrijs,
            250_000,
            300_000,
            25,
            Unit::Deelnemer,
        );
        assert_eq!(
            per_engagement,
            CostEstimate::Estimate {
                min_cents: 250_000,
                max_cents: 300_000,
                per_year: false
            }
        );
        let per_school = estimate(PriceModel::VastePrijs, 250_000, 300_000, 3, Unit::School);
        assert_eq!(
            per_school,
            CostEstimate::Estimate {
                min_cents: 750_000,
                max_cents: 900_000,
                per_year: false
            }
        );
    }

    fn model() -> impl Strategy<Value = PriceModel> {
        proptest::sample::select(PriceModel::ALL.to_vec())
    }

    fn unit() -> impl Strategy<Value = Unit> {
        proptest::sample::select(Unit::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn cost_never_falls_as_the_quantity_grows(
            model in model(), unit in unit(), min in 0i64..10_000_000_000, spread in 0i64..10_000_000_000,
            q in 0u64..1_000_000, more in 0u64..1_000_000,
        ) {
            let (a, b) = (estimate(model, min, min + spread, q, unit), estimate(model, min, min + spread, q + more, unit));
            if let (CostEstimate::Estimate { min_cents: a_min, max_cents: a_max, .. }, CostEstimate::Estimate { min_cents: b_min, max_cents: b_max, .. }) = (a, b) {
                prop_assert!(a_min <= b_min && a_max <= b_max);
            } else {
                prop_assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b));
            }
        }

        #[test]
        fn the_low_end_never_exceeds_the_high_end_and_nothing_overflows(
            model in model(), unit in unit(), min in any::<i64>(), max in any::<i64>(), q in any::<u64>(),
        ) {
            if let CostEstimate::Estimate { min_cents, max_cents, .. } = estimate(model, min, max, q, unit) {
                prop_assert!(0 <= min_cents && min_cents <= max_cents);
            }
        }
    }
}
