//! Every Dutch text of the pages that is not a taxonomy label (those come from the taxonomy),
//! in one place: templates and page code name these constants, so wording is changed here
//! and a missing text is a build error.

use crate::domain::cost::Unit;

pub const SITE_NAME: &str = "edumarkt";
pub const SITE_TAGLINE: &str = "Onderwijsdiensten vinden, vergelijken en samen inkopen";
pub const SKIP_LINK: &str = "Naar de inhoud";
pub const NAV_LABEL: &str = "Hoofdmenu";
pub const NAV_SEARCH: &str = "Aanbod zoeken";
pub const NAV_API: &str = "API voor ontwikkelaars";
pub const FOOTER_ABOUT: &str = "edumarkt helpt scholen professionalisering, leerlingenzorg, \
    leermiddelen en advies te vinden en te vergelijken. Prijzen zijn exclusief btw.";
pub const FOOTER_LICENCE: &str = "Broncode onder EUPL-1.2";

// Search page.
pub const SEARCH_TITLE: &str = "Aanbod zoeken";
pub const SEARCH_HEADING: &str = "Zoek onderwijsdiensten";
pub const SEARCH_INTRO: &str = "Zoek op onderwerp, aanpak of aanbieder. Kleine typefouten zijn \
    geen probleem.";
pub const SEARCH_QUERY_LABEL: &str = "Zoekwoorden";
pub const SEARCH_QUERY_HINT: &str = "Bijvoorbeeld: dyslexie, lesson study, rekenen";
pub const SEARCH_BUTTON: &str = "Zoeken";
pub const FILTERS_HEADING: &str = "Filters";
pub const FILTERS_APPLY: &str = "Filters toepassen";
pub const FILTERS_CLEAR: &str = "Alle filters wissen";
pub const SORT_LABEL: &str = "Sorteren op";
pub const EVIDENCE_MIN_LABEL: &str = "Onderbouwing minstens";
pub const PRICE_MAX_LABEL: &str = "Prijs hoogstens";
pub const RATING_MIN_LABEL: &str = "Waardering minstens";
pub const ANY: &str = "Geen voorkeur";
pub const RESULTS_HEADING: &str = "Resultaten";
pub const PRICE_SORT_NOTE: &str = "Prijzen worden alleen vergeleken binnen hetzelfde prijsmodel: \
    de resultaten staan per prijsmodel gegroepeerd, aanbod met een prijs op aanvraag als laatste.";
pub const NO_RESULTS_HEADING: &str = "Geen resultaten";
pub const NO_RESULTS_SPELLING: &str = "Controleer de spelling of gebruik een ander woord.";
pub const NO_RESULTS_FEWER_WORDS: &str = "Gebruik minder zoekwoorden: elk woord moet voorkomen.";
pub const NO_RESULTS_FEWER_FILTERS: &str = "Zet filters uit om meer aanbod te zien.";
pub const WITHOUT_FILTERS: &str = "Zoek zonder filters";
pub const WITHOUT_WORDS: &str = "Zoek zonder zoekwoorden, met dezelfde filters";
pub const REMOVE_FILTER: &str = "Filter weghalen:";
pub const PAGINATION_LABEL: &str = "Paginering";
pub const PREVIOUS_PAGE: &str = "Vorige";
pub const NEXT_PAGE: &str = "Volgende";
pub const PAGE: &str = "Pagina";
pub const PROVIDER: &str = "Aanbieder";

/// "1 resultaat", "12 resultaten"; past the engine's cap the count is a lower bound.
pub fn result_count(total: usize, capped: bool) -> String {
    match (total, capped) {
        (_, true) => format!("Meer dan {total} resultaten"),
        (1, false) => "1 resultaat".to_owned(),
        (n, false) => format!("{n} resultaten"),
    }
}

/// "Zonder filters zijn er 3 resultaten."
pub fn without_filters_count(total: usize) -> String {
    match total {
        1 => "Zonder filters is er 1 resultaat.".to_owned(),
        n => format!("Zonder filters zijn er {n} resultaten."),
    }
}

pub const SORTS: &[(&str, &str)] = &[
    ("relevance", "best passend"),
    ("rating", "hoogste waardering"),
    ("price_asc", "laagste prijs"),
    ("price_desc", "hoogste prijs"),
    ("newest", "nieuwste"),
    ("review_count", "meeste ervaringen"),
];

/// The title of each facet parameter's group of checkboxes.
pub fn facet_title(param: &str) -> &'static str {
    match param {
        "domain" => "Domein",
        "service_type" => "Soort dienst",
        "sector" => "Sector",
        "region" => "Regio",
        "format" => "Vorm",
        "delivery" => "Uitvoering",
        "duration" => "Duur",
        "co_creation" => "Samen ontwikkelen (co-creatie)",
        "theme" => "Thema",
        "evidence_level" => "Onderbouwing",
        "price_model" => "Prijsmodel",
        "provider_kind" => "Soort aanbieder",
        _ => "Filter",
    }
}

/// The label a query parameter of the search form goes by in error messages.
pub fn search_field_label(param: &str) -> &'static str {
    match param {
        "q" => SEARCH_QUERY_LABEL,
        "sort" => SORT_LABEL,
        "evidence_min" => EVIDENCE_MIN_LABEL,
        "price_max_cents" => PRICE_MAX_LABEL,
        "rating_min" => RATING_MIN_LABEL,
        "page" | "per_page" => PAGE,
        "provider_id" => PROVIDER,
        other => facet_title(other),
    }
}

/// What to do about an invalid field, by the code of its error (the codes of `FieldError`).
pub fn field_problem(code: &str) -> &'static str {
    match code {
        "too_long" => "gebruik minder tekens",
        "unknown_code" => "kies een van de mogelijkheden uit de lijst",
        "unknown_parameter" => "dit onderdeel kent de zoekpagina niet; het is genegeerd",
        "out_of_range" => "deze waarde valt buiten het bereik; kies een andere",
        "invalid" => "vul een geldige waarde in",
        _ => "deze waarde kan niet worden gebruikt",
    }
}

pub const ERROR_SUMMARY_HEADING: &str = "Er is een probleem";

// Offering page.
pub const OFFERING_DETAILS: &str = "Kenmerken";
pub const DOMAIN: &str = "Domein";
pub const SERVICE_TYPE: &str = "Soort dienst";
pub const SECTORS: &str = "Sectoren";
pub const REGIONS: &str = "Regio's";
pub const FORMATS: &str = "Vorm";
pub const DELIVERY: &str = "Uitvoering";
pub const DURATION: &str = "Duur";
pub const PRICE: &str = "Prijs";
pub const PRICE_EXCL_VAT: &str = "exclusief btw";
pub const EVIDENCE: &str = "Onderbouwing";
pub const EVIDENCE_SOURCES: &str = "Bronnen van de onderbouwing";
pub const CO_CREATION: &str = "Samen ontwikkelen (co-creatie)";
pub const THEMES: &str = "Thema's";
pub const PUBLISHED_AT: &str = "Gepubliceerd op";
pub const NONE_GIVEN: &str = "niet opgegeven";
pub const LONG_TERM: &str = "Langdurige ondersteuning";
/// The Onderwijsraad advice warns against short-term thinking: say so where it applies.
pub const SHORT_TERM_WARNING: &str = "Let op: eenmalige en korte activiteiten hebben zelden een \
    blijvend effect. De Onderwijsraad raadt aan ook naar langere trajecten te kijken.";
pub const COST_HEADING: &str = "Wat kost het?";
pub const COST_BUTTON: &str = "Bereken";
pub const COST_HINT: &str = "Een schatting op basis van de prijs van de aanbieder, exclusief btw.";
pub const COST_ON_REQUEST: &str = "De aanbieder geeft de prijs op aanvraag: vraag een offerte aan.";
pub const PER_YEAR: &str = "per jaar";
pub const QUANTITY_PROBLEM: &str = "vul een heel getal in van 1 tot en met 1.000.000";

/// "Aantal deelnemers": the label of the quantity box, in the price's unit.
pub fn quantity_label(unit: &Unit) -> &'static str {
    match unit {
        Unit::Deelnemer => "Aantal deelnemers",
        Unit::Leerling => "Aantal leerlingen",
        Unit::Licentie => "Aantal licenties",
        Unit::Uur => "Aantal uur",
        Unit::School => "Aantal scholen",
    }
}

/// "400 leerlingen", "1 uur".
pub fn quantity(n: u64, unit: Unit) -> String {
    let word = match (unit, n) {
        (Unit::Deelnemer, 1) => "deelnemer",
        (Unit::Deelnemer, _) => "deelnemers",
        (Unit::Leerling, 1) => "leerling",
        (Unit::Leerling, _) => "leerlingen",
        (Unit::Licentie, 1) => "licentie",
        (Unit::Licentie, _) => "licenties",
        (Unit::Uur, _) => "uur",
        (Unit::School, 1) => "school",
        (Unit::School, _) => "scholen",
    };
    format!("{n} {word}")
}

pub const REVIEWS_HEADING: &str = "Ervaringen van scholen";
pub const NO_REVIEWS: &str = "Er zijn nog geen ervaringen gedeeld over dit aanbod.";
pub const BACK_TO_SEARCH: &str = "Terug naar zoeken";

// Error pages.
pub const NOT_FOUND_TITLE: &str = "Pagina niet gevonden";
pub const NOT_FOUND_TEXT: &str = "Deze pagina bestaat niet (meer), of u heeft geen toegang. \
    Controleer het adres of zoek het aanbod opnieuw.";
pub const FORBIDDEN_TITLE: &str = "Geen toegang";
pub const FORBIDDEN_TEXT: &str = "U mag dit niet doen.";
pub const CONFLICT_TITLE: &str = "Dit kan nu niet";
pub const CONFLICT_TEXT: &str = "Het gegeven is intussen gewijzigd of staat dit niet toe. \
    Laad de pagina opnieuw en probeer het nog eens.";
pub const BAD_REQUEST_TITLE: &str = "Ongeldige invoer";
pub const BAD_REQUEST_TEXT: &str = "Het verzoek bevat gegevens die niet kloppen.";
pub const UNAVAILABLE_TITLE: &str = "Even niet beschikbaar";
pub const UNAVAILABLE_TEXT: &str = "Een onderdeel van edumarkt is even niet bereikbaar. Probeer het over een paar seconden opnieuw.";
pub const TOO_MANY_TITLE: &str = "Te veel pogingen";
pub const TOO_MANY_TEXT: &str =
    "U heeft het te vaak geprobeerd. Wacht even en probeer het dan opnieuw.";
pub const INTERNAL_TITLE: &str = "Er ging iets mis";
pub const INTERNAL_TEXT: &str = "Er ging bij ons iets mis. Probeer het later nog eens.";

// Sessions and the account pages.
pub const NAV_LOGIN: &str = "Inloggen";
pub const NAV_LOGOUT: &str = "Uitloggen";
pub const STALE_FORM_TITLE: &str = "Formulier verlopen";
pub const STALE_FORM_TEXT: &str = "Dit formulier is verlopen of kwam niet van edumarkt, dus er is \
    niets gewijzigd. Ga terug, laad de pagina opnieuw en probeer het nog eens.";
pub const EMAIL_LABEL: &str = "E-mailadres";
pub const PASSWORD_LABEL: &str = "Wachtwoord";
pub const NAME_LABEL: &str = "Naam";
pub const NAME_HINT: &str = "Zo ziet uw organisatie u, bijvoorbeeld Anna de Vries.";
pub const NEW_PASSWORD_LABEL: &str = "Nieuw wachtwoord";
pub const PASSWORD_HINT: &str = "Minstens 12 tekens, zonder uw naam of e-mailadres. Een zin van \
    losse woorden is sterk en goed te onthouden.";
pub const LOGIN_TITLE: &str = "Inloggen";
pub const LOGIN_BUTTON: &str = "Inloggen";
pub const LOGIN_WRONG: &str = "het e-mailadres of het wachtwoord klopt niet";
pub const LOGIN_UNVERIFIED: &str =
    "bevestig eerst uw e-mailadres met de link in de mail die we u stuurden";
pub const LINK_FORGOT: &str = "Wachtwoord vergeten?";
pub const LINK_REGISTER: &str = "Nog geen account? Registreer u";
pub const LINK_LOGIN: &str = "Inloggen";
pub const REGISTER_TITLE: &str = "Registreren";
pub const REGISTER_INTRO: &str = "Met een account bewaart u keuzelijsten en werkt u samen met \
    uw school of bestuur.";
pub const REGISTER_BUTTON: &str = "Account maken";
pub const REGISTERED_TITLE: &str = "Kijk in uw mailbox";
pub const REGISTERED_TEXT: &str = "We hebben een mail gestuurd naar het e-mailadres dat u opgaf. \
    Open de link in die mail om uw adres te bevestigen; de link werkt 24 uur.";
pub const VERIFIED_TITLE: &str = "E-mailadres bevestigd";
pub const VERIFIED_TEXT: &str = "Bedankt. Uw e-mailadres is bevestigd; u kunt nu inloggen.";
pub const LINK_UNUSABLE_TITLE: &str = "Deze link werkt niet (meer)";
pub const VERIFY_UNUSABLE_TEXT: &str = "De link is onbekend, al gebruikt of verlopen. Is uw \
    adres al bevestigd, log dan gewoon in. Anders kunt u een nieuwe link aanvragen.";
pub const RESEND_TITLE: &str = "Nieuwe bevestigingslink";
pub const RESEND_INTRO: &str = "Vul uw e-mailadres in. Is het nog niet bevestigd, dan sturen we \
    een nieuwe link; die werkt 24 uur.";
pub const RESEND_BUTTON: &str = "Stuur een nieuwe link";
pub const RESEND_SENT_TEXT: &str = "Als er een nog niet bevestigd account bij dit e-mailadres \
    hoort, hebben we een nieuwe bevestigingslink gestuurd. De link werkt 24 uur.";
pub const LINK_RESEND: &str = "Geen bevestigingsmail gekregen? Vraag een nieuwe link aan";
pub const FORGOT_TITLE: &str = "Wachtwoord vergeten";
pub const FORGOT_INTRO: &str = "Vul uw e-mailadres in. Hoort er een account bij, dan sturen we \
    een link waarmee u een nieuw wachtwoord kiest. De link werkt een uur.";
pub const FORGOT_BUTTON: &str = "Stuur mij de link";
pub const FORGOT_SENT_TEXT: &str = "Als er een account bij dit e-mailadres hoort, hebben we een \
    link gestuurd om een nieuw wachtwoord te kiezen. De link werkt een uur.";
pub const RESET_TITLE: &str = "Nieuw wachtwoord kiezen";
pub const RESET_BUTTON: &str = "Wachtwoord opslaan";
pub const RESET_DONE_TITLE: &str = "Wachtwoord gewijzigd";
pub const RESET_DONE_TEXT: &str = "Uw wachtwoord is gewijzigd. Voor de veiligheid bent u overal \
    uitgelogd; log in met uw nieuwe wachtwoord.";
pub const RESET_UNUSABLE_TEXT: &str =
    "De link is onbekend, al gebruikt of verlopen. Vraag een nieuwe link aan.";
pub const LINK_NEW_RESET: &str = "Vraag een nieuwe link aan";
pub const INVITATION_TITLE: &str = "Uitnodiging";
pub const INVITATION_TEXT: &str = "U bent uitgenodigd om lid te worden van een organisatie op \
    edumarkt. Neem de uitnodiging aan om mee te doen.";
pub const INVITATION_BUTTON: &str = "Uitnodiging aannemen";
pub const INVITATION_UNUSABLE_TEXT: &str = "Deze uitnodiging is onbekend, al aangenomen of \
    verlopen. Vraag wie u uitnodigde om een nieuwe.";
pub const INVITATION_OTHER_ADDRESS: &str = "Deze uitnodiging is naar een ander e-mailadres \
    gestuurd. Log in met dat adres om haar aan te nemen.";
pub const INVITATION_ACCEPTED_TITLE: &str = "Welkom";
pub const ACCOUNT_TITLE: &str = "Mijn account";
pub const ACCOUNT_SINCE: &str = "Account sinds";
pub const MEMBERSHIPS_HEADING: &str = "Mijn organisaties";
pub const NO_MEMBERSHIPS: &str = "U bent nog geen lid van een organisatie.";
pub const ORGANIZATION: &str = "Organisatie";
pub const ROLE: &str = "Rol";
pub const EXPORT_HEADING: &str = "Mijn gegevens";
pub const EXPORT_TEXT: &str =
    "Download alles wat edumarkt over u bewaart, als JSON-bestand (AVG, artikel 15).";
pub const EXPORT_LINK: &str = "Mijn gegevens downloaden";
pub const DELETE_HEADING: &str = "Account verwijderen";
pub const DELETE_TEXT: &str = "Uw naam, e-mailadres, lidmaatschappen en sessies worden \
    verwijderd. Wat u bijdroeg, zoals ervaringen, blijft zonder uw naam. Dit kan niet ongedaan \
    worden gemaakt.";
pub const DELETE_CONFIRM_LABEL: &str = "Ja, verwijder mijn account definitief";
pub const DELETE_BUTTON: &str = "Account verwijderen";
pub const DELETE_NOT_CONFIRMED: &str = "vink dit aan als u uw account echt wilt verwijderen";
pub const DELETED_TITLE: &str = "Account verwijderd";
pub const DELETED_TEXT: &str = "Uw account is verwijderd. Bedankt voor het gebruiken van edumarkt.";
pub const DELETE_LAST_MANAGER: &str = "U bent de laatste beheerder van een organisatie. Maak \
    eerst iemand anders beheerder; daarna kunt u uw account verwijderen.";

/// "U bent nu lid van de organisatie, als leraar. …"
pub fn invitation_accepted(role: &str) -> String {
    format!("U bent nu lid van de organisatie, als {role}. U vindt haar onder Mijn account.")
}

/// The label of a field of the account forms, in error messages.
pub fn account_field_label(field: &str) -> &'static str {
    match field {
        "email" => EMAIL_LABEL,
        "password" => PASSWORD_LABEL,
        "display_name" => NAME_LABEL,
        "bevestig" => DELETE_HEADING,
        _ => "Veld",
    }
}

/// What to do about an account field's error code (the API's codes, in Dutch).
pub fn account_problem(code: &str) -> &'static str {
    match code {
        "required" => "vul dit in",
        "login_wrong" => LOGIN_WRONG,
        "unverified" => LOGIN_UNVERIFIED,
        "not_confirmed" => DELETE_NOT_CONFIRMED,
        "too_short" => "gebruik minstens 12 tekens",
        "too_common" => {
            "dit wachtwoord is te makkelijk te raden; gebruik een langere zin van \
            losse woorden, zonder uw naam of e-mailadres"
        }
        "invalid_email" => "vul een geldig e-mailadres in, zoals naam@school.nl",
        other => field_problem(other),
    }
}

// Compare page.
pub const COMPARE_TITLE: &str = "Aanbod vergelijken";
pub const COMPARE_INTRO: &str = "Twee tot zes aanbiedingen naast elkaar. Rijen waarin het aanbod \
    verschilt, zijn gemarkeerd met ‘verschilt’.";
pub const COMPARE_ATTRIBUTE: &str = "Kenmerk";
pub const DIFFERS: &str = "verschilt";
pub const COMPARE_REMOVE: &str = "Weghalen uit vergelijking";
pub const COMPARE_ADD_MORE: &str = "Meer aanbod kiezen om te vergelijken";
pub const COMPARE_CHOOSE: &str = "Kies aanbod om te vergelijken";
pub const COMPARE_PICK: &str = "Vergelijk";
pub const COMPARE_CHOSEN: &str = "Vergelijk gekozen aanbod";
pub const COMPARE_PICK_HINT: &str = "Vink 2 tot 6 aanbiedingen aan en kies ‘Vergelijk gekozen \
    aanbod’.";
pub const COMPARE_WITH_OTHERS: &str = "Vergelijk dit aanbod met ander aanbod";
pub const COMPARE_COST_HEADING: &str = "Kosten schatten";
pub const COMPARE_QUANTITY_LABEL: &str = "Aantal";
pub const COMPARE_UNIT_LABEL: &str = "Eenheid";
pub const COMPARE_OWN_UNIT: &str = "de eenheid van elk aanbod";
pub const COMPARE_COST: &str = "Geschatte kosten";
pub const COMPARE_COST_ASK: &str = "vul hierboven een aantal in";
pub const COMPARE_RATING: &str = "Waardering";
pub const NO_RATINGS: &str = "nog geen ervaringen";
pub const COMPARE_IDS_COUNT: &str = "Aanbod: kies 2 tot en met 6 aanbiedingen om te vergelijken";
pub const COMPARE_UNIT_PROBLEM: &str = "Eenheid: kies een van de mogelijkheden uit de lijst";
pub const PROVIDER_KIND: &str = "Soort aanbieder";

/// "Vergelijking van 3 aanbiedingen".
pub fn compare_caption(n: usize) -> String {
    format!("Vergelijking van {n} aanbiedingen")
}

/// What is wrong with the offering at `place` (1-based) of a comparison, by its error code.
pub fn compare_item_problem(place: usize, code: &str) -> String {
    let problem = match code {
        "duplicate" => "staat er twee keer in",
        "not_found" => "dit aanbod bestaat niet (meer) of is niet gepubliceerd",
        _ => "dit is geen geldig aanbod",
    };
    format!("Aanbod {place}: {problem}")
}

/// "leerlingen": a unit in the plural, as the unit menu offers it.
pub fn unit_plural(unit: Unit) -> &'static str {
    match unit {
        Unit::Deelnemer => "deelnemers",
        Unit::Leerling => "leerlingen",
        Unit::Licentie => "licenties",
        Unit::Uur => "uren",
        Unit::School => "scholen",
    }
}

/// Why no figure can be given for a quantity in `asked` when the price is per `price_unit`.
pub fn unit_mismatch(asked: Unit, price_unit: Unit) -> String {
    format!(
        "niet te schatten in {}: de prijs is per {}",
        unit_plural(asked),
        quantity(1, price_unit).trim_start_matches("1 ")
    )
}

/// "4,3 van 5 (12 ervaringen)".
pub fn rating(average: f64, count: i64) -> String {
    let average = format!("{average:.1}").replace('.', ",");
    let reviews = if count == 1 { "ervaring" } else { "ervaringen" };
    format!("{average} van 5 ({count} {reviews})")
}

// Provider profile.
pub const PROVIDER_DETAILS: &str = "Over de aanbieder";
pub const LOCATION: &str = "Vestiging";
pub const WEBSITE: &str = "Website";
pub const KVK_NUMBER: &str = "KvK-nummer";
pub const NO_OFFERINGS: &str = "Deze aanbieder heeft nog geen gepubliceerd aanbod.";
pub const ALL_IN_SEARCH: &str = "Bekijk al het aanbod van deze aanbieder in de zoekresultaten";

/// "Aanbod van Leren & Co".
pub fn provider_offerings(name: &str) -> String {
    format!("Aanbod van {name}")
}

// ---- A provider's dashboard (/beheer): its profile, offerings, the offering form, history.
pub const NAV_DASHBOARD: &str = "Beheer";
pub const DASHBOARD_TITLE: &str = "Beheer van uw aanbod";
pub const DASHBOARD_INTRO: &str = "Hier beheert u het profiel en het aanbod van uw organisatie: \
    nieuw aanbod maken, wijzigen, publiceren en archiveren. Alleen gepubliceerd aanbod is voor \
    scholen te vinden.";
pub const DASHBOARD_NONE_TITLE: &str = "Geen aanbieder om te beheren";
pub const DASHBOARD_NONE_TEXT: &str = "Het beheer is er voor beheerders en redacteuren van een \
    aanbieder. U bent dat (nog) niet; vraag de beheerder van uw organisatie om een uitnodiging.";
pub const YOUR_ROLE: &str = "Uw rol";
pub const CONTACT_EMAIL: &str = "E-mailadres voor contact";
pub const CONTACT_PHONE: &str = "Telefoonnummer";
pub const PUBLIC_PROFILE: &str = "Bekijk het openbare profiel";
pub const NEW_OFFERING: &str = "Nieuw aanbod toevoegen";
pub const OFFERINGS_HEADING: &str = "Aanbod";
pub const NO_OFFERINGS_YET: &str = "Deze aanbieder heeft nog geen aanbod.";
pub const OFFERING_TITLE_COLUMN: &str = "Titel";
pub const STATUS: &str = "Status";
pub const LAST_CHANGED: &str = "Laatst gewijzigd";
pub const HISTORY: &str = "Geschiedenis";
/// More offerings than the dashboard lists: the newest are shown.
pub const OFFERINGS_CUT: &str = "Alleen het nieuwste aanbod staat hier.";

/// The Dutch name of an offering's status.
pub fn offering_status(status: crate::domain::offering_status::Status) -> &'static str {
    use crate::domain::offering_status::Status;
    match status {
        Status::Draft => "concept",
        Status::Published => "gepubliceerd",
        Status::Archived => "gearchiveerd",
    }
}

/// "Aanbod van Leerkracht Academie in beheer" as a caption of the offerings table.
pub fn offerings_caption(provider: &str) -> String {
    format!("Aanbod van {provider}")
}

// The offering form.
pub const CREATE_TITLE: &str = "Nieuw aanbod";
pub const CREATE_INTRO: &str = "Vul de gegevens van het aanbod in. Het wordt opgeslagen als \
    concept: pas als u het publiceert, kunnen scholen het vinden.";
pub const CREATE_BUTTON: &str = "Opslaan als concept";
pub const EDIT_BUTTON: &str = "Wijzigingen opslaan";
pub const FORM_TEXTS: &str = "Omschrijving";
pub const FORM_KIND: &str = "Soort aanbod";
pub const FORM_AUDIENCE: &str = "Voor wie en waar";
pub const FORM_FORM: &str = "Vorm en duur";
pub const FORM_PRICE: &str = "Prijs";
pub const FORM_EVIDENCE: &str = "Onderbouwing";
pub const FORM_MORE: &str = "Samenwerking en thema's";
pub const CHOOSE: &str = "Kies…";
pub const TITLE_LABEL: &str = "Titel";
pub const SUMMARY_LABEL: &str = "Korte samenvatting";
pub const SUMMARY_HINT: &str = "Eén of twee zinnen die in de zoekresultaten staan (hoogstens 500 \
    tekens).";
pub const DESCRIPTION_LABEL: &str = "Beschrijving";
pub const DESCRIPTION_HINT: &str = "Wat houdt het aanbod in, voor wie is het en wat levert het \
    op? Een witregel begint een nieuwe alinea.";
pub const SERVICE_TYPE_HINT: &str = "De soort dienst hoort bij het gekozen domein.";
pub const PRICE_MODEL_LABEL: &str = "Prijsmodel";
pub const OFFERING_PRICE_MIN_LABEL: &str = "Prijs vanaf (euro)";
pub const OFFERING_PRICE_MAX_LABEL: &str = "Prijs tot en met (euro)";
pub const PRICE_HINT: &str = "In euro's, exclusief btw, bijvoorbeeld 450 of 1250,50. Laat beide \
    leeg bij een prijs op aanvraag; ‘tot en met’ mag leeg blijven bij één prijs.";
pub const SOURCES_LABEL: &str = "Bronnen van de onderbouwing";
pub const SOURCES_HINT: &str = "Eén https-link per regel, bijvoorbeeld naar de databank \
    effectieve interventies. Nodig bij elke onderbouwing boven ‘geen’.";
pub const REGIONS_HINT: &str = "Kies ‘landelijk’ als u in heel Nederland werkt.";
pub const CO_CREATION_HINT: &str = "In welke fasen ontwikkelt u samen met de school? Mag leeg.";
pub const THEMES_HINT: &str = "Mag leeg.";

// The offering's own page in the dashboard.
pub const EDIT_TITLE: &str = "Aanbod wijzigen";
pub const VIEW_PUBLIC: &str = "Bekijk zoals scholen het zien";
pub const PUBLISH_BUTTON: &str = "Publiceren";
pub const REPUBLISH_BUTTON: &str = "Opnieuw publiceren";
pub const ARCHIVE_BUTTON: &str = "Archiveren";
pub const PUBLISH_HINT: &str = "Gepubliceerd aanbod is voor iedereen te vinden; gearchiveerd \
    aanbod niet meer, maar u houdt het hier.";
pub const BACK_TO_DASHBOARD: &str = "Terug naar het beheer";
pub const VERSION: &str = "Versie";
pub const SAVED_CREATED: &str = "Het aanbod is opgeslagen als concept. Publiceer het als scholen \
    het mogen vinden.";
pub const SAVED_UPDATED: &str = "De wijzigingen zijn opgeslagen.";
pub const SAVED_PUBLISHED: &str = "Het aanbod is gepubliceerd: scholen kunnen het nu vinden.";
pub const SAVED_ARCHIVED: &str = "Het aanbod is gearchiveerd: scholen vinden het niet meer.";
/// The error summary's line when the form was loaded at an older version.
pub const STALE_EDIT: &str = "Iemand anders heeft dit aanbod gewijzigd nadat u het opende. Uw \
    wijzigingen zijn nog niet opgeslagen: ze staan hieronder in het formulier, samen met de \
    wijzigingen van de ander in velden die u niet aanpaste. Bekijk wat er intussen veranderde en \
    sla dan opnieuw op.";
pub const CHANGED_MEANWHILE: &str = "Intussen gewijzigd";
pub const CHANGED_BY_OTHER: &str = "Deze gegevens zijn veranderd sinds u het formulier opende:";
pub const MOVE_STALE: &str = "Het aanbod is gewijzigd sinds u de pagina opende. Er is niets \
    veranderd; bekijk het aanbod opnieuw en kies dan nog eens.";
pub const MOVE_ALREADY: &str = "Het aanbod staat al zo. Er is niets veranderd.";
pub const MOVE_UNVERIFIED: &str = "Bevestig eerst uw e-mailadres met de link die we u stuurden; \
    daarna kunt u publiceren.";
pub const BACK_TO_OFFERING: &str = "Terug naar het aanbod";

// A provider's profile form in the dashboard (`web::profile`).
pub const PROFILE_EDIT_LINK: &str = "Profiel wijzigen";
pub const PROFILE_EDIT_TITLE: &str = "Profiel wijzigen";
pub const PROFILE_EDIT_INTRO: &str = "Scholen zien dit profiel op de openbare pagina van uw \
    organisatie en bij elk aanbod. Het KvK-nummer komt uit het register en wijzigt u hier niet.";
pub const PROFILE_SAVE_BUTTON: &str = "Profiel opslaan";
pub const PROFILE_SAVED: &str = "Het profiel is opgeslagen.";
/// The error summary's line when the profile was loaded at an older version.
pub const PROFILE_STALE: &str = "Iemand anders heeft dit profiel gewijzigd nadat u het opende. \
    Uw wijzigingen zijn nog niet opgeslagen: ze staan hieronder in het formulier. Bekijk wat nu \
    is opgeslagen en sla dan opnieuw op.";
pub const PROFILE_STORED_NOW: &str = "Nu opgeslagen";
pub const PROFILE_STORED_DIFFERS: &str = "Deze gegevens zijn nu anders opgeslagen dan in uw \
    formulier:";
pub const PROFILE_ORGANIZATION: &str = "Organisatie";
pub const PROFILE_AREA: &str = "Doelgroep en werkgebied";
pub const PROFILE_CONTACT: &str = "Contact";
pub const PROFILE_NAME: &str = "Naam";
pub const PROFILE_PROVINCE: &str = "Provincie van vestiging";
pub const PROFILE_DESCRIPTION_HINT: &str = "Wie bent u en waar staat uw organisatie voor? Een \
    witregel begint een nieuwe alinea (hoogstens 5.000 tekens).";
pub const PROFILE_WEBSITE_HINT: &str = "Het volledige adres, zoals https://www.voorbeeld.nl.";
pub const PROFILE_PHONE_HINT: &str = "Bijvoorbeeld 030 123 4567 of +31 30 123 4567.";

/// The Dutch name of a profile field (the API's names).
pub fn profile_field_label(field: &str) -> &'static str {
    match field {
        "name" => PROFILE_NAME,
        "provider_kind" => PROVIDER_KIND,
        "sectors" => SECTORS,
        "province" => PROFILE_PROVINCE,
        "website" => WEBSITE,
        "description" => DESCRIPTION_LABEL,
        "regions" => REGIONS,
        "contact_email" => CONTACT_EMAIL,
        "contact_phone" => CONTACT_PHONE,
        _ => "Veld",
    }
}

/// What to do about an error of the profile form, by field and code (the use case's codes).
pub fn profile_problem(field: &str, code: &str) -> &'static str {
    match (field, code) {
        ("name", "too_long") => "gebruik hoogstens 200 tekens",
        ("description", "too_long") => "gebruik hoogstens 5.000 tekens",
        ("website", "invalid") => {
            "vul een volledig webadres in dat begint met https://, zoals https://www.voorbeeld.nl"
        }
        ("contact_email", "invalid") => "vul een e-mailadres in, zoals info@voorbeeld.nl",
        ("contact_phone", "invalid") => {
            "vul een telefoonnummer in van 10 tot 15 cijfers, zoals 030 123 4567"
        }
        (_, "required") => "vul dit in",
        ("name" | "description", "invalid") => "gebruik geen onzichtbare stuurtekens",
        (_, code) => field_problem(code),
    }
}

// History.
pub const HISTORY_TITLE: &str = "Geschiedenis van het aanbod";
pub const HISTORY_WHEN: &str = "Wanneer";
pub const HISTORY_WHO: &str = "Door";
pub const HISTORY_WHAT: &str = "Wat";
pub const HISTORY_YOU: &str = "u";
pub const HISTORY_COLLEAGUE: &str = "een collega";
pub const HISTORY_GONE: &str = "een verwijderd account";

/// What a step of an offering's history did, with the fields an edit changed.
pub fn history_action(action: &str, fields: &[&str]) -> String {
    match action {
        "created" => "Aangemaakt als concept".to_owned(),
        "published" => "Gepubliceerd".to_owned(),
        "archived" => "Gearchiveerd".to_owned(),
        "updated" if fields.is_empty() => "Opgeslagen zonder wijzigingen".to_owned(),
        "updated" => format!("Gewijzigd: {}", fields.join(", ")),
        other => other.to_owned(),
    }
}

/// "1 december 2026 om 14:05" (UTC).
pub fn date_time(date: &str, hour: u32, minute: u32) -> String {
    format!("{date} om {hour:02}:{minute:02} (UTC)")
}

/// The label of an offering field (the API's names), in form errors and the history.
pub fn offering_field_label(field: &str) -> &'static str {
    match field {
        "title" => TITLE_LABEL,
        "summary" => SUMMARY_LABEL,
        "description" => DESCRIPTION_LABEL,
        "domain" => DOMAIN,
        "service_type" => SERVICE_TYPE,
        "sectors" => SECTORS,
        "regions" => REGIONS,
        "formats" => FORMATS,
        "delivery" => DELIVERY,
        "duration" => DURATION,
        "price_model" => PRICE_MODEL_LABEL,
        "price_min_cents" => OFFERING_PRICE_MIN_LABEL,
        "price_max_cents" => OFFERING_PRICE_MAX_LABEL,
        "evidence_level" => EVIDENCE,
        "evidence_sources" => SOURCES_LABEL,
        "co_creation_phases" => CO_CREATION,
        "themes" => THEMES,
        "status" => STATUS,
        _ => "Veld",
    }
}

/// What to do about an error of the offering form, by field and code (the use case's codes;
/// `item` is the 1-based place of a listed value, as in `sectors[2]`).
pub fn offering_problem(field: &str, code: &str, item: Option<usize>) -> String {
    let problem = match (field, code) {
        ("title", "too_long") => "gebruik hoogstens 150 tekens",
        ("summary", "too_long") => "gebruik hoogstens 500 tekens",
        ("description", "too_long") => "gebruik hoogstens 10.000 tekens",
        ("evidence_sources", "too_long") => "noem hoogstens 10 bronnen",
        ("evidence_sources", "required") => {
            "een onderbouwing boven ‘geen’ heeft minstens één bron nodig (een https-link)"
        }
        ("evidence_sources", "invalid") => {
            return format!(
                "bron {} is geen geldige https-link (zoals https://www.voorbeeld.nl/studie)",
                item.unwrap_or(1)
            );
        }
        ("price_min_cents", "required") => "vul een bedrag in, tenzij de prijs op aanvraag is",
        ("price_min_cents" | "price_max_cents", "not_applicable") => {
            "laat dit leeg bij een prijs op aanvraag"
        }
        ("price_min_cents", "out_of_range") => "vul een bedrag in van € 0 tot € 100.000.000",
        ("price_max_cents", "out_of_range") => {
            "vul een bedrag in van € 0 tot € 100.000.000, niet lager dan de prijs vanaf"
        }
        ("price_min_cents" | "price_max_cents", "invalid") => {
            "vul een bedrag in euro's in, zoals 450 of 1250,50"
        }
        ("service_type", "wrong_domain") => {
            "deze soort dienst hoort bij een ander domein; kies een soort dienst van het gekozen \
            domein"
        }
        ("sectors" | "regions" | "formats" | "delivery", "required") => "kies er minstens één",
        (_, "required") => "vul dit in",
        (_, "duplicate") => "een keuze staat er twee keer in",
        (_, "invalid") => "gebruik geen onzichtbare stuurtekens",
        (_, code) => field_problem(code),
    };
    problem.to_owned()
}
// ---- Shortlists (keuzelijsten): `web::shortlist` and its templates. ----
pub const NAV_SHORTLISTS: &str = "Mijn keuzelijsten";
pub const SHORTLISTS_TITLE: &str = "Mijn keuzelijsten";
pub const SHORTLISTS_INTRO: &str = "Keuzelijsten bewaren aanbod om later te vergelijken. Elke \
    lijst hoort bij een organisatie: alle leden ervan kunnen haar bekijken, de maker en de \
    beheerders kunnen haar wijzigen.";
pub const SHORTLISTS_NONE: &str = "Er zijn nog geen keuzelijsten van uw organisaties.";
pub const SHORTLISTS_NO_ORGANIZATION: &str = "U bent nog geen lid van een organisatie. Een \
    keuzelijst hoort altijd bij een organisatie: vraag een beheerder van uw school of bestuur om \
    een uitnodiging.";
pub const SHORTLIST_NAME: &str = "Naam van de lijst";
pub const SHORTLIST_COUNT: &str = "Aanbod";
pub const SHORTLIST_NEW_HEADING: &str = "Nieuwe keuzelijst";
pub const SHORTLIST_NEW_NAME_HINT: &str = "Bijvoorbeeld: Professionalisering 2027";
pub const SHORTLIST_ORGANIZATION_LABEL: &str = "Delen met";
pub const SHORTLIST_CREATE_BUTTON: &str = "Lijst maken";
pub const SHORTLIST_SHARED_WITH: &str = "Gedeeld met";
pub const SHORTLIST_EMPTY: &str = "Er staat nog geen aanbod op deze lijst. Zoek aanbod en kies \
    ‘Bewaren op keuzelijst’.";
pub const SHORTLIST_READ_ONLY: &str = "U kunt deze lijst bekijken. Alleen de maker en de \
    beheerders van de organisatie kunnen haar wijzigen.";
pub const SHORTLIST_NOTE: &str = "Notitie";
pub const SHORTLIST_NO_NOTE: &str = "geen notitie";
pub const SHORTLIST_NOTE_HINT: &str = "Laat leeg om de notitie te wissen.";
pub const SHORTLIST_NOTE_BUTTON: &str = "Notitie opslaan";
pub const SHORTLIST_REMOVE_BUTTON: &str = "Van de lijst halen";
pub const SHORTLIST_ARCHIVED: &str = "niet meer aangeboden";
pub const SHORTLIST_COMPARE: &str = "Vergelijk het aanbod op deze lijst";
pub const SHORTLIST_COMPARE_LIMIT: &str = "Vergelijken kan met 2 tot 6 aanbiedingen die nog \
    worden aangeboden.";
pub const SHORTLIST_RENAME_HEADING: &str = "Lijst hernoemen";
pub const SHORTLIST_RENAME_BUTTON: &str = "Naam opslaan";
pub const SHORTLIST_DELETE_HEADING: &str = "Lijst verwijderen";
pub const SHORTLIST_DELETE_TEXT: &str = "De lijst verdwijnt voor iedereen in de organisatie. Het \
    aanbod zelf blijft bestaan. Dit kan niet ongedaan worden gemaakt.";
pub const SHORTLIST_DELETE_CONFIRM: &str = "Ja, verwijder deze lijst voor iedereen";
pub const SHORTLIST_DELETE_BUTTON: &str = "Lijst verwijderen";
pub const SHORTLIST_DELETED: &str = "De keuzelijst is verwijderd.";
pub const SHORTLIST_ALL: &str = "Alle keuzelijsten";
pub const SAVE_HEADING: &str = "Bewaren op keuzelijst";
pub const SAVE_CHOSEN: &str = "Bewaar gekozen aanbod op een keuzelijst";
pub const SAVE_COMPARED: &str = "Bewaar deze vergelijking als keuzelijst";
pub const SAVE_INTRO: &str = "Kies een lijst, of maak een nieuwe.";
pub const SAVE_OFFERINGS: &str = "Dit aanbod wordt bewaard:";
pub const SAVE_LIST_LABEL: &str = "Keuzelijst";
pub const SAVE_NAME_LABEL: &str = "Naam van een nieuwe lijst";
pub const SAVE_NAME_HINT: &str = "Alleen nodig als u een nieuwe lijst kiest.";
pub const SAVE_BUTTON: &str = "Bewaren";
pub const SAVE_LOGIN: &str = "Log in om dit aanbod op een keuzelijst te bewaren";
pub const SAVE_NO_ORGANIZATION: &str = "Word lid van een organisatie om aanbod op een \
    keuzelijst te bewaren.";
pub const SAVE_LIST_FULL: &str = "een lijst bevat ten hoogste 50 aanbiedingen";
pub const SAVE_NONE_CHOSEN: &str = "Aanbod: kies eerst aanbod om te bewaren";
pub const SHORTLIST_CHANGED: &str = "De lijst is intussen gewijzigd, misschien door een collega. \
    Hieronder staat de lijst zoals hij nu is; probeer het nog eens.";

/// "Nieuwe lijst voor OBS De Linde": the choice of a new list in the save form.
pub fn new_list_for(organization: &str) -> String {
    format!("Nieuwe lijst voor {organization}")
}

/// "3 aanbiedingen".
pub fn offering_count(n: usize) -> String {
    match n {
        1 => "1 aanbieding".to_owned(),
        n => format!("{n} aanbiedingen"),
    }
}

/// The label of a field of the shortlist forms, in error messages.
pub fn shortlist_field_label(field: &str) -> &'static str {
    match field {
        "naam" => SHORTLIST_NAME,
        "nieuwe_naam" => SAVE_NAME_LABEL,
        "lijst" => SAVE_LIST_LABEL,
        "organisatie" => SHORTLIST_ORGANIZATION_LABEL,
        "bevestig" => SHORTLIST_DELETE_HEADING,
        field if field.starts_with("notitie") => SHORTLIST_NOTE,
        _ => SHORTLIST_COUNT,
    }
}

/// What to do about a shortlist field's error code.
pub fn shortlist_problem(code: &str) -> &'static str {
    match code {
        "required" => "vul dit in",
        "choose" => "kies een lijst of een nieuwe lijst",
        "not_member" => "kies een van uw eigen organisaties",
        "not_confirmed" => "vink dit aan als u de lijst echt wilt verwijderen",
        "too_long" => "gebruik minder tekens",
        "invalid" => "gebruik geen onzichtbare stuurtekens",
        "duplicate" => "staat er twee keer in",
        "not_found" => "dit aanbod bestaat niet (meer) of is niet gepubliceerd",
        "not_on_list" => "dit aanbod staat niet (meer) op de lijst",
        other => field_problem(other),
    }
}
/// What is wrong with the offering at `place` (1-based) of those to save, by its error code.
pub fn shortlist_item_problem(place: usize, code: &str) -> String {
    format!("Aanbod {place}: {}", shortlist_problem(code))
}
// ---- End of shortlists. ----

// Reviews ("ervaringen"): the section on an offering's page, the form, "my reviews" and the
// page that says how reviews work.
pub const REVIEWS_NONE_MATCH: &str = "Geen ervaringen met deze filters.";
pub const REVIEWS_SORT_LABEL: &str = "Volgorde";
pub const REVIEWS_SECTOR_LABEL: &str = "Sector van de schrijver";
pub const REVIEWS_ALL_SECTORS: &str = "Alle sectoren";
pub const REVIEWS_VERIFIED_ONLY: &str = "Alleen geverifieerde ervaringen";
pub const REVIEWS_APPLY: &str = "Toon ervaringen";
pub const REVIEWS_MORE: &str = "Meer ervaringen";
pub const REVIEWS_WRITE: &str = "Deel uw ervaring met dit aanbod";
pub const REVIEWS_HOW: &str = "Hoe ervaringen werken";
pub const REVIEWS_OVERALL: &str = "Gemiddeld oordeel";
pub const REVIEWS_DISTRIBUTION: &str = "Verdeling van het totaaloordeel";
pub const REVIEWS_STARS: &str = "Sterren";
pub const REVIEWS_COUNT: &str = "Aantal";
pub const REVIEWS_SHARE: &str = "Aandeel";
pub const REVIEWS_DIMENSIONS: &str = "Per onderdeel";
pub const REVIEWS_RECENT: &str = "Laatste 24 maanden";
pub const REVIEWS_SCORE: &str = "Score voor de volgorde";
pub const REVIEWS_BY_SECTOR: &str = "Naar sector van de schrijvers";
pub const REVIEWS_VERIFIED: &str = "Geverifieerd";
pub const REVIEWS_VERIFIED_TITLE: &str =
    "Het gebruik is bevestigd door een schoolleider van de school van de schrijver.";
pub const REVIEWS_EDITED: &str = "bewerkt op";
pub const REVIEWS_HELPFUL_BUTTON: &str = "Nuttig";
pub const REVIEWS_REPORT: &str = "Melden";
pub const REVIEWS_YOURS: &str = "Uw ervaring";
pub const REVIEWS_EDIT: &str = "Bewerken";
pub const REVIEWS_DELETE: &str = "Verwijderen";
pub const REVIEWS_PROS: &str = "Wat goed werkte";
pub const REVIEWS_PITFALLS: &str = "Valkuilen";
pub const REVIEWS_ADVICE: &str = "Advies aan andere scholen";
pub const REVIEWS_TIE: &str = "Band met de aanbieder";
pub const REVIEWS_REWARD: &str = "Beloning ontvangen";
pub const REVIEWS_REPLY_OF: &str = "Reactie van";
pub const REVIEWS_POSTED: &str = "Uw ervaring staat op de pagina. Dank u wel.";
pub const REVIEWS_SAVED: &str = "Uw ervaring is bijgewerkt.";
pub const REVIEWS_VOTED: &str = "Dank u: uw stem is geteld.";

/// "12 ervaringen, waarvan 3 geverifieerd".
pub fn review_counts(total: u64, verified: u64) -> String {
    let word = if total == 1 { "ervaring" } else { "ervaringen" };
    format!("{total} {word}, waarvan {verified} geverifieerd")
}

/// "4 van 5".
pub fn stars(n: u8) -> String {
    format!("{n} van 5")
}

/// "3 keer nuttig gevonden".
pub fn helpful_count(n: i32) -> String {
    format!("{n} keer nuttig gevonden")
}

/// The Dutch name of a rated dimension.
pub fn dimension_label(dimension: &str) -> &'static str {
    match dimension {
        "overall" => "Totaaloordeel",
        "fit_with_practice" => "Aansluiting op de praktijk",
        "expertise" => "Deskundigheid",
        "lasting_effect" => "Duurzaam effect",
        "value_for_money" => "Prijs en kwaliteit",
        "teacher_involvement" => "Eigenaarschap van leraren",
        _ => "Onderdeel",
    }
}

/// A review list's order in Dutch.
pub fn review_sort_label(sort: crate::domain::review::ReviewSort) -> &'static str {
    use crate::domain::review::ReviewSort;
    match sort {
        ReviewSort::Helpful => "Meest nuttig",
        ReviewSort::Newest => "Nieuwste",
        ReviewSort::Highest => "Hoogste oordeel",
        ReviewSort::Lowest => "Laagste oordeel",
        ReviewSort::Verified => "Geverifieerd eerst",
    }
}

// The review form.
pub const REVIEW_NEW_TITLE: &str = "Uw ervaring delen";
pub const REVIEW_EDIT_TITLE: &str = "Uw ervaring bewerken";
pub const REVIEW_INTRO: &str = "Andere scholen kiezen beter met uw ervaring. Alleen het \
    totaaloordeel, de sector en de verklaringen zijn verplicht. Lezers zien uw rol, sector en \
    provincie, niet uw naam, tenzij u daarvoor kiest.";
pub const REVIEW_AS: &str = "U deelt deze ervaring namens";
pub const REVIEW_RATINGS: &str = "Uw oordeel (1 = slecht, 5 = uitstekend)";
pub const REVIEW_OVERALL_HINT: &str = "Verplicht. Hoe tevreden bent u alles bij elkaar?";
pub const REVIEW_RATING_HINT: &str = "Niet verplicht; laat leeg als u het niet kunt beoordelen.";
pub const REVIEW_LASTING_HINT: &str = "Merkt u het effect nog, maanden later? Na 6 en 12 \
    maanden vragen wij u dit opnieuw.";
pub const REVIEW_CONTEXT: &str = "Waar en hoe u het gebruikte";
pub const REVIEW_SECTOR_HINT: &str = "Verplicht. Lezers kunnen op sector filteren.";
pub const REVIEW_ROLE: &str = "Uw rol";
pub const REVIEW_ROLE_HINT: &str = "Laat leeg voor uw rol op uw school.";
pub const REVIEW_SCHOOL_SIZE: &str = "Aantal leerlingen van de school";
pub const REVIEW_PERIOD_START: &str = "Gebruikt vanaf";
pub const REVIEW_PERIOD_END: &str = "Gebruikt tot";
pub const REVIEW_PERIOD_HINT: &str = "Een maand als 2025-09, of een datum als 2025-09-15.";
pub const REVIEW_SCALE: &str = "Schaal";
pub const REVIEW_SCALE_HINT: &str = "In uw eigen klas, met een team of in de hele school?";
pub const REVIEW_PHASE: &str = "Hoe ver kwam de school";
pub const REVIEW_PHASE_HINT: &str = "Gestart, ingevoerd in de praktijk, of vast onderdeel van \
    het werk geworden?";
pub const REVIEW_STILL_IN_USE: &str = "Nog in gebruik";
pub const REVIEW_TEXTS: &str = "Uw ervaring in woorden";
pub const REVIEW_PROS_HINT: &str = "Wat werkte goed, en waarom?";
pub const REVIEW_PITFALLS_HINT: &str = "Waar liep u tegenaan?";
pub const REVIEW_ADVICE_HINT: &str = "Wat zou u een school aanraden die dit overweegt?";
pub const REVIEW_TEXT_MAX_HINT: &str = "Gewone tekst, hoogstens 2.000 tekens.";
pub const REVIEW_DECLARATIONS: &str = "Verklaringen";
pub const REVIEW_TIE_HINT: &str = "Verplicht. Schrijf 'geen', of beschrijf uw band (u werkte \
    er, u bent familie, u werkte mee aan het aanbod).";
pub const REVIEW_REWARD_HINT: &str = "Verplicht. Schrijf 'geen', of beschrijf wat u kreeg \
    voor deze ervaring (korting, een cadeau).";
pub const REVIEW_SHOW_NAME: &str = "Naam tonen";
pub const REVIEW_SHOW_NAME_CHOICE: &str = "Toon mijn naam bij deze ervaring";
pub const REVIEW_SUBMIT: &str = "Ervaring plaatsen";
pub const REVIEW_SAVE: &str = "Wijzigingen opslaan";
pub const REVIEW_STALE: &str = "U heeft deze ervaring intussen ergens anders gewijzigd. Hieronder \
    staat wat u net typte; sla opnieuw op om het te bewaren.";
pub const REVIEW_DELETE_TITLE: &str = "Ervaring verwijderen";
pub const REVIEW_DELETE_TEXT: &str = "Weet u het zeker? Uw ervaring en de stemmen erop \
    verdwijnen, en telt niet meer mee in het gemiddelde.";
pub const REVIEW_DELETE_BUTTON: &str = "Ja, verwijder mijn ervaring";
pub const REVIEW_REFUSED_TITLE: &str = "U kunt hier geen ervaring delen";
pub const REVIEW_REFUSED_UNVERIFIED: &str = "Bevestig eerst uw e-mailadres; daarna kunt u uw \
    ervaring delen.";
pub const REVIEW_REFUSED_STAFF: &str = "U werkt voor de aanbieder van dit aanbod. Medewerkers van \
    een aanbieder beoordelen hun eigen aanbod niet.";
pub const REVIEW_REFUSED_NO_SCHOOL: &str = "Alleen leraren, schoolleiders en bestuurders van een \
    school of schoolbestuur delen ervaringen. Vraag uw school om een uitnodiging.";
pub const YES: &str = "ja";
pub const NO: &str = "nee";

/// A review form field's Dutch label, by its control's name.
pub fn review_field_label(field: &str) -> &'static str {
    match field {
        "overall"
        | "fit_with_practice"
        | "expertise"
        | "lasting_effect"
        | "value_for_money"
        | "teacher_involvement" => dimension_label(field),
        "sector" => "Sector",
        "role" => REVIEW_ROLE,
        "school_size" => REVIEW_SCHOOL_SIZE,
        "period_start" => REVIEW_PERIOD_START,
        "period_end" => REVIEW_PERIOD_END,
        "scale" => REVIEW_SCALE,
        "phase" => REVIEW_PHASE,
        "still_in_use" => REVIEW_STILL_IN_USE,
        "pros" => REVIEWS_PROS,
        "pitfalls" => REVIEWS_PITFALLS,
        "advice" => REVIEWS_ADVICE,
        "provider_tie" => REVIEWS_TIE,
        "reward" => REVIEWS_REWARD,
        _ => "Veld",
    }
}

/// What to do about a review form field's error code.
pub fn review_problem(code: &str) -> &'static str {
    match code {
        "required" => "vul dit in",
        "out_of_range" => "kies 1 tot en met 5",
        "unknown_code" => "kies een van de mogelijkheden",
        "in_future" => "mag niet in de toekomst liggen",
        "before_start" => "mag niet voor het begin liggen",
        "too_long" => "is te lang",
        "invalid" => "klopt niet (een maand als 2025-09, of tekst zonder stuurtekens)",
        _ => "klopt niet",
    }
}

// My reviews.
pub const MY_REVIEWS_TITLE: &str = "Mijn ervaringen";
pub const MY_REVIEWS_NONE: &str = "U heeft nog geen ervaringen gedeeld. Zoek het aanbod dat u \
    gebruikte en deel daar uw ervaring.";
pub const MY_REVIEWS_HIDDEN: &str = "Verborgen door een moderator";
pub const MY_REVIEWS_DELETED: &str = "Uw ervaring is verwijderd.";
pub const MY_REVIEWS_REPLIED: &str = "De aanbieder heeft gereageerd";

// How reviews work (what the ACM asks a site with reviews to say).
pub const REVIEWS_HOW_TITLE: &str = "Hoe ervaringen op edumarkt werken";
pub const REVIEWS_HOW_WHO: &str = "Wie een ervaring mag delen";
pub const REVIEWS_HOW_CHECK: &str = "Hoe wij ervaringen controleren";
pub const REVIEWS_HOW_SCORE: &str = "Hoe het gemiddelde en de volgorde tot stand komen";
pub const REVIEWS_HOW_PRIVACY: &str = "Wat lezers van u zien";
pub const REVIEWS_HOW_MODERATION: &str = "Wat moderatoren doen";
pub const REVIEWS_HOW_TIME: &str = "Effect op de lange duur";

pub fn reviews_how_who(daily_limit: i64) -> String {
    format!(
        "Leraren, schoolleiders en bestuurders van een school of schoolbestuur, met een \
         bevestigd e-mailadres. Medewerkers van de aanbieder beoordelen hun eigen aanbod niet. \
         Iedereen deelt één ervaring per aanbod en hoogstens {daily_limit} per dag; de schrijver \
         kan haar later bijwerken (lezers zien dat en wanneer) of verwijderen."
    )
}

pub const REVIEWS_HOW_CHECK_TEXT: &str = "Een ervaring heet geverifieerd als een schoolleider \
    van de school van de schrijver bevestigt dat de school het aanbod gebruikte. Geverifieerde en \
    andere ervaringen tellen wij apart, en lezers kunnen alleen de geverifieerde tonen. Schrijvers \
    verklaren of zij een band met de aanbieder hebben en of zij iets kregen voor hun ervaring; \
    dat staat bij de ervaring. Veel ervaringen kort na elkaar over één aanbod, van nieuwe \
    accounts, van één organisatie of van één internetadres, gaan vanzelf naar een moderator.";

pub fn reviews_how_score(prior_mean: f64, min_count: f64) -> String {
    let c = format!("{prior_mean}").replace('.', ",");
    let m = format!("{min_count}").replace('.', ",");
    format!(
        "Het gemiddelde is het gewone gemiddelde van alle zichtbare ervaringen; het aantal en \
         de verdeling over 1 tot 5 sterren staan erbij, en ook de cijfers van de laatste 24 \
         maanden. Sorteren op oordeel gebruikt een gewogen score (de methode van IMDb): \
         (v ÷ (v + m)) × R + (m ÷ (v + m)) × C, met v het aantal ervaringen, R hun gemiddelde, \
         C = {c} en m = {m}. Zo komt één ervaring met 5 sterren niet boven veertig met \
         gemiddeld 4,7."
    )
}

pub fn reviews_how_privacy(min_reviews: usize, min_schools: usize) -> String {
    format!(
        "Lezers zien de rol, sector en provincie van de schrijver (\"docent vo, Utrecht\"), niet \
         de naam, tenzij de schrijver die wil tonen. edumarkt weet wie schreef. Cijfers van een \
         deelgroep, zoals de schrijvers uit één sector, tonen wij alleen als meer dan \
         {min_reviews} ervaringen van minstens {min_schools} scholen ze vormen, zoals CBS en NCO \
         dat doen met gegevens over leerlingen. Wie zijn account verwijdert, laat zijn \
         ervaringen naamloos achter."
    )
}

pub const REVIEWS_HOW_MODERATION_TEXT: &str = "Iedereen die is ingelogd kan een ervaring melden, \
    met een reden. Een moderator verbergt de ervaring of laat haar staan, altijd met een reden; \
    de schrijver en wie meldde krijgen bericht. Een verborgen ervaring telt niet mee in de \
    cijfers. Niemand behalve de schrijver verandert de tekst van een ervaring. De aanbieder kan \
    op elke ervaring één openbare reactie geven; de schrijver krijgt daarvan bericht.";

pub const REVIEWS_HOW_TIME_TEXT: &str = "Zes en twaalf maanden na een ervaring vragen wij de \
    schrijver of het aanbod nog gebruikt wordt en hoe het blijvend effect nu is. De antwoorden \
    staan met hun datum bij de ervaring, zodat u ziet of een effect bleef.";

/// The review form's choices with their Dutch labels (codes as the API names them).
pub const RATING_CHOICES: [(&str, &str); 5] = [
    ("1", "1 – slecht"),
    ("2", "2 – matig"),
    ("3", "3 – voldoende"),
    ("4", "4 – goed"),
    ("5", "5 – uitstekend"),
];
pub const REVIEW_ROLES: [(&str, &str); 3] = [
    ("teacher", "docent"),
    ("school_leader", "schoolleider"),
    ("board_officer", "bestuurder"),
];
pub const SCHOOL_SIZES: [(&str, &str); 4] = [
    ("tot_200", "minder dan 200"),
    ("200_500", "200 tot 500"),
    ("500_1000", "500 tot 1.000"),
    ("vanaf_1000", "1.000 of meer"),
];
pub const SCALES: [(&str, &str); 3] = [
    ("own_class", "in de eigen klas"),
    ("team", "met een team"),
    ("school", "in de hele school"),
];
pub const PHASES: [(&str, &str); 3] = [
    ("started", "gestart"),
    ("implemented", "ingevoerd in de praktijk"),
    ("embedded", "vast onderdeel geworden"),
];
pub const YES_NO: [(&str, &str); 2] = [("true", YES), ("false", NO)];

/// The Dutch label of `code` in a list of choices (the code itself when unknown).
pub fn choice_label<'a>(list: &[(&'static str, &'static str)], code: &'a str) -> &'a str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, nl)| nl)
}
pub const REVIEWS_VOTED_BEFORE: &str =
    "U vond deze ervaring al eerder nuttig; uw stem telt één keer.";
pub const BACK_TO_ACCOUNT: &str = "Terug naar uw account";
/// Who replied, in "my reviews" (the offering's title is the heading above).
pub const THE_PROVIDER: &str = "de aanbieder";
pub const MY_REVIEWS_LINK: &str = "De ervaringen die u deelde: bekijken, bewerken of verwijderen";
pub const REVIEWS_CONFIRM_BUTTON: &str = "Gebruik op onze school bevestigen";
pub const REVIEWS_CONFIRMED: &str =
    "U bevestigde het gebruik: de ervaring telt nu als geverifieerd.";

/// The compare row of ratings by reviewers in the visitor's sector.
pub fn compare_sector_rating(sector: &str) -> String {
    format!("Oordeel van schrijvers uit {sector}")
}
pub const COMPARE_SECTOR_TOO_FEW: &str = "te weinig ervaringen uit deze sector om te tonen";

// ---- Reviews, the provider's and the moderators' side (`web::review_admin`). ----
pub const REVIEWS_LINK: &str = "Beoordelingen en reacties";
pub const PROVIDER_REVIEWS_TITLE: &str = "Beoordelingen van uw aanbod";
pub const PROVIDER_REVIEWS_INTRO: &str = "De beoordelingen van uw aanbod, de nieuwste eerst. U \
    kunt op elke beoordeling één openbare reactie plaatsen en die later wijzigen. De schrijver \
    krijgt per e-mail bericht van uw reactie.";
pub const REVIEWS_FILTER_LABEL: &str = "Welke beoordelingen";
pub const REVIEWS_FILTER_ALL: &str = "Alle beoordelingen";
pub const REVIEWS_FILTER_UNANSWERED: &str = "Zonder reactie";
pub const REVIEWS_NONE: &str = "Er zijn nog geen beoordelingen van uw aanbod.";
pub const REVIEWS_NONE_UNANSWERED: &str = "Op alle beoordelingen staat een reactie.";
pub const REVIEWS_OLDER: &str = "Oudere beoordelingen";
pub const REVIEWS_NEWEST: &str = "Terug naar de nieuwste beoordelingen";
pub const REVIEW_ABOUT: &str = "Over";
pub const REVIEW_BY: &str = "Geschreven door";
pub const REVIEW_WRITTEN: &str = "Geschreven op";
pub const REVIEW_EDITED: &str = "Gewijzigd op";
pub const REVIEW_VERIFIED: &str = "Gebruik bevestigd door de school";
pub const REVIEW_RATINGS_HEADING: &str = "Waarderingen";
pub const REVIEW_PROS: &str = "Wat goed werkte";
pub const REVIEW_PITFALLS: &str = "Valkuilen";
pub const REVIEW_ADVICE: &str = "Advies aan anderen";
pub const REVIEW_HIDDEN: &str = "Verborgen door een moderator";
pub const REPLY_HEADING: &str = "Reactie van de aanbieder";
pub const REPLY_NONE: &str = "Nog geen reactie.";
pub const REPLY_LINK: &str = "Reageren";
pub const REPLY_EDIT_LINK: &str = "Reactie wijzigen";
pub const REPLY_SAVED: &str = "Uw reactie is geplaatst. De schrijver van de beoordeling krijgt \
    er bericht van.";
pub const REPLY_TITLE: &str = "Reageren op een beoordeling";
pub const REPLY_LABEL: &str = "Uw reactie";
pub const REPLY_HINT: &str = "Uw reactie is openbaar en staat onder de beoordeling. Noem geen \
    persoonsgegevens. Hoogstens 2000 tekens.";
pub const REPLY_BUTTON: &str = "Reactie plaatsen";
pub const REPLY_UPDATE_BUTTON: &str = "Reactie opslaan";
pub const REPLY_STALE: &str = "Iemand anders heeft intussen een reactie opgeslagen. Uw tekst \
    staat nog in het formulier: vergelijk hem met de opgeslagen reactie en sla opnieuw op als u \
    die wilt vervangen.";
pub const REPLY_CURRENT: &str = "De reactie zoals die nu is opgeslagen";
pub const REVIEWS_BACK: &str = "Terug naar de beoordelingen";
pub const REPORT_LINK: &str = "Beoordeling melden";
pub const REPORT_TITLE: &str = "Beoordeling melden";
pub const REPORT_INTRO: &str = "Meld een beoordeling die volgens u niet klopt of niet hoort. \
    Een moderator bekijkt uw melding en beslist of de beoordeling zichtbaar blijft. U krijgt \
    per e-mail bericht van het besluit.";
pub const REPORT_KIND_LABEL: &str = "Waarom meldt u deze beoordeling?";
pub const REPORT_TEXT_LABEL: &str = "Toelichting";
pub const REPORT_TEXT_HINT: &str = "Wat klopt er niet? Verplicht bij ‘Iets anders’. Hoogstens \
    900 tekens.";
pub const REPORT_BUTTON: &str = "Melding versturen";
pub const REPORTED_TITLE: &str = "Bedankt voor uw melding";
pub const REPORTED_TEXT: &str = "Een moderator bekijkt de beoordeling. U krijgt per e-mail \
    bericht van het besluit.";
pub const REPORTED_ALREADY: &str = "U heeft deze beoordeling al gemeld. Een moderator bekijkt \
    uw melding; u krijgt bericht van het besluit.";
pub const MODERATION_TITLE: &str = "Gemelde beoordelingen";
pub const MODERATION_INTRO: &str = "Beoordelingen met open meldingen, de langst gemelde eerst. \
    Open een beoordeling om haar te verbergen of zichtbaar te laten.";
pub const MODERATION_EMPTY: &str = "Er zijn geen open meldingen.";
pub const MODERATION_OPEN: &str = "Besluiten";
pub const MODERATION_BACK: &str = "Terug naar de gemelde beoordelingen";
pub const REPORTS_HEADING: &str = "Open meldingen";
pub const REPORTS_NONE: &str = "Er zijn geen open meldingen over deze beoordeling.";
pub const CASE_TITLE: &str = "Besluit over een beoordeling";
pub const CASE_VISIBLE: &str = "Deze beoordeling is zichtbaar en telt mee in de waarderingen.";
pub const DECISION_LABEL: &str = "Besluit";
pub const DECIDE_HIDE: &str = "Verbergen: de beoordeling is niet meer te zien en telt niet \
    meer mee";
pub const DECIDE_RESTORE: &str = "Zichtbaar laten of weer tonen";
pub const DECISION_REASON_LABEL: &str = "Reden van het besluit";
pub const DECISION_REASON_HINT: &str = "De schrijver en de melders krijgen deze reden per \
    e-mail. Hoogstens 1000 tekens.";
pub const DECIDE_BUTTON: &str = "Besluit vastleggen";
pub const DECIDED_HIDDEN: &str = "De beoordeling is verborgen; de meldingen zijn afgehandeld.";
pub const DECIDED_RESTORED: &str = "De beoordeling is zichtbaar; de meldingen zijn afgehandeld.";

/// Why a review is reported: the choices of the report form (code, label).
pub const REPORT_KINDS: [(&str, &str); 5] = [
    (
        "geen_ervaring",
        "De schrijver heeft het aanbod niet zelf gebruikt",
    ),
    (
        "belang",
        "De schrijver heeft belang bij het aanbod of kreeg er iets voor",
    ),
    ("ongepast", "Beledigend, discriminerend of ongepast"),
    ("persoonsgegevens", "Noemt persoonsgegevens van anderen"),
    ("anders", "Iets anders"),
];

/// "Beoordelingen van Leren & Co".
pub fn provider_reviews_heading(provider: &str) -> String {
    format!("Beoordelingen van {provider}")
}

/// "1 melding", "3 meldingen".
pub fn report_count(n: usize) -> String {
    match n {
        1 => "1 melding".to_owned(),
        n => format!("{n} meldingen"),
    }
}

/// The label of a review form's field in error.
pub fn review_admin_field_label(field: &str) -> &'static str {
    match field {
        "reactie" => REPLY_LABEL,
        "soort" => "Reden",
        "toelichting" => REPORT_TEXT_LABEL,
        "besluit" => DECISION_LABEL,
        "reden" => DECISION_REASON_LABEL,
        _ => "Veld",
    }
}

/// What to do about a review form's error code.
pub fn review_admin_problem(field: &str, code: &str) -> &'static str {
    match (field, code) {
        ("soort" | "besluit", _) => "kies een van de mogelijkheden",
        (_, "required") => "vul dit in",
        (_, "too_long") => "gebruik minder tekens",
        (_, "invalid") => "gebruik geen onzichtbare stuurtekens",
        (_, other) => field_problem(other),
    }
}
// ---- End of reviews, the provider's and the moderators' side. ----

// Follow-ups: how an offering did months later (`web::review_follow_up`).
pub const FOLLOW_UP_TITLE: &str = "Hoe gaat het nu?";
pub const FOLLOW_UP_INTRO: &str = "Een tijd geleden deelde u uw ervaring met dit aanbod. \
    Gebruikt uw school het nog, en merkt u het effect nog? Uw antwoord komt met de datum van \
    vandaag bij uw ervaring te staan; wat u toen schreef blijft zoals het was.";
pub const FOLLOW_UP_LEGEND: &str = "Uw antwoord van vandaag";
pub const FOLLOW_UP_STILL_HINT: &str = "Verplicht.";
pub const FOLLOW_UP_EFFECT_HINT: &str = "Hoe blijvend is het effect nu? Laat leeg als u het \
    niet kunt zeggen.";
pub const FOLLOW_UP_NOTE: &str = "Toelichting";
pub const FOLLOW_UP_NOTE_HINT: &str = "Niet verplicht; hoogstens 500 tekens.";
pub const FOLLOW_UP_BUTTON: &str = "Antwoord opslaan";
pub const FOLLOW_UP_EARLIER: &str = "Uw eerdere antwoorden";
pub const FOLLOW_UP_SAVED: &str = "Dank u: uw antwoord staat bij uw ervaring.";
pub const FOLLOW_UP_LINK: &str = "Vertel hoe het nu gaat";
pub const REVIEWS_LATER: &str = "Hoe het later ging";

/// "12 juni 2027: nog in gebruik, duurzaam effect 4 van 5. Loopt nog steeds goed."
pub fn follow_up_line(
    date: &str,
    still_in_use: bool,
    lasting_effect: Option<u8>,
    note: Option<&str>,
) -> String {
    let use_now = if still_in_use {
        "nog in gebruik"
    } else {
        "niet meer in gebruik"
    };
    let effect = lasting_effect
        .map(|rating| format!(", duurzaam effect {}", stars(rating)))
        .unwrap_or_default();
    let note = note.map(|n| format!(" {n}")).unwrap_or_default();
    format!("{date}: {use_now}{effect}.{note}")
}
pub const NAV_MODERATION: &str = "Moderatie";

// A network's insight into its demand (`/netwerken/{id}/inzicht`).
pub const INSIGHT_LINK: &str = "Inzicht in de vraag";
pub const INSIGHT_INTRO: &str = "Wat de scholen en besturen vroegen via de bundels van dit \
    netwerk: per kwartaal van de aanmelddeadline, per domein, soort dienst, sector en regio.";
pub const INSIGHT_NONE: &str = "Er heeft zich nog geen school of bestuur aangemeld bij een \
    bundel van dit netwerk.";
pub const INSIGHT_TIMELINE: &str = "Vraag per kwartaal";
pub const INSIGHT_TIMELINE_TITLE: &str = "Aantal organisaties dat zich aanmeldde, per kwartaal";
pub const INSIGHT_TIMELINE_TABLE: &str = "De vraag per kwartaal in cijfers";
pub const INSIGHT_QUARTER: &str = "Kwartaal";
pub const INSIGHT_ALL: &str = "Alle bundels samen";
pub const INSIGHT_ORGANIZATIONS: &str = "Organisaties";
pub const INSIGHT_BUNDLES: &str = "Bundels";
pub const INSIGHT_QUANTITY: &str = "Hoeveelheid";
pub const INSIGHT_BUDGET: &str = "Budget";
pub const INSIGHT_SUPPRESSED_SHORT: &str = "afgeschermd";
pub const INSIGHT_MIXED_UNITS: &str = "verschillende eenheden";
pub const INSIGHT_NO_NATIONAL: &str = "geen landelijk cijfer";
pub const INSIGHT_SHARES: &str = "Vergeleken met het landelijk beeld";
pub const INSIGHT_SHARES_TITLE: &str =
    "Aandeel aangesloten scholen van het netwerk naast het landelijk aandeel";
pub const INSIGHT_SHARES_INTRO: &str = "Per sector het deel van de aangesloten scholen van \
    het netwerk dat meedeed aan een bundel van een soort dienst of domein, naast het deel van \
    alle scholen dat die dienst extern inkoopt (Onderwijsraad, Educatieve dienstverlening, \
    bijlage 2).";
pub const INSIGHT_SHARES_NONE: &str = "Nog geen aangesloten school van het netwerk (po, vo of \
    mbo) deed mee aan een bundel.";
pub const INSIGHT_SHARES_TABLE: &str = "De aandelen in cijfers";
pub const INSIGHT_KIND: &str = "Soort dienst of domein (sector)";
pub const INSIGHT_NETWORK: &str = "Netwerk";
pub const INSIGHT_NATIONAL: &str = "Landelijk";
pub const INSIGHT_BY_DOMAIN: &str = "Per domein";
pub const INSIGHT_BY_SERVICE: &str = "Per soort dienst";
pub const INSIGHT_BY_SECTOR: &str = "Per sector";
pub const INSIGHT_BY_REGION: &str = "Per regio";
pub const INSIGHT_DOMAIN: &str = "Domein";
pub const INSIGHT_SERVICE: &str = "Soort dienst";
pub const INSIGHT_SECTOR: &str = "Sector";
pub const INSIGHT_REGION: &str = "Regio";

pub fn insight_title(network: &str) -> String {
    format!("Inzicht in de vraag van {network}")
}

/// Why some figures are missing: said once, above the figures.
pub fn insight_rule(min: i64) -> String {
    format!(
        "Een cijfer dat van minder dan {min} organisaties komt, tonen we niet: daar staat \
         \u{201c}afgeschermd\u{201d}. Zo is geen school of bestuur te herkennen. Een organisatie \
         die aan meer bundels meedoet, telt één keer."
    )
}

pub fn insight_suppressed(min: i64) -> String {
    format!("afgeschermd: minder dan {min} organisaties")
}

/// "50% (3 van 6 scholen)".
pub fn insight_share(percent: u8, schools: i64, of: i64) -> String {
    format!("{percent}% ({schools} van {of} scholen)")
}

/// The timeline chart's description, for those who do not see it.
pub fn insight_timeline_desc(first: Option<String>, last: Option<String>, hidden: usize) -> String {
    let span = match (first, last) {
        (Some(first), Some(last)) if first != last => format!("van {first} tot en met {last}"),
        (Some(one), _) => format!("in {one}"),
        _ => return "Nog geen vraag.".to_owned(),
    };
    let hidden = match hidden {
        0 => String::new(),
        1 => " Eén kwartaal is afgeschermd.".to_owned(),
        n => format!(" {n} kwartalen zijn afgeschermd."),
    };
    format!(
        "Staafdiagram van het aantal organisaties dat zich per kwartaal aanmeldde, {span}. \
         De tabel hieronder geeft dezelfde cijfers.{hidden}"
    )
}

// Bundles: the desk, the form that drafts one, a bundle's page, joining (issue 12).
pub const NAV_BUNDLES: &str = "Bundels";
pub const BUNDLES_TITLE: &str = "Bundels";
pub const BUNDLES_INTRO: &str = "Met een bundel vragen scholen samen één keer aan wat ze nodig \
    hebben. Zo krijgen ook kleine besturen de onderhandelingsruimte van grote.";
pub const BUNDLES_OWNED: &str = "Bundels van uw organisaties";
pub const BUNDLES_JOINED: &str = "Bundels waaraan u deelneemt";
pub const BUNDLES_JOINABLE: &str = "Open voor aanmelding";
pub const BUNDLES_NONE: &str = "Nog geen bundels.";
pub const BUNDLES_FIND: &str = "Open bundels zoeken om op in te schrijven";
pub const BUNDLE_NEW: &str = "Nieuwe bundel";
pub const BUNDLE_NEW_INTRO: &str = "Beschrijf eerst de vraag in de woorden van de scholen: wat \
    is het probleem, wat willen ze bereiken en hoe weten ze dat het gelukt is? Zo vraagt de \
    Onderwijsraad het: eerst de vraag scherp, dan pas inkopen. Een bundel blijft een concept \
    tot u hem opent.";
pub const BUNDLE_NEW_BUTTON: &str = "Concept opslaan";
pub const BUNDLE_EDIT: &str = "Bundel wijzigen";
pub const BUNDLE_EDIT_BUTTON: &str = "Wijzigingen opslaan";
pub const BUNDLE_EDIT_TENDERING: &str = "Er kunnen al offertes zijn ingediend. Na een wijziging \
    moeten aanbieders hun offerte opnieuw bevestigen; met minder dan een paar dagen te gaan \
    schuift de sluitingstermijn voor offertes op.";
pub const BUNDLE_CANNOT_DRAFT: &str = "U kunt geen bundel opstellen";
pub const BUNDLE_CANNOT_DRAFT_TEXT: &str = "Een bundel wordt opgesteld door de coördinator van \
    een netwerk of een bestuurder van een schoolbestuur.";
pub const BUNDLE_OWNER: &str = "Voor";
pub const BUNDLE_TITLE_LABEL: &str = "Titel";
pub const NEED_LEGEND: &str = "De vraag";
pub const NEED_PROBLEM: &str = "Welk probleem willen de scholen oplossen?";
pub const NEED_PROBLEM_HINT: &str = "In de woorden van de scholen: wat merken leraren en \
    leerlingen ervan?";
pub const NEED_GOALS: &str = "Wat willen ze bereiken?";
pub const NEED_RESULT: &str = "Wat moet er aan het eind zijn?";
pub const NEED_MEASURE: &str = "Hoe weten ze dat het gelukt is?";
pub const NEED_MEASURE_HINT: &str = "Bijvoorbeeld: wat u over een jaar ziet in de klas, of \
    welke cijfers u volgt.";
pub const CONDITIONS_LEGEND: &str = "Wat en voor wie";
pub const UNIT: &str = "Eenheid van de hoeveelheid";
pub const UNIT_HINT: &str = "Waarin scholen opgeven hoeveel ze nodig hebben.";
pub const VISIBILITY: &str = "Wie mag meedoen";
pub const CRITERIA_LEGEND: &str = "Gunningscriteria";
pub const CRITERIA_HINT: &str = "Geef elk criterium dat meetelt een gewicht; laat de andere \
    leeg. De gewichten zijn samen 100. Kijk niet alleen naar de prijs: ook blijvend effect en \
    onderbouwing tellen.";
pub const PRICE_METHOD: &str = "Hoe de prijs scoort";
pub const PRICE_METHOD_HINT: &str = "Aanbieders zien vooraf hoe hun prijs wordt beoordeeld.";
pub const DEADLINES_LEGEND: &str = "Termijnen";
pub const JOIN_DEADLINE: &str = "Aanmelden kan tot";
pub const OFFER_DEADLINE: &str = "Offertes indienen kan tot";
pub const MOMENT_HINT: &str = "Datum en tijd, Nederlandse tijd, bijvoorbeeld 2027-01-15 17:00.";
pub const BUNDLE_STATUS: &str = "Stand";
pub const BUNDLE_ESTIMATE: &str = "Geschatte waarde";
pub const BUNDLE_ESTIMATE_HINT: &str = "Het budget dat de deelnemers samen opgeven.";
pub const BUNDLE_REGIME: &str = "Inkoopprocedure";
pub const BUNDLE_TOTALS: &str = "Deelname";
pub const BUNDLE_ORGANIZATIONS: &str = "Organisaties";
pub const BUNDLE_QUANTITY: &str = "Hoeveelheid";
pub const BUNDLE_BUDGET: &str = "Budget samen";
pub const BUNDLE_WEIGHT: &str = "Gewicht";
pub const BUNDLE_CRITERION: &str = "Criterium";
pub const BUNDLE_OPEN_BUTTON: &str = "Openen voor aanmelding";
pub const BUNDLE_OPEN_HINT: &str = "Na het openen kunnen scholen zich aanmelden en horen \
    aanbieders met een passend interesseprofiel ervan.";
pub const BUNDLE_CANCEL_BUTTON: &str = "Bundel annuleren";
pub const BUNDLE_PARTICIPANTS: &str = "Wie doet mee";
pub const BUNDLE_WISHES: &str = "Wensen";
pub const BUNDLE_JOINED_AT: &str = "Aangemeld op";
pub const BUNDLE_NO_PARTICIPANTS: &str = "Nog niemand heeft zich aangemeld.";
pub const JOIN_HEADING: &str = "Meedoen";
pub const JOIN_AS: &str = "Meedoen namens";
pub const JOIN_QUANTITY: &str = "Hoeveel";
pub const JOIN_BUDGET: &str = "Uw budget in euro's, exclusief btw";
pub const JOIN_WISHES: &str = "Uw wensen (niet verplicht)";
pub const JOIN_BUTTON: &str = "Aanmelden";
pub const JOIN_CHANGE_BUTTON: &str = "Deelname wijzigen";
pub const JOIN_WITHDRAW_BUTTON: &str = "Afmelden";
pub const JOIN_YOUR_PART: &str = "Uw deelname";
pub const JOIN_CLOSED: &str = "Aanmelden is niet meer mogelijk.";
pub const BUNDLE_QUESTIONS_LINK: &str = "Vragen en antwoorden (nota van inlichtingen)";
pub const BUNDLE_OFFER_LINK: &str = "Offerte indienen of bekijken";
pub const BUNDLE_EVALUATION_LINK: &str = "Offertes beoordelen en gunnen";
pub const BUNDLE_AWARDED_TO: &str = "Gegund aan";
pub const BUNDLE_MOTIVATION: &str = "Motivering";
pub const BUNDLE_AWARDED_OFFERING: &str = "Bekijk het gegunde aanbod";
pub const BUNDLE_REVIEW_LINK: &str = "Deel uw ervaring met het gegunde aanbod";
pub const BUNDLE_OCDS_LINK: &str = "Open data over deze aanbesteding (OCDS)";
pub const BUNDLE_DRAFTED: &str = "De bundel is opgeslagen als concept.";
pub const BUNDLE_CHANGED: &str = "De wijzigingen zijn opgeslagen.";
pub const BUNDLE_OPENED: &str = "De bundel is open: scholen kunnen zich aanmelden.";
pub const BUNDLE_CANCELLED: &str = "De bundel is geannuleerd.";
pub const BUNDLE_JOINED: &str = "U doet mee. U kunt uw deelname wijzigen tot aanmelden sluit.";
pub const BUNDLE_LEFT: &str = "U bent afgemeld.";
pub const BUNDLE_TITLE_COLUMN: &str = "Bundel";
pub const BUNDLE_ORGANIZATION_COLUMN: &str = "Organisatie";

/// The procurement procedure the estimated value falls under.
pub fn regime(regime: crate::domain::procurement::Regime) -> &'static str {
    use crate::domain::procurement::Regime;
    match regime {
        Regime::SingleQuotation => "enkelvoudig onderhands (één offerte vragen)",
        Regime::MultipleQuotation => "meervoudig onderhands (ten minste drie offertes vragen)",
        Regime::National => "nationaal openbaar",
        Regime::European => "Europees openbaar (aankondigen op TED)",
    }
}

/// "Aanmelden sluit op 10 december 2026, 17:00".
pub fn join_closes(moment: &str) -> String {
    format!("Aanmelden kan tot {moment}.")
}

/// The label of a bundle form's field (the API's name), for its errors.
pub fn bundle_field_label(field: &str) -> &'static str {
    match field {
        "owner_organization_id" => BUNDLE_OWNER,
        "title" => BUNDLE_TITLE_LABEL,
        "need.problem" => NEED_PROBLEM,
        "need.goals" => NEED_GOALS,
        "need.intended_result" => NEED_RESULT,
        "need.success_measure" => NEED_MEASURE,
        "domain" => DOMAIN,
        "service_type" => SERVICE_TYPE,
        "sectors" => SECTORS,
        "regions" => REGIONS,
        "unit" => UNIT,
        "criteria" => CRITERIA_LEGEND,
        "price_method" => PRICE_METHOD,
        "join_deadline" => JOIN_DEADLINE,
        "offer_deadline" => OFFER_DEADLINE,
        "visibility" => VISIBILITY,
        "organization_id" => JOIN_AS,
        "quantity" => JOIN_QUANTITY,
        "budget_cents" => JOIN_BUDGET,
        "wishes" => JOIN_WISHES,
        "versie" => BUNDLE_EDIT,
        _ => "Veld",
    }
}

/// What to do about a bundle form's field error.
pub fn bundle_problem(field: &str, code: &str) -> &'static str {
    match (field, code) {
        (_, "required") => "vul dit in",
        ("join_deadline" | "offer_deadline", "invalid") => {
            "vul een datum en tijd in, zoals 2027-01-15 17:00"
        }
        (_, "in_past") => "kies een moment dat nog moet komen",
        (_, "before_join_deadline") => "kies een moment na het sluiten van de aanmelding",
        ("join_deadline", "immutable") => {
            "aanmelden is al gesloten; dit moment blijft zoals het was"
        }
        (_, "weights_sum") => "de gewichten zijn samen precies 100",
        ("criteria", "out_of_range") => "een gewicht is een heel getal van 1 tot en met 100",
        ("criteria", "invalid") => "een gewicht is een heel getal van 1 tot en met 100",
        ("visibility", "not_a_network") => {
            "alleen een netwerk kan een bundel voor zijn leden maken; die van een bestuur is voor iedereen"
        }
        ("quantity", _) => "vul een heel getal in van 1 tot en met 10.000.000",
        ("budget_cents", _) => "vul een bedrag in euro's in, zoals 1.250 of 1.250,50",
        ("versie", "stale") => {
            "iemand anders heeft de bundel intussen gewijzigd; bekijk de bundel opnieuw en probeer het nog eens"
        }
        (_, code) => field_problem(code),
    }
}
pub const BUNDLE_BACK: &str = "Terug naar de bundel";
// ---- The owner's side of a tender: questions and answers (`web::tender_questions`), the
// evaluation, scores and award (`web::evaluation`). ----
pub const TENDER_BACK: &str = "Terug naar de bundel";
pub const QUESTIONS_TITLE: &str = "Vragen en antwoorden";
pub const QUESTIONS_INTRO: &str = "Dit is de nota van inlichtingen: de vragen van aanbieders \
    over deze bundel en de antwoorden. Wie een vraag stelde, blijft onbekend; elk antwoord is \
    te lezen voor iedereen die de bundel kan zien.";
pub const QUESTIONS_ANSWERED: &str = "Beantwoorde vragen";
pub const QUESTIONS_NONE_ANSWERED: &str = "Er zijn nog geen vragen beantwoord.";
pub const QUESTIONS_OPEN_OWNER: &str = "Vragen zonder antwoord";
pub const QUESTIONS_OPEN_OWN: &str = "Uw vragen zonder antwoord";
pub const QUESTIONS_NONE_OPEN: &str = "Alle vragen zijn beantwoord.";
pub const QUESTION: &str = "Vraag";
pub const ANSWER: &str = "Antwoord";
pub const QUESTION_ASKED: &str = "Gesteld op";
pub const QUESTION_ANSWERED: &str = "Beantwoord op";
pub const QUESTION_NOT_ANSWERED: &str = "nog niet beantwoord";
pub const ASK_HEADING: &str = "Een vraag stellen";
pub const ASK_LEGEND: &str = "Uw vraag";
pub const ASK_LABEL: &str = "Vraag";
pub const ASK_HINT: &str = "De vraag en het antwoord worden zichtbaar voor iedereen die de \
    bundel kan zien, zonder uw naam of die van uw organisatie. Hoogstens 2.000 tekens.";
pub const ASK_PROVIDER: &str = "Namens aanbieder";
pub const ASK_BUTTON: &str = "Vraag stellen";
pub const ASKED: &str = "Uw vraag is gesteld. Het antwoord verschijnt op deze pagina.";
pub const ANSWER_LEGEND: &str = "Uw antwoord";
pub const ANSWER_HINT: &str = "Het antwoord is voor iedereen die de bundel kan zien. U \
    beantwoordt een vraag één keer; een correctie wordt het antwoord op een nieuwe vraag.";
pub const ANSWER_BUTTON: &str = "Antwoord plaatsen";
pub const ANSWERED: &str = "Uw antwoord is geplaatst.";
pub const ANSWER_TWICE: &str = "Deze vraag is al beantwoord. Ververs de pagina om het \
    antwoord te zien.";
pub const ANSWER_CONFLICT: &str = "Deze vraag kan nu niet worden beantwoord.";

pub fn questions_close(moment: &str) -> String {
    format!("Aanbieders kunnen vragen stellen tot {moment}.")
}

pub fn questions_closed(moment: &str) -> String {
    format!(
        "U kunt geen vragen meer stellen: de termijn voor vragen is gesloten op {moment}. \
         Lees de antwoorden hieronder voordat u een offerte indient."
    )
}

/// Why no question can be asked in the bundle's `status`.
pub fn questions_not_now(status: &str) -> String {
    format!("U kunt nu geen vragen stellen: de bundel is {status}.")
}

pub fn answers_not_now(status: &str) -> String {
    format!("Vragen worden niet meer beantwoord: de bundel is {status}.")
}

/// What to do about an error of the question forms.
pub fn question_problem(field: &str, code: &str) -> String {
    let label = match field {
        "provider_id" => ASK_PROVIDER,
        "answer" => ANSWER,
        _ => ASK_LABEL,
    };
    let problem = match (field, code) {
        ("provider_id", _) => "kies de aanbieder namens wie u de vraag stelt",
        (_, "required") => "vul dit in",
        (_, "too_long") => "gebruik minder tekens",
        (_, "invalid") => "gebruik geen onzichtbare stuurtekens",
        (_, other) => field_problem(other),
    };
    format!("{label}: {problem}")
}

pub const EVALUATION_TITLE: &str = "Beoordeling van de offertes";
pub const SEALED_CANCELLED: &str = "De bundel is geannuleerd voordat de offertes werden \
    geopend. De offertes blijven gesloten.";
pub const SEALED_NOTHING: &str = "Tot dan ziet niemand iets van de offertes, ook u niet: \
    geen aantal, geen prijs en geen inhoud. Zo blijft de aanbesteding eerlijk voor elke \
    aanbieder.";
pub const PRICE_METHOD_HEADING: &str = "Hoe de prijs meetelt";
pub const PRICE_RELATIVE_EXPLAINED: &str = "De laagste prijs krijgt 10 punten, elke andere \
    prijs 10 × laagste prijs ÷ eigen prijs. De laagste prijs bepaalt dus de prijsscore van \
    alle offertes. Daardoor kan de volgorde van twee offertes omdraaien als een derde, \
    goedkopere offerte erbij komt of wordt ingetrokken, ook al veranderen die twee zelf niet \
    (rangomkering). Let hierop als een offerte wordt ingetrokken.";
pub const PRICE_BUDGET_EXPLAINED: &str = "Elke prijs wordt vergeleken met het totale budget \
    van de deelnemers: 10 punten bij nul euro, 5 punten bij precies het budget en 0 punten \
    bij twee keer het budget of meer. De prijsscore van een offerte hangt alleen af van haar \
    eigen prijs, dus geen andere offerte kan de volgorde van twee offertes veranderen.";
pub const RANKING_HEADING: &str = "Rangorde";
pub const RANKING_CAPTION: &str = "Rangorde van de offertes: scores van 0 tot en met 10 per \
    criterium, totaal van 0 tot en met 100 naar de wegingen";
pub const RANKING_NONE: &str = "Er zijn geen offertes ingediend (of alle offertes zijn \
    ingetrokken). Er valt niets te gunnen.";
pub const RANK: &str = "Plaats";
pub const PRICE_SCORE: &str = "Prijsscore";
pub const TOTAL: &str = "Totaal";
pub const REMARKS: &str = "Opmerking";
pub const ABNORMALLY_LOW: &str = "Abnormaal laag";
pub const ABNORMALLY_LOW_ADVICE: &str = "Een offerte met \u{201c}abnormaal laag\u{201d} ligt \
    ver onder de andere prijzen (meer dan 40% onder het gemiddelde van de andere offertes, of \
    meer dan 30% onder de eerstvolgende). Vraag de aanbieder schriftelijk om een toelichting \
    op de prijs voordat u gunt, en leg het antwoord vast.";
pub const OFFERS_HEADING: &str = "De offertes";
pub const OFFER_OFFERING: &str = "Aanbod";
pub const OFFER_NO_OFFERING: &str = "geen aanbod gekoppeld";
pub const OFFER_PROPOSAL: &str = "Voorstel";
pub const OFFER_NO_ANSWER: &str = "geen antwoord gegeven";
pub const SCORES_LEGEND: &str = "Uw scores, van 0 tot en met 10";
pub const SCORES_HINT: &str = "Bijvoorbeeld 7 of 7,5. Laat een vak leeg om de score te \
    houden die er staat.";
pub const SCORES_BUTTON: &str = "Scores opslaan";
pub const SCORES_REQUIRED: &str = "Scores: vul minstens één score in";
pub const SCORES_SAVED: &str = "De scores zijn opgeslagen. De rangorde is bijgewerkt.";
pub const NOT_SCORED: &str = "nog niet gescoord";
pub const AWARD_HEADING: &str = "Gunnen";
pub const AWARD_INTRO: &str = "Kies de offerte die u gunt en leg uit waarom. Elke aanbieder \
    hoort per e-mail zijn eigen score en plaats; de deelnemende scholen horen aan wie u gunt \
    en waarom.";
pub const AWARD_OFFER: &str = "Offerte";
pub const AWARD_MOTIVATION: &str = "Motivering";
pub const AWARD_MOTIVATION_HINT: &str = "Verplicht. Waarom deze offerte, ook als het niet de \
    eerste in de rangorde is? Hoogstens 4.000 tekens.";
pub const AWARD_BUTTON: &str = "Gunnen";
pub const AWARDED: &str = "De bundel is gegund. De aanbieders en deelnemers krijgen bericht.";
pub const AWARDED_HEADING: &str = "Gegund";
pub const AWARD_WINNER: &str = "Gegund aan";
pub const AWARD_WHY: &str = "Motivering";
pub const AWARD_WHEN: &str = "Gegund op";
pub const WINNER_WITHDREW: &str = "De aanbieder aan wie u gunde, heeft zijn offerte \
    ingetrokken. De gunning is vervallen. U kunt gunnen aan de volgende in de rangorde.";
pub const AWARD_TAKEN: &str = "De bundel is al gegund. Een andere offerte kunt u alleen gunnen \
    als de winnaar zich terugtrekt.";

/// "De offertes blijven verzegeld tot …".
pub fn sealed_until(moment: &str) -> String {
    format!("De offertes blijven verzegeld tot {moment}.")
}

/// The header of a quality criterion's column: "blijvend effect (25%)".
pub fn weighted(criterion: &str, weight: u8) -> String {
    format!("{criterion} ({weight}%)")
}

/// How the price counts: "Prijs (40%): ten opzichte van de laagste prijs."
pub fn price_counts(weight: u8, method: &str) -> String {
    format!("Prijs ({weight}%): {method}.")
}

/// An offer in the award's choice: "Plaats 1: Aanbieder A, € 24.000, totaal 77,2".
pub fn award_choice(rank: usize, provider: &str, price: &str, total: &str) -> String {
    format!("Plaats {rank}: {provider}, {price}, totaal {total}")
}

pub fn offer_heading(rank: usize, provider: &str) -> String {
    format!("{rank}. {provider}")
}

/// Why a score or the award cannot be done in the bundle's `status`.
pub fn evaluation_not_now(status: &str) -> String {
    format!("Dit kan nu niet: de bundel is {status}.")
}

/// A score's error: `criterion` names the box.
pub fn score_problem(criterion: &str, code: &str) -> String {
    let problem = match code {
        "out_of_range" => "geef een getal van 0 tot en met 10",
        "unknown_criterion" | "not_a_quality_criterion" => "dit criterium telt niet mee",
        other => field_problem(other),
    };
    format!("Score voor {criterion}: {problem}")
}

pub fn award_problem(field: &str, code: &str) -> String {
    match (field, code) {
        ("offer_id", "required") => format!("{AWARD_OFFER}: kies de offerte die u gunt"),
        ("offer_id", _) => format!("{AWARD_OFFER}: kies een offerte uit de rangorde"),
        (_, "required") => format!("{AWARD_MOTIVATION}: leg uit waarom u deze offerte gunt"),
        (_, "too_long") => format!("{AWARD_MOTIVATION}: gebruik minder tekens"),
        (_, other) => format!("{AWARD_MOTIVATION}: {}", field_problem(other)),
    }
}
// ---- End of the owner's side of a tender. ----
// ---------------------------------------------------------------------------------------------
// A provider's tender pages (issue 12): finding open bundles, the offer form, interest
// profiles.

pub const FIND_BUNDLES_TITLE: &str = "Openstaande vraag vinden";
pub const FIND_BUNDLES_INTRO: &str = "Bundels van scholen en netwerken die een aanbieder zoeken. \
    Alleen bundels waarvan de termijn voor offertes nog loopt, staan hier.";
pub const FIND_BUNDLES_QUERY_HINT: &str = "Zoek in de titel en de beschrijving van de vraag.";
pub const BUNDLE_SORTS: &[(&str, &str)] = &[
    ("relevance", "best passend"),
    ("offer_deadline", "eerste sluitingsdatum voor offertes"),
    ("join_deadline", "eerste sluitingsdatum voor aanmelden"),
];
pub const DEADLINE_WITHIN_LABEL: &str = "Sluitingsdatum offertes";
pub const DEADLINE_WITHIN: &[(&str, &str)] = &[
    ("7", "binnen 7 dagen"),
    ("14", "binnen 14 dagen"),
    ("30", "binnen 30 dagen"),
    ("90", "binnen 90 dagen"),
];
pub const MAKE_OFFER: &str = "Offerte maken";
pub const NO_BUNDLES_FOUND: &str = "Geen openstaande bundels gevonden. Probeer andere \
    zoekwoorden of minder filters.";

/// The label of a bundle search parameter in error messages.
pub fn bundle_search_label(param: &str) -> &'static str {
    match param {
        "q" => SEARCH_QUERY_LABEL,
        "sort" => SORT_LABEL,
        "deadline_within_days" => DEADLINE_WITHIN_LABEL,
        "page" | "per_page" => PAGE,
        other => facet_title(other),
    }
}

pub const OFFER_TITLE: &str = "Uw offerte";
pub const BACK_TO_BUNDLE: &str = "Naar de bundel";
pub const OFFER_CRITERIA_HEADING: &str = "Zo worden de offertes beoordeeld";
pub const OFFER_WEIGHT: &str = "Weging";
pub const OFFER_CRITERION: &str = "Criterium";
pub const OFFER_PRICE_SCORED: &str = "De prijs telt mee";
pub const OFFER_PRICE_LABEL: &str = "Prijs in euro's voor de hele bundel";
pub const OFFER_PROVIDER_LABEL: &str = "Offerte namens";
pub const OFFER_OFFERING_LABEL: &str = "Bijbehorend aanbod (niet verplicht)";
pub const OFFER_OFFERING_HINT: &str = "Een van uw gepubliceerde aanbiedingen die u met deze \
    offerte levert.";
pub const OFFER_PROPOSAL_LABEL: &str = "Uw voorstel";
pub const OFFER_PROPOSAL_HINT: &str = "Wat u doet, voor wie, wanneer en hoe.";
pub const OFFER_ANSWERS_LEGEND: &str = "Uw antwoord per kwaliteitscriterium";
pub const OFFER_ANSWER_HINT: &str = "Dit antwoord weegt mee bij de beoordeling.";
pub const OFFER_SUBMIT: &str = "Offerte indienen";
pub const OFFER_SAVE: &str = "Wijzigingen opslaan";
pub const OFFER_WITHDRAW: &str = "Offerte intrekken";
pub const OFFER_CONFIRM: &str = "Offerte bevestigen";
pub const OFFER_SEAL_NOTE: &str = "Uw offerte is verzegeld: alleen uw organisatie kan haar \
    lezen tot de termijn voor offertes voorbij is. Tot dan kunt u haar wijzigen of intrekken.";
pub const OFFER_NEEDS_CONFIRMATION: &str = "Bevestiging nodig: de uitvrager heeft de \
    voorwaarden van de bundel gewijzigd. Lees ze na en bevestig uw offerte, of wijzig haar, \
    voor de termijn voor offertes sluit.";
pub const OFFER_NOT_YET: &str = "Scholen kunnen zich nog aanmelden. Offertes kunt u indienen \
    zodra de aanmeldtermijn voorbij is.";
pub const OFFER_SEALED: &str = "De termijn voor offertes is voorbij. De offertes zijn \
    verzegeld en worden beoordeeld; u kunt uw offerte niet meer wijzigen.";
pub const OFFER_AWARDED_TO_YOU: &str = "De bundel is aan uw offerte gegund.";
pub const OFFER_AWARDED_OTHER: &str = "De bundel is gegund aan een andere aanbieder.";
/// "Uw offerte scoorde 79,5 van de 100 punten: plaats 1 van 2." (as the outcome mail says).
pub fn own_result(total: f64, rank: usize, of: usize) -> String {
    let score = format!("{total:.1}").replace('.', ",");
    format!("Uw offerte scoorde {score} van de 100 punten: plaats {rank} van {of}.")
}
pub const OFFER_CANCELLED: &str = "De bundel is geannuleerd. Er worden geen offertes meer \
    beoordeeld.";
pub const OFFER_NONE_MADE: &str = "Uw organisatie heeft geen offerte ingediend.";
pub const OFFER_YOURS: &str = "Uw ingediende offerte";
pub const OFFER_WITHDRAWN_NOTE: &str = "Uw organisatie heeft een eerdere offerte ingetrokken.";
pub const OFFER_SAVED_SUBMITTED: &str = "Uw offerte is ingediend.";
pub const OFFER_SAVED_CHANGED: &str = "Uw offerte is gewijzigd.";
pub const OFFER_SAVED_WITHDRAWN: &str = "Uw offerte is ingetrokken.";
pub const OFFER_SAVED_CONFIRMED: &str = "Uw offerte is bevestigd.";
pub const OFFER_STALE: &str = "Iemand van uw organisatie heeft de offerte intussen gewijzigd. \
    Uw invoer staat hieronder; sla opnieuw op om die wijziging te overschrijven.";
pub const OFFER_REFUSED_TITLE: &str = "Offerte niet opgeslagen";
pub const OFFER_REFUSED_DEADLINE: &str = "De termijn voor offertes is gesloten (of nog niet \
    begonnen). Er is niets opgeslagen.";
pub const OFFER_REFUSED_EXISTS: &str = "Uw organisatie heeft al een offerte op deze bundel. \
    Wijzig of trek die offerte in; er is niets opgeslagen.";
pub const OFFER_REFUSED_WITHDRAWN: &str = "Deze offerte is al ingetrokken. Er is niets \
    opgeslagen.";
pub const BACK_TO_OFFER: &str = "Terug naar uw offerte";

/// The label of an offer's field in error messages; `answer` is the criterion's name.
pub fn offer_field_label(field: &str) -> &'static str {
    match field {
        "price_cents" => OFFER_PRICE_LABEL,
        "proposal" => OFFER_PROPOSAL_LABEL,
        "offering_id" => OFFER_OFFERING_LABEL,
        "provider_id" => OFFER_PROVIDER_LABEL,
        _ => OFFER_ANSWERS_LEGEND,
    }
}

/// What to do about an invalid field of an offer or an interest profile.
pub fn offer_problem(code: &str) -> &'static str {
    match code {
        "required" => "vul dit in",
        "invalid" => "vul een bedrag in euro's in, bijvoorbeeld 12.500 of 12500,50",
        "out_of_range" => "vul een bedrag in van € 0 tot en met € 10.000.000",
        "not_an_offering_of_the_provider" => "kies een van uw gepubliceerde aanbiedingen",
        "unknown_criterion" | "not_a_quality_criterion" => {
            "dit criterium hoort niet bij deze bundel"
        }
        "too_many" => "gebruik er minder",
        other => field_problem(other),
    }
}

pub const INTERESTS_TITLE: &str = "Interesseprofielen";
pub const INTERESTS_LINK: &str = "Interesseprofielen";
pub const FIND_BUNDLES_LINK: &str = "Openstaande vraag vinden";
pub const INTERESTS_INTRO: &str = "Met een interesseprofiel krijgt u een e-mail zodra een bundel \
    opengaat die erbij past. Laat u een onderdeel leeg, dan past alles.";
pub const INTERESTS_NONE: &str = "Er zijn nog geen interesseprofielen.";
pub const INTERESTS_NEW: &str = "Nieuw interesseprofiel";
pub const INTEREST_NAME: &str = "Naam van het profiel";
pub const INTEREST_NAME_HINT: &str = "Bijvoorbeeld: Rekenen in het po.";
pub const INTEREST_DOMAIN: &str = "Domein";
pub const INTEREST_SERVICE_TYPES: &str = "Soorten dienst";
pub const INTEREST_KEYWORDS: &str = "Trefwoorden";
pub const INTEREST_KEYWORDS_HINT: &str = "Gescheiden door komma's; een bundel past als een \
    ervan in de titel of de vraag staat. Ten hoogste 10.";
pub const INTEREST_CREATE: &str = "Profiel opslaan";
pub const INTEREST_DELETE: &str = "Verwijderen";
pub const INTEREST_LEGEND: &str = "Waarover wilt u bericht?";
pub const INTEREST_ANY: &str = "alles";
pub const INTEREST_SAVED: &str = "Het interesseprofiel is opgeslagen.";
pub const INTEREST_DELETED: &str = "Het interesseprofiel is verwijderd.";
pub const INTEREST_TOO_MANY: &str = "U heeft het hoogste aantal interesseprofielen bereikt. \
    Verwijder er eerst een.";

/// The label of an interest profile's field in error messages.
pub fn interest_field_label(field: &str) -> &'static str {
    match field {
        "name" => INTEREST_NAME,
        "domain" => INTEREST_DOMAIN,
        "service_types" => INTEREST_SERVICE_TYPES,
        "sectors" => SECTORS,
        "regions" => REGIONS,
        _ => INTEREST_KEYWORDS,
    }
}

pub fn interests_title(provider: &str) -> String {
    format!("Interesseprofielen van {provider}")
}
