//! The canonical taxonomy of `shared/domain.md`, owned by the project (here, beside the index
//! contract whose vocabulary it is; the server re-exports it): every code list with its
//! Dutch and English labels. Codes are stable ASCII identifiers that the database, the search
//! index and clients use; labels are for people. `GET /v1/taxonomy` serves all of it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Code {
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

const fn code(code: &'static str, nl: &'static str, en: &'static str) -> Code {
    Code { code, nl, en }
}

/// A service type, with the domain it belongs to and the share of schools that buy it
/// externally per po/vo/mbo, in percent, as annex 2 of the Onderwijsraad advice reports it
/// (`None` where the advice gives no figure).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct ServiceType {
    pub code: &'static str,
    pub domain: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    pub share_po: Option<u8>,
    pub share_vo: Option<u8>,
    pub share_mbo: Option<u8>,
}

const fn service(
    code: &'static str,
    domain: &'static str,
    nl: &'static str,
    en: &'static str,
    [share_po, share_vo, share_mbo]: [Option<u8>; 3],
) -> ServiceType {
    ServiceType {
        code,
        domain,
        nl,
        en,
        share_po,
        share_vo,
        share_mbo,
    }
}

pub const DOMAINS: &[Code] = &[
    code(
        "professionalisering",
        "professionalisering",
        "professional development",
    ),
    code(
        "leerlingenzorg",
        "leerlingenzorg en -ondersteuning",
        "pupil care and support",
    ),
    code(
        "leermiddelen_toetsing",
        "leermiddelen, methoden, toetsing en examinering",
        "learning materials, methods, testing and examination",
    ),
    code(
        "organisatieontwikkeling",
        "organisatieontwikkeling, advies en onderzoek",
        "organisational development, advice and research",
    ),
];

pub const SERVICE_TYPES: &[ServiceType] = &[
    service(
        "prof_individueel_leraren",
        "professionalisering",
        "individuele professionalisering leraren/docenten",
        "individual development of teachers",
        [Some(87), Some(93), Some(86)],
    ),
    service(
        "prof_collectief_team",
        "professionalisering",
        "collectieve professionalisering op team- of sectieniveau",
        "collective development of a team or section",
        [Some(85), Some(81), Some(89)],
    ),
    service(
        "prof_individueel_directie",
        "professionalisering",
        "individuele professionalisering directie",
        "individual development of school leaders",
        [Some(70), Some(71), Some(64)],
    ),
    service(
        "prof_collectief_instelling",
        "professionalisering",
        "collectieve professionalisering op instellings- of locatieniveau",
        "collective development of a school or location",
        [Some(37), Some(56), Some(50)],
    ),
    service(
        "prof_ondersteunend_personeel",
        "professionalisering",
        "individuele professionalisering onderwijsondersteunend personeel",
        "individual development of support staff",
        [Some(33), Some(72), Some(54)],
    ),
    service(
        "prof_teamleiders",
        "professionalisering",
        "individuele professionalisering teamleiders",
        "individual development of team leaders",
        [Some(24), Some(78), Some(79)],
    ),
    service(
        "zorg_diagnostiek",
        "leerlingenzorg",
        "diagnostiek",
        "diagnostics",
        [Some(77), Some(41), Some(58)],
    ),
    service(
        "zorg_leerproblemen",
        "leerlingenzorg",
        "ondersteuning leerlingen met leerproblemen (bv. dyslexie)",
        "support for pupils with learning difficulties (e.g. dyslexia)",
        [Some(71), Some(35), Some(58)],
    ),
    // Annex 2 gives no separate figure for behavioural support.
    service(
        "zorg_gedragsproblemen",
        "leerlingenzorg",
        "ondersteuning leerlingen met gedragsproblemen",
        "support for pupils with behavioural problems",
        [None, None, None],
    ),
    service(
        "zorg_leraren_omgang",
        "leerlingenzorg",
        "ondersteuning leraren in omgang met gedrags- of leerproblemen",
        "support for teachers dealing with behavioural or learning problems",
        [Some(56), Some(53), Some(84)],
    ),
    service(
        "zorg_hulpmiddelen",
        "leerlingenzorg",
        "hulpmiddelen of aanpassingen voor leerlingen",
        "aids or adjustments for pupils",
        [Some(39), Some(29), Some(42)],
    ),
    service(
        "lm_advies_aanschaf",
        "leermiddelen_toetsing",
        "advies of ondersteuning bij aanschaf van (digitale) leermiddelen",
        "advice on buying (digital) learning materials",
        [Some(75), Some(38), Some(21)],
    ),
    service(
        "lm_digitale_leeromgeving",
        "leermiddelen_toetsing",
        "digitale leeromgevingen of leerplatforms",
        "digital learning environments or platforms",
        [Some(43), Some(62), Some(64)],
    ),
    service(
        "lm_leermiddelen_leraren",
        "leermiddelen_toetsing",
        "(digitale) leermiddelen voor leraren/docenten",
        "(digital) materials for teachers",
        [Some(36), Some(52), Some(36)],
    ),
    service(
        "lm_leermiddelen_leerlingen",
        "leermiddelen_toetsing",
        "(les)materiaal of (digitale) leermiddelen voor leerlingen/studenten",
        "(digital) learning materials for pupils and students",
        [None, None, Some(86)],
    ),
    service(
        "lm_ontwikkelen_leermiddelen",
        "leermiddelen_toetsing",
        "training of advies over het ontwikkelen van (digitale) leermiddelen",
        "training or advice on developing (digital) materials",
        [Some(23), Some(38), Some(21)],
    ),
    service(
        "lm_toetsontwikkeling",
        "leermiddelen_toetsing",
        "training voor het zelf ontwikkelen van examens of toetsen",
        "training in developing exams or tests",
        [Some(2), Some(25), Some(32)],
    ),
    service(
        "lm_leerlingvolgsysteem",
        "leermiddelen_toetsing",
        "leerlingvolgsystemen en (diagnostische) tussentijdse toetsen",
        "pupil tracking systems and diagnostic tests",
        [None, Some(81), None],
    ),
    service(
        "lm_bijles_examentraining",
        "leermiddelen_toetsing",
        "huiswerkbegeleiding, examentraining en/of bijles",
        "homework support, exam training and tutoring",
        [Some(3), Some(48), Some(0)],
    ),
    service(
        "lm_examinering",
        "leermiddelen_toetsing",
        "schoolexamens, examendienstverlening en exameninstrumenten",
        "school exams, exam services and instruments",
        [None, Some(45), Some(93)],
    ),
    service(
        "org_onderwijskundig_advies",
        "organisatieontwikkeling",
        "onderwijskundig advies en begeleiding",
        "educational advice and guidance",
        [Some(80), Some(74), Some(47)],
    ),
    service(
        "org_beleidsadvies",
        "organisatieontwikkeling",
        "beleids- of organisatieadvies",
        "policy or organisational advice",
        [Some(54), Some(71), Some(71)],
    ),
    service(
        "org_interim",
        "organisatieontwikkeling",
        "interim docenten of leidinggevenden",
        "interim teachers or managers",
        [Some(16), Some(57), Some(71)],
    ),
    service(
        "org_onderzoek_ontwikkeling",
        "organisatieontwikkeling",
        "onderzoek en ontwikkeling",
        "research and development",
        [Some(14), Some(25), Some(12)],
    ),
    service(
        "org_werving_selectie",
        "organisatieontwikkeling",
        "werving en selectie van personeel",
        "recruitment and selection",
        [Some(13), Some(38), Some(41)],
    ),
    service(
        "org_projectcoordinatie",
        "organisatieontwikkeling",
        "projectcoördinatie",
        "project coordination",
        [Some(8), Some(26), Some(41)],
    ),
];

/// The share of schools that buy anything in a domain externally, per po/vo/mbo, in percent
/// (annex 2 of the Onderwijsraad advice, beside the service types' shares above).
pub const DOMAIN_SHARES: &[(&str, [Option<u8>; 3])] = &[
    ("professionalisering", [Some(95), Some(89), Some(85)]),
    ("leerlingenzorg", [Some(61), Some(45), Some(58)]),
    ("leermiddelen_toetsing", [Some(74), Some(79), Some(91)]),
    ("organisatieontwikkeling", [Some(49), Some(56), Some(58)]),
];

/// The sectors annex 2 reports on, in the order of the shares' arrays.
pub const ANNEX_SECTORS: [&str; 3] = ["po", "vo", "mbo"];

/// Annex 2's share of schools in `sector` that buy `code` (a service type, or a domain)
/// externally; `None` where the advice gives no figure (and for `so`, which it does not cover).
pub fn national_share(code: &str, sector: &str) -> Option<u8> {
    let index = ANNEX_SECTORS.iter().position(|s| *s == sector)?;
    if let Some(service) = service_type(code) {
        return [service.share_po, service.share_vo, service.share_mbo][index];
    }
    DOMAIN_SHARES
        .iter()
        .find(|(domain, _)| *domain == code)
        .and_then(|(_, shares)| shares[index])
}

pub const SECTORS: &[Code] = &[
    code("po", "primair onderwijs", "primary education"),
    code("so", "(voortgezet) speciaal onderwijs", "special education"),
    code("vo", "voortgezet onderwijs", "secondary education"),
    code("mbo", "middelbaar beroepsonderwijs", "vocational education"),
];

/// The twelve provinces; `landelijk` (nationwide) is a region, not a province.
pub const PROVINCES: &[Code] = &[
    code("groningen", "Groningen", "Groningen"),
    code("fryslan", "Fryslân", "Friesland"),
    code("drenthe", "Drenthe", "Drenthe"),
    code("overijssel", "Overijssel", "Overijssel"),
    code("flevoland", "Flevoland", "Flevoland"),
    code("gelderland", "Gelderland", "Gelderland"),
    code("utrecht", "Utrecht", "Utrecht"),
    code("noord_holland", "Noord-Holland", "North Holland"),
    code("zuid_holland", "Zuid-Holland", "South Holland"),
    code("zeeland", "Zeeland", "Zeeland"),
    code("noord_brabant", "Noord-Brabant", "North Brabant"),
    code("limburg", "Limburg", "Limburg"),
];

pub const NATIONWIDE: Code = code("landelijk", "landelijk", "nationwide");

pub const FORMATS: &[Code] = &[
    code("training", "training", "training"),
    code(
        "opleiding",
        "opleiding of master",
        "course or master's programme",
    ),
    code("coaching", "coaching", "coaching"),
    code("advies", "advies", "advice"),
    code(
        "begeleidingstraject",
        "begeleidingstraject",
        "guided trajectory",
    ),
    code("lesson_study", "lesson study", "lesson study"),
    code("datateam", "datateam", "data team"),
    code(
        "leergemeenschap",
        "professionele leergemeenschap, netwerk of intervisie",
        "learning community, network or peer review",
    ),
    code(
        "werkplaats",
        "onderwijswerkplaats of leerlab",
        "education workshop or learning lab",
    ),
    code("onderzoek", "onderzoek", "research"),
    code(
        "product",
        "product (licentie, methode, platform, tool)",
        "product (licence, method, platform, tool)",
    ),
    code("interim", "interim", "interim"),
    code("examendienst", "examendienst", "exam service"),
];

pub const DELIVERY: &[Code] = &[
    code("op_locatie", "op locatie", "on site"),
    code("online", "online", "online"),
    code("hybride", "hybride", "hybrid"),
];

pub const DURATIONS: &[Code] = &[
    code(
        "eenmalig",
        "eenmalig (hoogstens een dag)",
        "one-off (a day at most)",
    ),
    code(
        "kort",
        "kort (tot drie maanden)",
        "short (up to three months)",
    ),
    code(
        "traject",
        "traject (drie tot twaalf maanden)",
        "trajectory (three to twelve months)",
    ),
    code(
        "langdurig",
        "langdurig (meer dan een jaar of vast partnerschap)",
        "long-term (over a year, or a standing partnership)",
    ),
];

pub const PRICE_MODELS: &[Code] = &[
    code("per_uur", "per uur", "per hour"),
    code("per_deelnemer", "per deelnemer", "per participant"),
    code(
        "per_leerling_per_jaar",
        "per leerling per jaar",
        "per pupil per year",
    ),
    code(
        "per_licentie_per_jaar",
        "per licentie per jaar",
        "per licence per year",
    ),
    code("vaste_prijs", "vaste prijs", "fixed price"),
    code("op_aanvraag", "op aanvraag", "on request"),
];

pub const UNITS: &[Code] = &[
    code("deelnemer", "deelnemer", "participant"),
    code("leerling", "leerling", "pupil"),
    code("licentie", "licentie", "licence"),
    code("uur", "uur", "hour"),
    code("school", "school", "school"),
];

/// In rising order of strength (after the Dutch recognition scheme for interventions).
pub const EVIDENCE_LEVELS: &[Code] = &[
    code("geen", "niet beoordeeld", "not assessed"),
    code("goed_beschreven", "goed beschreven", "well described"),
    code("goed_onderbouwd", "goed onderbouwd", "well founded"),
    code(
        "effectief_eerste_aanwijzingen",
        "effectief: eerste aanwijzingen",
        "effective: first indications",
    ),
    code(
        "effectief_goede_aanwijzingen",
        "effectief: goede aanwijzingen",
        "effective: good indications",
    ),
    code(
        "effectief_sterke_aanwijzingen",
        "effectief: sterke aanwijzingen",
        "effective: strong indications",
    ),
];

pub const CO_CREATION_PHASES: &[Code] = &[
    code(
        "vraagarticulatie",
        "vraagarticulatie",
        "articulating the demand",
    ),
    code("co_design", "co-design", "co-design"),
    code("co_productie", "co-productie", "co-production"),
    code("evaluatie", "testen en evalueren", "testing and evaluating"),
    code(
        "disseminatie",
        "delen van resultaten",
        "sharing the results",
    ),
];

pub const THEMES: &[Code] = &[
    code(
        "kennis_vaardigheden",
        "kennis en vaardigheden van leerlingen",
        "pupils' knowledge and skills",
    ),
    code(
        "inclusief_onderwijs",
        "toegang tot een inclusieve(re) leeromgeving",
        "access to a more inclusive learning environment",
    ),
    code(
        "technologie",
        "technologie in het onderwijs",
        "technology in education",
    ),
    code("gelijke_kansen", "gelijke kansen", "equal opportunities"),
    code(
        "leraren_opleiding",
        "kwalificaties van toekomstige leraren en kwaliteit van hun opleiding",
        "qualifications and training of future teachers",
    ),
    code(
        "lerende_organisatie",
        "de school als lerende en professionele organisatie",
        "the school as a learning, professional organisation",
    ),
];

pub const PROVIDER_KINDS: &[Code] = &[
    code("commercieel", "commercieel bureau", "commercial firm"),
    code("zzp", "zelfstandige zonder personeel", "one-person firm"),
    code(
        "non_profit",
        "stichting, vereniging of sectorraad",
        "non-profit",
    ),
    code(
        "kennisinstelling",
        "hogeschool, universiteit of onderzoeksinstituut",
        "knowledge institution",
    ),
    code(
        "publiek",
        "publiek gefinancierde organisatie",
        "government-funded body",
    ),
];

pub fn is_code(list: &[Code], candidate: &str) -> bool {
    list.iter().any(|c| c.code == candidate)
}

/// A region: a province or `landelijk`.
pub fn is_region(candidate: &str) -> bool {
    candidate == NATIONWIDE.code || is_code(PROVINCES, candidate)
}

pub fn codes(list: &[Code]) -> String {
    list.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
}

pub fn service_type(code: &str) -> Option<&'static ServiceType> {
    SERVICE_TYPES.iter().find(|s| s.code == code)
}

/// The position of an evidence level in `EVIDENCE_LEVELS` (higher is stronger).
pub fn evidence_rank(code: &str) -> Option<usize> {
    EVIDENCE_LEVELS.iter().position(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_service_type_belongs_to_a_domain_and_codes_are_unique() {
        for service in SERVICE_TYPES {
            assert!(is_code(DOMAINS, service.domain), "{}", service.code);
        }
        let lists: [&[Code]; 12] = [
            DOMAINS,
            SECTORS,
            PROVINCES,
            FORMATS,
            DELIVERY,
            DURATIONS,
            PRICE_MODELS,
            UNITS,
            EVIDENCE_LEVELS,
            CO_CREATION_PHASES,
            THEMES,
            PROVIDER_KINDS,
        ];
        for list in lists {
            let unique: HashSet<_> = list.iter().map(|c| c.code).collect();
            assert_eq!(unique.len(), list.len());
            assert!(
                list.iter()
                    .all(|c| c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            );
        }
        assert_eq!(SERVICE_TYPES.len(), 26);
        assert_eq!(DOMAINS.len(), 4);
    }

    #[test]
    fn national_shares_come_from_annex_2_for_service_types_and_domains() {
        assert_eq!(national_share("prof_individueel_leraren", "vo"), Some(93));
        assert_eq!(national_share("lm_bijles_examentraining", "mbo"), Some(0));
        assert_eq!(national_share("zorg_gedragsproblemen", "po"), None);
        assert_eq!(national_share("leermiddelen_toetsing", "mbo"), Some(91));
        assert_eq!(national_share("prof_individueel_leraren", "so"), None);
        assert_eq!(national_share("onbekend", "po"), None);
        assert!(DOMAIN_SHARES.iter().all(|(d, _)| is_code(DOMAINS, d)));
        assert_eq!(DOMAIN_SHARES.len(), DOMAINS.len());
    }

    #[test]
    fn regions_are_provinces_and_nationwide() {
        assert!(is_region("landelijk") && is_region("fryslan"));
        assert!(!is_region("texel"));
        assert!(evidence_rank("effectief_sterke_aanwijzingen") > evidence_rank("geen"));
    }
}
