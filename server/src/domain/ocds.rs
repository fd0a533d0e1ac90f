//! A public bundle as Open Contracting Data: an OCDS 1.1 release per bundle, in a release
//! package. Pure: the use case gathers the facts, and only the facts a member of the public
//! may know: the bid statistics exist only once the offers are opened (`publishes_bids`), an
//! offer's content never appears, and of the offers only the award's winner is named.
//!
//! Extensions used: lots with the award criteria breakdown (the weights), enquiries (the
//! answered questions, the nota van inlichtingen) and bids (statistics only).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::domain::award::Criterion;
use crate::domain::bundle::BundleStatus;
use crate::domain::procurement::{Category, Classification, Regime};
use crate::domain::taxonomy;

/// The extensions a release uses, by their schema's address.
pub const EXTENSIONS: &[&str] = &[
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteriaBreakdown_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json",
];

/// One answered question.
#[derive(Debug, Clone, PartialEq)]
pub struct Enquiry {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub asked_at: DateTime<Utc>,
    pub answered_at: DateTime<Utc>,
}

/// What may be said of the offers once they are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BidFacts {
    /// Live offers at the deadline.
    pub bids: usize,
    /// Distinct providers among them.
    pub bidders: usize,
    pub lowest_cents: Option<i64>,
    pub highest_cents: Option<i64>,
}

/// The award, once made.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardFacts {
    pub offer_id: String,
    pub supplier_id: String,
    pub supplier_name: String,
    pub price_cents: i64,
    pub motivation: String,
    pub date: DateTime<Utc>,
}

/// A bundle's public facts.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleFacts {
    pub id: String,
    pub version: i32,
    pub title: String,
    pub need: [String; 4],
    pub owner_id: String,
    pub owner_name: String,
    pub service_type: String,
    pub unit: String,
    pub quantity: i64,
    pub estimated_value_cents: i64,
    pub regime: Option<Regime>,
    pub classification: Option<Classification>,
    pub weights: BTreeMap<Criterion, u8>,
    /// At the moment of publication.
    pub status: BundleStatus,
    pub join_deadline: DateTime<Utc>,
    pub offer_deadline: DateTime<Utc>,
    pub enquiry_deadline: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub enquiries: Vec<Enquiry>,
    /// `Some` only when `publishes_bids(status)`.
    pub bids: Option<BidFacts>,
    pub award: Option<AwardFacts>,
}

/// Whether the bid statistics may be published: once the offer deadline has passed (the
/// bundle is evaluated or awarded), never before, so not even the number of offers leaks.
pub fn publishes_bids(status: BundleStatus) -> bool {
    matches!(status, BundleStatus::Evaluating | BundleStatus::Awarded)
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn amount(cents: i64) -> Value {
    json!({"amount": cents as f64 / 100.0, "currency": "EUR"})
}

/// The OCDS id of the process: the publisher's prefix and the bundle's id.
pub fn ocid(prefix: &str, bundle_id: &str) -> String {
    format!("{prefix}-{bundle_id}")
}

fn tender_status(status: BundleStatus) -> &'static str {
    match status {
        BundleStatus::Draft => "planning",
        BundleStatus::Open | BundleStatus::Tendering | BundleStatus::Evaluating => "active",
        BundleStatus::Awarded => "complete",
        BundleStatus::Cancelled => "cancelled",
    }
}

fn tag(status: BundleStatus) -> &'static str {
    match status {
        BundleStatus::Draft => "planning",
        BundleStatus::Open | BundleStatus::Tendering | BundleStatus::Evaluating => "tender",
        BundleStatus::Awarded => "award",
        BundleStatus::Cancelled => "tenderCancellation",
    }
}

fn criterion_name(criterion: Criterion) -> &'static str {
    match criterion {
        Criterion::Price => "Prijs",
        Criterion::Fit => "Aansluiting bij de vraag",
        Criterion::LastingEffect => "Blijvend effect",
        Criterion::Evidence => "Onderbouwing",
        Criterion::CoCreation => "Samen ontwikkelen",
        Criterion::Expertise => "Deskundigheid",
    }
}

fn regime_details(regime: Regime) -> &'static str {
    match regime {
        Regime::SingleQuotation => "enkelvoudig onderhands",
        Regime::MultipleQuotation => "meervoudig onderhands",
        Regime::National => "nationaal openbaar",
        Regime::European => "Europees openbaar",
    }
}

/// The bundle as one OCDS release.
pub fn release(prefix: &str, f: &BundleFacts) -> Value {
    let service = taxonomy::service_type(&f.service_type);
    let description = f.need.join("\n\n");
    let mut tender = json!({
        "id": f.id,
        "title": f.title,
        "description": description,
        "status": tender_status(f.status),
        "procurementMethod": "open",
        "awardCriteria": "ratedCriteria",
        "value": amount(f.estimated_value_cents),
        "tenderPeriod": {"startDate": time(f.join_deadline), "endDate": time(f.offer_deadline)},
        "items": [{
            "id": "1",
            "description": service.map_or(f.service_type.as_str(), |s| s.nl),
            "quantity": f.quantity,
            "unit": {"name": f.unit},
        }],
        "lots": [{
            "id": "1",
            "title": f.title,
            "status": tender_status(f.status),
            "awardCriteria": {
                "criteria": f.weights.iter().map(|(criterion, weight)| json!({
                    "type": if *criterion == Criterion::Price { "price" } else { "quality" },
                    "name": criterion_name(*criterion),
                    "numbers": [{"number": weight, "weight": "percentageExact"}],
                })).collect::<Vec<_>>(),
            },
        }],
        "hasEnquiries": !f.enquiries.is_empty(),
        "enquiries": f.enquiries.iter().map(|e| json!({
            "id": e.id,
            "date": time(e.asked_at),
            "description": e.question,
            "answer": e.answer,
            "dateAnswered": time(e.answered_at),
            "relatedLot": "1",
        })).collect::<Vec<_>>(),
    });
    if let Some(class) = f.classification {
        tender["mainProcurementCategory"] = json!(match class.category {
            Category::Supplies => "goods",
            Category::Services | Category::SocialServices => "services",
        });
        tender["items"][0]["classification"] = json!({
            "scheme": "CPV",
            "id": class.cpv,
            "description": service.map_or("", |s| s.nl),
        });
    }
    if let Some(regime) = f.regime {
        tender["procurementMethodDetails"] = json!(regime_details(regime));
    }
    if let Some(end) = f.enquiry_deadline {
        tender["enquiryPeriod"] = json!({"startDate": time(f.join_deadline), "endDate": time(end)});
    }
    let buyer = json!({"id": f.owner_id, "name": f.owner_name});
    let mut parties = vec![json!({
        "id": f.owner_id,
        "name": f.owner_name,
        "roles": ["buyer", "procuringEntity"],
    })];
    let mut release = json!({
        "ocid": ocid(prefix, &f.id),
        "id": format!("{}-{}", f.id, f.version),
        "date": time(f.updated_at),
        "tag": [tag(f.status)],
        "initiationType": "tender",
        "language": "nl",
        "buyer": buyer,
    });
    if let Some(bids) = f.bids.filter(|_| publishes_bids(f.status)) {
        tender["numberOfTenderers"] = json!(bids.bidders);
        let mut statistics = vec![
            json!({"id": "1", "measure": "bids", "value": bids.bids, "relatedLot": "1"}),
            json!({"id": "2", "measure": "bidders", "value": bids.bidders, "relatedLot": "1"}),
        ];
        // Prices are published as a range only once awarded, when the winning price is
        // public anyway.
        if f.status == BundleStatus::Awarded {
            for (id, measure, cents) in [
                ("3", "lowestValidBidValue", bids.lowest_cents),
                ("4", "highestValidBidValue", bids.highest_cents),
            ] {
                if let Some(cents) = cents {
                    statistics.push(json!({
                        "id": id, "measure": measure, "value": cents as f64 / 100.0,
                        "currency": "EUR", "relatedLot": "1",
                    }));
                }
            }
        }
        release["bids"] = json!({"statistics": statistics});
    }
    if let Some(award) = &f.award {
        parties.push(json!({
            "id": award.supplier_id,
            "name": award.supplier_name,
            "roles": ["supplier", "tenderer"],
        }));
        release["awards"] = json!([{
            "id": award.offer_id,
            "title": f.title,
            "description": award.motivation,
            "status": "active",
            "date": time(award.date),
            "value": amount(award.price_cents),
            "suppliers": [{"id": award.supplier_id, "name": award.supplier_name}],
            "relatedLots": ["1"],
        }]);
    }
    release["parties"] = Value::Array(parties);
    release["tender"] = tender;
    release
}

/// A release package of `releases`, published at `uri`.
pub fn package(uri: &str, published: DateTime<Utc>, releases: Vec<Value>) -> Value {
    json!({
        "uri": uri,
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": time(published),
        "publisher": {"name": "edumarkt"},
        "releases": releases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts(status: BundleStatus) -> BundleFacts {
        let at = |day| Utc.with_ymd_and_hms(2027, 3, day, 12, 0, 0).unwrap();
        BundleFacts {
            id: "b1".into(),
            version: 4,
            title: "Dyslexie-aanpak".into(),
            need: [
                "Probleem".into(),
                "Doelen".into(),
                "Resultaat".into(),
                "Maat".into(),
            ],
            owner_id: "o1".into(),
            owner_name: "SWV Eemland".into(),
            service_type: "zorg_leerproblemen".into(),
            unit: "leerling".into(),
            quantity: 240,
            estimated_value_cents: 3_000_000,
            regime: Some(Regime::SingleQuotation),
            classification: crate::domain::procurement::classify("zorg_leerproblemen"),
            weights: BTreeMap::from([(Criterion::Price, 40), (Criterion::Fit, 60)]),
            status,
            join_deadline: at(10),
            offer_deadline: at(20),
            enquiry_deadline: Some(at(17)),
            updated_at: at(21),
            enquiries: vec![],
            bids: Some(BidFacts {
                bids: 2,
                bidders: 2,
                lowest_cents: Some(2_000_000),
                highest_cents: Some(2_400_000),
            }),
            award: None,
        }
    }

    #[test]
    fn an_open_bundle_is_an_active_tender_without_any_bid_figure() {
        let release = release("ocds-edumkt", &facts(BundleStatus::Tendering));
        assert_eq!(release["ocid"], "ocds-edumkt-b1");
        assert_eq!(release["tag"], json!(["tender"]));
        assert_eq!(release["tender"]["status"], "active");
        assert_eq!(release["tender"]["mainProcurementCategory"], "services");
        assert_eq!(
            release["tender"]["items"][0]["classification"]["id"],
            "85312400-3"
        );
        assert_eq!(
            release["bids"],
            Value::Null,
            "nothing of the offers before the deadline"
        );
        assert_eq!(release["tender"]["numberOfTenderers"], Value::Null);
        let criteria = &release["tender"]["lots"][0]["awardCriteria"]["criteria"];
        assert_eq!(criteria[0]["type"], "price");
        assert_eq!(criteria[1]["numbers"][0]["number"], 60);
    }

    #[test]
    fn an_awarded_bundle_names_the_winner_and_the_range_of_prices() {
        let mut f = facts(BundleStatus::Awarded);
        f.award = Some(AwardFacts {
            offer_id: "of1".into(),
            supplier_id: "p1".into(),
            supplier_name: "Leesexpert".into(),
            price_cents: 2_000_000,
            motivation: "Beste verhouding".into(),
            date: f.updated_at,
        });
        let release = release("ocds-edumkt", &f);
        assert_eq!(release["tag"], json!(["award"]));
        assert_eq!(release["tender"]["status"], "complete");
        assert_eq!(
            release["awards"][0]["value"],
            json!({"amount": 20000.0, "currency": "EUR"})
        );
        assert_eq!(
            release["parties"][1]["roles"],
            json!(["supplier", "tenderer"])
        );
        let measures: Vec<&str> = release["bids"]["statistics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["measure"].as_str().unwrap())
            .collect();
        assert_eq!(
            measures,
            [
                "bids",
                "bidders",
                "lowestValidBidValue",
                "highestValidBidValue"
            ]
        );
        // Evaluating: counts, no prices.
        let evaluating = super::release("ocds-edumkt", &facts(BundleStatus::Evaluating));
        assert_eq!(
            evaluating["bids"]["statistics"].as_array().unwrap().len(),
            2
        );
    }
}
