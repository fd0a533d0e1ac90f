//! Evaluating a bundle's offers: award criteria with weights summing to 100, a price score by
//! the method chosen when the bundle was drafted (and shown to bidders), the weighted ranking,
//! and offers abnormally low against the others, which the owner must ask to explain.
//!
//! The relative method (lowest price / price × 10) is the common one, and suffers rank
//! reversal: whether offer A ranks above offer B can depend on a third offer's price, because
//! the lowest price sets every price score. The budget method scores each price against the
//! bundle's budget alone (10 at no cost, 5 at the budget, 0 at twice the budget), so no other
//! offer changes an offer's score, and no reversal can happen. Both are tested below.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::domain::closed_set::closed_set;
use crate::domain::{DomainError, Fields};

/// The highest score of a criterion.
pub const MAX_SCORE: f64 = 10.0;
/// An offer this far below the mean of the others is abnormally low ...
pub const BELOW_MEAN: f64 = 0.40;
/// ... as is one this far below the next lowest.
pub const BELOW_NEXT: f64 = 0.30;

closed_set! {
    /// An award criterion; ordered so a bundle's weights list in one order.
    #[derive(PartialOrd, Ord)]
    pub enum Criterion {
        Price = "price",
        Fit = "fit",
        LastingEffect = "lasting_effect",
        Evidence = "evidence",
        CoCreation = "co_creation",
        Expertise = "expertise",
    }
}

closed_set! {
    pub enum PriceMethod {
        /// Lowest price / price × 10: the common formula, with rank reversal.
        Relative = "relative",
        /// Against the bundle's budget only: 10 at no cost, 5 at the budget, 0 at twice it.
        Budget = "budget",
    }
}

/// The bundle's criteria and their weights, as sent.
pub type WeightsInput = Vec<(String, i64)>;

/// Checks a bundle's criteria: known codes, each once, weights from 1 to 100 summing to 100.
/// Every broken rule is pushed to `fields` under `criteria[i]` or `criteria`.
pub fn weights(fields: &mut Fields, input: &WeightsInput) -> Option<BTreeMap<Criterion, u8>> {
    let mut weights = BTreeMap::new();
    let mut ok = !input.is_empty();
    if input.is_empty() {
        fields.push("criteria", "required", "name at least one award criterion");
    }
    for (i, (code, weight)) in input.iter().enumerate() {
        let field = format!("criteria[{i}]");
        let Some(criterion) = Criterion::parse(code) else {
            let known: Vec<&str> = Criterion::ALL.iter().map(|c| c.as_str()).collect();
            fields.push(
                field,
                "unknown_code",
                format!("must be one of {}", known.join(", ")),
            );
            ok = false;
            continue;
        };
        let Some(weight) = u8::try_from(*weight).ok().filter(|w| (1..=100).contains(w)) else {
            fields.push(field, "out_of_range", "a weight is from 1 to 100");
            ok = false;
            continue;
        };
        if weights.insert(criterion, weight).is_some() {
            fields.push(field, "duplicate", "each criterion once");
            ok = false;
        }
    }
    let sum: u32 = weights.values().map(|w| u32::from(*w)).sum();
    if ok && sum != 100 {
        fields.push(
            "criteria",
            "weights_sum",
            format!("the weights must sum to 100, not {sum}"),
        );
        ok = false;
    }
    ok.then_some(weights)
}

/// The price score of each price (in the order given) by `method`.
pub fn price_scores(method: PriceMethod, prices: &[i64], budget_cents: i64) -> Vec<f64> {
    match method {
        PriceMethod::Relative => {
            let lowest = prices.iter().copied().filter(|p| *p > 0).min();
            prices
                .iter()
                .map(|&price| match lowest {
                    Some(lowest) if price > 0 => MAX_SCORE * lowest as f64 / price as f64,
                    // A free offer scores the maximum.
                    _ => MAX_SCORE,
                })
                .collect()
        }
        PriceMethod::Budget => prices
            .iter()
            .map(|&price| {
                if budget_cents <= 0 {
                    return 0.0;
                }
                let share = price as f64 / (2.0 * budget_cents as f64);
                (MAX_SCORE * (1.0 - share)).clamp(0.0, MAX_SCORE)
            })
            .collect(),
    }
}

/// What a price method means for bidders and for the ranking, as shown with the bundle.
pub fn explain(method: PriceMethod) -> &'static str {
    match method {
        PriceMethod::Relative => {
            "Relative: the lowest price scores 10, every other price 10 x lowest / price. \
             Because the lowest price sets every price score, the order of two offers can \
             change when a third, cheaper offer comes in or is withdrawn (rank reversal)."
        }
        PriceMethod::Budget => {
            "Against the budget: 10 at no cost, 5 at the participants' total budget, 0 at \
             twice it. An offer's price score depends on its own price only, so no other \
             offer can change the order of two offers."
        }
    }
}

/// One offer to rank: its price and the owner's scores (0-10) of the quality criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub price_cents: i64,
    pub quality: BTreeMap<Criterion, f64>,
}

/// An offer's place: its index in the input, its weighted total (0-100) and its price score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub index: usize,
    pub total: f64,
    pub price_score: f64,
}

/// The weighted ranking, best first; a tie goes to the lower price, then the earlier offer.
/// A quality criterion the owner did not score counts as 0.
pub fn rank(
    weights: &BTreeMap<Criterion, u8>,
    method: PriceMethod,
    budget_cents: i64,
    offers: &[Scored],
) -> Vec<Ranked> {
    let prices: Vec<i64> = offers.iter().map(|o| o.price_cents).collect();
    let price_scores = price_scores(method, &prices, budget_cents);
    let mut ranked: Vec<Ranked> = offers
        .iter()
        .zip(price_scores)
        .enumerate()
        .map(|(index, (offer, price_score))| {
            let total = weights
                .iter()
                .map(|(criterion, weight)| {
                    let score = match criterion {
                        Criterion::Price => price_score,
                        other => offer.quality.get(other).copied().unwrap_or(0.0),
                    };
                    f64::from(*weight) * score.clamp(0.0, MAX_SCORE) / MAX_SCORE
                })
                .sum();
            Ranked {
                index,
                total,
                price_score,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.total
            .partial_cmp(&a.total)
            .unwrap_or(Ordering::Equal)
            .then(
                offers[a.index]
                    .price_cents
                    .cmp(&offers[b.index].price_cents),
            )
            .then(a.index.cmp(&b.index))
    });
    ranked
}

/// Which offers (by index) are abnormally low: more than 40% below the mean of the other
/// offers, or more than 30% below the next lowest price. With one offer there is nothing to
/// compare.
pub fn abnormally_low(prices: &[i64]) -> Vec<usize> {
    if prices.len() < 2 {
        return Vec::new();
    }
    (0..prices.len())
        .filter(|&i| {
            let price = prices[i] as f64;
            let others: Vec<f64> = prices
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| *p as f64)
                .collect();
            let mean = others.iter().sum::<f64>() / others.len() as f64;
            let next = others
                .iter()
                .copied()
                .filter(|p| *p >= price)
                .fold(f64::INFINITY, f64::min);
            price < mean * (1.0 - BELOW_MEAN)
                || (next.is_finite() && price < next * (1.0 - BELOW_NEXT))
        })
        .collect()
}

/// A score the owner gives: 0 to 10.
pub fn score(fields: &mut Fields, field: &str, value: f64) -> Option<f64> {
    if value.is_finite() && (0.0..=MAX_SCORE).contains(&value) {
        Some(value)
    } else {
        fields.push(field, "out_of_range", "a score is from 0 to 10");
        None
    }
}

/// The criteria's weights, or every error at once.
pub fn parse_weights(input: &WeightsInput) -> Result<BTreeMap<Criterion, u8>, DomainError> {
    let mut fields = Fields::new();
    let parsed = weights(&mut fields, input);
    fields.finish_with(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn price_and_fit(price: u8, fit: u8) -> BTreeMap<Criterion, u8> {
        BTreeMap::from([(Criterion::Price, price), (Criterion::Fit, fit)])
    }

    fn offer(price_cents: i64, fit: f64) -> Scored {
        Scored {
            price_cents,
            quality: BTreeMap::from([(Criterion::Fit, fit)]),
        }
    }

    /// The indexes in rank order.
    fn order(ranked: &[Ranked]) -> Vec<usize> {
        ranked.iter().map(|r| r.index).collect()
    }

    #[test]
    fn weights_must_be_known_once_each_and_sum_to_100() {
        let ok = vec![("price".to_owned(), 40), ("fit".to_owned(), 60)];
        assert_eq!(parse_weights(&ok).unwrap(), price_and_fit(40, 60));
        let bad = vec![
            ("price".to_owned(), 40),
            ("price".to_owned(), 10),
            ("charm".to_owned(), 10),
            ("fit".to_owned(), 0),
        ];
        let Err(DomainError::Invalid(errors)) = parse_weights(&bad) else {
            panic!("refused");
        };
        let named: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            named,
            vec![
                ("criteria[1]", "duplicate"),
                ("criteria[2]", "unknown_code"),
                ("criteria[3]", "out_of_range"),
            ]
        );
        let short = vec![("price".to_owned(), 40), ("fit".to_owned(), 50)];
        let Err(DomainError::Invalid(errors)) = parse_weights(&short) else {
            panic!("refused");
        };
        assert_eq!(errors[0].code, "weights_sum");
        assert!(parse_weights(&Vec::new()).is_err());
    }

    #[test]
    fn the_relative_formula_reverses_a_ranking_when_a_third_offer_comes_in() {
        let weights = price_and_fit(50, 50);
        // X: cheap and fitting less; Y: dearer and fitting better.
        let x = offer(100_000, 5.2);
        let y = offer(150_000, 7.0);
        // X: 50 + 26 = 76; Y: 33.3 + 35 = 68.3.
        let two = rank(&weights, PriceMethod::Relative, 0, &[x.clone(), y.clone()]);
        assert_eq!(order(&two), vec![0, 1]);
        // A cheaper third offer halves X's price score: X 25 + 26 = 51, Y 16.7 + 35 = 51.7
        // (and the third 50 + 0).
        // Neither X nor Y changed, yet Y now ranks above X.
        let z = offer(50_000, 0.0);
        let three = rank(
            &weights,
            PriceMethod::Relative,
            0,
            &[x.clone(), y.clone(), z.clone()],
        );
        assert_eq!(order(&three), vec![1, 0, 2]);
        // The budget method keeps X above Y whatever the third offer.
        let two = rank(
            &weights,
            PriceMethod::Budget,
            150_000,
            &[x.clone(), y.clone()],
        );
        let three = rank(&weights, PriceMethod::Budget, 150_000, &[x, y, z]);
        let without_z: Vec<usize> = order(&three).into_iter().filter(|i| *i != 2).collect();
        assert_eq!(order(&two), without_z);
    }

    #[test]
    fn the_budget_method_scores_each_price_alone() {
        let scores = price_scores(
            PriceMethod::Budget,
            &[0, 50_000, 100_000, 200_000, 300_000],
            100_000,
        );
        assert_eq!(scores, vec![10.0, 7.5, 5.0, 0.0, 0.0]);
        let relative = price_scores(PriceMethod::Relative, &[50_000, 100_000], 0);
        assert_eq!(relative, vec![10.0, 5.0]);
    }

    #[test]
    fn abnormally_low_offers_are_flagged_against_the_mean_and_the_next() {
        // 55 is more than 40% below the mean of 100 and 100.
        assert_eq!(abnormally_low(&[100, 55, 100]), vec![1]);
        // 65 is not 40% below the mean (100) but more than 30% below the next (95).
        assert_eq!(abnormally_low(&[95, 65, 105]), vec![1]);
        // Close prices: none.
        assert!(abnormally_low(&[100, 90, 110]).is_empty());
        assert!(abnormally_low(&[100]).is_empty());
    }

    proptest! {
        /// Under the budget method no third offer changes the order of two others.
        #[test]
        fn no_rank_reversal_with_the_budget_method(
            price_weight in 1u8..100,
            a in (1i64..1_000_000, 0.0f64..10.0),
            b in (1i64..1_000_000, 0.0f64..10.0),
            c in (1i64..1_000_000, 0.0f64..10.0),
            budget in 1i64..1_000_000,
        ) {
            let weights = price_and_fit(price_weight, 100 - price_weight);
            let (a, b, c) = (offer(a.0, a.1), offer(b.0, b.1), offer(c.0, c.1));
            let two = rank(&weights, PriceMethod::Budget, budget, &[a.clone(), b.clone()]);
            let three = rank(&weights, PriceMethod::Budget, budget, &[a, b, c]);
            let without_c: Vec<usize> = order(&three).into_iter().filter(|i| *i != 2).collect();
            prop_assert_eq!(order(&two), without_c);
        }

        /// The relative method's reversal is real: among random triples some reverse.
        #[test]
        fn the_relative_method_keeps_an_offers_own_order_only_when_the_lowest_price_stays(
            a in (100i64..1_000_000, 0.0f64..10.0),
            b in (100i64..1_000_000, 0.0f64..10.0),
        ) {
            // A third offer above the lowest price changes no price score: no reversal.
            let weights = price_and_fit(50, 50);
            let (a, b) = (offer(a.0, a.1), offer(b.0, b.1));
            let dear = offer(a.price_cents.max(b.price_cents) + 1, 0.0);
            let two = rank(&weights, PriceMethod::Relative, 0, &[a.clone(), b.clone()]);
            let three = rank(&weights, PriceMethod::Relative, 0, &[a, b, dear]);
            let without: Vec<usize> = order(&three).into_iter().filter(|i| *i != 2).collect();
            prop_assert_eq!(order(&two), without);
        }
    }
}
