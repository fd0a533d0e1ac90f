//! Offering documents for tests and measurements, without a database: a constructor with
//! plausible defaults and a seeded generator of any number of documents with random codes from
//! the taxonomy. Any engine can be exercised with them.

use uuid::Uuid;

use crate::document::OfferingDocument;
use crate::projection::{label, labels};
use crate::taxonomy::{self, Code};

/// An offering with the given texts; every code valid, no price, no rating. Tests change what
/// they need with struct update syntax.
pub fn offering(id: u128, title: &str, summary: &str, description: &str) -> OfferingDocument {
    let mut doc = OfferingDocument {
        id: Uuid::from_u128(id),
        title: title.to_owned(),
        summary: summary.to_owned(),
        description: description.to_owned(),
        provider_id: Uuid::from_u128(1 << 64),
        provider_name: "Onderwijsbureau De Brug".to_owned(),
        provider_kind: "commercieel".to_owned(),
        domain: String::new(),
        domain_label: String::new(),
        service_type: "prof_collectief_team".to_owned(),
        service_type_label: String::new(),
        sectors: vec!["po".to_owned()],
        regions: vec!["utrecht".to_owned()],
        formats: vec!["training".to_owned()],
        delivery: vec!["op_locatie".to_owned()],
        duration: "kort".to_owned(),
        long_term: false,
        price_model: "op_aanvraag".to_owned(),
        price_min_cents: None,
        price_max_cents: None,
        evidence_level: "geen".to_owned(),
        evidence_rank: 0,
        co_creation_phases: Vec::new(),
        themes: Vec::new(),
        keywords: Vec::new(),
        published_at: 1_735_689_600,
        review_count: 0,
        verified_review_count: 0,
        rating_avg: None,
        rating_fit_with_practice: None,
        rating_expertise: None,
        rating_lasting_effect: None,
        rating_value_for_money: None,
        rating_teacher_involvement: None,
        rating_score: None,
    };
    derive_labels(&mut doc);
    doc
}

/// Recomputes what the projection derives from the codes: labels, keywords, evidence rank and
/// whether the offering is long-term. Call it after changing codes.
pub fn derive_labels(doc: &mut OfferingDocument) {
    let service = taxonomy::service_type(&doc.service_type);
    doc.domain = service.map_or_else(|| doc.domain.clone(), |s| s.domain.to_owned());
    doc.domain_label = label(taxonomy::DOMAINS, &doc.domain);
    doc.service_type_label = service.map_or_else(|| doc.service_type.clone(), |s| s.nl.to_owned());
    doc.evidence_rank = taxonomy::evidence_rank(&doc.evidence_level)
        .and_then(|rank| u8::try_from(rank).ok())
        .unwrap_or(0);
    doc.long_term = matches!(doc.duration.as_str(), "traject" | "langdurig");
    doc.keywords = labels(taxonomy::FORMATS, &doc.formats)
        .chain(labels(taxonomy::THEMES, &doc.themes))
        .chain(labels(taxonomy::SECTORS, &doc.sectors))
        .chain(labels(
            taxonomy::CO_CREATION_PHASES,
            &doc.co_creation_phases,
        ))
        .collect();
}

/// `count` offerings with codes, prices, ratings and texts drawn from `seed`: the same seed
/// gives the same documents.
pub fn generated(count: usize, seed: u64) -> Vec<OfferingDocument> {
    let mut random = SplitMix(seed);
    let providers = (count / 20).max(3);
    (0..count)
        .map(|n| generated_one(&mut random, n, providers))
        .collect()
}

fn generated_one(random: &mut SplitMix, n: usize, providers: usize) -> OfferingDocument {
    let service = random.pick(taxonomy::SERVICE_TYPES);
    let topic = random.pick(TOPICS);
    let provider = random.below(providers);
    let regions: Vec<Code> = taxonomy::PROVINCES
        .iter()
        .copied()
        .chain([taxonomy::NATIONWIDE])
        .collect();
    let description: Vec<&str> = (0..random.below(80) + 20)
        .map(|_| random.pick(WORDS))
        .collect();
    let mut doc = offering(
        n as u128 + 1,
        &format!("{} {topic}", capitalised(random.pick(TITLE_WORDS))),
        &format!(
            "{} over {topic} voor het {}",
            random.pick(TITLE_WORDS),
            random.pick(WORDS)
        ),
        &description.join(" "),
    );
    doc.provider_id = Uuid::from_u128((1 << 64) + provider as u128);
    doc.provider_name = format!("{} {}", random.pick(PROVIDER_NAMES), provider);
    doc.provider_kind = random.code(taxonomy::PROVIDER_KINDS);
    doc.service_type = service.code.to_owned();
    doc.sectors = random.codes(taxonomy::SECTORS, 1);
    doc.regions = random.codes(&regions, 1);
    doc.formats = random.codes(taxonomy::FORMATS, 1);
    doc.delivery = random.codes(taxonomy::DELIVERY, 1);
    doc.duration = random.code(taxonomy::DURATIONS);
    doc.co_creation_phases = random.codes(taxonomy::CO_CREATION_PHASES, 0);
    doc.themes = random.codes(taxonomy::THEMES, 0);
    doc.evidence_level = random.code(taxonomy::EVIDENCE_LEVELS);
    doc.price_model = random.code(taxonomy::PRICE_MODELS);
    if doc.price_model != "op_aanvraag" {
        let min = (random.below(400) as i64 + 1) * 2_500;
        doc.price_min_cents = Some(min);
        doc.price_max_cents = Some(min + random.below(4) as i64 * 5_000);
    }
    doc.review_count = random.below(40) as i64;
    doc.verified_review_count = doc.review_count / 2;
    if doc.review_count > 0 {
        doc.rating_avg = Some((random.below(41) as f64 + 10.0) / 10.0);
        // The server's weighted rating with its default prior (3.5) and minimum count (5).
        let v = doc.review_count as f64;
        // Rounded to four decimals as the server's figures are.
        doc.rating_score = doc
            .rating_avg
            .map(|r| ((v * r + 5.0 * 3.5) / (v + 5.0) * 10_000.0).round() / 10_000.0);
    }
    doc.published_at = 1_640_995_200 + random.below(4 * 365 * 86_400) as i64;
    derive_labels(&mut doc);
    doc
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A small, fast, seedable generator (SplitMix64): enough for test data, no dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn code(&mut self, list: &[Code]) -> String {
        self.pick(list).code.to_owned()
    }

    /// At least `min` and at most three distinct codes of the list.
    fn codes(&mut self, list: &[Code], min: usize) -> Vec<String> {
        let wanted = min + self.below(4 - min);
        let mut codes: Vec<String> = Vec::new();
        while codes.len() < wanted.min(list.len()) {
            let code = self.code(list);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    }
}

const TITLE_WORDS: &[&str] = &[
    "training",
    "cursus",
    "begeleiding",
    "coaching",
    "workshop",
    "scholing",
    "leergang",
    "studiedag",
    "traject",
    "advies",
    "ondersteuning",
    "opleiding",
];

const TOPICS: &[&str] = &[
    "dyslexie",
    "rekenen",
    "begrijpend lezen",
    "gedrag in de klas",
    "hoogbegaafdheid",
    "formatief evalueren",
    "differentiëren",
    "burgerschap",
    "digitale geletterdheid",
    "remedial teaching",
    "taalontwikkeling",
    "executieve functies",
    "passend onderwijs",
    "opbrengstgericht werken",
    "teamontwikkeling",
    "schoolleiderschap",
    "ouderbetrokkenheid",
    "nederlands als tweede taal",
    "examentraining",
    "leerlingvolgsysteem",
    "coöperatief leren",
    "projectcoördinatie",
    "sociale veiligheid",
    "wereldoriëntatie",
    "het jonge kind",
];

const PROVIDER_NAMES: &[&str] = &[
    "Onderwijsadvies",
    "Expertisecentrum",
    "Leerlab",
    "Stichting Samen Leren",
    "Bureau",
    "Academie",
    "Schoolbegeleidingsdienst",
    "Kenniscentrum",
];

const WORDS: &[&str] = &[
    "leerlingen",
    "leraren",
    "team",
    "school",
    "klas",
    "groep",
    "ontwikkeling",
    "aanpak",
    "praktijk",
    "lessen",
    "onderwijs",
    "methode",
    "resultaten",
    "doelen",
    "feedback",
    "ouders",
    "intern",
    "begeleider",
    "directie",
    "bestuur",
    "zorg",
    "ondersteuning",
    "analyse",
    "plan",
    "evaluatie",
    "observatie",
    "instructie",
    "differentiatie",
    "motivatie",
    "werkvormen",
    "samenwerking",
    "visie",
    "kwaliteit",
    "cultuur",
    "leren",
    "spelen",
    "lezen",
    "schrijven",
    "rekenen",
    "taal",
    "wiskunde",
    "biologie",
    "geschiedenis",
    "techniek",
    "digitale",
    "leeromgeving",
    "toetsen",
    "examens",
    "mentoraat",
    "loopbaan",
    "welbevinden",
    "gedrag",
    "sociale",
    "emotionele",
    "vaardigheden",
    "kennis",
    "inzicht",
    "onderzoek",
    "bijeenkomsten",
    "intervisie",
    "coaching",
    "training",
    "maatwerk",
    "traject",
    "begeleiding",
    "basisschool",
    "voortgezet",
    "speciaal",
    "mbo",
    "studenten",
    "docenten",
    "schoolleiders",
    "teamleiders",
    "professionele",
    "leergemeenschap",
    "datateam",
    "opbrengsten",
    "leesproblemen",
    "rekenproblemen",
    "concentratie",
    "hoogbegaafde",
    "meerbegaafde",
    "nieuwkomers",
    "kansengelijkheid",
    "inclusie",
    "burgerschap",
    "mediawijsheid",
    "programmeren",
    "praktijkgericht",
    "wetenschappelijk",
    "onderbouwd",
    "effectief",
    "duurzaam",
    "jaar",
    "maanden",
    "dagdelen",
    "online",
    "hybride",
    "locatie",
    "landelijk",
    "regio",
];
