//! DUO's open-data address files of school locations ("adressen vestigingen"), read into
//! validated records. No database here, so every rule of the layout is unit-tested beside it;
//! `apply` writes the records.
//!
//! One row is one location (vestiging) of a school (instelling, by BRIN) of a board (bevoegd
//! gezag). The files come as CSV with commas or semicolons, in UTF-8 or, from older exports and
//! spreadsheets, in Windows-1252.

use std::borrow::Cow;
use std::collections::HashMap;

use csv::StringRecord;

use super::ImportError;
use crate::db::models::school_location::LocationDetails;
use crate::domain::organization;
use crate::domain::taxonomy::PROVINCES;

/// A data row that was not imported, by its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub line: u64,
    pub reason: String,
}

/// A school board (bevoegd gezag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub number: String,
    /// BEVOEGD GEZAG NAAM, when the file has that column.
    pub name: Option<String>,
}

/// A school (instelling) with the locations the file lists for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub brin: String,
    pub board_number: String,
    /// INSTELLINGSNAAM when the file has it, else the name of the main location.
    pub name: String,
    /// Of the main location: the province code, the place.
    pub province: Option<String>,
    pub city: Option<String>,
    pub denomination: Option<String>,
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The two-digit vestigingscode.
    pub code: String,
    /// Name, address and province code, as they are stored.
    pub details: LocationDetails,
    pub line: u64,
}

/// A whole file: the data rows read, what they describe, and the rows that were refused.
#[derive(Debug, Default)]
pub struct Register {
    pub rows: u64,
    pub boards: Vec<Board>,
    pub schools: Vec<School>,
    pub rejected: Vec<Rejected>,
}

impl Register {
    /// The rows that made it into a school's locations.
    pub fn accepted_rows(&self) -> u64 {
        self.schools.iter().map(|s| s.locations.len() as u64).sum()
    }
}

/// The file's text: UTF-8 (a byte-order mark is dropped) when the bytes are valid UTF-8, else
/// Windows-1252, the superset of Latin-1 that spreadsheets write. No byte sequence is invalid
/// Windows-1252, so decoding never fails; a UTF-8 file always wins because Latin-1 text with
/// accents is practically never valid UTF-8.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Semicolon when the header line has more of them than commas (Dutch spreadsheets write
/// semicolons because the comma is the decimal separator), else comma.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

#[derive(Debug, Clone, Copy)]
enum Column {
    Province,
    BoardNumber,
    BoardName,
    Brin,
    SchoolName,
    LocationCode,
    LocationName,
    Street,
    HouseNumber,
    Postcode,
    City,
    Municipality,
    Denomination,
}

/// Each column with the header names DUO has used for it (older files say BRIN NUMMER and
/// VESTIGINGSNUMMER), normalised as `normalise_header` does, and whether a file must have it.
const COLUMNS: [(Column, &[&str], bool); 13] = [
    (Column::Province, &["PROVINCIE"], true),
    (Column::BoardNumber, &["BEVOEGD GEZAG NUMMER"], true),
    (Column::BoardName, &["BEVOEGD GEZAG NAAM"], false),
    (Column::Brin, &["INSTELLINGSCODE", "BRIN NUMMER"], true),
    (Column::SchoolName, &["INSTELLINGSNAAM"], false),
    (
        Column::LocationCode,
        &["VESTIGINGSCODE", "VESTIGINGSNUMMER"],
        true,
    ),
    (Column::LocationName, &["VESTIGINGSNAAM"], true),
    (Column::Street, &["STRAATNAAM"], false),
    (Column::HouseNumber, &["HUISNUMMER TOEVOEGING"], false),
    (Column::Postcode, &["POSTCODE"], false),
    (Column::City, &["PLAATSNAAM"], false),
    (Column::Municipality, &["GEMEENTENAAM"], false),
    (Column::Denomination, &["DENOMINATIE"], false),
];

impl Column {
    fn name(self) -> &'static str {
        COLUMNS[self as usize].1[0]
    }
}

/// Upper case, with every run of spaces, hyphens or underscores as one space: exports differ in
/// exactly these (`HUISNUMMER-TOEVOEGING`, `bevoegd_gezag_nummer`).
fn normalise_header(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// Where each known column is in the file.
struct Header {
    positions: [Option<usize>; COLUMNS.len()],
    width: usize,
}

impl Header {
    fn read(record: &StringRecord) -> Result<Self, ImportError> {
        let names: Vec<String> = record.iter().map(normalise_header).collect();
        if names.iter().all(String::is_empty) {
            return Err(ImportError::NoHeader);
        }
        let mut positions = [None; COLUMNS.len()];
        let mut missing = Vec::new();
        for (slot, (column, aliases, required)) in positions.iter_mut().zip(COLUMNS) {
            *slot = names.iter().position(|n| aliases.contains(&n.as_str()));
            if slot.is_none() && required {
                missing.push(column.name());
            }
        }
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                missing,
                found: names,
            });
        }
        Ok(Self {
            positions,
            width: record.len(),
        })
    }

    /// The trimmed value of `column`; `None` when the file lacks the column or the cell is empty.
    fn get<'r>(&self, record: &'r StringRecord, column: Column) -> Option<&'r str> {
        let value = record.get(self.positions[column as usize]?)?.trim();
        (!value.is_empty()).then_some(value)
    }

    fn owned(&self, record: &StringRecord, column: Column) -> Option<String> {
        self.get(record, column).map(str::to_owned)
    }

    fn required<'r>(&self, record: &'r StringRecord, column: Column) -> Result<&'r str, String> {
        self.get(record, column)
            .ok_or_else(|| format!("{} is empty", column.name()))
    }
}

/// One valid data row.
struct Row {
    brin: String,
    board_number: String,
    board_name: Option<String>,
    school_name: Option<String>,
    denomination: Option<String>,
    location: Location,
}

fn row(header: &Header, record: &StringRecord, line: u64) -> Result<Row, String> {
    if record.len() != header.width {
        return Err(format!(
            "expected {} fields, found {}",
            header.width,
            record.len()
        ));
    }
    let raw_brin = header.required(record, Column::Brin)?;
    let brin = organization::brin(raw_brin)
        .map_err(|_| format!("INSTELLINGSCODE {raw_brin:?} is not a BRIN code such as 12AB"))?;
    let raw_board = header.required(record, Column::BoardNumber)?;
    let board_number = organization::board_number(raw_board).map_err(|_| {
        format!("BEVOEGD GEZAG NUMMER {raw_board:?} is not a number of one to five digits")
    })?;
    let code = location_code(header.required(record, Column::LocationCode)?, &brin)?;
    let name = header.required(record, Column::LocationName)?.to_owned();
    let raw_province = header.required(record, Column::Province)?;
    let province =
        province(raw_province).ok_or_else(|| format!("unknown province {raw_province:?}"))?;
    Ok(Row {
        brin,
        board_number,
        board_name: header.owned(record, Column::BoardName),
        school_name: header.owned(record, Column::SchoolName),
        denomination: header.owned(record, Column::Denomination),
        location: Location {
            code,
            details: LocationDetails {
                name,
                street: header.owned(record, Column::Street),
                house_number: header.owned(record, Column::HouseNumber),
                postcode: header.get(record, Column::Postcode).map(postcode),
                city: header.owned(record, Column::City),
                municipality: header.owned(record, Column::Municipality),
                province: Some(province.to_owned()),
            },
            line,
        },
    })
}

/// The two-digit vestigingscode from either its own column ("00", or "0" after a spreadsheet
/// dropped the leading zero) or the full code with the BRIN in front ("12AB00").
fn location_code(raw: &str, brin: &str) -> Result<String, String> {
    let code = raw.to_ascii_uppercase();
    let digits = match code.len() {
        1 | 2 => code.as_str(),
        6 if code.is_ascii() && &code[..4] == brin => &code[4..],
        6 if code.is_ascii() => {
            return Err(format!(
                "VESTIGINGSCODE {raw:?} belongs to another school than {brin}"
            ));
        }
        _ => "",
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "VESTIGINGSCODE {raw:?} is not a location code such as 00 or {brin}00"
        ));
    }
    Ok(format!("{digits:0>2}"))
}

/// The province code of a name as DUO or people write it: by the Dutch or English label or the
/// code, ignoring case, accents, spaces and hyphens ("Fryslân", "FRIESLAND", "noord holland").
pub fn province(raw: &str) -> Option<&'static str> {
    let wanted = fold(raw);
    PROVINCES
        .iter()
        .find(|p| {
            [p.code, p.nl, p.en]
                .iter()
                .any(|label| fold(label) == wanted)
        })
        .map(|p| p.code)
}

/// Lower-case ASCII letters and digits only, accents taken off.
fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Dutch postcodes as `1234 AB`; anything else as given.
fn postcode(raw: &str) -> String {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = compact.as_bytes();
    let dutch = bytes.len() == 6
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_alphabetic);
    if dutch {
        format!("{} {}", &compact[..4], compact[4..].to_ascii_uppercase())
    } else {
        raw.to_owned()
    }
}

/// Reads a whole file. Fails only when there is no usable header; bad data rows are reported in
/// `rejected` and the others kept.
pub fn parse(bytes: &[u8]) -> Result<Register, ImportError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(&text))
        // A row with too few or too many fields is one bad row, not the end of the file.
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = Header::read(reader.headers().map_err(|_| ImportError::NoHeader)?)?;
    let mut register = Register::default();
    let mut schools = Schools::default();
    for result in reader.records() {
        let (line, outcome) = match result {
            Ok(record) => {
                // Spreadsheets leave rows of empty cells at the end; they are not data.
                if record.iter().all(|field| field.trim().is_empty()) {
                    continue;
                }
                let line = record.position().map_or(0, csv::Position::line);
                (line, row(&header, &record, line))
            }
            Err(e) => (
                e.position().map_or(0, csv::Position::line),
                Err(e.to_string()),
            ),
        };
        register.rows += 1;
        match outcome.and_then(|row| schools.add(row)) {
            Ok(()) => {}
            Err(reason) => register.rejected.push(Rejected { line, reason }),
        }
    }
    (register.boards, register.schools) = schools.finish();
    Ok(register)
}

/// Rows gathered per school in the order the file first names each school.
#[derive(Default)]
struct Schools {
    rows: Vec<Vec<Row>>,
    by_brin: HashMap<String, usize>,
}

impl Schools {
    /// Refuses a row that contradicts an earlier one of the same school.
    fn add(&mut self, row: Row) -> Result<(), String> {
        let Some(&index) = self.by_brin.get(&row.brin) else {
            self.by_brin.insert(row.brin.clone(), self.rows.len());
            self.rows.push(vec![row]);
            return Ok(());
        };
        let earlier = &mut self.rows[index];
        let first = &earlier[0];
        if first.board_number != row.board_number {
            return Err(format!(
                "BEVOEGD GEZAG NUMMER {} differs from {} on line {} for school {}",
                row.board_number, first.board_number, first.location.line, row.brin
            ));
        }
        if let Some(twin) = earlier
            .iter()
            .find(|r| r.location.code == row.location.code)
        {
            return Err(format!(
                "location {}{} is also on line {}",
                row.brin, row.location.code, twin.location.line
            ));
        }
        earlier.push(row);
        Ok(())
    }

    fn finish(self) -> (Vec<Board>, Vec<School>) {
        let mut boards: Vec<Board> = Vec::new();
        let mut board_index: HashMap<String, usize> = HashMap::new();
        let mut schools = Vec::with_capacity(self.rows.len());
        for rows in self.rows {
            let board_name = rows.iter().find_map(|r| r.board_name.clone());
            match board_index.get(&rows[0].board_number) {
                Some(&i) => {
                    let board = &mut boards[i];
                    board.name = board.name.take().or(board_name);
                }
                None => {
                    board_index.insert(rows[0].board_number.clone(), boards.len());
                    boards.push(Board {
                        number: rows[0].board_number.clone(),
                        name: board_name,
                    });
                }
            }
            schools.push(school(rows));
        }
        (boards, schools)
    }
}

/// A school from its rows: the main location is 00 when the file has it, else the first one
/// listed. The indexing cannot fail: `Schools::add` starts every school's rows with a row.
fn school(rows: Vec<Row>) -> School {
    let school_name = rows.iter().find_map(|r| r.school_name.clone());
    let denomination = rows.iter().find_map(|r| r.denomination.clone());
    let brin = rows[0].brin.clone();
    let board_number = rows[0].board_number.clone();
    let locations: Vec<Location> = rows.into_iter().map(|r| r.location).collect();
    let main = locations
        .iter()
        .find(|l| l.code == "00")
        .unwrap_or(&locations[0]);
    School {
        name: school_name.unwrap_or_else(|| main.details.name.clone()),
        province: main.details.province.clone(),
        city: main.details.city.clone(),
        brin,
        board_number,
        denomination,
        locations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "PROVINCIE,BEVOEGD GEZAG NUMMER,INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM,STRAATNAAM,HUISNUMMER-TOEVOEGING,POSTCODE,PLAATSNAAM,GEMEENTENAAM,DENOMINATIE";

    fn parse_rows(rows: &[&str]) -> Register {
        let text = std::iter::once(HEADER)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        parse(text.as_bytes()).unwrap()
    }

    fn reasons(register: &Register) -> Vec<(u64, &str)> {
        register
            .rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect()
    }

    #[test]
    fn latin1_is_decoded_and_a_utf8_bom_dropped() {
        assert_eq!(decode(b"Frysl\xe2n \x96 caf\xe9"), "Fryslân – café");
        assert_eq!(decode("\u{feff}Fryslân".as_bytes()), "Fryslân");
        let fixture = include_bytes!("../../../tests/fixtures/duo/vo-latin1-semicolon.csv");
        assert!(
            fixture.contains(&0xe9),
            "the fixture is Latin-1, with é as one byte"
        );
        let register = parse(fixture).unwrap();
        assert!(register.rejected.is_empty(), "{:?}", register.rejected);
        assert!(
            register
                .schools
                .iter()
                .any(|s| s.province.as_deref() == Some("fryslan"))
        );
        assert!(
            register.schools.iter().flat_map(|s| &s.locations).any(|l| l
                .details
                .municipality
                .as_deref()
                == Some("'s-Hertogenbosch"))
        );
        assert!(register.schools.iter().any(|s| s.name.contains('é')));
    }

    #[test]
    fn headers_match_whatever_their_case_spacing_and_delimiter() {
        let text = " provincie ;Bevoegd_Gezag_Nummer;instellingscode;VESTIGINGSCODE;vestigingsnaam;EXTRA KOLOM\nUtrecht;41234;12ab;12AB01;OBS De Linde;genegeerd\n";
        let register = parse(text.as_bytes()).unwrap();
        assert!(register.rejected.is_empty(), "{:?}", register.rejected);
        let school = &register.schools[0];
        assert_eq!(school.brin, "12AB");
        assert_eq!(school.locations[0].code, "01");
        assert_eq!(school.province.as_deref(), Some("utrecht"));
        assert_eq!(school.locations[0].details.street, None);
    }

    #[test]
    fn a_header_without_required_columns_names_them() {
        let error = parse(b"PROVINCIE,INSTELLINGSCODE,NAAM\nUtrecht,12AB,x\n").unwrap_err();
        let message = error.to_string();
        for column in ["BEVOEGD GEZAG NUMMER", "VESTIGINGSCODE", "VESTIGINGSNAAM"] {
            assert!(message.contains(column), "{message}");
        }
        let (missing, found) = message.split_once("; it has: ").unwrap();
        assert!(!missing.contains("INSTELLINGSCODE"), "{message}");
        assert_eq!(found, "PROVINCIE, INSTELLINGSCODE, NAAM");
        assert!(matches!(parse(b"").unwrap_err(), ImportError::NoHeader));
        assert!(matches!(parse(b"\n\n").unwrap_err(), ImportError::NoHeader));
    }

    #[test]
    fn columns_are_listed_in_the_order_of_their_enum() {
        // `Header` and `Column::name` index COLUMNS by the enum's discriminant.
        for (index, (column, _, _)) in COLUMNS.iter().enumerate() {
            assert_eq!(*column as usize, index, "{column:?}");
        }
    }

    #[test]
    fn provinces_match_labels_without_case_or_accents() {
        assert_eq!(province("Noord-Holland"), Some("noord_holland"));
        assert_eq!(province("NOORD HOLLAND"), Some("noord_holland"));
        assert_eq!(province("Fryslân"), Some("fryslan"));
        assert_eq!(province("FRYSLÂN"), Some("fryslan"));
        assert_eq!(province("Friesland"), Some("fryslan"));
        assert_eq!(province("zuid_holland"), Some("zuid_holland"));
        assert_eq!(province("Holland"), None);
        assert_eq!(province("Vlaanderen"), None);
    }

    #[test]
    fn location_codes_come_with_or_without_the_brin() {
        assert_eq!(location_code("00", "12AB").unwrap(), "00");
        assert_eq!(location_code("1", "12AB").unwrap(), "01");
        assert_eq!(location_code("12ab03", "12AB").unwrap(), "03");
        assert!(location_code("34CD00", "12AB").is_err());
        assert!(location_code("0A", "12AB").is_err());
        assert!(location_code("123", "12AB").is_err());
        assert!(location_code("12ÅB00", "12AB").is_err());
    }

    #[test]
    fn postcodes_are_written_the_dutch_way() {
        assert_eq!(postcode("1234ab"), "1234 AB");
        assert_eq!(postcode("1234 AB"), "1234 AB");
        assert_eq!(postcode("B-2000"), "B-2000");
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_the_others_kept() {
        let register = parse_rows(&[
            "Utrecht,41234,12AB,00,OBS De Linde,Lindelaan,1,3511AA,Utrecht,Utrecht,Openbaar",
            "Utrecht,41234,,00,Zonder BRIN,,,,,,",
            "Utrecht,41234,1XAB,00,Slechte BRIN,,,,,,",
            "Utrecht,412345,34CD,00,Te lang bestuursnummer,,,,,,",
            "Utrecht,41234,34CD,00,,,,,,,",
            "Wallonië,41234,34CD,00,Onbekende provincie,,,,,,",
            "Utrecht,41234,34CD,00,Te kort",
            "Utrecht,41234,12AB,01,\"Dislocatie\nmet regeleinde\",,,,,,",
            "Utrecht,41234,12AB,01,Dubbel,,,,,,",
            "Utrecht,99999,12AB,02,Ander bestuur,,,,,,",
        ]);
        assert_eq!(register.rows, 10);
        assert_eq!(register.accepted_rows(), 2);
        assert_eq!(
            reasons(&register),
            vec![
                (3, "INSTELLINGSCODE is empty"),
                (
                    4,
                    "INSTELLINGSCODE \"1XAB\" is not a BRIN code such as 12AB"
                ),
                (
                    5,
                    "BEVOEGD GEZAG NUMMER \"412345\" is not a number of one to five digits"
                ),
                (6, "VESTIGINGSNAAM is empty"),
                (7, "unknown province \"Wallonië\""),
                (8, "expected 11 fields, found 5"),
                // The quoted line break makes the previous row two lines long.
                (11, "location 12AB01 is also on line 9"),
                (
                    12,
                    "BEVOEGD GEZAG NUMMER 99999 differs from 41234 on line 2 for school 12AB"
                ),
            ]
        );
    }

    #[test]
    fn a_school_is_named_after_its_main_location_unless_the_file_names_it() {
        let register = parse_rows(&[
            "Utrecht,41234,12AB,01,Dislocatie,,,,Maarssen,,",
            "Utrecht,41234,12AB,00,Hoofdvestiging,,,,Utrecht,,Openbaar",
            "Gelderland,41234,34CD,02,Eerst genoemd,,,,Arnhem,,",
            "Gelderland,41234,34CD,03,Later genoemd,,,,Ede,,",
        ]);
        let [first, second] = &register.schools[..] else {
            panic!("two schools: {:?}", register.schools);
        };
        assert_eq!(
            (first.name.as_str(), first.city.as_deref()),
            ("Hoofdvestiging", Some("Utrecht"))
        );
        assert_eq!(first.denomination.as_deref(), Some("Openbaar"));
        assert_eq!(second.name, "Eerst genoemd");
        assert_eq!(second.province.as_deref(), Some("gelderland"));
        assert_eq!(
            register.boards,
            vec![Board {
                number: "41234".into(),
                name: None
            }]
        );

        let named = parse(
            "PROVINCIE,BEVOEGD GEZAG NUMMER,BEVOEGD GEZAG NAAM,INSTELLINGSCODE,INSTELLINGSNAAM,VESTIGINGSCODE,VESTIGINGSNAAM\n\
             Utrecht,41234,Stichting Linde,12AB,Linde Scholengroep,12AB00,OBS De Linde\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(named.schools[0].name, "Linde Scholengroep");
        assert_eq!(named.boards[0].name.as_deref(), Some("Stichting Linde"));
    }

    #[test]
    fn trailing_rows_of_empty_cells_are_not_data() {
        let register = parse_rows(&[
            "Utrecht,41234,12AB,00,OBS De Linde,,,,,,",
            ",,,,,,,,,,",
            ";",
        ]);
        assert_eq!(register.rows, 2, "the ';' row is one field, not empty");
        assert_eq!(reasons(&register), vec![(4, "expected 11 fields, found 1")]);
    }
}
