//! Which procurement regime a bundle falls under. Each service type maps to a CPV code (the
//! EU's Common Procurement Vocabulary, Regulation (EC) 2195/2002) and to a procurement
//! category: supplies, services, or the social and other specific services of Annex XIV of
//! Directive 2014/24/EU, which covers most education and training services (CPV 80100000 to
//! 80660000), health and social services (85000000 to 85323000) and some supply of personnel.
//! The bundle's estimated value against its category's threshold tells the regime: above the
//! European threshold (Delegated Regulation (EU) 2025/2152, for 2026 and 2027: EUR 216,000 for
//! the supplies and services of sub-central authorities such as school boards, EUR 750,000
//! for social and other specific services) a European procedure; below it, the bands of the
//! owner's procurement policy (single quotation, multiple quotation, national procedure).
//! Every threshold is a setting (`ProcurementSettings`, documented in the README).

use serde::Serialize;

use crate::domain::closed_set::closed_set;

closed_set! {
    /// What the Directive distinguishes for thresholds.
    pub enum Category {
        Supplies = "supplies",
        Services = "services",
        /// Annex XIV: the light regime with its own, higher threshold.
        SocialServices = "social_services",
    }
}

closed_set! {
    /// How the owner must buy, from the cheapest procedure to the heaviest.
    pub enum Regime {
        /// Ask one provider for a quotation (enkelvoudig onderhands).
        SingleQuotation = "single_quotation",
        /// Ask several providers, at least three (meervoudig onderhands).
        MultipleQuotation = "multiple_quotation",
        /// A public national procedure (nationaal openbaar).
        National = "national",
        /// A European procedure, published in the Official Journal (TED).
        European = "european",
    }
}

/// A service type's CPV code and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Classification {
    pub cpv: &'static str,
    pub category: Category,
}

const fn class(cpv: &'static str, category: Category) -> Classification {
    Classification { cpv, category }
}

/// The classification of each service type of the taxonomy. Training and coaching are
/// education services (Annex XIV); diagnostics and pupil support are health and social
/// services (Annex XIV); learning materials, platforms and aids are supplies; advice,
/// research, recruitment and interim staff are ordinary services.
pub fn classify(service_type: &str) -> Option<Classification> {
    use Category::{Services, SocialServices, Supplies};
    Some(match service_type {
        "prof_individueel_leraren"
        | "prof_individueel_directie"
        | "prof_ondersteunend_personeel"
        | "prof_teamleiders" => class("80570000-0", SocialServices),
        "prof_collectief_team" | "prof_collectief_instelling" => {
            class("80500000-9", SocialServices)
        }
        "zorg_diagnostiek" => class("85121270-6", SocialServices),
        "zorg_leerproblemen" | "zorg_gedragsproblemen" => class("85312400-3", SocialServices),
        "zorg_leraren_omgang" => class("80570000-0", SocialServices),
        "zorg_hulpmiddelen" => class("39162000-5", Supplies),
        "lm_advies_aanschaf" => class("79411000-8", Services),
        "lm_digitale_leeromgeving" => class("48190000-6", Supplies),
        "lm_leermiddelen_leraren" | "lm_leermiddelen_leerlingen" => class("22111000-1", Supplies),
        "lm_ontwikkelen_leermiddelen" | "lm_toetsontwikkeling" => {
            class("80500000-9", SocialServices)
        }
        "lm_leerlingvolgsysteem" => class("48190000-6", Supplies),
        "lm_bijles_examentraining" => class("80100000-5", SocialServices),
        "lm_examinering" => class("80000000-4", SocialServices),
        "org_onderwijskundig_advies" => class("80000000-4", SocialServices),
        "org_beleidsadvies" => class("79411000-8", Services),
        "org_interim" => class("79620000-6", Services),
        "org_onderzoek_ontwikkeling" => class("73000000-2", Services),
        "org_werving_selectie" => class("79600000-0", Services),
        "org_projectcoordinatie" => class("79421000-1", Services),
        _ => return None,
    })
}

/// Cents in a euro.
const EURO: i64 = 100;

/// The thresholds, in euro cents excluding VAT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProcurementSettings {
    /// The European threshold for supplies and services of sub-central authorities.
    pub eu_services_cents: i64,
    /// The European threshold for the social and other specific services of Annex XIV.
    pub eu_social_cents: i64,
    /// Below this, one quotation will do (the owner's procurement policy).
    pub single_quotation_max_cents: i64,
    /// Below this (and above the single band), several quotations.
    pub multiple_quotation_max_cents: i64,
}

impl Default for ProcurementSettings {
    fn default() -> Self {
        ProcurementSettings {
            // Delegated Regulation (EU) 2025/2152, from 1 January 2026.
            eu_services_cents: 216_000 * EURO,
            eu_social_cents: 750_000 * EURO,
            // The bands the Gids Proportionaliteit suggests for services.
            single_quotation_max_cents: 50_000 * EURO,
            multiple_quotation_max_cents: 150_000 * EURO,
        }
    }
}

impl ProcurementSettings {
    /// The European threshold of a category.
    pub fn european_threshold(&self, category: Category) -> i64 {
        match category {
            Category::Supplies | Category::Services => self.eu_services_cents,
            Category::SocialServices => self.eu_social_cents,
        }
    }

    /// The regime for a purchase of `value_cents` in `category`: at or above a threshold the
    /// heavier procedure applies (the Directive's "equal to or greater than").
    pub fn regime(&self, category: Category, value_cents: i64) -> Regime {
        if value_cents >= self.european_threshold(category) {
            Regime::European
        } else if value_cents >= self.multiple_quotation_max_cents {
            Regime::National
        } else if value_cents >= self.single_quotation_max_cents {
            Regime::MultipleQuotation
        } else {
            Regime::SingleQuotation
        }
    }

    /// Whether the bands rise with the value as a procurement policy's must.
    pub fn is_ordered(&self) -> bool {
        0 < self.single_quotation_max_cents
            && self.single_quotation_max_cents <= self.multiple_quotation_max_cents
            && self.multiple_quotation_max_cents <= self.eu_services_cents.min(self.eu_social_cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::taxonomy::SERVICE_TYPES;

    #[test]
    fn every_service_type_has_a_cpv_code_and_a_category() {
        for service_type in SERVICE_TYPES {
            let class = classify(service_type.code).expect(service_type.code);
            let (digits, check) = class.cpv.split_once('-').unwrap();
            assert_eq!(digits.len(), 8, "{}", class.cpv);
            assert_eq!(check.len(), 1, "{}", class.cpv);
        }
        assert_eq!(classify("onbekend"), None);
        // Training is an Annex XIV service; software a supply; advice an ordinary service.
        assert_eq!(
            classify("prof_collectief_team").unwrap().category,
            Category::SocialServices
        );
        assert_eq!(
            classify("lm_digitale_leeromgeving").unwrap().category,
            Category::Supplies
        );
        assert_eq!(
            classify("org_beleidsadvies").unwrap().category,
            Category::Services
        );
    }

    #[test]
    fn the_threshold_itself_falls_under_the_heavier_regime() {
        let s = ProcurementSettings::default();
        assert!(s.is_ordered());
        assert_eq!(s.regime(Category::Services, 0), Regime::SingleQuotation);
        assert_eq!(
            s.regime(Category::Services, 50_000 * EURO - 1),
            Regime::SingleQuotation
        );
        assert_eq!(
            s.regime(Category::Services, 50_000 * EURO),
            Regime::MultipleQuotation
        );
        assert_eq!(
            s.regime(Category::Services, 150_000 * EURO),
            Regime::National
        );
        assert_eq!(
            s.regime(Category::Services, 216_000 * EURO - 1),
            Regime::National
        );
        assert_eq!(
            s.regime(Category::Services, 216_000 * EURO),
            Regime::European
        );
        assert_eq!(
            s.regime(Category::Supplies, 216_000 * EURO),
            Regime::European
        );
        // The light regime of Annex XIV has its own, higher threshold.
        assert_eq!(
            s.regime(Category::SocialServices, 216_000 * EURO),
            Regime::National
        );
        assert_eq!(
            s.regime(Category::SocialServices, 750_000 * EURO),
            Regime::European
        );
    }

    #[test]
    fn bands_that_do_not_rise_are_not_a_policy() {
        let s = ProcurementSettings {
            single_quotation_max_cents: 200_000 * EURO,
            ..ProcurementSettings::default()
        };
        assert!(!s.is_ordered());
    }
}
