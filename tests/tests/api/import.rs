//! `edumarkt import duo-schools`: DUO's register of school locations into boards, schools and
//! locations, through the library function and through the program.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use edumarkt_server::import::{
    Counts, ImportOptions, ImportReport, ProgressBar, import_duo_schools,
};
use serde_json::Value;
use tokio_postgres::types::{FromSql, ToSql};

use crate::helpers::{TestApp, school_body, spawn_app};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/duo")
        .join(name)
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

async fn import(
    app: &TestApp,
    file: impl std::io::Read,
    sector: Option<&str>,
    now: DateTime<Utc>,
) -> ImportReport {
    let mut conn = app.state.pool.get().await.unwrap();
    let options = ImportOptions::new(sector, now).unwrap();
    import_duo_schools(&mut conn, file, &options, &ProgressBar::hidden())
        .await
        .unwrap()
}

/// The po fixture, as sector po.
async fn import_po(app: &TestApp, now: DateTime<Utc>) -> ImportReport {
    import(app, &read_fixture("po-utf8-comma.csv")[..], Some("po"), now).await
}

pub(crate) async fn sql(app: &TestApp) -> tokio_postgres::Client {
    app.sql().await
}

/// The single value of a query that returns one row.
async fn value<T: for<'a> FromSql<'a>>(
    db: &tokio_postgres::Client,
    query: &str,
    params: &[&(dyn ToSql + Sync)],
) -> T {
    db.query_one(query, params).await.unwrap().get(0)
}

fn counts(created: usize, updated: usize, unchanged: usize) -> Counts {
    Counts {
        created,
        updated,
        unchanged,
    }
}

/// Boards, schools and locations, as counted.
fn tally(report: &ImportReport) -> [Counts; 3] {
    [report.boards, report.schools, report.locations]
}

/// Every organisation and location with what an import may change, to compare before and after.
async fn snapshot(db: &tokio_postgres::Client) -> Vec<String> {
    let organizations = db
        .query(
            "SELECT coalesce(brin, board_number), name, version, updated_at, sectors
             FROM organizations ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let locations = db
        .query(
            "SELECT school_id::text || location_code, name, postcode, updated_at
             FROM school_locations ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    organizations
        .iter()
        .chain(&locations)
        .map(|row| format!("{row:?}"))
        .collect()
}

#[tokio::test]
async fn a_po_file_creates_boards_schools_and_locations_without_members() {
    let app = spawn_app().await;
    let now = Utc::now();
    let report = import_po(&app, now).await;
    assert_eq!(
        (report.rows, report.imported, report.rejected.len()),
        (7, 7, 0)
    );
    assert_eq!(
        tally(&report),
        [counts(4, 0, 0), counts(5, 0, 0), counts(7, 0, 0)]
    );

    let db = sql(&app).await;
    let school = db
        .query_one(
            "SELECT s.id, s.name, s.province, s.city, s.denomination, s.sectors, s.board_number,
                    b.id, b.kind, b.name, b.sectors, s.created_at, s.version
             FROM organizations s JOIN organizations b ON b.id = s.board_id
             WHERE s.kind = 'school' AND s.brin = '01AB'",
            &[],
        )
        .await
        .unwrap();
    let school_id: uuid::Uuid = school.get(0);
    assert_eq!(school.get::<_, &str>(1), "OBS De Zonnewijzer");
    assert_eq!(school.get::<_, &str>(2), "utrecht");
    assert_eq!(school.get::<_, &str>(3), "UTRECHT");
    assert_eq!(school.get::<_, &str>(4), "Openbaar");
    assert_eq!(school.get::<_, Vec<String>>(5), ["po"]);
    assert_eq!(school.get::<_, &str>(6), "40101");
    assert_eq!(school.get::<_, &str>(8), "school_board");
    assert_eq!(
        school.get::<_, &str>(9),
        "Bevoegd gezag 40101",
        "the file has no board names"
    );
    assert_eq!(school.get::<_, Vec<String>>(10), ["po"]);
    assert_eq!(
        school.get::<_, DateTime<Utc>>(11).timestamp_micros(),
        now.timestamp_micros()
    );
    assert_eq!(school.get::<_, i32>(12), 1);

    let locations = db
        .query(
            "SELECT location_code, name, street, house_number, postcode, city, municipality, province
             FROM school_locations WHERE school_id = $1 ORDER BY location_code",
            &[&school_id],
        )
        .await
        .unwrap();
    let location =
        |i: usize| -> Vec<Option<String>> { (0..8).map(|c| locations[i].get(c)).collect() };
    let some = |values: [&str; 8]| values.map(|v| Some(v.to_owned())).to_vec();
    assert_eq!(locations.len(), 2);
    assert_eq!(
        location(1),
        some([
            "01",
            "OBS De Zonnewijzer locatie Oost",
            "Beukenstraat",
            "3 a",
            "3581 XB",
            "UTRECHT",
            "Utrecht",
            "utrecht"
        ])
    );

    let frisian: String = value(
        &db,
        "SELECT province FROM organizations WHERE brin = '04GH'",
        &[],
    )
    .await;
    assert_eq!(frisian, "fryslan");
    let quoted: String = value(
        &db,
        "SELECT name FROM organizations WHERE brin = '05JK'",
        &[],
    )
    .await;
    assert_eq!(quoted, "Basisschool \"De Regenboog\", Delft");
    let members: i64 = value(&db, "SELECT count(*) FROM memberships", &[]).await;
    assert_eq!(members, 0, "people join imported organisations later");

    // Register data is public: any signed-in user reads it through the API.
    let user = app.user("leraar@school.nl").await;
    let response = app
        .get(
            &format!("/v1/organizations/{school_id}"),
            Some(&user.access),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["kind"], "school");
    assert_eq!(body["brin"], "01AB");
    assert_eq!(body["name"], "OBS De Zonnewijzer");
    assert_eq!(body["province"], "utrecht");
    assert_eq!(body["denomination"], "Openbaar");
    assert_eq!(body["board_id"], school.get::<_, uuid::Uuid>(7).to_string());
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let app = spawn_app().await;
    let db = sql(&app).await;
    let first = Utc::now() - Duration::hours(1);
    import_po(&app, first).await;
    let before = snapshot(&db).await;

    let again = import_po(&app, Utc::now()).await;
    assert_eq!(
        tally(&again),
        [counts(0, 0, 4), counts(0, 0, 5), counts(0, 0, 7)]
    );
    assert_eq!(
        snapshot(&db).await,
        before,
        "no version or updated_at moved"
    );
}

#[tokio::test]
async fn a_renamed_school_is_updated_not_duplicated() {
    let app = spawn_app().await;
    let db = sql(&app).await;
    let first = Utc::now() - Duration::hours(1);
    let file = String::from_utf8(read_fixture("po-utf8-comma.csv")).unwrap();
    import(&app, file.as_bytes(), Some("po"), first).await;
    let id_of = |brin: &'static str| {
        let db = &db;
        async move {
            value::<uuid::Uuid>(db, "SELECT id FROM organizations WHERE brin = $1", &[&brin]).await
        }
    };
    let kompas = id_of("02CD").await;

    let renamed = file.replace("CBS Het Kompas", "CBS De Kompasroos");
    let second = Utc::now();
    let report = import(&app, renamed.as_bytes(), Some("po"), second).await;
    assert_eq!(
        tally(&report),
        [counts(0, 0, 4), counts(0, 1, 4), counts(0, 1, 6)]
    );

    let rows = db
        .query(
            "SELECT id, name, version, updated_at FROM organizations WHERE brin = '02CD'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one school per BRIN");
    assert_eq!(rows[0].get::<_, uuid::Uuid>(0), kompas);
    assert_eq!(rows[0].get::<_, &str>(1), "CBS De Kompasroos");
    assert_eq!(rows[0].get::<_, i32>(2), 2, "the version (ETag) moves on");
    assert_eq!(
        rows[0].get::<_, DateTime<Utc>>(3).timestamp_micros(),
        second.timestamp_micros()
    );
    let location: String = value(
        &db,
        "SELECT name FROM school_locations WHERE school_id = $1",
        &[&kompas],
    )
    .await;
    assert_eq!(location, "CBS De Kompasroos");
    let untouched: i32 = value(
        &db,
        "SELECT version FROM organizations WHERE id = $1",
        &[&id_of("01AB").await],
    )
    .await;
    assert_eq!(untouched, 1);
}

#[tokio::test]
async fn a_latin1_semicolon_file_keeps_its_accents_and_board_names() {
    let app = spawn_app().await;
    let file = std::fs::File::open(fixture("vo-latin1-semicolon.csv")).unwrap();
    let report = import(&app, file, Some("vo"), Utc::now()).await;
    assert!(report.rejected.is_empty(), "{report}");
    assert_eq!(
        tally(&report),
        [counts(2, 0, 0), counts(3, 0, 0), counts(5, 0, 0)]
    );

    let db = sql(&app).await;
    let schools = db
        .query(
            "SELECT s.brin, s.name, s.province, b.name, s.sectors
             FROM organizations s JOIN organizations b ON b.id = s.board_id
             WHERE s.kind = 'school' ORDER BY s.brin",
            &[],
        )
        .await
        .unwrap();
    let view: Vec<(String, String, String, String, Vec<String>)> = schools
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    let vo = || vec!["vo".to_owned()];
    assert_eq!(
        view,
        [
            (
                "21XY".into(),
                "Sint-Joriscollege".into(),
                "noord_brabant".into(),
                "Stichting Voortgezet Onderwijs Maasland".into(),
                vo()
            ),
            (
                "22ZA".into(),
                "Montessori Lyceum René Descartes".into(),
                "noord_brabant".into(),
                "Stichting Voortgezet Onderwijs Maasland".into(),
                vo()
            ),
            (
                "23AQ".into(),
                "CSG Bogerman Súdwest".into(),
                "fryslan".into(),
                "Stifting Kristlik Fuortset Underwiis Súdwest".into(),
                vo()
            ),
        ]
    );
    let locations = db
        .query(
            "SELECT o.brin || l.location_code, l.name, l.municipality
             FROM school_locations l JOIN organizations o ON o.id = l.school_id
             ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    let view: Vec<(String, String, String)> = locations
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        view[0].0, "21XY00",
        "the full code in the file, two digits stored"
    );
    assert_eq!(view[1].2, "'s-Hertogenbosch");
    assert_eq!(
        (view[4].0.as_str(), view[4].1.as_str(), view[4].2.as_str()),
        (
            "23AQ02",
            "CSG Bogerman; locatie Bolsward",
            "Súdwest-Fryslân"
        )
    );
}

#[tokio::test]
async fn a_school_on_the_platform_is_updated_keeping_its_members_and_sectors() {
    let app = spawn_app().await;
    let leader = app.user("directeur@zonnewijzer.nl").await;
    let mut body = school_body("01AB");
    body["name"] = "Zonnewijzer (zelf aangemeld)".into();
    body["sectors"] = serde_json::json!(["so"]);
    let created = app.organization(&leader, body).await;

    let report = import_po(&app, Utc::now()).await;
    assert_eq!(report.schools, counts(4, 1, 0));
    let db = sql(&app).await;
    let row = db
        .query_one(
            "SELECT id::text, name, sectors, board_number FROM organizations WHERE brin = '01AB'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), created["id"].as_str().unwrap());
    assert_eq!(
        row.get::<_, &str>(1),
        "OBS De Zonnewijzer",
        "the register's name"
    );
    assert_eq!(row.get::<_, Vec<String>>(2), ["so", "po"]);
    assert_eq!(row.get::<_, &str>(3), "40101");
    let me: Value = app
        .get("/v1/me", Some(&leader.access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"][0]["organization_id"], created["id"]);
    assert_eq!(me["memberships"][0]["role"], "school_leader");
}

fn edumarkt(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_edumarkt-e2e"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_program_imports_the_good_rows_and_lists_the_bad_ones_by_line() {
    let app = spawn_app().await;
    let file = fixture("with-errors.csv");
    let output = edumarkt(
        &app,
        &[
            "import",
            "duo-schools",
            file.to_str().unwrap(),
            "--sector",
            "po",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "no progress bar when stderr is not a terminal"
    );
    let expected = "\
9 rows read: 2 imported, 7 rejected
boards:    2 created, 0 updated, 0 unchanged
schools:   2 created, 0 updated, 0 unchanged
locations: 2 created, 0 updated, 0 unchanged
rejected rows:
  line 3: INSTELLINGSCODE is empty
  line 4: INSTELLINGSCODE \"1ABC\" is not a BRIN code such as 12AB
  line 5: BEVOEGD GEZAG NUMMER \"4050607\" is not a number of one to five digits
  line 6: VESTIGINGSNAAM is empty
  line 7: unknown province \"Vlaams-Brabant\"
  line 8: expected 14 fields, found 6
  line 10: expected 14 fields, found 15
";
    assert_eq!(stdout, expected);
    let db = sql(&app).await;
    let brins: Vec<String> = db
        .query(
            "SELECT brin FROM organizations WHERE kind = 'school' ORDER BY brin",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(brins, ["01AB", "10UV"]);
}

#[tokio::test]
async fn the_program_refuses_unusable_files_and_unknown_sectors() {
    let app = spawn_app().await;
    let dir = std::env::temp_dir().join(format!("edumarkt-import-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let refused = |args: &[&str]| {
        let output = edumarkt(&app, args);
        assert!(!output.status.success(), "{args:?} exited 0");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };

    let no_columns = write("namen.csv", "NAAM;PLAATS\nDe Linde;Utrecht\n");
    let stderr = refused(&["import", "duo-schools", &no_columns]);
    for column in [
        "PROVINCIE",
        "BEVOEGD GEZAG NUMMER",
        "INSTELLINGSCODE",
        "VESTIGINGSCODE",
        "VESTIGINGSNAAM",
    ] {
        assert!(stderr.contains(column), "{stderr}");
    }
    let empty = write("leeg.csv", "");
    assert!(refused(&["import", "duo-schools", &empty]).contains("no header line"));
    let missing = dir.join("bestaat-niet.csv");
    assert!(refused(&["import", "duo-schools", missing.to_str().unwrap()]).contains("cannot read"));
    let stderr = refused(&[
        "import",
        "duo-schools",
        fixture("po-utf8-comma.csv").to_str().unwrap(),
        "--sector",
        "hbo",
    ]);
    assert!(stderr.contains("unknown sector \"hbo\""), "{stderr}");
    assert!(stderr.contains("po, so, vo, mbo"), "{stderr}");
    let all_bad = write(
        "fout.csv",
        "PROVINCIE,BEVOEGD GEZAG NUMMER,INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM\nUtrecht,1,XXXX,00,School\n",
    );
    let output = edumarkt(&app, &["import", "duo-schools", &all_bad]);
    assert!(!output.status.success(), "nothing imported is a failure");
    assert!(String::from_utf8_lossy(&output.stdout).contains("line 2: INSTELLINGSCODE \"XXXX\""));

    let organizations: i64 =
        value(&sql(&app).await, "SELECT count(*) FROM organizations", &[]).await;
    assert_eq!(organizations, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A generated register: two locations per school, ten schools per board, and every
/// thousandth row broken in one of three ways. Returns the file and the lines of the broken rows.
fn generated_register(rows: usize) -> (String, Vec<u64>) {
    let mut text = String::from(
        "PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENAAM;DENOMINATIE\n",
    );
    let mut broken = Vec::new();
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    for i in 0..rows {
        let school = i / 2;
        let brin = format!(
            "{:02}{}{}",
            school / 676,
            letter(school / 26),
            letter(school)
        );
        let board = 10_000 + school / 10;
        let line = match i % 1000 {
            999 => {
                broken.push(i as u64 + 2);
                match (i / 1000) % 3 {
                    0 => format!(
                        "Utrecht;{board};X{brin};01;Kapot;Laan;1;3511 AA;UTRECHT;Utrecht;Openbaar"
                    ),
                    1 => format!(
                        "Atlantis;{board};{brin};01;Kapot;Laan;1;3511 AA;UTRECHT;Utrecht;Openbaar"
                    ),
                    _ => format!("Utrecht;{board};{brin};01;Kapot"),
                }
            }
            _ => format!(
                "Gelderland;{board};{brin};{:02};School {school} locatie {};Dorpsstraat;{};6811 AA;ARNHEM;Arnhem;Openbaar",
                i % 2,
                i % 2,
                i % 500
            ),
        };
        text.push_str(&line);
        text.push('\n');
    }
    (text, broken)
}

#[tokio::test]
async fn ten_thousand_rows_with_some_broken_ones() {
    let app = spawn_app().await;
    let (text, broken) = generated_register(10_000);
    let path = std::env::temp_dir().join(format!("edumarkt-duo-{}.csv", uuid::Uuid::now_v7()));
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    let report = import(&app, file, Some("po"), Utc::now()).await;
    let _ = std::fs::remove_file(&path);

    assert_eq!((report.rows, report.imported), (10_000, 9_990));
    assert_eq!(
        tally(&report),
        [counts(500, 0, 0), counts(5_000, 0, 0), counts(9_990, 0, 0)]
    );
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, broken);
    assert_eq!(broken, (1..=10).map(|k| k * 1000 + 1).collect::<Vec<u64>>());
    assert!(report.rejected[0].reason.contains("INSTELLINGSCODE"));
    assert_eq!(report.rejected[1].reason, "unknown province \"Atlantis\"");
    assert_eq!(report.rejected[2].reason, "expected 11 fields, found 5");

    let locations: i64 = value(
        &sql(&app).await,
        "SELECT count(*) FROM school_locations",
        &[],
    )
    .await;
    assert_eq!(locations, 9_990);
}
