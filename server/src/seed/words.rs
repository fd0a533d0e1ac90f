//! Word lists the market generator composes names and texts from. Made up, in the style of the
//! Dutch market; no real organisation is named.

pub const PROVIDER_FIRST: &[&str] = &[
    "Leer",
    "Onderwijs",
    "School",
    "Kennis",
    "Talent",
    "Groei",
    "Klas",
    "Lerend",
    "Wijzer",
    "Samen",
    "Basis",
    "Brug",
    "Kompas",
    "Horizon",
    "Vonk",
    "Focus",
    "Sterk",
    "Open",
    "Helder",
    "Kern",
];
pub const PROVIDER_SECOND: &[&str] = &[
    "Academie",
    "Advies",
    "Lab",
    "Partners",
    "Centrum",
    "Collectief",
    "Werkplaats",
    "Groep",
    "Instituut",
    "Studio",
    "Coaching",
    "Netwerk",
    "Bureau",
    "Huis",
    "Platform",
];
pub const FIRST_NAMES: &[&str] = &[
    "Anouk", "Bram", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Iris", "Jeroen", "Kees", "Lotte",
    "Mehmet", "Noor", "Pieter", "Roos", "Sanne", "Thijs", "Yara", "Wouter", "Zeynep",
];
pub const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Yilmaz",
];
pub const PLACE_STEMS: &[&str] = &[
    "Linde", "Eik", "Beuk", "Wilg", "Esch", "Veld", "Brink", "Meer", "Dal", "Berg", "Hoeve",
    "Waard", "Dijk", "Horst", "Rade", "Gaarde",
];
pub const SCHOOL_NAMES: &[&str] = &[
    "De Regenboog",
    "De Wegwijzer",
    "Het Kompas",
    "De Springplank",
    "De Vlinder",
    "Het Palet",
    "De Zonnewijzer",
    "De Klimop",
    "Het Baken",
    "De Ontdekking",
    "De Fontein",
    "Het Mozaïek",
    "De Sterrenwacht",
    "De Horizon",
];
pub const SCHOOL_PREFIXES: &[(&str, &str)] = &[
    ("po", "OBS"),
    ("po", "CBS"),
    ("po", "RKBS"),
    ("vo", "Lyceum"),
    ("vo", "College"),
    ("mbo", "ROC"),
    ("so", "SO-school"),
];

/// Per service type: topic phrases an offering's title is built from.
pub fn topics(service_type: &str) -> &'static [&'static str] {
    match service_type {
        "prof_individueel_leraren" => &[
            "Didactisch coachen",
            "Formatief handelen",
            "Klassenmanagement",
            "Differentiëren in de les",
            "Activerende didactiek",
        ],
        "prof_collectief_team" => &[
            "Teamleren rond lezen",
            "Samen lesontwerpen",
            "Feedbackcultuur in het team",
            "Rekenonderwijs als team",
        ],
        "prof_individueel_directie" => &[
            "Leiderschap in verandering",
            "Onderwijskundig leiderschap",
            "Strategisch personeelsbeleid",
        ],
        "prof_collectief_instelling" => &[
            "Schoolbrede visie op leren",
            "Professionele cultuur",
            "Kwaliteitszorg in de school",
        ],
        "prof_ondersteunend_personeel" => &[
            "Onderwijsassistent in de klas",
            "Ondersteuning bij zorgleerlingen",
            "Digitale vaardigheden voor OOP",
        ],
        "prof_teamleiders" => &[
            "Teamleider als coach",
            "Sturen op onderwijskwaliteit",
            "Gesprekken voeren als teamleider",
        ],
        "zorg_diagnostiek" => &[
            "Dyslexieonderzoek",
            "Dyscalculieonderzoek",
            "Intelligentieonderzoek",
            "Onderzoek naar leerproblemen",
        ],
        "zorg_leerproblemen" => &[
            "Dyslexiebegeleiding",
            "Remedial teaching (RT) lezen",
            "Rekenproblemen aanpakken",
            "Leesinterventie",
        ],
        "zorg_gedragsproblemen" => &[
            "Omgaan met gedrag",
            "Sociaal-emotionele begeleiding",
            "Weerbaarheidstraining",
            "Faalangstreductie",
        ],
        "zorg_leraren_omgang" => &[
            "Handelingsgericht werken",
            "Gedrag in de klas",
            "Ondersteuning van de intern begeleider (IB)",
        ],
        "zorg_hulpmiddelen" => &[
            "Voorleessoftware",
            "Aangepast lesmateriaal",
            "Hulpmiddelen bij dyslexie",
        ],
        "lm_advies_aanschaf" => &[
            "Keuzebegeleiding lesmethode",
            "Advies digitale leermiddelen",
            "Aanbesteding leermiddelen",
        ],
        "lm_digitale_leeromgeving" => &[
            "Elektronische leeromgeving (ELO)",
            "Adaptief leerplatform",
            "Digitale leeromgeving voor projecten",
        ],
        "lm_leermiddelen_leraren" => &[
            "Lesmateriaal burgerschap",
            "Digitale lesbrieven",
            "Lessenreeks wereldoriëntatie",
        ],
        "lm_leermiddelen_leerlingen" => &[
            "Rekenmethode",
            "Taalmethode",
            "Digitale oefenstof",
            "Lesmethode Engels",
        ],
        "lm_ontwikkelen_leermiddelen" => &[
            "Zelf lesmateriaal ontwikkelen",
            "Open leermiddelen maken",
            "Digitaal lesontwerp",
        ],
        "lm_toetsontwikkeling" => &[
            "Goede toetsen maken",
            "Toetsconstructie",
            "Formatief toetsen ontwerpen",
        ],
        "lm_leerlingvolgsysteem" => &[
            "Leerlingvolgsysteem (LVS)",
            "Diagnostische toetsen",
            "Methode-onafhankelijke toetsen",
        ],
        "lm_bijles_examentraining" => &["Examentraining", "Huiswerkbegeleiding", "Bijles wiskunde"],
        "lm_examinering" => &[
            "Examendienstverlening",
            "Schoolexamens op maat",
            "Examenbank",
        ],
        "org_onderwijskundig_advies" => &[
            "Onderwijskundige begeleiding",
            "Schoolplan en koers",
            "Onderwijsvernieuwing begeleiden",
        ],
        "org_beleidsadvies" => &[
            "Beleidsadvies",
            "Organisatiescan",
            "Advies bij fusie en samenwerking",
        ],
        "org_interim" => &["Interim-directeur", "Interim-leraar", "Interim-teamleider"],
        "org_onderzoek_ontwikkeling" => &[
            "Praktijkgericht onderzoek",
            "Evaluatieonderzoek",
            "Onderzoekende school",
        ],
        "org_werving_selectie" => &[
            "Werving van leraren",
            "Selectie van schoolleiders",
            "Zij-instroom begeleiden",
        ],
        "org_projectcoordinatie" => &[
            "Projectleiding onderwijsvernieuwing",
            "Coördinatie subsidietraject",
            "Programmamanagement",
        ],
        _ => &["Ondersteuning"],
    }
}

pub const DESCRIPTION_SENTENCES: &[&str] = &[
    "We sluiten aan bij de vraag van de school en maken samen een plan.",
    "Leraren oefenen direct in hun eigen klas en krijgen feedback op de werkvloer.",
    "Het traject wordt afgesloten met een evaluatie van de opbrengsten.",
    "De aanpak is gebaseerd op recent onderzoek en ervaringen van scholen.",
    "We werken met kleine groepen zodat er ruimte is voor eigen casuïstiek.",
    "Na afloop kan het team zelfstandig verder met de aanpak.",
    "Ook schoolleiders en intern begeleiders worden betrokken.",
    "Materialen en handleidingen zijn inbegrepen.",
    "De begeleiding kan op locatie of online plaatsvinden.",
    "We delen de resultaten met andere scholen in het netwerk.",
];

/// What reviewers liked, in their words; a seeded review joins one or two.
pub const REVIEW_PROS: &[&str] = &[
    "Concreet en direct toepasbaar in de klas.",
    "De trainer kende het onderwijs van binnenuit.",
    "Goede balans tussen theorie en oefenen.",
    "Het hele team deed mee en dat merk je nog steeds.",
    "Heldere materialen die we zelf kunnen blijven gebruiken.",
    "Veel ruimte voor onze eigen casussen.",
    "De leerlingen reageerden er meteen positief op.",
    "Flexibel ingepland rond onze roosters.",
    "Prettige begeleiding, ook tussen de bijeenkomsten door.",
    "Sloot goed aan bij ons schoolplan.",
];

/// What reviewers warn others about.
pub const REVIEW_PITFALLS: &[&str] = &[
    "Plan de vervolgsessies vooraf in, anders zakt het weg.",
    "De eerste bijeenkomst was vooral theorie.",
    "Reken op extra voorbereidingstijd voor het team.",
    "Online werkte minder goed dan op locatie.",
    "De prijs valt hoger uit bij een groot team.",
    "Zonder trekker in de school blijft het niet hangen.",
    "Sommige materialen waren nog niet af.",
    "Voor de onderbouw was het minder geschikt.",
];

/// Advice to schools that consider the offering.
pub const REVIEW_ADVICE: &[&str] = &[
    "Begin met een kleine groep enthousiaste collega's.",
    "Maak vooraf afspraken over wat je wilt bereiken.",
    "Betrek de schoolleiding vanaf het begin.",
    "Vraag naar ervaringen van scholen in de buurt.",
    "Reserveer tijd in de jaartaakuren.",
];
