//! A provider's interest profile: which bundles its staff want to hear of when they open. The
//! matching rule is here, pure, so the job that mails and its tests agree on it.

use serde::Deserialize;

use crate::domain::offering::{codes, one_of};
use crate::domain::taxonomy;
use crate::domain::{DomainError, Fields};

pub const NAME_MAX: usize = 100;
pub const KEYWORDS_MAX: usize = 10;
pub const KEYWORD_MAX: usize = 50;
/// Profiles per provider, at most: enough for every line of work, few enough to read.
pub const PROFILES_MAX: i64 = 50;

/// A profile as a provider's staff member sends it. Every list left empty matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestProfileInput {
    /// A name to tell profiles apart (`Rekenen in het po`).
    #[serde(default)]
    pub name: String,
    /// A domain code; none matches every domain.
    pub domain: Option<String>,
    #[serde(default)]
    pub service_types: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Provinces or `landelijk`.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Words of which the bundle's title or need must contain at least one.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// A profile that passed the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterestProfile {
    pub name: String,
    pub domain: Option<String>,
    pub service_types: Vec<String>,
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    /// Lower case, trimmed, each once.
    pub keywords: Vec<String>,
}

impl InterestProfileInput {
    pub fn validate(self) -> Result<InterestProfile, DomainError> {
        let mut fields = Fields::new();
        let name = fields.text("name", &self.name, NAME_MAX);
        let domain = match self.domain.as_deref() {
            None => Some(None),
            Some(raw) => one_of(&mut fields, "domain", taxonomy::DOMAINS, raw).map(Some),
        };
        let service_types = codes(
            &mut fields,
            "service_types",
            &self.service_types,
            false,
            |c| {
                taxonomy::service_type(c).is_some_and(|s| {
                    self.domain
                        .as_deref()
                        .is_none_or(|domain| s.domain == domain)
                })
            },
        );
        let sectors = codes(&mut fields, "sectors", &self.sectors, false, |c| {
            taxonomy::is_code(taxonomy::SECTORS, c)
        });
        let regions = codes(
            &mut fields,
            "regions",
            &self.regions,
            false,
            taxonomy::is_region,
        );
        if self.keywords.len() > KEYWORDS_MAX {
            fields.push(
                "keywords",
                "too_many",
                format!("at most {KEYWORDS_MAX} keywords"),
            );
        }
        let mut keywords: Vec<String> = Vec::new();
        for (i, raw) in self.keywords.iter().enumerate() {
            if let Some(word) = fields.text(&format!("keywords[{i}]"), raw, KEYWORD_MAX) {
                let word = word.to_lowercase();
                if !keywords.contains(&word) {
                    keywords.push(word);
                }
            }
        }
        let parsed = (|| {
            Some(InterestProfile {
                name: name?,
                domain: domain?,
                service_types,
                sectors,
                regions,
                keywords,
            })
        })();
        fields.finish_with(parsed)
    }
}

/// What of a bundle a profile is matched against.
#[derive(Debug, Clone, Copy)]
pub struct BundleTraits<'a> {
    pub domain: &'a str,
    pub service_type: &'a str,
    pub sectors: &'a [String],
    pub regions: &'a [String],
    /// The title and the need, in which keywords are looked for.
    pub texts: &'a [&'a str],
}

/// Whether a bundle interests a profile: every part the profile names matches (an empty part
/// matches anything). Sectors and regions match when they share one code; a nationwide bundle
/// or profile (`landelijk`) matches every region; keywords match when one occurs in the title
/// or the need, case-insensitively.
pub fn matches(profile: &InterestProfile, bundle: &BundleTraits<'_>) -> bool {
    let nationwide = taxonomy::NATIONWIDE.code;
    let shares = |wanted: &[String], held: &[String]| {
        wanted.is_empty() || wanted.iter().any(|w| held.contains(w))
    };
    let regions = profile.regions.is_empty()
        || profile.regions.iter().any(|r| r == nationwide)
        || bundle.regions.iter().any(|r| r == nationwide)
        || shares(&profile.regions, bundle.regions);
    let keywords = profile.keywords.is_empty() || {
        let texts: Vec<String> = bundle.texts.iter().map(|t| t.to_lowercase()).collect();
        profile
            .keywords
            .iter()
            .any(|k| texts.iter().any(|t| t.contains(k.as_str())))
    };
    profile.domain.as_deref().is_none_or(|d| d == bundle.domain)
        && (profile.service_types.is_empty()
            || profile
                .service_types
                .iter()
                .any(|s| s == bundle.service_type))
        && shares(&profile.sectors, bundle.sectors)
        && regions
        && keywords
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|&v| v.to_owned()).collect()
    }

    struct Bundle {
        sectors: Vec<String>,
        regions: Vec<String>,
    }

    fn bundle() -> Bundle {
        Bundle {
            sectors: strings(&["po"]),
            regions: strings(&["utrecht"]),
        }
    }

    fn traits(b: &Bundle) -> BundleTraits<'_> {
        BundleTraits {
            domain: "leerlingenzorg",
            service_type: "zorg_leerproblemen",
            sectors: &b.sectors,
            regions: &b.regions,
            texts: &[
                "Dyslexie-aanpak voor het bestuur",
                "Te veel leerlingen lopen vast",
            ],
        }
    }

    #[test]
    fn an_empty_profile_matches_every_bundle() {
        assert!(matches(&InterestProfile::default(), &traits(&bundle())));
    }

    #[test]
    fn every_named_part_must_match() {
        let b = bundle();
        let t = traits(&b);
        let matching = InterestProfile {
            domain: Some("leerlingenzorg".into()),
            service_types: strings(&["zorg_leerproblemen", "x"]),
            sectors: strings(&["vo", "po"]),
            regions: strings(&["utrecht"]),
            keywords: strings(&["dyslexie"]),
            ..InterestProfile::default()
        };
        assert!(matches(&matching, &t));
        for miss in [
            InterestProfile {
                domain: Some("leermiddelen_toetsing".into()),
                ..matching.clone()
            },
            InterestProfile {
                service_types: strings(&["x"]),
                ..matching.clone()
            },
            InterestProfile {
                sectors: strings(&["vo"]),
                ..matching.clone()
            },
            InterestProfile {
                regions: strings(&["fryslan"]),
                ..matching.clone()
            },
            InterestProfile {
                keywords: strings(&["rekenen"]),
                ..matching.clone()
            },
        ] {
            assert!(!matches(&miss, &t), "{miss:?}");
        }
    }

    #[test]
    fn nationwide_matches_every_region_either_way() {
        let profile = InterestProfile {
            regions: strings(&["landelijk"]),
            ..InterestProfile::default()
        };
        assert!(matches(&profile, &traits(&bundle())));
        let nationwide = Bundle {
            regions: strings(&["landelijk"]),
            ..bundle()
        };
        let regional = InterestProfile {
            regions: strings(&["fryslan"]),
            ..InterestProfile::default()
        };
        assert!(matches(&regional, &traits(&nationwide)));
    }

    #[test]
    fn keywords_match_the_need_case_insensitively() {
        let profile = InterestProfile {
            keywords: strings(&["vast", "rekenen"]),
            ..InterestProfile::default()
        };
        assert!(matches(&profile, &traits(&bundle())));
    }

    #[test]
    fn input_is_checked_all_at_once_and_keywords_normalised() {
        let valid = InterestProfileInput {
            name: "Zorg".into(),
            domain: Some("leerlingenzorg".into()),
            service_types: strings(&["zorg_leerproblemen"]),
            sectors: strings(&["po"]),
            regions: strings(&["landelijk"]),
            keywords: strings(&[" Dyslexie ", "dyslexie"]),
        }
        .validate()
        .unwrap();
        assert_eq!(valid.keywords, ["dyslexie"]);
        let Err(DomainError::Invalid(errors)) = InterestProfileInput {
            name: String::new(),
            domain: Some("onbekend".into()),
            service_types: strings(&["nee"]),
            sectors: strings(&["hbo"]),
            regions: strings(&["mars"]),
            keywords: vec![String::new(); KEYWORDS_MAX + 1],
        }
        .validate() else {
            panic!("expected field errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "name",
            "domain",
            "service_types[0]",
            "sectors[0]",
            "regions[0]",
            "keywords",
            "keywords[0]",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }
}
