//! The mails edumarkt sends, in Dutch, as plain text with an HTML alternative. Names that users
//! typed are escaped in the HTML part.

use crate::mail::Mail;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Builds a mail from paragraphs and an optional call to action (label, link).
fn compose(
    to: &str,
    subject: String,
    greeting: &str,
    paragraphs: &[String],
    action: Option<(&str, &str)>,
) -> Mail {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        escape(&subject),
        escape(greeting)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(paragraph)));
    }
    if let Some((label, link)) = action {
        text.push_str(&format!("{label}: {link}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(link),
            escape(label)
        ));
    }
    text.push_str("Met vriendelijke groet,\nedumarkt");
    html.push_str("<p>Met vriendelijke groet,<br>edumarkt</p></body></html>");
    Mail {
        to: to.to_owned(),
        subject,
        text,
        html,
    }
}

pub fn verify_email(to: &str, name: &str, link: &str) -> Mail {
    compose(
        to,
        "Bevestig je e-mailadres voor edumarkt".into(),
        &format!("Beste {name},"),
        &[
            "Welkom bij edumarkt. Bevestig je e-mailadres om verder te gaan.".into(),
            "Deze link is 24 uur geldig. Heb je geen account aangemaakt? Dan kun je deze e-mail negeren.".into(),
        ],
        Some(("E-mailadres bevestigen", link)),
    )
}

pub fn already_registered(to: &str, reset_link: &str) -> Mail {
    compose(
        to,
        "Je hebt al een account bij edumarkt".into(),
        "Beste gebruiker,",
        &[
            "Iemand probeerde met dit e-mailadres een nieuw account aan te maken, maar er bestaat al een account.".into(),
            "Was jij dat en weet je je wachtwoord niet meer? Stel dan een nieuw wachtwoord in. Was jij het niet, dan hoef je niets te doen.".into(),
        ],
        Some(("Nieuw wachtwoord instellen", reset_link)),
    )
}

pub fn password_reset(to: &str, name: &str, link: &str) -> Mail {
    compose(
        to,
        "Nieuw wachtwoord instellen voor edumarkt".into(),
        &format!("Beste {name},"),
        &[
            "Je hebt gevraagd om een nieuw wachtwoord. Deze link is een uur geldig en werkt één keer.".into(),
            "Heb je dit niet gevraagd? Dan kun je deze e-mail negeren; je wachtwoord blijft ongewijzigd.".into(),
        ],
        Some(("Nieuw wachtwoord instellen", link)),
    )
}

pub fn password_changed(to: &str, name: &str) -> Mail {
    compose(
        to,
        "Je wachtwoord voor edumarkt is gewijzigd".into(),
        &format!("Beste {name},"),
        &[
            "Je wachtwoord is zojuist gewijzigd en je bent op alle apparaten uitgelogd.".into(),
            "Was jij dit niet? Neem dan direct contact met ons op.".into(),
        ],
        None,
    )
}

pub fn invitation(to: &str, organization: &str, role: &str, inviter: &str, link: &str) -> Mail {
    compose(
        to,
        format!("Uitnodiging voor {organization} op edumarkt"),
        "Beste collega,",
        &[
            format!("{inviter} nodigt je uit om als {role} deel te nemen aan {organization} op edumarkt."),
            "De uitnodiging is 14 dagen geldig. Log in of maak een account aan met dit e-mailadres om haar te accepteren.".into(),
        ],
        Some(("Uitnodiging bekijken", link)),
    )
}

pub fn network_joined(to: &str, network: &str, member: &str, link: &str) -> Mail {
    compose(
        to,
        format!("{member} is toegevoegd aan het netwerk {network}"),
        "Beste schoolleider of bestuurder,",
        &[
            format!("De coördinator van {network} heeft {member} toegevoegd als lid van het netwerk op edumarkt."),
            "Als lid ziet het netwerk de vraag van jullie organisatie in gebundelde aanvragen. Wil je geen lid zijn, dan kun je het netwerk verlaten.".into(),
        ],
        Some(("Netwerk bekijken", link)),
    )
}

pub fn network_left(to: &str, network: &str, member: &str) -> Mail {
    compose(
        to,
        format!("{member} is geen lid meer van het netwerk {network}"),
        "Beste schoolleider of bestuurder,",
        &[format!(
            "{member} is verwijderd uit het netwerk {network} op edumarkt."
        )],
        None,
    )
}

pub fn review_response(to: &str, offering: &str, provider: &str, link: &str) -> Mail {
    compose(
        to,
        format!("{provider} heeft gereageerd op je ervaring met {offering}"),
        "Beste collega,",
        &[format!(
            "{provider} heeft een openbare reactie geplaatst bij jouw ervaring met {offering} op edumarkt."
        )],
        Some(("Reactie bekijken", link)),
    )
}

/// Months after a review, its author is asked whether the offering is still in use and how
/// lasting its effect was.
pub fn review_follow_up(to: &str, name: &str, offering: &str, months: u32, link: &str) -> Mail {
    compose(
        to,
        format!("Gebruik je {offering} nog? Vertel hoe het nu gaat"),
        &format!("Beste {name},"),
        &[
            format!(
                "{months} maanden geleden schreef je op edumarkt over je ervaring met {offering}."
            ),
            "Is het aanbod nog in gebruik, en hoe blijvend is het effect nu? Met je antwoord zien collega's of een effect beklijft; je eerdere ervaring blijft staan.".into(),
        ],
        Some(("Vertel hoe het nu gaat", link)),
    )
}

pub fn review_moderated(to: &str, offering: &str, hidden: bool, reason: &str) -> Mail {
    let (subject, outcome) = if hidden {
        (
            format!("Je ervaring met {offering} is verborgen"),
            format!(
                "Een moderator van edumarkt heeft je ervaring met {offering} verborgen na een melding. Zij telt niet meer mee in de beoordeling."
            ),
        )
    } else {
        (
            format!("Je ervaring met {offering} is weer zichtbaar"),
            format!(
                "Een moderator van edumarkt heeft je ervaring met {offering} weer zichtbaar gemaakt."
            ),
        )
    };
    compose(
        to,
        subject,
        "Beste collega,",
        &[outcome, format!("De reden: {reason}")],
        None,
    )
}

pub fn report_handled(to: &str, offering: &str, hidden: bool) -> Mail {
    let outcome = if hidden {
        "De moderator heeft de ervaring verborgen."
    } else {
        "De moderator heeft de ervaring zichtbaar gelaten."
    };
    compose(
        to,
        format!("Je melding over een ervaring met {offering} is behandeld"),
        "Beste gebruiker,",
        &[
            format!("Dank voor je melding over een ervaring met {offering} op edumarkt."),
            outcome.into(),
        ],
        None,
    )
}

/// A bundle that matches one of the provider's interest profiles has opened. Times in Dutch
/// time, as the pages show them.
pub fn bundle_opened(
    to: &str,
    name: &str,
    bundle: &str,
    owner: &str,
    profile: &str,
    deadlines: crate::domain::bundle::Deadlines,
    link: &str,
) -> Mail {
    let when = crate::web::format::moment;
    compose(
        to,
        format!("Nieuwe gebundelde vraag: {bundle}"),
        &format!("Beste {name},"),
        &[
            format!(
                "{owner} heeft de gebundelde vraag \"{bundle}\" opengesteld. Zij past bij je interesseprofiel \"{profile}\"."
            ),
            format!(
                "Scholen kunnen aansluiten tot {}; aanbieders kunnen een offerte indienen tot {}.",
                when(deadlines.join),
                when(deadlines.offer)
            ),
            "Je krijgt over deze bundel geen tweede bericht.".into(),
        ],
        Some(("Bundel bekijken", link)),
    )
}

/// The owner changed a bundle's conditions after a provider offered: the offer must be
/// confirmed or changed before the (possibly moved) offer deadline.
pub fn offer_needs_confirmation(to: &str, bundle: &str, deadline: &str, link: &str) -> Mail {
    compose(
        to,
        format!("De voorwaarden van {bundle} zijn gewijzigd: bevestig je inschrijving"),
        "Beste aanbieder,",
        &[
            format!(
                "De opdrachtgever heeft de voorwaarden van de gebundelde vraag {bundle} op edumarkt gewijzigd nadat je een inschrijving deed."
            ),
            format!(
                "Bekijk de gewijzigde voorwaarden en bevestig of wijzig je inschrijving vóór de sluitingstermijn: {deadline}."
            ),
        ],
        Some(("Inschrijving bekijken", link)),
    )
}

/// A bidder learns the outcome: its own score and rank, never another's offer.
pub fn offer_outcome(
    to: &str,
    bundle: &str,
    won: bool,
    score: f64,
    rank: usize,
    of: usize,
    link: &str,
) -> Mail {
    let outcome = if won {
        format!("Je inschrijving op {bundle} is gegund.")
    } else {
        format!("Je inschrijving op {bundle} is niet gegund.")
    };
    compose(
        to,
        format!("Uitslag van de gebundelde vraag {bundle}"),
        "Beste aanbieder,",
        &[
            outcome,
            format!(
                "Je inschrijving scoorde {score:.1} van de 100 punten en eindigde op plaats {rank} van {of}."
            ),
        ],
        Some(("Inschrijving bekijken", link)),
    )
}

/// The participants learn to whom the bundle they joined was awarded.
pub fn bundle_awarded(
    to: &str,
    bundle: &str,
    provider: &str,
    motivation: &str,
    link: &str,
) -> Mail {
    compose(
        to,
        format!("{bundle} is gegund aan {provider}"),
        "Beste schoolleider of bestuurder,",
        &[
            format!("De gebundelde vraag {bundle}, waaraan jouw organisatie deelneemt, is gegund aan {provider}."),
            format!("Motivering: {motivation}"),
            "Leraren van jouw organisatie kunnen na gebruik een geverifieerde ervaring schrijven bij het gegunde aanbod.".into(),
        ],
        Some(("Bundel bekijken", link)),
    )
}

/// The winner withdrew after the award: the owner may award the next in rank.
pub fn award_withdrawn(to: &str, bundle: &str, provider: &str, link: &str) -> Mail {
    compose(
        to,
        format!("{provider} heeft zich teruggetrokken uit {bundle}"),
        "Beste opdrachtgever,",
        &[
            format!("{provider} heeft de gegunde inschrijving op {bundle} ingetrokken."),
            "Je kunt de inschrijving die daarna het hoogst scoorde gunnen.".into(),
        ],
        Some(("Offertes beoordelen", link)),
    )
}

/// Two days before the joining deadline, to a member school or board that has not joined.
pub fn join_reminder(to: &str, bundle: &str, deadline: &str, link: &str) -> Mail {
    compose(
        to,
        format!("Nog twee dagen om aan te sluiten bij {bundle}"),
        "Beste schoolleider of bestuurder,",
        &[
            format!(
                "Jouw netwerk bundelt de vraag naar {bundle} op edumarkt. Jouw organisatie doet nog niet mee."
            ),
            format!(
                "Aansluiten kan tot {deadline}: geef aan hoeveel je nodig hebt, je budget en je wensen."
            ),
        ],
        Some(("Aansluiten", link)),
    )
}

/// Two days before the offer deadline, to a provider that has not offered or confirmed.
pub fn offer_reminder(to: &str, bundle: &str, deadline: &str, link: &str) -> Mail {
    compose(
        to,
        format!("Nog twee dagen om in te schrijven op {bundle}"),
        "Beste aanbieder,",
        &[
            format!("De inschrijving op de gebundelde vraag {bundle} op edumarkt sluit op {deadline}."),
            "Je hebt nog niet ingeschreven, of je inschrijving wacht op bevestiging na een wijziging van de voorwaarden.".into(),
        ],
        Some(("Inschrijving bekijken", link)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_html_only() {
        let mail = invitation(
            "a@b.nl",
            "<script>x</script> & Co",
            "leraar",
            "Anna",
            "https://x/y?a=1&b=2",
        );
        assert!(
            mail.html
                .contains("&lt;script&gt;x&lt;/script&gt; &amp; Co")
        );
        assert!(mail.html.contains("href=\"https://x/y?a=1&amp;b=2\""));
        assert!(mail.text.contains("<script>x</script> & Co"));
        assert!(mail.text.contains("https://x/y?a=1&b=2"));
    }
}
