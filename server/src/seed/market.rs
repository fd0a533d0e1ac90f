//! A deterministic, realistic Dutch market: boards and schools in every province, networks of
//! them, providers of every kind, and offerings spread over the service types roughly as
//! annex 2 of the Onderwijsraad advice says schools buy them, with plausible prices per model.
//! The same seed gives the same market, ids included.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::words;
use crate::db::models::offering::OfferingContent;
use crate::db::models::organization::NewOrganization;
use crate::db::schema::{network_members, offerings, organizations};
use crate::domain::offering_status::Status;
use crate::domain::taxonomy::{self, ServiceType};
use crate::domain::{OfferingId, OrganizationId, OrganizationKind};

#[derive(Debug, Clone, Copy)]
pub struct MarketSize {
    pub providers: usize,
    pub offerings: usize,
    pub boards_per_province: usize,
}

impl MarketSize {
    /// What `edumarkt up` loads: enough to search and compare.
    pub const DEMO: MarketSize = MarketSize {
        providers: 50,
        offerings: 300,
        boards_per_province: 3,
    };

    /// A market of `offerings` offerings, about six per provider.
    pub fn scale(offerings: usize) -> MarketSize {
        MarketSize {
            providers: (offerings / 6).max(1),
            offerings,
            boards_per_province: 10,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub boards: usize,
    pub schools: usize,
    pub networks: usize,
    pub providers: usize,
    pub offerings: usize,
}

/// Rows per INSERT: PostgreSQL allows 65,535 bind parameters per statement.
const BATCH: usize = 1_000;

#[derive(Insertable)]
#[diesel(table_name = offerings)]
struct NewOffering {
    id: OfferingId,
    provider_id: OrganizationId,
    status: Status,
    #[diesel(embed)]
    content: OfferingContent,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    archived_at: Option<DateTime<Utc>>,
}

/// A UUIDv7 of the instant `at` with random bits from `rng`: generated ids sort by time and
/// come out the same for the same seed.
/// The `n`th BRIN code in order: 00AA, 00AB, … (two digits, two letters; 67,600 of them).
pub(crate) fn brin_code(n: usize) -> String {
    let letters = n % 676;
    let digits = (n / 676) % 100;
    let a = char::from(b'A' + u8::try_from(letters / 26).unwrap_or(0));
    let b = char::from(b'A' + u8::try_from(letters % 26).unwrap_or(0));
    format!("{digits:02}{a}{b}")
}

pub(super) fn v7(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let random: [u8; 10] = rng.r#gen();
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

struct Generator {
    rng: StdRng,
    /// Ids are UUIDv7 built from generated instants and random bits, so they sort by time and
    /// come out the same for the same seed.
    epoch: DateTime<Utc>,
    brin_counter: usize,
}

impl Generator {
    fn new(seed: u64) -> Self {
        let epoch = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
            .map(|d| d.to_utc())
            .unwrap_or_default();
        Self {
            rng: StdRng::seed_from_u64(seed),
            epoch,
            brin_counter: 0,
        }
    }

    fn instant(&mut self, within_days: i64) -> DateTime<Utc> {
        self.epoch + Duration::seconds(self.rng.gen_range(0..within_days * 86_400))
    }

    fn id<Id: From<Uuid>>(&mut self, at: DateTime<Utc>) -> Id {
        v7(&mut self.rng, at).into()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.gen_range(0..items.len())]
    }

    fn next_brin(&mut self) -> String {
        let n = self.brin_counter;
        self.brin_counter += 1;
        brin_code(n)
    }

    fn organization(
        &mut self,
        kind: OrganizationKind,
        name: String,
        province: &str,
    ) -> NewOrganization {
        let at = self.instant(30);
        NewOrganization {
            province: Some(province.into()),
            ..NewOrganization::bare(self.id(at), kind, name, at)
        }
    }

    fn provider(&mut self, index: usize) -> NewOrganization {
        // Kinds as the advice describes the market: many one-person firms, many firms, fewer others.
        let kind = *self.pick(&[
            "zzp",
            "zzp",
            "zzp",
            "commercieel",
            "commercieel",
            "commercieel",
            "non_profit",
            "kennisinstelling",
            "publiek",
        ]);
        let name = match kind {
            "zzp" => format!(
                "{} {} Onderwijsadvies",
                self.pick(words::FIRST_NAMES),
                self.pick(words::LAST_NAMES)
            ),
            "kennisinstelling" => format!(
                "Hogeschool {}{}",
                self.pick(words::PLACE_STEMS),
                self.pick(&["veld", "stede", "waarde", "hove"])
            ),
            "publiek" => format!("Expertisecentrum {}", self.pick(words::PLACE_STEMS)),
            "non_profit" => format!(
                "Stichting {} {}",
                self.pick(words::PROVIDER_FIRST),
                self.pick(words::PROVIDER_SECOND)
            ),
            _ => format!(
                "{}{} {}",
                self.pick(words::PROVIDER_FIRST),
                self.pick(&["", "", "wijs", "kracht"]),
                self.pick(words::PROVIDER_SECOND)
            ),
        };
        let province = self.pick(taxonomy::PROVINCES).code;
        let mut org = self.organization(
            OrganizationKind::Provider,
            format!("{name} ({index})"),
            province,
        );
        org.kvk_number = Some(format!("{:08}", 10_000_000 + index));
        org.provider_kind = Some(kind.into());
        org.sectors = self.sectors(None);
        org.regions = if self.rng.gen_bool(0.4) {
            vec!["landelijk".into()]
        } else {
            vec![province.into()]
        };
        org.website = Some(format!("https://aanbieder-{index}.example.nl"));
        org.description = Some(format!(
            "{name} ondersteunt scholen met professionalisering, advies en materialen."
        ));
        org.contact_email = Some(format!("info@aanbieder-{index}.example.nl"));
        org
    }

    /// Sectors an offering (or provider) serves; weighted by the annex-2 shares when known.
    fn sectors(&mut self, service: Option<&ServiceType>) -> Vec<String> {
        let mut sectors = Vec::new();
        for (code, share) in [
            ("po", service.and_then(|s| s.share_po)),
            ("vo", service.and_then(|s| s.share_vo)),
            ("mbo", service.and_then(|s| s.share_mbo)),
        ] {
            let chance = f64::from(share.unwrap_or(40)) / 100.0;
            if self.rng.gen_bool(chance.clamp(0.05, 0.95)) {
                sectors.push(code.to_owned());
            }
        }
        if self.rng.gen_bool(0.15) {
            sectors.push("so".into());
        }
        if sectors.is_empty() {
            sectors.push((*self.pick(&["po", "vo", "mbo"])).to_owned());
        }
        sectors
    }

    fn service_type(&mut self, weights: &[u32], total: u32) -> &'static ServiceType {
        let mut roll = self.rng.gen_range(0..total);
        for (service, weight) in taxonomy::SERVICE_TYPES.iter().zip(weights) {
            if roll < *weight {
                return service;
            }
            roll -= weight;
        }
        &taxonomy::SERVICE_TYPES[0]
    }

    fn offering(
        &mut self,
        provider: &NewOrganization,
        service: &'static ServiceType,
    ) -> NewOffering {
        let topic = *self.pick(words::topics(service.code));
        let format = *self.pick(formats_for(service.domain));
        let duration = *self.pick(&[
            "eenmalig",
            "kort",
            "kort",
            "traject",
            "traject",
            "langdurig",
        ]);
        let price_model = *self.pick(price_models_for(service.domain, format));
        let (price_min_cents, price_max_cents) = self.prices(price_model);
        let evidence_level = *self.pick(&[
            "geen",
            "geen",
            "geen",
            "geen",
            "geen",
            "goed_beschreven",
            "goed_beschreven",
            "goed_onderbouwd",
            "goed_onderbouwd",
            "effectief_eerste_aanwijzingen",
            "effectief_goede_aanwijzingen",
            "effectief_sterke_aanwijzingen",
        ]);
        let created = self.instant(600);
        let id: OfferingId = self.id(created);
        let evidence_sources = if evidence_level == "geen" {
            vec![]
        } else {
            vec![format!(
                "https://kennisbank.edumarkt.example/evaluaties/{}",
                id.as_uuid().simple()
            )]
        };
        let mut sentences = words::DESCRIPTION_SENTENCES.to_vec();
        sentences.shuffle(&mut self.rng);
        let phases: Vec<String> = taxonomy::CO_CREATION_PHASES
            .iter()
            .filter(|_| self.rng.gen_bool(0.3))
            .map(|c| c.code.to_owned())
            .collect();
        let themes: Vec<String> = taxonomy::THEMES
            .iter()
            .filter(|_| self.rng.gen_bool(0.2))
            .map(|c| c.code.to_owned())
            .collect();
        let regions = if provider.regions.iter().any(|r| r == "landelijk") || self.rng.gen_bool(0.3)
        {
            vec!["landelijk".to_owned()]
        } else {
            let mut regions = provider.regions.clone();
            let extra = self.pick(taxonomy::PROVINCES).code.to_owned();
            if !regions.contains(&extra) {
                regions.push(extra);
            }
            regions
        };
        // Most offerings are live; a few are being written or were withdrawn.
        let status = match self.rng.gen_range(0..100) {
            0..90 => Status::Published,
            90..97 => Status::Draft,
            _ => Status::Archived,
        };
        let label = taxonomy::FORMATS
            .iter()
            .find(|f| f.code == format)
            .map_or(format, |f| f.nl);
        NewOffering {
            id,
            provider_id: provider.id,
            status,
            content: OfferingContent {
                title: format!("{topic} ({label})"),
                summary: format!("{topic}: {} voor {}.", label, service.nl),
                description: sentences[..4].join(" "),
                domain: service.domain.to_owned(),
                service_type: service.code.to_owned(),
                sectors: self.sectors(Some(service)),
                regions,
                formats: vec![format.to_owned()],
                delivery: vec![
                    (*self.pick(&["op_locatie", "op_locatie", "online", "hybride"])).to_owned(),
                ],
                duration: duration.to_owned(),
                price_model: price_model.to_owned(),
                price_min_cents,
                price_max_cents,
                evidence_level: evidence_level.to_owned(),
                evidence_sources,
                co_creation_phases: phases,
                themes,
            },
            created_at: created,
            updated_at: created,
            published_at: (status != Status::Draft).then_some(created),
            archived_at: (status == Status::Archived).then_some(created),
        }
    }

    /// Plausible prices in cents, excluding VAT; the maximum 0-50% above the minimum.
    fn prices(&mut self, model: &str) -> (Option<i64>, Option<i64>) {
        let range = match model {
            "per_uur" => 8_500..17_500,
            "per_deelnemer" => 15_000..150_000,
            "per_leerling_per_jaar" => 500..6_000,
            "per_licentie_per_jaar" => 2_000..40_000,
            "vaste_prijs" => 150_000..4_000_000,
            _ => return (None, None),
        };
        let min: i64 = self.rng.gen_range(range) / 100 * 100;
        let max = min + min * self.rng.gen_range(0..50) / 100 / 100 * 100;
        (Some(min), Some(max))
    }
}

fn formats_for(domain: &str) -> &'static [&'static str] {
    match domain {
        "professionalisering" => &[
            "training",
            "opleiding",
            "coaching",
            "lesson_study",
            "leergemeenschap",
            "begeleidingstraject",
        ],
        "leerlingenzorg" => &[
            "begeleidingstraject",
            "coaching",
            "advies",
            "product",
            "training",
        ],
        "leermiddelen_toetsing" => &["product", "product", "training", "advies", "examendienst"],
        _ => &[
            "advies",
            "onderzoek",
            "interim",
            "begeleidingstraject",
            "datateam",
            "werkplaats",
        ],
    }
}

fn price_models_for(domain: &str, format: &str) -> &'static [&'static str] {
    match (domain, format) {
        (_, "product") => &[
            "per_licentie_per_jaar",
            "per_leerling_per_jaar",
            "vaste_prijs",
        ],
        (_, "interim") => &["per_uur"],
        (_, "examendienst") => &["per_leerling_per_jaar", "vaste_prijs"],
        ("professionalisering", _) => &[
            "per_deelnemer",
            "per_deelnemer",
            "vaste_prijs",
            "op_aanvraag",
        ],
        ("organisatieontwikkeling", _) => &["per_uur", "vaste_prijs", "op_aanvraag"],
        _ => &["per_uur", "vaste_prijs", "per_deelnemer", "op_aanvraag"],
    }
}

/// Loads a market of `size` generated from `seed`; `progress` is told how many offerings are in.
pub async fn load_market(
    conn: &mut AsyncPgConnection,
    size: MarketSize,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
) -> anyhow::Result<Seeded> {
    let mut generator = Generator::new(seed);
    let mut seeded = Seeded::default();

    let mut boards = Vec::new();
    let mut schools = Vec::new();
    let mut networks = Vec::new();
    let mut network_rows = Vec::new();
    for (p, province) in taxonomy::PROVINCES.iter().enumerate() {
        let network = generator.organization(
            OrganizationKind::Network,
            format!("Samenwerkingsverband {}", province.nl),
            province.code,
        );
        for b in 0..size.boards_per_province {
            let number = format!("{}", 10_000 + p * 1_000 + b);
            let stem = generator.pick(words::PLACE_STEMS).to_owned();
            let mut board = generator.organization(
                OrganizationKind::SchoolBoard,
                format!("Stichting Onderwijs {stem} {}", province.nl),
                province.code,
            );
            board.board_number = Some(number.clone());
            for _ in 0..generator.rng.gen_range(1..=4) {
                let (sector, prefix) = *generator.pick(words::SCHOOL_PREFIXES);
                let name = format!("{prefix} {}", generator.pick(words::SCHOOL_NAMES));
                let mut school =
                    generator.organization(OrganizationKind::School, name, province.code);
                school.brin = Some(generator.next_brin());
                school.board_number = Some(number.clone());
                school.board_id = Some(board.id);
                school.sectors = vec![sector.to_owned()];
                if generator.rng.gen_bool(0.5) {
                    network_rows.push((network.id, school.id));
                }
                schools.push(school);
            }
            network_rows.push((network.id, board.id));
            boards.push(board);
        }
        networks.push(network);
    }
    let providers: Vec<NewOrganization> =
        (0..size.providers).map(|i| generator.provider(i)).collect();
    let weights: Vec<u32> = taxonomy::SERVICE_TYPES
        .iter()
        .map(|s| {
            let shares: Vec<u32> = [s.share_po, s.share_vo, s.share_mbo]
                .into_iter()
                .flatten()
                .map(u32::from)
                .collect();
            if shares.is_empty() {
                20
            } else {
                (shares.iter().sum::<u32>() / u32::try_from(shares.len()).unwrap_or(1)).max(2)
            }
        })
        .collect();
    let total: u32 = weights.iter().sum();

    conn.transaction::<_, anyhow::Error, _>(async |conn| {
        for chunk in boards
            .chunks(BATCH)
            .chain(schools.chunks(BATCH))
            .chain(networks.chunks(BATCH))
            .chain(providers.chunks(BATCH))
        {
            diesel::insert_into(organizations::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        let rows: Vec<_> = network_rows
            .iter()
            .map(|(n, m)| {
                (
                    network_members::network_id.eq(*n),
                    network_members::member_id.eq(*m),
                    network_members::created_at.eq(generator.epoch),
                )
            })
            .collect();
        for chunk in rows.chunks(BATCH) {
            diesel::insert_into(network_members::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        Ok(())
    })
    .await?;
    seeded.boards = boards.len();
    seeded.schools = schools.len();
    seeded.networks = networks.len();
    seeded.providers = providers.len();

    // Offerings in batches, each in its own transaction, so progress shows and memory stays flat.
    let mut done = 0;
    while done < size.offerings {
        let count = BATCH.min(size.offerings - done);
        let batch: Vec<NewOffering> = (0..count)
            .map(|i| {
                let provider = &providers[(done + i) % providers.len()];
                let service = generator.service_type(&weights, total);
                generator.offering(provider, service)
            })
            .collect();
        diesel::insert_into(offerings::table)
            .values(&batch)
            .execute(conn)
            .await?;
        done += count;
        progress(done);
    }
    seeded.offerings = done;
    Ok(seeded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_market() {
        let (mut a, mut b) = (Generator::new(7), Generator::new(7));
        let (pa, pb) = (a.provider(1), b.provider(1));
        assert_eq!((pa.id, &pa.name), (pb.id, &pb.name));
        let service = &taxonomy::SERVICE_TYPES[3];
        assert_eq!(
            a.offering(&pa, service).content,
            b.offering(&pb, service).content
        );
        assert_ne!(Generator::new(8).provider(1).id, pa.id);
    }

    #[test]
    fn generated_offerings_pass_validation() {
        let mut generator = Generator::new(1);
        let provider = generator.provider(0);
        for service in taxonomy::SERVICE_TYPES {
            for _ in 0..20 {
                let offering = generator.offering(&provider, service);
                let input = crate::domain::offering::OfferingInput::from(offering.content.clone());
                assert_eq!(
                    input
                        .validate()
                        .map(crate::db::models::offering::OfferingContent::from)
                        .map_err(|e| format!("{e:?}")),
                    Ok(offering.content)
                );
            }
        }
    }

    #[test]
    fn brin_codes_are_unique_and_well_formed() {
        let mut generator = Generator::new(1);
        let codes: std::collections::HashSet<String> =
            (0..5_000).map(|_| generator.next_brin()).collect();
        assert_eq!(codes.len(), 5_000);
        assert!(
            codes
                .iter()
                .all(|c| crate::domain::organization::brin(c).is_ok())
        );
    }
}
