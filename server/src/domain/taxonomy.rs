//! The code lists of `shared/domain.md` that organisations use. Codes are stable ASCII
//! identifiers; labels are Dutch with English beside them.

pub struct Code {
    pub code: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
}

const fn code(code: &'static str, nl: &'static str, en: &'static str) -> Code {
    Code { code, nl, en }
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

pub fn codes(list: &[Code]) -> String {
    list.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
}
