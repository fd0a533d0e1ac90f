//! `edumarkt bench tenders`: a demand bundle at scale, through the API as its people use it. A
//! network's coordinator drafts and opens a public bundle; its member schools join it, many
//! at once (joins per second, one join's p50/p99), after which the totals must equal the
//! participants' sums exactly; providers submit sealed offers (offers per second); after the
//! offer deadline the coordinator opens the offers, scores each, reads the ranking and awards
//! the best; the bundle's OCDS release package and the awards feed are timed with their size.
//! It prints figures; it asserts nothing but the totals' exactness and that every request
//! succeeds.
//!
//! The server runs on the system clock, as in production, and a bundle's deadlines lie ahead
//! when it is drafted (the rules refuse others). Rather than wait days, the benchmark moves the
//! stored deadlines into the past between the phases, by SQL: every use case derives the
//! bundle's status from its stored deadlines at the request (`domain::bundle::status_at`), so
//! this is what the passing of time does to the bundle. What is not replayed: the deadline
//! reminders scheduled when the bundle opened keep their original times (a day or more ahead)
//! and are not part of the figures.

use std::collections::HashSet;
use std::time::Instant;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{access_tokens, call, machine, report, send_concurrently};
use crate::db::models::organization::NewOrganization;
use crate::db::schema::{bundles, memberships, network_members, organizations, users};
use crate::domain::{OrganizationId, OrganizationKind};
use crate::seed::market::brin_code;
use crate::state::AppState;

pub struct Options {
    /// Schools that join the bundle (each with its own school leader).
    pub schools: usize,
    /// Providers that offer (each with its own admin).
    pub offers: usize,
    /// Requests in flight at once while joining and offering.
    pub concurrency: usize,
    /// Times each read (the offers, the ranking, the OCDS package, the feed) is timed.
    pub runs: usize,
}

/// The organisations of one run and an access token for each one's manager.
struct Cast {
    coordinator: String,
    network: Uuid,
    /// (school, its leader's token)
    schools: Vec<(Uuid, String)>,
    /// (provider, its admin's token)
    providers: Vec<(Uuid, String)>,
}

/// `count` codes from `candidate(0..space)` that are not `taken`, in order.
fn free_codes(
    taken: &HashSet<String>,
    count: usize,
    space: usize,
    candidate: impl Fn(usize) -> String,
) -> anyhow::Result<Vec<String>> {
    let free: Vec<String> = (0..space)
        .map(candidate)
        .filter(|c| !taken.contains(c))
        .take(count)
        .collect();
    anyhow::ensure!(
        free.len() == count,
        "only {} free codes left for {count} new organisations: use a new --data-dir",
        free.len()
    );
    Ok(free)
}

/// A school of Utrecht for primary education, or another organisation there.
fn organization(kind: OrganizationKind, name: String, now: DateTime<Utc>) -> NewOrganization {
    NewOrganization {
        sectors: vec!["po".to_owned()],
        province: Some("utrecht".to_owned()),
        regions: vec!["utrecht".to_owned()],
        city: Some("Utrecht".to_owned()),
        ..NewOrganization::bare(OrganizationId::from(Uuid::now_v7()), kind, name, now)
    }
}

/// One account of a cast: its organisation, its id, its role there and its e-mail address.
pub(crate) struct Person {
    pub organization: Uuid,
    pub user: Uuid,
    pub email: String,
}

/// The organisations of a cast and their managers: the network's coordinator first, then the
/// schools' leaders, then the providers' admins.
pub(crate) struct People {
    pub network: Uuid,
    pub people: Vec<Person>,
}

/// Creates a network with its coordinator, `schools` member schools with a school leader each,
/// and `providers` providers with an admin each (verified accounts, no password; e-mail
/// addresses `{label}-{run}-{n}@bench.edumarkt.example`).
pub(crate) async fn create_cast(
    conn: &mut diesel_async::AsyncPgConnection,
    now: DateTime<Utc>,
    schools: usize,
    providers: usize,
    label: &str,
) -> anyhow::Result<People> {
    let run = Uuid::now_v7().simple().to_string();
    let tag = &run[24..];
    // The codes in use: a school's BRIN and a provider's KvK number are unique.
    let (mut brins, mut kvks) = (HashSet::new(), HashSet::new());
    let registered: Vec<(String, Option<String>, Option<String>)> = organizations::table
        .filter(organizations::kind.eq_any([
            OrganizationKind::School.as_str(),
            OrganizationKind::Provider.as_str(),
        ]))
        .select((
            organizations::kind,
            organizations::brin,
            organizations::kvk_number,
        ))
        .load(conn)
        .await?;
    for (kind, brin, kvk) in registered {
        if kind == OrganizationKind::School.as_str() {
            brins.extend(brin);
        } else {
            kvks.extend(kvk);
        }
    }
    let brins = free_codes(&brins, schools, 67_600, brin_code)?;
    let kvks = free_codes(&kvks, providers, 10_000_000, |i| {
        format!("{:08}", 90_000_000 + i)
    })?;

    let network = organization(
        OrganizationKind::Network,
        format!("Benchmarknetwerk {tag}"),
        now,
    );
    let mut orgs = vec![network];
    for (n, brin) in brins.into_iter().enumerate() {
        let mut school = organization(
            OrganizationKind::School,
            format!("Benchmarkschool {tag} {n}"),
            now,
        );
        school.brin = Some(brin);
        orgs.push(school);
    }
    for (n, kvk) in kvks.into_iter().enumerate() {
        let mut provider = organization(
            OrganizationKind::Provider,
            format!("Benchmarkaanbieder {tag} {n}"),
            now,
        );
        provider.kvk_number = Some(kvk);
        provider.provider_kind = Some("commercieel".to_owned());
        orgs.push(provider);
    }
    // One manager per organisation, the network's first.
    let people: Vec<(Uuid, Uuid, &str, String)> = orgs
        .iter()
        .enumerate()
        .map(|(n, org)| {
            let role = match org.kind {
                OrganizationKind::Network => "coordinator",
                OrganizationKind::School => "school_leader",
                _ => "provider_admin",
            };
            let email = format!("{label}-{tag}-{n}@bench.edumarkt.example");
            (*org.id.as_uuid(), Uuid::now_v7(), role, email)
        })
        .collect();
    let network_id = *orgs[0].id.as_uuid();
    // Batches well under PostgreSQL's 65,535 bind parameters.
    for chunk in orgs.chunks(1_000) {
        diesel::insert_into(organizations::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    for chunk in people.chunks(1_000) {
        let accounts: Vec<_> = chunk
            .iter()
            .map(|(_, user, _, email)| {
                (
                    users::id.eq(*user),
                    users::email.eq(email),
                    users::display_name.eq("Benchmark"),
                    users::email_verified_at.eq(now),
                    users::is_moderator.eq(false),
                    users::created_at.eq(now),
                    users::updated_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(users::table)
            .values(accounts)
            .execute(conn)
            .await?;
        let roles: Vec<_> = chunk
            .iter()
            .map(|(org, user, role, _)| {
                (
                    memberships::organization_id.eq(*org),
                    memberships::user_id.eq(*user),
                    memberships::role.eq(*role),
                    memberships::created_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(memberships::table)
            .values(roles)
            .execute(conn)
            .await?;
    }
    let members: Vec<_> = people[1..=schools]
        .iter()
        .map(|(school, _, _, _)| {
            (
                network_members::network_id.eq(network_id),
                network_members::member_id.eq(*school),
                network_members::added_by.eq(people[0].1),
                network_members::created_at.eq(now),
            )
        })
        .collect();
    for chunk in members.chunks(1_000) {
        diesel::insert_into(network_members::table)
            .values(chunk)
            .execute(conn)
            .await?;
    }
    Ok(People {
        network: network_id,
        people: people
            .into_iter()
            .map(|(organization, user, _, email)| Person {
                organization,
                user,
                email,
            })
            .collect(),
    })
}

/// The run's cast (see `create_cast`), with a session started for every account.
async fn cast(state: &AppState, schools: usize, providers: usize) -> anyhow::Result<Cast> {
    let created = {
        let mut conn = state.pool.get().await?;
        create_cast(&mut conn, state.clock.now(), schools, providers, "tender").await?
    };
    let user_ids: Vec<Uuid> = created.people.iter().map(|p| p.user).collect();
    let mut tokens = access_tokens(state, &user_ids).await?.into_iter();
    let coordinator = tokens
        .next()
        .ok_or_else(|| anyhow::anyhow!("no coordinator"))?;
    let mut managed = created.people[1..]
        .iter()
        .map(|p| p.organization)
        .zip(tokens);
    Ok(Cast {
        coordinator,
        network: created.network,
        schools: managed.by_ref().take(schools).collect(),
        providers: managed.collect(),
    })
}

/// Clears the queues' dead rows, as autovacuum does on a server that has run for a minute.
///
/// The scale data's first sync inserted and deleted a `search_outbox` row per offering, and the
/// benchmark's server has just started: it stops before autovacuum's first round (a minute
/// apart). Every claim of a sync worker walks the dead rows' index entries (a bitmap scan sets
/// no hint that they are dead): 24 ms a claim after 100,000 offerings against 0.1 ms
/// vacuumed, and every join wakes the workers of both index kinds. The join rate hardly moved
/// (118/s before, 98-113/s after on the shared machine: joins wait for the bundle's row, not
/// for the workers), but what is measured is then a server in use, not one just after its
/// first sync.
pub(crate) async fn vacuum_queues(
    conn: &mut diesel_async::AsyncPgConnection,
) -> anyhow::Result<()> {
    let started = Instant::now();
    diesel::sql_query("VACUUM (ANALYZE) search_outbox, jobs")
        .execute(conn)
        .await?;
    println!(
        "vacuumed the queues (search_outbox, jobs) before measuring, as autovacuum would: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What school `n` joins with: pupils and a budget of 25 euro a pupil.
pub(crate) fn part(n: usize) -> (i64, i64) {
    let quantity = 50 + (n as i64 * 37) % 400;
    (quantity, quantity * 2_500)
}

/// A public bundle of `network` for reading guidance in Utrecht's primary schools, open for
/// joining a day and for offers two.
fn bundle_body(network: Uuid, now: DateTime<Utc>) -> Value {
    json!({
        "owner_organization_id": network,
        "title": "Leesbegeleiding voor alle scholen van het netwerk",
        "need": {
            "problem": "Te veel leerlingen lezen onder hun niveau na groep 4.",
            "goals": "Elke school heeft een leesaanpak die het team zelf draagt.",
            "intended_result": "Een gedeelde leesaanpak met begeleiding per school.",
            "success_measure": "Leesniveaus en leesplezier na twee schooljaren."
        },
        "domain": "leerlingenzorg",
        "service_type": "zorg_leerproblemen",
        "unit": "leerling",
        "sectors": ["po"],
        "regions": ["utrecht"],
        "criteria": [{"code": "price", "weight": 30}, {"code": "fit", "weight": 40},
                     {"code": "lasting_effect", "weight": 30}],
        "price_method": "relative",
        "join_deadline": now + chrono::Duration::days(1),
        "offer_deadline": now + chrono::Duration::days(2),
        "visibility": "public"
    })
}

/// Drafts `bundle_body` as the network's coordinator (with `token`) and opens it, through the
/// API; the bundle's id.
pub(crate) async fn open_bundle(
    client: &reqwest::Client,
    base_url: &str,
    token: &str,
    network: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let (drafted, _) = call(
        client
            .post(format!("{base_url}/v1/bundles"))
            .bearer_auth(token)
            .json(&bundle_body(network, now)),
        201,
    )
    .await?;
    let id = drafted["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("the drafted bundle has no id: {drafted}"))?
        .to_owned();
    call(
        client
            .post(format!("{base_url}/v1/bundles/{id}/open"))
            .bearer_auth(token),
        200,
    )
    .await?;
    Ok(id)
}

/// Moves the bundle's stored deadlines (see the module's comment for why).
async fn set_deadlines(
    state: &AppState,
    bundle: Uuid,
    join: DateTime<Utc>,
    offer: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut conn = state.pool.get().await?;
    diesel::update(bundles::table.find(bundle))
        .set((
            bundles::join_deadline.eq(join),
            bundles::offer_deadline.eq(offer),
        ))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// Times `runs` GETs of `url` as the caller with `token` (one untimed first); every answer must
/// pass `valid`. Answers the last answer and its size in bytes.
async fn time_reads(
    client: &reqwest::Client,
    label: &str,
    url: &str,
    token: Option<&str>,
    runs: usize,
    valid: impl Fn(&Value) -> bool,
) -> anyhow::Result<(Value, usize)> {
    let get = || {
        let request = client.get(url);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    };
    let mut last = call(get(), 200).await?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        last = call(get(), 200).await?;
        samples.push(started.elapsed());
        anyhow::ensure!(valid(&last.0), "{label}: unexpected answer {}", last.0);
    }
    report(label, samples);
    Ok(last)
}

pub async fn tenders(state: &AppState, base_url: &str, options: &Options) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .build()?;
    println!(
        "tenders benchmark on {}: {} schools join one bundle, {} providers offer; engine {}",
        machine(),
        options.schools,
        options.offers,
        state.search.engine.kind()
    );
    vacuum_queues(&mut *state.pool.get().await?).await?;
    eprintln!("tenders: creating the network, schools, providers and their accounts");
    let started = Instant::now();
    let cast = cast(state, options.schools, options.offers).await?;
    println!(
        "setup: a network, {} schools, {} providers and {} accounts with sessions in {:.1} s",
        cast.schools.len(),
        cast.providers.len(),
        1 + cast.schools.len() + cast.providers.len(),
        started.elapsed().as_secs_f64()
    );

    let id = open_bundle(
        &client,
        base_url,
        &cast.coordinator,
        cast.network,
        state.clock.now(),
    )
    .await?;
    let bundle = Uuid::parse_str(&id)?;
    let bundle_url = format!("{base_url}/v1/bundles/{id}");

    joins(&client, &bundle_url, &cast, options).await?;

    // Joining closes: the bundle takes offers.
    let now = state.clock.now();
    set_deadlines(
        state,
        bundle,
        now - chrono::Duration::seconds(1),
        now + chrono::Duration::days(1),
    )
    .await?;
    eprintln!("tenders: {} providers offering", cast.providers.len());
    let (quantity, budget) = (0..cast.schools.len())
        .map(part)
        .fold((0, 0), |(q, b), (dq, db)| (q + dq, b + db));
    let mut requests = Vec::new();
    for (n, (_, token)) in cast.providers.iter().enumerate() {
        // Prices around the budget, from 70% to 129% of it.
        let price = budget / 100 * (70 + (n as i64 * 13) % 60);
        requests.push(
            client
                .post(format!("{bundle_url}/offers"))
                .bearer_auth(token)
                .json(&json!({
                    "price_cents": price,
                    "proposal": format!("Een begeleidingstraject van twee jaar voor {quantity} leerlingen."),
                    "criteria_answers": {
                        "fit": "We beginnen met een scan per school en sluiten aan op hun aanpak.",
                        "lasting_effect": "Intern begeleiders worden opgeleid tot trainer."
                    }
                }))
                .build()?,
        );
    }
    let offered = send_concurrently(&client, requests, options.concurrency, 201).await?;
    println!(
        "offers through the API, {} in flight: {}",
        options.concurrency,
        offered.rate("offers")
    );
    anyhow::ensure!(offered.failed.is_empty(), "offers failed");
    report("one offer", offered.samples);

    // The offer deadline passes: the coordinator opens, scores and ranks the offers.
    let now = state.clock.now();
    set_deadlines(
        state,
        bundle,
        now - chrono::Duration::seconds(2),
        now - chrono::Duration::seconds(1),
    )
    .await?;
    evaluate(&client, base_url, &bundle_url, &cast, options).await
}

/// Every school joins, `concurrency` at once; then the bundle's totals must equal the sums of
/// what was sent, and the owner's list of participants must hold every school.
async fn joins(
    client: &reqwest::Client,
    bundle_url: &str,
    cast: &Cast,
    options: &Options,
) -> anyhow::Result<()> {
    eprintln!("tenders: {} schools joining", cast.schools.len());
    let mut requests = Vec::new();
    let (mut quantity, mut budget) = (0, 0);
    for (n, (school, token)) in cast.schools.iter().enumerate() {
        let (q, b) = part(n);
        quantity += q;
        budget += b;
        requests.push(
            client
                .post(format!("{bundle_url}/participants"))
                .bearer_auth(token)
                .json(&json!({
                    "organization_id": school,
                    "quantity": q,
                    "budget_cents": b,
                    "wishes": "Graag op woensdagmiddag."
                }))
                .build()?,
        );
    }
    let joined = send_concurrently(client, requests, options.concurrency, 201).await?;
    println!(
        "joins through the API, {} in flight: {}",
        options.concurrency,
        joined.rate("joins")
    );
    anyhow::ensure!(joined.failed.is_empty(), "joins failed");
    report("one join", joined.samples);
    let (read, _) = call(client.get(bundle_url).bearer_auth(&cast.coordinator), 200).await?;
    let totals = &read["totals"];
    let (participants, _) = call(
        client
            .get(format!("{bundle_url}/participants"))
            .bearer_auth(&cast.coordinator),
        200,
    )
    .await?;
    let listed = participants["items"].as_array().map_or(0, Vec::len);
    let schools = cast.schools.len();
    let exact = totals["organizations"].as_u64() == Some(schools as u64)
        && totals["quantity"].as_i64() == Some(quantity)
        && totals["budget_cents"].as_i64() == Some(budget)
        && listed == schools;
    println!(
        "totals after the joins: {} organisations of {schools}, quantity {} of {quantity}, \
         budget {} of {budget} cents, {listed} participants listed: {}",
        totals["organizations"],
        totals["quantity"],
        totals["budget_cents"],
        if exact { "exact" } else { "WRONG" }
    );
    anyhow::ensure!(
        exact,
        "the bundle's totals differ from what the schools sent"
    );
    Ok(())
}

/// The owner opens the offers, scores each one by one, reads the ranking and awards the best;
/// the OCDS package and the awards feed are read by anyone.
async fn evaluate(
    client: &reqwest::Client,
    base_url: &str,
    bundle_url: &str,
    cast: &Cast,
    options: &Options,
) -> anyhow::Result<()> {
    let offers = cast.providers.len();
    let owner = Some(cast.coordinator.as_str());
    let items = |answer: &Value| answer["items"].as_array().map_or(0, Vec::len);
    println!(
        "the owner's reads after the offer deadline, {} runs each:",
        options.runs
    );
    let (listed, _) = time_reads(
        client,
        &format!("open the {offers} offers"),
        &format!("{bundle_url}/offers"),
        owner,
        options.runs,
        |answer| items(answer) == offers,
    )
    .await?;
    let ids: Vec<String> = listed["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["id"].as_str().map(str::to_owned))
        .collect();

    eprintln!("tenders: scoring {} offers", ids.len());
    let mut samples = Vec::with_capacity(ids.len());
    let started = Instant::now();
    for (n, offer) in ids.iter().enumerate() {
        let sent = Instant::now();
        call(
            client
                .post(format!("{bundle_url}/offers/{offer}/scores"))
                .bearer_auth(&cast.coordinator)
                .json(&json!({"scores": {"fit": (n % 11) as f64, "lasting_effect": ((n * 7) % 11) as f64}})),
            200,
        )
        .await?;
        samples.push(sent.elapsed());
    }
    println!(
        "scores, one offer after another: {} scored in {:.2} s",
        samples.len(),
        started.elapsed().as_secs_f64()
    );
    report("score one offer", samples);

    let (ranking, _) = time_reads(
        client,
        &format!("ranking of {offers} offers"),
        &format!("{bundle_url}/ranking"),
        owner,
        options.runs,
        |answer| {
            items(answer) == offers
                && answer["items"]
                    .as_array()
                    .is_some_and(|r| r.iter().all(|o| o["unscored"] == json!([])))
        },
    )
    .await?;
    let ocds_url = format!("{bundle_url}/ocds");
    let bids = |package: &Value| {
        package["releases"][0]["bids"]["statistics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["measure"] == "bids" && s["value"].as_u64() == Some(offers as u64))
    };
    let (_, size) = time_reads(
        client,
        "OCDS release package (evaluating)",
        &ocds_url,
        None,
        options.runs,
        bids,
    )
    .await?;
    println!("  OCDS release package size: {size} bytes");

    let best = ranking["items"][0]["offer_id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("the ranking is empty"))?;
    let started = Instant::now();
    call(
        client
            .post(format!("{bundle_url}/award"))
            .bearer_auth(&cast.coordinator)
            .json(&json!({"offer_id": best, "motivation": "De hoogste gewogen score."})),
        200,
    )
    .await?;
    println!(
        "award (the mails to {offers} bidders and {} schools queued in its transaction): {:.1} ms",
        cast.schools.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let (_, size) = time_reads(
        client,
        "OCDS release package (awarded)",
        &ocds_url,
        None,
        options.runs,
        |package| bids(package) && package["releases"][0]["awards"].is_array(),
    )
    .await?;
    println!("  OCDS release package size: {size} bytes");
    let bundle_id = bundle_url.rsplit('/').next().unwrap_or_default().to_owned();
    let (_, size) = time_reads(
        client,
        "awards feed, first page",
        &format!("{base_url}/v1/ocds/awards"),
        None,
        options.runs,
        |feed| {
            feed["releases"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|r| r["ocid"].as_str().is_some_and(|o| o.ends_with(&bundle_id)))
            })
        },
    )
    .await?;
    println!("  awards feed size: {size} bytes");
    Ok(())
}
