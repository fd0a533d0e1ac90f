//! Open contracting data end to end: a public bundle as an OCDS 1.1 release package through
//! its life (open, taking sealed offers, opened, awarded), checked against the standard's
//! required fields and codelists at every step; nothing of an offer before the deadline;
//! network bundles and drafts not published; the feed of awarded bundles, page by page.

use std::collections::HashSet;

use chrono::DateTime;
use serde_json::{Value, json};

use crate::bundle_offers::{Tender, tender_with};
use crate::bundles::{bundle_body, json_of};

// Codelists of OCDS 1.1 and of the extensions used (closed ones in full, open ones as far as
// edumarkt may use them).
const RELEASE_TAG: &[&str] = &[
    "planning",
    "planningUpdate",
    "tender",
    "tenderAmendment",
    "tenderUpdate",
    "tenderCancellation",
    "award",
    "awardUpdate",
    "awardCancellation",
    "contract",
    "contractUpdate",
    "contractAmendment",
    "implementation",
    "implementationUpdate",
    "contractTermination",
    "compiled",
];
const TENDER_STATUS: &[&str] = &[
    "planning",
    "planned",
    "active",
    "cancelled",
    "unsuccessful",
    "complete",
    "withdrawn",
];
const METHOD: &[&str] = &["open", "selective", "limited", "direct"];
const CATEGORY: &[&str] = &["goods", "works", "services"];
const AWARD_STATUS: &[&str] = &["pending", "active", "cancelled", "unsuccessful"];
const PARTY_ROLE: &[&str] = &[
    "buyer",
    "procuringEntity",
    "supplier",
    "tenderer",
    "funder",
    "enquirer",
    "payer",
    "payee",
    "reviewBody",
    "interestedParty",
];
const AWARD_CRITERIA: &[&str] = &["priceOnly", "costOnly", "qualityOnly", "ratedCriteria"];
const CRITERION_TYPE: &[&str] = &["price", "cost", "quality"];
const STATISTIC: &[&str] = &[
    "requests",
    "bids",
    "validBids",
    "lowestValidBidValue",
    "highestValidBidValue",
    "bidders",
    "qualifiedBidders",
    "disqualifiedBidders",
];

fn date(value: &Value, what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is no string: {value}"));
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{what}: {text}: {e}"));
}

fn one_of(value: &Value, list: &[&str], what: &str) {
    let code = value.as_str().unwrap_or_else(|| panic!("{what} missing"));
    assert!(
        list.contains(&code),
        "{what}: {code} is not in the codelist"
    );
}

fn amount(value: &Value, what: &str) {
    assert!(value["amount"].is_number(), "{what}.amount: {value}");
    assert_eq!(value["currency"], "EUR", "{what}.currency");
}

/// The release package's and each release's required fields, codes and formats.
fn assert_valid_package(package: &Value) {
    for field in ["uri", "publishedDate", "publisher", "version", "releases"] {
        assert!(!package[field].is_null(), "package.{field} is required");
    }
    assert_eq!(package["version"], "1.1");
    assert!(package["publisher"]["name"].is_string());
    date(&package["publishedDate"], "publishedDate");
    for extension in package["extensions"].as_array().unwrap() {
        assert!(extension.as_str().unwrap().ends_with("/extension.json"));
    }
    let mut ids = HashSet::new();
    for r in package["releases"].as_array().unwrap() {
        for field in ["ocid", "id", "date", "tag", "initiationType"] {
            assert!(!r[field].is_null(), "release.{field} is required");
        }
        assert!(r["ocid"].as_str().unwrap().starts_with("ocds-"));
        assert!(
            ids.insert(r["id"].as_str().unwrap().to_owned()),
            "release ids are unique"
        );
        date(&r["date"], "release.date");
        for tag in r["tag"].as_array().unwrap() {
            one_of(tag, RELEASE_TAG, "tag");
        }
        assert_eq!(r["initiationType"], "tender");
        let party_ids: HashSet<&str> = r["parties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                for role in p["roles"].as_array().unwrap() {
                    one_of(role, PARTY_ROLE, "party role");
                }
                p["id"].as_str().unwrap()
            })
            .collect();
        assert!(
            party_ids.contains(r["buyer"]["id"].as_str().unwrap()),
            "the buyer is a party"
        );
        let t = &r["tender"];
        assert!(t["id"].is_string(), "tender.id is required");
        one_of(&t["status"], TENDER_STATUS, "tender.status");
        one_of(&t["procurementMethod"], METHOD, "tender.procurementMethod");
        one_of(
            &t["mainProcurementCategory"],
            CATEGORY,
            "tender.mainProcurementCategory",
        );
        one_of(&t["awardCriteria"], AWARD_CRITERIA, "tender.awardCriteria");
        amount(&t["value"], "tender.value");
        date(&t["tenderPeriod"]["startDate"], "tenderPeriod.startDate");
        date(&t["tenderPeriod"]["endDate"], "tenderPeriod.endDate");
        for item in t["items"].as_array().unwrap() {
            assert!(item["id"].is_string(), "item.id is required");
            assert_eq!(item["classification"]["scheme"], "CPV");
            let cpv = item["classification"]["id"].as_str().unwrap();
            assert!(
                cpv.len() == 10 && cpv.as_bytes()[8] == b'-',
                "a CPV code: {cpv}"
            );
        }
        let mut weights = 0;
        for lot in t["lots"].as_array().unwrap() {
            assert!(lot["id"].is_string(), "lot.id is required");
            for c in lot["awardCriteria"]["criteria"].as_array().unwrap() {
                one_of(&c["type"], CRITERION_TYPE, "criterion type");
                assert_eq!(c["numbers"][0]["weight"], "percentageExact");
                weights += c["numbers"][0]["number"].as_i64().unwrap();
            }
        }
        assert_eq!(weights, 100, "the weights sum to 100");
        for e in t["enquiries"].as_array().unwrap() {
            assert!(e["id"].is_string(), "enquiry.id is required");
            date(&e["date"], "enquiry.date");
        }
        if let Some(statistics) = r["bids"]["statistics"].as_array() {
            for s in statistics {
                assert!(s["id"].is_string() && s["value"].is_number());
                one_of(&s["measure"], STATISTIC, "statistic measure");
            }
        }
        if let Some(awards) = r["awards"].as_array() {
            for a in awards {
                assert!(a["id"].is_string(), "award.id is required");
                one_of(&a["status"], AWARD_STATUS, "award.status");
                amount(&a["value"], "award.value");
                date(&a["date"], "award.date");
                for s in a["suppliers"].as_array().unwrap() {
                    assert!(
                        party_ids.contains(s["id"].as_str().unwrap()),
                        "suppliers are parties"
                    );
                }
            }
        }
    }
}

async fn package(t: &Tender) -> Value {
    let package = json_of(
        t.app()
            .get(&format!("/v1/bundles/{}/ocds", t.bundle), None)
            .await,
        200,
    )
    .await;
    assert_valid_package(&package);
    package
}

#[tokio::test]
async fn a_public_bundle_is_open_contracting_data_through_its_life_and_never_shows_an_offer_early()
{
    let mut t = tender_with("public").await;
    let open = package(&t).await;
    let release = &open["releases"][0];
    assert_eq!(release["tag"], json!(["tender"]));
    assert_eq!(release["tender"]["status"], "active");
    assert_eq!(release["tender"]["items"][0]["quantity"], 240);
    assert_eq!(
        release["parties"][0]["roles"],
        json!(["buyer", "procuringEntity"])
    );

    // Offers come in: the publication says nothing of them.
    t.at(t.join_deadline).await;
    let mut offer_ids = Vec::new();
    for (i, price) in [(0, 2_345_670), (1, 1_987_650)] {
        offer_ids.push(
            json_of(t.offer(i, price).await, 201).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let tendering = package(&t).await;
    let text = tendering.to_string();
    for secret in [
        offer_ids[0].as_str(),
        offer_ids[1].as_str(),
        "23456.7",
        "19876.5",
        "Drie studiedagen",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked before the deadline"
        );
    }
    assert_eq!(tendering["releases"][0]["bids"], Value::Null);
    assert_eq!(
        tendering["releases"][0]["tender"]["numberOfTenderers"],
        Value::Null
    );

    // Opened: how many offers, not what they say.
    t.at(t.offer_deadline).await;
    let opened = package(&t).await;
    let statistics = &opened["releases"][0]["bids"]["statistics"];
    assert_eq!(
        statistics[0],
        json!({"id": "1", "measure": "bids", "value": 2, "relatedLot": "1"})
    );
    assert!(!opened.to_string().contains("Drie studiedagen"));
    assert!(!opened.to_string().contains("23456.7"));

    // Awarded: the winner, its price and the range of prices.
    let award = format!("/v1/bundles/{}/award", t.bundle);
    let body = json!({"offer_id": offer_ids[1], "motivation": "Beste prijs-kwaliteitverhouding."});
    json_of(
        t.app()
            .post(&award, &body, Some(&t.n.coordinator.access))
            .await,
        200,
    )
    .await;
    let awarded = package(&t).await;
    let release = &awarded["releases"][0];
    assert_eq!(release["tag"], json!(["award"]));
    assert_eq!(release["tender"]["status"], "complete");
    assert_eq!(
        release["awards"][0]["value"],
        json!({"amount": 19876.5, "currency": "EUR"})
    );
    assert_eq!(
        release["awards"][0]["suppliers"][0]["id"],
        t.providers[1].1.as_str()
    );
    assert_eq!(
        release["awards"][0]["description"],
        "Beste prijs-kwaliteitverhouding."
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
    assert!(
        !awarded.to_string().contains(offer_ids[0].as_str()),
        "the losing offer stays unnamed"
    );

    // The feed lists it.
    let feed = json_of(t.app().get("/v1/ocds/awards", None).await, 200).await;
    assert_valid_package(&feed);
    assert_eq!(feed["releases"][0]["ocid"], release["ocid"]);
}

#[tokio::test]
async fn network_bundles_and_drafts_are_not_published() {
    let t = tender_with("network").await;
    assert_eq!(
        t.app()
            .get(&format!("/v1/bundles/{}/ocds", t.bundle), None)
            .await
            .status(),
        404
    );
    let now = t.app().state.clock.now();
    let draft = json_of(
        t.app()
            .post(
                "/v1/bundles",
                &bundle_body(&t.n.network, now, "public"),
                Some(&t.n.coordinator.access),
            )
            .await,
        201,
    )
    .await;
    let path = format!("/v1/bundles/{}/ocds", draft["id"].as_str().unwrap());
    assert_eq!(
        t.app()
            .get(&path, Some(&t.n.coordinator.access))
            .await
            .status(),
        404
    );
    assert_eq!(
        t.app()
            .get("/v1/bundles/not-a-uuid/ocds", None)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_awards_feed_pages_through_awarded_public_bundles_latest_first() {
    let mut t = tender_with("public").await;
    // A second public bundle of the same network, awarded later.
    let second = crate::bundles::open_bundle(&t.n, "public").await;
    for (leader, school) in t.n.leaders.iter().zip(&t.n.schools) {
        assert_eq!(
            crate::bundles::join(t.app(), leader, &second, school, 10, 100_000)
                .await
                .status(),
            201
        );
    }
    t.at(t.join_deadline).await;
    let first_offer = json_of(t.offer(0, 1_000_000).await, 201).await;
    let body = crate::bundle_offers::offer_body(&t.providers[1].2, 900_000);
    let second_offer = json_of(
        t.app()
            .post(
                &format!("/v1/bundles/{second}/offers"),
                &body,
                Some(&t.admin(1).access),
            )
            .await,
        201,
    )
    .await;
    t.at(t.offer_deadline).await;
    let owner = t.n.coordinator.access.clone();
    for (bundle, offer) in [(&t.bundle, &first_offer), (&second, &second_offer)] {
        let body = json!({"offer_id": offer["id"], "motivation": "Enige inschrijving."});
        json_of(
            t.app()
                .post(&format!("/v1/bundles/{bundle}/award"), &body, Some(&owner))
                .await,
            200,
        )
        .await;
        t.app().clock.advance(chrono::Duration::minutes(1));
    }
    let page = t.app().get("/v1/ocds/awards?limit=1", None).await;
    assert_eq!(page.status(), 200);
    let link = page.headers()["link"].to_str().unwrap().to_owned();
    let page: Value = page.json().await.unwrap();
    assert_valid_package(&page);
    assert!(
        page["releases"][0]["ocid"]
            .as_str()
            .unwrap()
            .ends_with(&second),
        "latest award first"
    );
    let next = link.trim_start_matches('<').split('>').next().unwrap();
    let path = next
        .split_once("/v1/")
        .map(|(_, rest)| format!("/v1/{rest}"))
        .unwrap();
    let rest = t.app().get(&path, None).await;
    assert!(rest.headers().get("link").is_none(), "the last page");
    let rest: Value = rest.json().await.unwrap();
    assert!(
        rest["releases"][0]["ocid"]
            .as_str()
            .unwrap()
            .ends_with(&t.bundle)
    );
    assert_eq!(
        t.app().get("/v1/ocds/awards?limit=0", None).await.status(),
        422
    );
    assert_eq!(
        t.app()
            .get("/v1/ocds/awards?cursor=zz", None)
            .await
            .status(),
        422
    );
}
