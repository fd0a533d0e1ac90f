//! Finding offerings by what people type: typos, synonyms, stems, accents, prefixes.

use super::{TestEngine, text};
use crate::document::OfferingDocument;
use crate::engine::embedded::fixtures::{derive_labels, offering};

/// A few offerings as Dutch providers describe them, each of its own service type and format
/// so that only the words below tell them apart.
fn market() -> Vec<OfferingDocument> {
    [
        (
            "Dyslexiebehandeling en -begeleiding",
            "Ondersteuning van leerlingen met dyslexie in groep 3 tot en met 8",
            "Onze orthopedagogen stellen een plan op en begeleiden leerlingen met dyslexie.",
            "zorg_leerproblemen",
        ),
        (
            "Remedial teaching voor lezen en spelling",
            "Individuele remedial teaching op school",
            "Een ervaren specialist werkt wekelijks met kleine groepjes leerlingen.",
            "zorg_hulpmiddelen",
        ),
        (
            "Opleiding intern begeleider",
            "Tweejarige opleiding voor de intern begeleider in het primair onderwijs",
            "Over zorgstructuur, handelingsgericht werken en gesprekken met ouders.",
            "org_onderwijskundig_advies",
        ),
        (
            "Training coöperatief leren",
            "Een training voor het hele team over coöperatieve werkvormen",
            "Twee bijeenkomsten met oefeningen die de volgende dag in de klas passen.",
            "prof_collectief_team",
        ),
        (
            "Professionalisering van schoolleiders",
            "Leergang leiderschap voor directeuren",
            "Over visie, cultuur en veranderen in een lerende organisatie.",
            "prof_individueel_directie",
        ),
        (
            "Coördinatie van de zorgstructuur",
            "Tijdelijke coördinatie van zorg en ondersteuning",
            "Wij nemen de coördinatie over tot een nieuwe collega is gevonden.",
            "org_interim",
        ),
        (
            "Kanjertraining groep 5 tot en met 8",
            "Sociale veiligheid in de klas",
            "De kanjertraining werkt aan vertrouwen en gedrag van leerlingen.",
            "zorg_gedragsproblemen",
        ),
        (
            "Rekenen met plezier",
            "Rekenondersteuning voor de bovenbouw",
            "Voor leerlingen die vastlopen bij breuken, procenten en verhoudingen.",
            "lm_leermiddelen_leerlingen",
        ),
        (
            "Beleid voor passend onderwijs",
            "Advies bij het schrijven van het ondersteuningsplan",
            "Samen met de directie zetten wij de keuzes van de school op papier.",
            "org_beleidsadvies",
        ),
    ]
    .iter()
    .enumerate()
    .map(|(n, (title, summary, description, service_type))| {
        let mut doc = offering(n as u128 + 1, title, summary, description);
        doc.service_type = (*service_type).to_owned();
        doc.formats = vec![
            if title.starts_with("Training") {
                "training"
            } else {
                "advies"
            }
            .to_owned(),
        ];
        derive_labels(&mut doc);
        doc
    })
    .collect()
}

async fn market_engine() -> TestEngine {
    TestEngine::with(&market()).await
}

/// Checks that `q` finds every title of `wanted` and none of `unwanted`.
async fn finds(engine: &TestEngine, q: &str, wanted: &[&str], unwanted: &[&str]) {
    let found = engine.titles(q).await;
    for title in wanted {
        assert!(
            found.iter().any(|f| f == title),
            "{q:?} misses {title:?}: {found:?}"
        );
    }
    for title in unwanted {
        assert!(!found.iter().any(|f| f == title), "{q:?} finds {title:?}");
    }
}

#[tokio::test]
async fn typos_are_forgiven_by_word_length() {
    let engine = market_engine().await;
    assert_eq!(
        engine.titles("dyslexsie").await,
        ["Dyslexiebehandeling en -begeleiding"]
    );
    let q = "profesionalisering ";
    assert_eq!(
        engine.first(q).await,
        "Professionalisering van schoolleiders"
    );
    finds(&engine, q, &[], &["Rekenen met plezier"]).await;
    // Four letters allow no typo.
    assert!(engine.titles("rekn ").await.is_empty());
    assert_eq!(engine.titles("rekenen").await, ["Rekenen met plezier"]);
}

#[tokio::test]
async fn abbreviations_find_what_they_stand_for() {
    let engine = market_engine().await;
    assert_eq!(
        engine.titles("RT").await,
        ["Remedial teaching voor lezen en spelling"]
    );
    assert_eq!(engine.titles("IB").await, ["Opleiding intern begeleider"]);
    // And the other way: the long form finds itself, the synonym does not widen it.
    assert_eq!(
        engine.titles("remedial teaching").await,
        ["Remedial teaching voor lezen en spelling"]
    );
}

#[tokio::test]
async fn a_synonym_group_finds_every_term() {
    let engine = market_engine().await;
    finds(
        &engine,
        "nascholing ",
        &[
            "Training coöperatief leren",
            "Professionalisering van schoolleiders",
        ],
        &["Rekenen met plezier"],
    )
    .await;
}

#[tokio::test]
async fn accents_stems_and_prefixes_match() {
    let engine = market_engine().await;
    assert_eq!(
        engine.titles("coordinatie").await,
        ["Coördinatie van de zorgstructuur"]
    );
    // `trainingen` stems to `training`.
    finds(&engine, "trainingen ", &["Training coöperatief leren"], &[]).await;
    // The last word, still being typed, matches as a prefix; once followed by a space, not.
    assert_eq!(
        engine.titles("kanjert").await,
        ["Kanjertraining groep 5 tot en met 8"]
    );
    assert!(engine.titles("kanjert ").await.is_empty());
}

#[tokio::test]
async fn words_match_as_written_before_their_stems() {
    let engine = market_engine().await;
    // `begeleiding` stems to `beleid`, which `begel` does not begin; typing it still finds it.
    let begeleiding = [
        "Dyslexiebehandeling en -begeleiding",
        "Opleiding intern begeleider",
    ];
    finds(&engine, "begel", &begeleiding, &[]).await;
    // `beleid` finds the offerings of `begeleiding` too, but the word itself first.
    finds(&engine, "beleid ", &begeleiding, &[]).await;
    assert_eq!(
        engine.first("beleid ").await,
        "Beleid voor passend onderwijs"
    );
}

#[tokio::test]
async fn every_word_must_match_and_stop_words_do_not_count() {
    let engine = market_engine().await;
    assert_eq!(
        engine.titles("leerlingen dyslexie").await,
        ["Dyslexiebehandeling en -begeleiding"]
    );
    assert!(engine.titles("dyslexie kanjertraining").await.is_empty());
    assert_eq!(
        engine
            .titles("de opleiding van een intern begeleider")
            .await,
        ["Opleiding intern begeleider"]
    );
}

#[tokio::test]
async fn title_matches_rank_above_description_matches() {
    let engine = market_engine().await;
    assert_eq!(
        engine.first("kanjertraining").await,
        "Kanjertraining groep 5 tot en met 8"
    );
    assert_eq!(
        engine.first("training ").await,
        "Training coöperatief leren"
    );
}

#[tokio::test]
async fn an_empty_query_matches_everything() {
    let engine = market_engine().await;
    let results = engine.search(&text("")).await;
    assert_eq!(results.total, market().len());
    // Hits are the documents exactly as indexed.
    let mut expected = market();
    expected.sort_by_key(|doc| doc.id);
    assert_eq!(results.hits, expected);
    // A query of stop words only is as empty.
    assert_eq!(
        engine.search(&text("de het een")).await.total,
        market().len()
    );
}

#[test]
fn synonyms_are_looked_up_on_the_words_as_written_not_their_stems() {
    // The Dutch stemmer gives `scholing` and `school` one stem; Meilisearch does not stem, and a
    // search for `school` must not become one for all professional development.
    let dutch = crate::engine::embedded::text::Dutch::new();
    let synonyms =
        |q: &str| -> Vec<_> { dutch.plan(q).into_iter().flat_map(|u| u.synonyms).collect() };
    assert!(synonyms("school").is_empty());
    assert!(!synonyms("scholing").is_empty());
}
