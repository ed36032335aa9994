//! The demo data set: every fact of the seed (annex 1 to Leidschendam-Voorburg's council
//! proposal on its twinnings) that the model holds so far. It is loaded through the same use
//! cases as user input, so it is validated like anything else.

use crate::money::Money;
use crate::organisation::BodyKey;
use crate::{Activities, AppError, Caller, Organisation, Register};
use stedenband_domain::activity::{ActivityInput, FiguresInput, ReceptionInput};
use stedenband_domain::funding::{ScheduleInput, StepInput, SubsidyInput, TransactionInput};
use stedenband_domain::organisation::{FoundationInput, PersonInput, RoleInput, WorkingGroupInput};
use stedenband_domain::participant::ParticipantInput;
use stedenband_domain::{MergerInput, MunicipalityInput, PartnershipEventInput, PartnershipInput};

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

struct Place {
    name: &'static str,
    country: &'static str,
    region: &'static str,
    code: Option<&'static str>,
    lat: &'static str,
    lon: &'static str,
}

/// Coordinates as in Wikipedia's lists (shared/data/twin_cities.csv) where the town is there.
const PLACES: &[Place] = &[
    Place {
        name: "Leidschendam-Voorburg",
        country: "NL",
        region: "Zuid-Holland",
        code: Some("GM1916"),
        lat: "52.0833",
        lon: "4.4",
    },
    Place {
        name: "Leidschendam",
        country: "NL",
        region: "Zuid-Holland",
        code: None,
        lat: "52.0833",
        lon: "4.3917",
    },
    Place {
        name: "Voorburg",
        country: "NL",
        region: "Zuid-Holland",
        code: None,
        lat: "52.0667",
        lon: "4.3667",
    },
    Place {
        name: "Hranice",
        country: "CZ",
        region: "Olomoucký kraj",
        code: None,
        lat: "49.5482",
        lon: "17.7347",
    },
    Place {
        name: "Konstancin-Jeziorna",
        country: "PL",
        region: "Mazowieckie",
        code: None,
        lat: "52.0833",
        lon: "21.1167",
    },
    Place {
        name: "Temecula",
        country: "US",
        region: "California",
        code: None,
        lat: "33.4928",
        lon: "-117.1314",
    },
];

struct Bond {
    home: &'static str,
    partner: &'static str,
    start: &'static str,
    description: &'static str,
    /// (date, kind, text)
    events: &'static [(&'static str, &'static str, &'static str)],
}

const BONDS: &[Bond] = &[
    Bond {
        home: "voorburg",
        partner: "hranice",
        start: "1990",
        description: "Culturele band en vriendschapsband. Uitwisselingen tussen groepen uit de \
                      samenleving: kunstenaars, muziek en koren, sport, en beroepsgroepen als \
                      politie, brandweer en scholen, een paar keer per jaar.",
        events: &[(
            "1990",
            "first-contact",
            "Na de politieke veranderingen in Midden- en Oost-Europa, met steun van de Europese \
             Commissie voor programma's in steden daar, legt Voorburg contact met het Tsjechische \
             Hranice.",
        )],
    },
    Bond {
        home: "leidschendam",
        partner: "konstancin-jeziorna",
        start: "1991",
        description: "Culturele band en vriendschapsband. Uitwisselingen tussen groepen uit de \
                      samenleving: kunstenaars, muziek en koren, sport, en beroepsgroepen als \
                      politie, brandweer en scholen, een paar keer per jaar.",
        events: &[(
            "1991",
            "first-contact",
            "Na de politieke veranderingen in Midden- en Oost-Europa onderhoudt Leidschendam \
             banden met het Poolse Konstancin-Jeziorna.",
        )],
    },
    Bond {
        home: "voorburg",
        partner: "temecula",
        start: "1993",
        description: "Vriendschapsband, vooral voor internationale bewustwording, uitwisseling \
                      en kennisvergroting.",
        events: &[
            (
                "1990",
                "mayoral-visit",
                "De toenmalige burgemeester van Temecula (Californië, VS) bezoekt Voorburg en \
                 stelt een vriendschapsband voor, vooral voor internationale bewustwording, \
                 uitwisseling en kennisvergroting.",
            ),
            (
                "1993",
                "other",
                "De stedenband tussen Voorburg en Temecula komt tot ontwikkeling.",
            ),
        ],
    },
];

/// The foundation's working groups: name and the slug of the partner town they carry.
const GROUPS: &[(&str, &str)] = &[
    ("Werkgroep Hranice", "hranice"),
    ("Werkgroep Konstancin-Jeziorna", "konstancin-jeziorna"),
    ("Werkgroep Temecula", "temecula"),
];

/// Invented people (the seed names nobody): name, e-mail, basis.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("Anna Jansen", "anna.jansen@example.org", "membership"),
    (
        "Pieter de Graaf",
        "pieter.degraaf@example.org",
        "membership",
    ),
    ("Eva Bakker", "eva.bakker@example.org", "membership"),
    ("Joost Visser", "joost.visser@example.org", "membership"),
    ("Linda Smit", "linda.smit@example.org", "membership"),
    ("Sanne de Wit", "sanne.dewit@example.org", "membership"),
    ("Karel Dvořák", "karel.dvorak@example.org", "consent"),
    (
        "Magdalena Kowalska",
        "magdalena.kowalska@example.org",
        "consent",
    ),
    ("Jennifer Miller", "jennifer.miller@example.org", "consent"),
];

/// Roles: person (index into PEOPLE), where (None: the foundation's board; Some(i): GROUPS[i]),
/// role, start, end. Each group's chair sits on the board for as long as they chair it.
type DemoRole = (
    usize,
    Option<usize>,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const ROLES: &[DemoRole] = &[
    (0, None, "chair", "2002-01-01", Some("2014-12-31")),
    (1, None, "chair", "2015-01-01", None),
    (2, None, "board-member", "2002-01-01", None),
    (3, None, "secretary", "2002-01-01", None),
    (4, None, "treasurer", "2002-01-01", None),
    (2, Some(0), "chair", "2002-01-01", None),
    (3, Some(1), "chair", "2002-01-01", None),
    (4, Some(2), "chair", "2002-01-01", None),
    (5, Some(0), "member", "2010-09-01", None),
    (0, Some(0), "member", "2015-01-01", None),
    (6, Some(0), "partner-contact", "2024-03-01", None),
    (7, Some(1), "partner-contact", "2024-03-01", None),
    (8, Some(2), "partner-contact", "2024-03-01", None),
];

/// The Stichting Stedenbanden with its three working groups (dates of founding and of the
/// invented people's terms are assumptions of the demo; the seed gives none).
async fn load_organisation(register: &Register) -> Result<(), AppError> {
    let system = Caller::system();
    let org = Organisation::new(register.clone());
    let foundation = org
        .create_foundation(
            &system,
            &FoundationInput {
                name: s("Stichting Stedenbanden Leidschendam-Voorburg"),
                municipality: s("leidschendam-voorburg"),
                founded_on: s("2002-01-01"),
                purpose: s(
                    "Alles wat met het onderhouden van de stedenbanden met Hranice, \
                            Konstancin-Jeziorna en Temecula te maken heeft.",
                ),
                ..Default::default()
            },
        )
        .await?;
    let choices = org.partnership_choices(&foundation).await?;
    let mut groups = Vec::new();
    for (name, partner) in GROUPS {
        let partnership = choices
            .iter()
            .find(|p| p.partner.slug.as_str() == *partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default();
        let g = org
            .create_working_group(
                &system,
                &foundation.id,
                &WorkingGroupInput {
                    name: s(name),
                    partnerships: vec![partnership],
                    founded_on: s("2002-01-01"),
                    ended_on: None,
                },
            )
            .await?;
        groups.push(g.id);
    }
    let mut people = Vec::new();
    for (name, email, basis) in PEOPLE {
        let consent = *basis == "consent";
        let p = org
            .add_person(
                &system,
                &foundation.id,
                &PersonInput {
                    name: s(name),
                    email: s(email),
                    phone: None,
                    basis: s(basis),
                    consent_text_version: consent.then(|| "toestemming-2024-v1".to_owned()),
                    consent_given_on: consent.then(|| "2024-03-01".to_owned()),
                },
                true,
            )
            .await?;
        people.push(p.id);
    }
    for (person, group, role, start, end) in ROLES {
        let body = match group {
            None => BodyKey::Foundation(&foundation.id),
            Some(i) => BodyKey::WorkingGroup(&groups[*i]),
        };
        org.add_role(
            &system,
            body,
            &RoleInput {
                person: Some(people[*person].clone()),
                role: s(role),
                start: s(start),
                end: end.map(str::to_owned),
            },
        )
        .await?;
    }
    Ok(())
}

/// The kinds of exchange the annex names, in the order the demo programme cycles through them:
/// category, Dutch title, whether the guests come here.
const EXCHANGES: &[(&str, &str, bool)] = &[
    ("choir", "Uitwisseling van koren", true),
    ("sport", "Sporttoernooi", false),
    ("police", "Werkbezoek politie", true),
    ("fire-brigade", "Uitwisseling brandweer", false),
    ("school", "Scholierenuitwisseling", true),
    ("art", "Expositie van kunstenaars", false),
    ("music", "Concert van de harmonie", true),
];

/// The partner towns' working groups (slug) and their time zones.
const TOWNS: &[(&str, &str, &str, &str)] = &[
    ("hranice", "Hranice", "werkgroep-hranice", "Europe/Prague"),
    (
        "konstancin-jeziorna",
        "Konstancin-Jeziorna",
        "werkgroep-konstancin-jeziorna",
        "Europe/Warsaw",
    ),
    (
        "temecula",
        "Temecula",
        "werkgroep-temecula",
        "America/Los_Angeles",
    ),
];

const ILLUSTRATIVE: &str = "Illustratief voorbeeld in de demo: de raadsbijlage noemt uitwisselingen \
     van deze soort, niet deze datum of aantallen.";

/// An illustrative programme of exchanges 2004-2017 (a few a year per twinning, incoming
/// visits received by the mayor and aldermen), and the yearly Christmas tree from Hranice with
/// its lighting.
async fn load_activities(register: &Register) -> Result<(), AppError> {
    let system = Caller::system();
    let acts = Activities::new(register.clone());
    let org = Organisation::new(register.clone());
    let foundation = org
        .foundation(
            &system,
            "stichting-stedenbanden-leidschendam-voorburg",
            None,
        )
        .await?;
    let choices = org.partnership_choices(&foundation.foundation).await?;
    let partnership = |partner: &str| {
        choices
            .iter()
            .find(|p| p.partner.slug.as_str() == partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default()
    };
    let mut n = 0usize;
    for (t, (partner, town, group, zone)) in TOWNS.iter().enumerate() {
        for year in 2004..=2017 {
            // Two exchanges a year, three every third year.
            let count = if (year + t as i32) % 3 == 0 { 3 } else { 2 };
            for k in 0..count {
                let (category, title, incoming) = EXCHANGES[(n + t) % EXCHANGES.len()];
                n += 1;
                let month = 3 + (k * 3 + t) % 8;
                let day = 5 + (n % 20);
                let start = format!("{year}-{month:02}-{day:02}");
                let end = format!("{year}-{month:02}-{:02}", day + 3);
                let (direction, place, tz) = if incoming {
                    ("incoming", "Leidschendam-Voorburg", "Europe/Amsterdam")
                } else {
                    ("outgoing", *town, *zone)
                };
                let a = acts
                    .create_activity(
                        &system,
                        &ActivityInput {
                            partnership: s(&partnership(partner)),
                            organiser: s(group),
                            title: s(title),
                            description: s(ILLUSTRATIVE),
                            start: s(&start),
                            end: s(&end),
                            timezone: s(tz),
                            place: s(place),
                            direction: s(direction),
                            category: s(category),
                            participants_home: Some((12 + n % 25).to_string()),
                            participants_partner: Some((8 + (n * 7) % 30).to_string()),
                            status: s("held"),
                            public: s("on"),
                            ..Default::default()
                        },
                    )
                    .await?;
                if incoming && k == 0 {
                    acts.request_reception(&system, &a.id).await?;
                    for step in ["accepted", "scheduled", "held"] {
                        acts.step_reception(
                            &system,
                            &a.id,
                            &ReceptionInput {
                                status: s(step),
                                scheduled_on: s(&start),
                                scheduled_at: s("16:00"),
                                received_by: s("Burgemeester en wethouders"),
                                note: None,
                            },
                        )
                        .await?;
                    }
                }
            }
        }
    }
    // Every December the tree from Hranice stands at the Oude Kerk in the Herenstraat.
    let tree = acts
        .create_activity(
            &system,
            &ActivityInput {
                partnership: s(&partnership("hranice")),
                organiser: s("werkgroep-hranice"),
                title: s("Kerstboom uit Hranice bij de Oude Kerk"),
                description: s(
                    "Elk jaar staat de kerstboom uit Hranice bij de Oude Kerk in de \
                                Herenstraat (Voorburg). Begindatum en looptijd zijn illustratief.",
                ),
                start: s("2004-12-01"),
                end: s("2005-01-06"),
                place: s("Oude Kerk, Herenstraat, Voorburg"),
                direction: s("incoming"),
                category: s("city-promotion"),
                status: s("held"),
                public: s("on"),
                recurrence: s("yearly"),
                ..Default::default()
            },
        )
        .await?;
    acts.set_figures(
        &system,
        &tree.id,
        "2017-12-01",
        &FiguresInput {
            costs: s("6500"),
            notes: s("Bijdrage aan de kerstboom: ongeveer EUR 6.500 (2017)."),
            ..Default::default()
        },
    )
    .await?;
    // The lighting of the tree, with the entrepreneurs' fund and the Huygenskwartier.
    acts.create_activity(
        &system,
        &ActivityInput {
            partnership: s(&partnership("hranice")),
            organiser: s("werkgroep-hranice"),
            title: s("Ontsteken van de kerstboom"),
            description: s("Programma rond het ontsteken van de boom, met het \
                            ondernemersfonds en het Huygenskwartier. Datum en tijd zijn illustratief."),
            start: s("2004-12-10"),
            start_time: s("18:30"),
            end_time: s("20:00"),
            place: s("Oude Kerk, Herenstraat, Voorburg"),
            direction: s("both"),
            category: s("city-promotion"),
            participants_home: s("150"),
            participants_partner: s("6"),
            status: s("held"),
            public: s("on"),
            recurrence: s("yearly"),
            ..Default::default()
        },
    )
    .await?;
    load_participants(register, &acts, &partnership("hranice")).await
}

/// Invented guests of the demo's citizens' meeting, with the town they come from.
const GUESTS: &[(&str, &str)] = &[
    ("Jana Nováková", "hranice"),
    ("Petr Svoboda", "hranice"),
    ("Lucie Horáková", "hranice"),
    ("Tomasz Nowak", "konstancin-jeziorna"),
    ("Agnieszka Wiśniewska", "konstancin-jeziorna"),
];

/// A citizens' meeting with guests from two partner towns, planned for 2027, with its
/// participants listed by name per town as an EU twinning grant asks (people of the foundation
/// and invented guests; illustrative, the seed names no participants).
async fn load_participants(
    register: &Register,
    acts: &Activities,
    partnership: &str,
) -> Result<(), AppError> {
    let system = Caller::system();
    let meeting = acts
        .create_activity(
            &system,
            &ActivityInput {
                partnership: s(partnership),
                organiser: s("werkgroep-hranice"),
                title: s("Burgerontmoeting \u{2018}Europa dichtbij\u{2019}"),
                description: s(
                    "Drie dagen ontmoeting van inwoners uit Hranice, Konstancin-Jeziorna en \
                     Leidschendam-Voorburg, aangevraagd als stedenbandproject bij de EU. \
                     Illustratief voorbeeld in de demo: datum, namen en aantallen zijn verzonnen.",
                ),
                start: s("2027-05-14"),
                end: s("2027-05-16"),
                timezone: s("Europe/Amsterdam"),
                place: s("Leidschendam-Voorburg"),
                direction: s("incoming"),
                category: s("knowledge-transfer"),
                participants_home: s("3"),
                participants_partner: s("7"),
                status: s("planned"),
                public: s("on"),
                ..Default::default()
            },
        )
        .await?;
    let people = register.store().people(None).await?;
    let person = |name: &str| {
        people
            .iter()
            .find(|p| p.name.as_ref().is_some_and(|n| n.as_str() == name))
            .map(|p| p.id.clone())
            .unwrap_or_default()
    };
    let listed = [
        ("Eva Bakker", "leidschendam-voorburg"),
        ("Sanne de Wit", "leidschendam-voorburg"),
        ("Anna Jansen", "leidschendam-voorburg"),
        ("Karel Dvořák", "hranice"),
        ("Magdalena Kowalska", "konstancin-jeziorna"),
    ];
    for (name, town) in listed {
        acts.add_participant(
            &system,
            &meeting.id,
            &ParticipantInput {
                person: person(name),
                guest_name: String::new(),
                town: town.to_owned(),
            },
        )
        .await?;
    }
    for (name, town) in GUESTS {
        acts.add_participant(
            &system,
            &meeting.id,
            &ParticipantInput {
                person: String::new(),
                guest_name: (*name).to_owned(),
                town: (*town).to_owned(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Fills an empty database with the demo data set.
pub async fn load(register: &Register) -> Result<(), AppError> {
    let system = Caller::system();
    for p in PLACES {
        register
            .create_municipality(
                &system,
                &MunicipalityInput {
                    name: s(p.name),
                    country: s(p.country),
                    region: s(p.region),
                    official_code: p.code.map(str::to_owned),
                    latitude: s(p.lat),
                    longitude: s(p.lon),
                    ..Default::default()
                },
            )
            .await?;
    }
    register
        .record_merger(
            &system,
            &MergerInput {
                successor: s("leidschendam-voorburg"),
                predecessors: vec!["leidschendam".into(), "voorburg".into()],
                effective_on: s("2002-01-01"),
            },
        )
        .await?;
    for b in BONDS {
        let id = register
            .create_partnership(
                &system,
                &PartnershipInput {
                    home: s(b.home),
                    partner: s(b.partner),
                    kind: s("friendship"),
                    initiator: s("local-government"),
                    start: s(b.start),
                    description: s(b.description),
                    status: s("active"),
                    ..Default::default()
                },
            )
            .await?;
        for (date, kind, text) in b.events {
            register
                .add_event(
                    &system,
                    &id.0,
                    &PartnershipEventInput {
                        date: s(date),
                        kind: s(kind),
                        text: s(text),
                        status: None,
                    },
                )
                .await?;
        }
    }
    load_organisation(register).await?;
    load_activities(register).await?;
    load_money(register).await?;
    load_evaluations(register).await?;
    load_decisions(register).await
}

/// The partner towns in the order the subsidy is split over them (the 2012 subsidy "for the
/// three twinnings, one third each").
const SPLIT_ORDER: [&str; 3] = ["hranice", "konstancin-jeziorna", "temecula"];

/// Walks a subsidy through its life cycle: application in the autumn before, grant decision
/// in January, one advance of the whole grant, the report asked for after the year, received,
/// settled at the grant and closed. Dates and document references are illustrative; the
/// amounts are the seed's.
async fn full_cycle(
    money: &Money,
    id: &str,
    year: i16,
    amount: &str,
    cash: bool,
    label: &str,
) -> Result<(), AppError> {
    let system = Caller::system();
    let d = |m: u8, day: u8, y: i16| format!("{y}-{m:02}-{day:02}");
    let mut steps = vec![
        (
            "application",
            d(10, 1, year - 1),
            format!("Aanvraag {label}"),
            s(amount),
            None,
        ),
        (
            "grant-decision",
            d(1, 15, year),
            format!("Verleningsbeschikking {label}"),
            s(amount),
            None,
        ),
    ];
    if cash {
        steps.push((
            "advance-payment",
            d(2, 1, year),
            format!("Voorschot {label}"),
            s(amount),
            None,
        ));
    }
    steps.extend([
        (
            "report-due",
            d(1, 2, year + 1),
            format!("Verzoek verantwoording {label}"),
            None,
            Some(d(4, 1, year + 1)),
        ),
        (
            "report-received",
            d(3, 20, year + 1),
            format!("Verantwoording {label}"),
            None,
            None,
        ),
        (
            "settlement",
            d(5, 15, year + 1),
            format!("Vaststellingsbeschikking {label}"),
            s(amount),
            None,
        ),
        (
            "closing",
            d(6, 1, year + 1),
            format!("Afgesloten {label}"),
            None,
            None,
        ),
    ]);
    for (step, date, document, amount, due_on) in steps {
        money
            .add_step(
                &system,
                id,
                &StepInput {
                    step: s(step),
                    date: s(&date),
                    document: Some(document),
                    amount,
                    due_on,
                    ..Default::default()
                },
            )
            .await?;
    }
    Ok(())
}

/// An illustrative activity on a theme the evaluations asked about.
struct Themed {
    partner: &'static str,
    title: &'static str,
    start: &'static str,
    end: &'static str,
    incoming: bool,
    category: &'static str,
    home: &'static str,
    guests: &'static str,
}

/// The 2004 evaluation recommended knowledge transfer and economic ties; the demo's programme
/// of exchanges (culture, sport, professions) holds none, so a few illustrative ones.
const THEMED: &[Themed] = &[
    Themed {
        partner: "konstancin-jeziorna",
        title: "Kennisuitwisseling ambtenaren: afvalinzameling en milieu",
        start: "2005-10-12",
        end: "2005-10-14",
        incoming: false,
        category: "knowledge-transfer",
        home: "6",
        guests: "10",
    },
    Themed {
        partner: "hranice",
        title: "Handelsmissie van ondernemers naar Hranice",
        start: "2006-04-20",
        end: "2006-04-22",
        incoming: false,
        category: "economy",
        home: "12",
        guests: "15",
    },
    Themed {
        partner: "temecula",
        title: "Kennisbezoek onderwijs uit Temecula",
        start: "2007-09-05",
        end: "2007-09-07",
        incoming: true,
        category: "knowledge-transfer",
        home: "8",
        guests: "6",
    },
    Themed {
        partner: "konstancin-jeziorna",
        title: "Ondernemersbezoek uit Konstancin-Jeziorna",
        start: "2008-05-15",
        end: "2008-05-16",
        incoming: true,
        category: "economy",
        home: "10",
        guests: "14",
    },
];

const THEMED_ILLUSTRATIVE: &str = "Illustratief voorbeeld in de demo: de evaluaties van 2004 en \
     2009 vragen naar kennisoverdracht en economische banden; deze activiteit, de datum en de \
     aantallen zijn verzonnen.";

/// Records [`THEMED`]; returns (partner town, activity id) of each.
async fn load_themed_activities(
    register: &Register,
) -> Result<Vec<(&'static str, String)>, AppError> {
    let system = Caller::system();
    let acts = Activities::new(register.clone());
    let lv = register.municipality("leidschendam-voorburg").await?;
    let mut out = Vec::new();
    for t in THEMED {
        let partnership = lv
            .partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == t.partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default();
        let (_, town, group, zone) = TOWNS
            .iter()
            .find(|(slug, ..)| *slug == t.partner)
            .copied()
            .unwrap_or_default();
        let (direction, place, tz) = if t.incoming {
            ("incoming", "Leidschendam-Voorburg", "Europe/Amsterdam")
        } else {
            ("outgoing", town, zone)
        };
        let a = acts
            .create_activity(
                &system,
                &ActivityInput {
                    partnership: s(&partnership),
                    organiser: s(group),
                    title: s(t.title),
                    description: s(THEMED_ILLUSTRATIVE),
                    start: s(t.start),
                    end: s(t.end),
                    timezone: s(tz),
                    place: s(place),
                    direction: s(direction),
                    category: s(t.category),
                    participants_home: s(t.home),
                    participants_partner: s(t.guests),
                    status: s("held"),
                    public: s("on"),
                    ..Default::default()
                },
            )
            .await?;
        out.push((t.partner, a.id));
    }
    Ok(out)
}

/// Illustrative ledgers of 2004-2011: each group receives its part of the yearly subsidy (as
/// the municipal overview divides it), raises much of its money itself (own fundraising,
/// sponsors, what participants pay) and spends it on travel, accommodation, catering and
/// gifts. A trade mission's travel is booked on its activity.
async fn load_early_ledgers(
    money: &Money,
    lv: &crate::MunicipalityView,
    themed: &[(&'static str, String)],
) -> Result<(), AppError> {
    let system = Caller::system();
    let overview = money
        .municipal_overview("leidschendam-voorburg", 2004, 2011)
        .await?;
    for (g, partner) in SPLIT_ORDER.iter().enumerate() {
        let group = format!("werkgroep-{partner}");
        let partnership = lv
            .partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == *partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default();
        for year in overview.years.iter() {
            let y = year.year;
            let k = i64::from(y - 2004) + g as i64;
            let share = year
                .by_partnership
                .get(&partnership)
                .copied()
                .unwrap_or_default();
            let booked_on = |date: &str| {
                themed
                    .iter()
                    .find(|(p, _)| p == partner)
                    .filter(|_| date.starts_with("2006") && *partner == "hranice")
                    .map(|(_, id)| id.clone())
            };
            let mut lines = vec![(
                format!("{y}-02-15"),
                "income",
                "municipal-subsidy",
                share.to_decimal().to_string(),
                "Deel van de gemeentelijke subsidie (illustratief)",
            )];
            for (date, direction, code, amount, text) in [
                (
                    format!("{y}-04-20"),
                    "income",
                    "own-fundraising",
                    2500 + 150 * k,
                    "Eigen acties: rommelmarkt, loterij, kerstmarkt (illustratief)",
                ),
                (
                    format!("{y}-05-10"),
                    "income",
                    "sponsor",
                    1500 + 100 * k,
                    "Bijdrage plaatselijke sponsors (illustratief)",
                ),
                (
                    format!("{y}-06-01"),
                    "income",
                    "participants-contributions",
                    3500 + 200 * k,
                    "Eigen bijdragen deelnemers uitwisseling (illustratief)",
                ),
                (
                    format!("{y}-05-20"),
                    "expense",
                    "travel",
                    7000 + 300 * k,
                    "Busreis uitwisseling (illustratief)",
                ),
                (
                    format!("{y}-05-21"),
                    "expense",
                    "accommodation",
                    4500 + 200 * k,
                    "Overnachtingen (illustratief)",
                ),
                (
                    format!("{y}-06-10"),
                    "expense",
                    "catering",
                    2000 + 100 * k,
                    "Ontvangst gasten (illustratief)",
                ),
                (
                    format!("{y}-06-11"),
                    "expense",
                    "gifts",
                    400,
                    "Relatiegeschenken (illustratief)",
                ),
            ] {
                lines.push((date, direction, code, amount.to_string(), text));
            }
            for (date, direction, code, amount, text) in lines {
                let (source, category) = if direction == "income" {
                    (s(code), None)
                } else {
                    (None, s(code))
                };
                let activity = (code == "travel").then(|| booked_on(&date)).flatten();
                money
                    .record_transaction(
                        &system,
                        &TransactionInput {
                            working_group: s(&group),
                            date: Some(date),
                            direction: s(direction),
                            source,
                            category,
                            amount: Some(amount),
                            activity,
                            description: s(text),
                            ..Default::default()
                        },
                        true,
                    )
                    .await?;
            }
        }
    }
    Ok(())
}

/// Every amount in the seed: the 2012 subsidy of EUR 24,490 for the three twinnings and its
/// phase-out decided in 2011 (computed, not typed: 16,327 in 2013, 8,163 in 2014, nothing
/// from 2015), the one-off EUR 10,000 of 2015 for the 25th anniversary of the bonds with
/// Hranice and Konstancin-Jeziorna, and the yearly contribution to the Christmas tree from
/// Hranice (EUR 6,500 in 2017; the same amount in earlier years is an illustrative
/// assumption). Plus illustrative ledgers of the three working groups 2012-2017: their share
/// of the subsidy, own fundraising, sponsors, the entrepreneurs' fund and the Huygenskwartier
/// around the lighting of the tree, and their expenses. Illustrative too: the same yearly
/// subsidy of EUR 24,490 in 2004-2011, the groups' ledgers of those years (with much private
/// money: the 2009 evaluation found the programme impossible without it), and a few activities
/// on knowledge transfer and the economy in 2005-2008.
async fn load_money(register: &Register) -> Result<(), AppError> {
    let system = Caller::system();
    let money = Money::new(register.clone());
    let lv = register.municipality("leidschendam-voorburg").await?;
    let partnership = |partner: &str| {
        lv.partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default()
    };
    let all: Vec<String> = SPLIT_ORDER.iter().map(|p| partnership(p)).collect();
    let schedule = money
        .create_schedule(
            &system,
            &ScheduleInput {
                municipality: s("leidschendam-voorburg"),
                name: s("Afbouw subsidie stedenbanden"),
                base: s("24490"),
                base_year: s("2012"),
                years: s("3"),
                method: s("linear"),
                partnerships: all.clone(),
                rounding: s("whole-euros-half-up"),
                decided_by: s("Raadsbesluit 2011: afbouw van de subsidie in drie jaar"),
                ..Default::default()
            },
        )
        .await?;
    let foundation = "stichting-stedenbanden-leidschendam-voorburg";
    for y in &schedule.schedule.years {
        if y.total.is_zero() {
            continue;
        }
        let sub = money
            .create_subsidy(
                &system,
                &SubsidyInput {
                    municipality: s("leidschendam-voorburg"),
                    foundation: s(foundation),
                    kind: s("yearly-budget"),
                    purpose: s("Subsidie stedenbanden (Hranice, Konstancin-Jeziorna, Temecula)"),
                    year: Some(y.year.to_string()),
                    partnerships: all.clone(),
                    schedule: Some(schedule.record.id.clone()),
                    ..Default::default()
                },
            )
            .await?;
        let amount = y.total.to_decimal().to_string();
        full_cycle(
            &money,
            &sub.record.id,
            y.year,
            &amount,
            true,
            &format!("subsidie {}", y.year),
        )
        .await?;
    }
    let jubilee = money
        .create_subsidy(
            &system,
            &SubsidyInput {
                municipality: s("leidschendam-voorburg"),
                foundation: s(foundation),
                kind: s("one-off-grant"),
                purpose: s("25 jaar stedenband met Hranice en Konstancin-Jeziorna"),
                year: s("2015"),
                partnerships: vec![partnership("hranice"), partnership("konstancin-jeziorna")],
                ..Default::default()
            },
        )
        .await?;
    full_cycle(
        &money,
        &jubilee.record.id,
        2015,
        "10000",
        true,
        "jubileum 2015",
    )
    .await?;
    let tree = Activities::new(register.clone())
        .activities(&system, stedenband_store::ActivityFilter::default())
        .await?
        .into_iter()
        .find(|a| a.draft.title.as_str() == "Kerstboom uit Hranice bij de Oude Kerk")
        .map(|a| a.id);
    for year in 2004..=2017 {
        let sub = money
            .create_subsidy(
                &system,
                &SubsidyInput {
                    municipality: s("leidschendam-voorburg"),
                    foundation: s(foundation),
                    working_group: s("werkgroep-hranice"),
                    kind: s("in-kind"),
                    purpose: s(if year == 2017 {
                        "Bijdrage aan de kerstboom uit Hranice"
                    } else {
                        "Bijdrage aan de kerstboom uit Hranice (bedrag illustratief)"
                    }),
                    year: Some(year.to_string()),
                    partnerships: vec![partnership("hranice")],
                    activity: tree.clone(),
                    ..Default::default()
                },
            )
            .await?;
        full_cycle(
            &money,
            &sub.record.id,
            year,
            "6500",
            false,
            &format!("kerstboom {year}"),
        )
        .await?;
    }
    // Before the phase-out: the seed says that in 2012 the foundation "still" received EUR
    // 24,490 for the three twinnings, one third each; the same amount for 2004-2011 is an
    // illustrative assumption, so that a report of 2004-2008 (the years the 2009 evaluation
    // looked back on) has figures.
    for year in 2004..=2011i16 {
        let sub = money
            .create_subsidy(
                &system,
                &SubsidyInput {
                    municipality: s("leidschendam-voorburg"),
                    foundation: s(foundation),
                    kind: s("yearly-budget"),
                    purpose: s(
                        "Subsidie stedenbanden (Hranice, Konstancin-Jeziorna, Temecula; bedrag \
                         illustratief)",
                    ),
                    year: Some(year.to_string()),
                    partnerships: all.clone(),
                    ..Default::default()
                },
            )
            .await?;
        full_cycle(
            &money,
            &sub.record.id,
            year,
            "24490",
            true,
            &format!("subsidie {year}"),
        )
        .await?;
    }
    let themed = load_themed_activities(register).await?;
    load_early_ledgers(&money, &lv, &themed).await?;
    load_ledgers(&money, &schedule.schedule).await
}

/// Illustrative ledgers: each group receives its part of the subsidy by the schedule, raises
/// its own money and spends it on travel, accommodation, catering, gifts and venues.
async fn load_ledgers(
    money: &Money,
    schedule: &stedenband_domain::money::PhaseOutSchedule,
) -> Result<(), AppError> {
    let system = Caller::system();
    let groups = [
        "werkgroep-hranice",
        "werkgroep-konstancin-jeziorna",
        "werkgroep-temecula",
    ];
    let line =
        |group: &str, date: String, direction: &str, code: &str, amount: String, text: &str| {
            let (source, category) = if direction == "income" {
                (s(code), None)
            } else {
                (None, s(code))
            };
            TransactionInput {
                working_group: s(group),
                date: Some(date),
                direction: s(direction),
                source,
                category,
                amount: Some(amount),
                description: s(text),
                ..Default::default()
            }
        };
    for (g, group) in groups.iter().enumerate() {
        for year in 2012..=2017i16 {
            let k = i64::from(year - 2012) + g as i64;
            let mut lines = Vec::new();
            if let Some(y) = schedule.years.iter().find(|y| y.year == year)
                && !y.parts[g].is_zero()
            {
                lines.push(line(
                    group,
                    format!("{year}-02-15"),
                    "income",
                    "municipal-subsidy",
                    y.parts[g].to_decimal().to_string(),
                    "Deel van de gemeentelijke subsidie",
                ));
            }
            if year == 2015 && g < 2 {
                lines.push(line(
                    group,
                    "2015-03-01".into(),
                    "income",
                    "one-off-grant",
                    "5000".into(),
                    "Deel van de jubileumsubsidie (25 jaar)",
                ));
            }
            lines.push(line(
                group,
                format!("{year}-04-20"),
                "income",
                "own-fundraising",
                (900 + 250 * k).to_string(),
                "Eigen acties (rommelmarkt, loterij)",
            ));
            lines.push(line(
                group,
                format!("{year}-05-10"),
                "income",
                "sponsor",
                (400 + 150 * k).to_string(),
                "Bijdrage plaatselijke sponsors",
            ));
            lines.push(line(
                group,
                format!("{year}-06-01"),
                "income",
                "participants-contributions",
                (600 + 100 * k).to_string(),
                "Eigen bijdragen deelnemers uitwisseling",
            ));
            if g == 0 {
                lines.push(line(
                    group,
                    format!("{year}-11-15"),
                    "income",
                    "entrepreneurs-fund",
                    "1500".into(),
                    "Ondernemersfonds: ontsteken van de kerstboom",
                ));
                lines.push(line(
                    group,
                    format!("{year}-11-20"),
                    "income",
                    "huygenskwartier-project",
                    "1000".into(),
                    "Huygenskwartier: programma rond de kerstboom",
                ));
            }
            for (date, category, amount, text) in [
                (
                    format!("{year}-05-20"),
                    "travel",
                    1800 + 200 * k,
                    "Busreis uitwisseling",
                ),
                (
                    format!("{year}-05-21"),
                    "accommodation",
                    1200 + 100 * k,
                    "Overnachtingen",
                ),
                (
                    format!("{year}-06-10"),
                    "catering",
                    650 + 50 * k,
                    "Ontvangst gasten",
                ),
                (format!("{year}-06-11"), "gifts", 150, "Relatiegeschenken"),
                (format!("{year}-09-01"), "venue", 400, "Zaalhuur"),
            ] {
                lines.push(line(
                    group,
                    date,
                    "expense",
                    category,
                    amount.to_string(),
                    text,
                ));
            }
            for l in lines {
                money.record_transaction(&system, &l, true).await?;
            }
        }
    }
    Ok(())
}

/// A follow-up of a recommendation the annex records no decision on.
const NO_DECISION: &str = "Geen besluit over deze aanbeveling vastgelegd in de bijlage.";
/// A criterion the annex gives no separate finding for.
const NOT_REPORTED: &str = "Niet afzonderlijk gerapporteerd in de bijlage.";

/// The evaluations of 2004 and 2009 (annex section 4), in the annex's words. What the annex
/// does not say is left empty or said to be unreported, never made up: who carried out the
/// 2009 evaluation, the 2004 study's period, separate findings on effectiveness and efficiency,
/// and any decision on the 2004 recommendations.
async fn load_evaluations(register: &Register) -> Result<(), AppError> {
    use stedenband_domain::evaluation::{
        CriterionInput, EvaluationInput, FollowUpInput, RecommendationInput,
    };
    let system = Caller::system();
    let evaluations = crate::Evaluations::new(register.clone());
    let lv = register.municipality("leidschendam-voorburg").await?;
    let mut partnerships = Vec::new();
    for partner in ["konstancin-jeziorna", "hranice", "temecula"] {
        let p = lv
            .partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == partner)
            .ok_or(AppError::NotFound)?;
        partnerships.push(p.partnership.id.0.clone());
    }
    let criterion = |name: &str, aspect: &str, finding: &str| CriterionInput {
        name: s(name),
        aspect: s(aspect),
        finding: s(finding),
    };
    let open = |text: &str, note: &str| RecommendationInput {
        text: s(text),
        follow_up: FollowUpInput {
            status: s("open"),
            date: None,
            note: s(note),
        },
    };
    evaluations
        .create(
            &system,
            &EvaluationInput {
                municipality: s("leidschendam-voorburg"),
                year: s("2004"),
                title: s("Evaluatie van de drie stedenbanden door de VNG"),
                commissioned_by: s("Gemeente Leidschendam-Voorburg"),
                carried_out_by: s("VNG (Vereniging van Nederlandse Gemeenten)"),
                occasion: s("Verzoek van de gemeente"),
                research_question: s(
                    "Het verkrijgen van inzicht in de effectiviteit, de efficiëntie en de \
                     toekomstmogelijkheden van de stedenbanden van de gemeente \
                     Leidschendam-Voorburg met Konstancin-Jeziorna (Polen), Hranice (Tsjechië) \
                     en Temecula (Californië, Verenigde Staten van Amerika)",
                ),
                partnerships: partnerships.clone(),
                criteria: vec![
                    criterion("Effectiviteit", "effectiveness", NOT_REPORTED),
                    criterion("Efficiëntie", "efficiency", NOT_REPORTED),
                    criterion(
                        "Toekomstmogelijkheden",
                        "future-possibilities",
                        "Indien de gemeente de stedenbanden een nieuwe impuls wil geven, ligt \
                         de meest kansrijke koerswijziging voor alle drie de stedenbanden op het \
                         gebied van kennisoverdracht (in plaats van “vriendschapsbanden”).",
                    ),
                ],
                conclusions: vec![
                    "De Stichting Stedenbanden is in het leven geroepen omdat het particuliere \
                     veld steeds meer betrokken raakte bij de stedenbanden, en de gemeente de \
                     behoefte voelde om de organisatie van de activiteiten en het onderhouden van \
                     de contacten meer op afstand van de gemeente te zetten."
                        .into(),
                ],
                recommendations: vec![
                    open(
                        "Een duidelijke afbakening en definiëring van rollen en taken tussen \
                         gemeente en particulier initiatief ontwikkelen. Daarbij is nadrukkelijk \
                         aanbevolen dat de gemeente zich heel bewust is dat vanuit de \
                         werkgroepen, de partnersteden en het maatschappelijk veld vaak wel een \
                         sterke inmenging van de gemeente gewenst is.",
                        NO_DECISION,
                    ),
                    open(
                        "Een duidelijke visie die aangeeft waar men met de stedenband naartoe \
                         wil, indien de gemeente de stedenbanden een nieuwe impuls wil geven.",
                        NO_DECISION,
                    ),
                    open(
                        "De meest kansrijke koerswijziging voor alle drie de stedenbanden ligt op \
                         het gebied van kennisoverdracht (in plaats van “vriendschapsbanden”).",
                        "Geen besluit over deze aanbeveling vastgelegd in de bijlage. In 2009 \
                         werd het eigen belang als belangrijkste motief benoemd, en de bijlage \
                         beschrijft de stedenbanden nog als culturele en vriendschapsbanden met \
                         vooral uitwisselingen.",
                    ),
                ],
                ..Default::default()
            },
        )
        .await?;
    evaluations
        .create(
            &system,
            &EvaluationInput {
                municipality: s("leidschendam-voorburg"),
                year: s("2009"),
                title: s("Evaluatie nut, noodzaak en functionaliteit van de stedenbanden"),
                occasion: s("Motie van Gemeentebelangen"),
                period_from: s("2004"),
                period_to: s("2008"),
                partnerships,
                criteria: vec![
                    criterion(
                        "Nut",
                        "usefulness",
                        "Het belang van de stedenbanden moet meer in nut en functionaliteit \
                         worden gezocht. Als belangrijkste motief wordt het eigen belang benoemd: \
                         we kunnen leren van methoden en oplossingen van anderen en er liggen \
                         kansen voor het midden- en kleinbedrijf en onze stadspromotie.",
                    ),
                    criterion(
                        "Noodzaak",
                        "necessity",
                        "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd.",
                    ),
                    criterion(
                        "Functionaliteit",
                        "functionality",
                        "Het belang van de stedenbanden moet meer in nut en functionaliteit \
                         worden gezocht. Een afzonderlijke bevinding over de functionaliteit \
                         geeft de bijlage niet.",
                    ),
                ],
                conclusions: [
                    "Er kan geen absolute noodzaak voor de stedenbanden worden geconcludeerd.",
                    "Het belang van de stedenbanden moet meer in nut en functionaliteit worden \
                     gezocht.",
                    "Als belangrijkste motief voor onze stedenbanden wordt het eigen belang \
                     benoemd. We kunnen leren van methoden en oplossingen van anderen en er \
                     liggen kansen voor het midden- en kleinbedrijf en onze stadspromotie.",
                    "Het programma dat de drie werkgroepen opzetten en uitvoeren is onmogelijk te \
                     financieren als het particuliere veld en de werkgroepleden niet zelf veel \
                     zouden investeren.",
                    "De stedenbanden worden op een zeer efficiënte en professionele wijze \
                     onderhouden.",
                    "De gemeente kan over het algemeen als “geldgever” worden getypeerd en treedt \
                     in bepaalde gevallen op als “leverancier van kennis”.",
                ]
                .map(String::from)
                .to_vec(),
                ..Default::default()
            },
        )
        .await?;
    Ok(())
}

/// The seed's decisions: the motion of Gemeentebelangen that led to the 2009 evaluation, the
/// 2011 budget-cut decision that phased the subsidy out (the core-tasks discussion ended the
/// funder role; no budget line and no staff capacity since), the council's decision not to
/// abolish the twinnings but to leave the contacts to the working groups and to enter no new
/// twinnings, the 2015 jubilee grant, and the proposal on the future with its options A (end,
/// proposed), B (revive) and C (keep the present situation). The seed gives no dates or
/// reference numbers for them: those below are illustrative, and so are the amounts and hours
/// of options B.
async fn load_decisions(register: &Register) -> Result<(), AppError> {
    use stedenband_domain::decision::{AffectedInput, DecisionInput, RuleInput};
    use stedenband_domain::scenario::{ChangeInput, ScenarioInput};
    let system = Caller::system();
    let decisions = crate::Decisions::new(register.clone());
    let money = Money::new(register.clone());
    let lv = register.municipality("leidschendam-voorburg").await?;
    let partnership = |partner: &str| {
        lv.partnerships
            .iter()
            .find(|p| p.partner.slug.as_str() == partner)
            .map(|p| p.partnership.id.0.clone())
            .unwrap_or_default()
    };
    let affects = |kind: &str, id: &str| AffectedInput {
        kind: s(kind),
        id: s(id),
    };
    let bonds: Vec<AffectedInput> = SPLIT_ORDER
        .iter()
        .map(|p| affects("partnership", &partnership(p)))
        .collect();
    let store = register.store();
    let evaluation_2009 = store
        .evaluations(std::slice::from_ref(&lv.municipality.id.0))
        .await?
        .into_iter()
        .find(|e| e.draft.year == 2009)
        .map(|e| e.id)
        .unwrap_or_default();
    let schedule = money
        .schedules("leidschendam-voorburg")
        .await?
        .into_iter()
        .next()
        .map(|s| s.record.id)
        .unwrap_or_default();
    let subsidies = money.subsidies(&system, "leidschendam-voorburg").await?;
    let subsidy = |kind: &str, year: i16| {
        subsidies
            .iter()
            .find(|v| v.record.draft.kind.as_str() == kind && v.record.draft.year == year)
            .map(|v| v.record.id.clone())
            .unwrap_or_default()
    };
    let mut groups = Vec::new();
    for g in [
        "werkgroep-hranice",
        "werkgroep-konstancin-jeziorna",
        "werkgroep-temecula",
    ] {
        if let Some(w) = store.working_group(g).await? {
            groups.push(w.id);
        }
    }
    let decision = |date: &str, body: &str, kind: &str, title: &str, text: &str, outcome: &str| {
        DecisionInput {
            municipality: s("leidschendam-voorburg"),
            date: s(date),
            body: s(body),
            kind: s(kind),
            title: s(title),
            text: s(text),
            outcome: s(outcome),
            ..Default::default()
        }
    };
    let mut motion = decision(
        "2008-11-06",
        "council",
        "motion",
        "Motie Gemeentebelangen: evaluatie van de stedenbanden",
        "De raad verzoekt het college het nut, de noodzaak en de functionaliteit van de \
         stedenbanden met Hranice, Konstancin-Jeziorna en Temecula opnieuw te laten evalueren \
         over de jaren 2004-2008. (Datum illustratief; de bijlage noemt alleen de motie.)",
        "adopted",
    );
    motion.affects = vec![affects("evaluation", &evaluation_2009)];
    decisions.create(&system, &motion).await?;

    let mut cuts = decision(
        "2011-11-08",
        "council",
        "decision",
        "Bezuinigingen 2011: afbouw van de subsidie voor de stedenbanden",
        "De raad besluit, als bezuiniging, de subsidie voor de stedenbanden in drie jaar af te \
         bouwen naar nul: 2013 twee derde (EUR 16.327), 2014 een derde (EUR 8.163), vanaf 2015 \
         geen gemeentelijke subsidie meer. In de kerntakendiscussie van 2011 is besloten de rol \
         van de gemeente als financier te beëindigen. Sindsdien is er geen begrotingspost en geen \
         ambtelijke capaciteit meer voor de stedenbanden. (Datum illustratief.)",
        "adopted",
    );
    cuts.affects = bonds.clone();
    cuts.affects.push(affects("schedule", &schedule));
    for year in [2012, 2013, 2014] {
        cuts.affects
            .push(affects("subsidy", &subsidy("yearly-budget", year)));
    }
    cuts.rules = vec![
        RuleInput {
            kind: s("subsidy-ends"),
            from: None,
            schedule: s(&schedule),
        },
        RuleInput {
            kind: s("no-budget-line"),
            from: s("2015-01-01"),
            schedule: None,
        },
        RuleInput {
            kind: s("no-staff-capacity"),
            from: s("2015-01-01"),
            schedule: None,
        },
    ];
    decisions.create(&system, &cuts).await?;

    let mut keep = decision(
        "2011-11-08",
        "council",
        "decision",
        "Stedenbanden niet opheffen; contacten bij de werkgroepen; geen nieuwe stedenbanden",
        "De raad besluit de stedenbanden niet op te heffen, maar de contacten over te laten aan \
         de drie werkgroepen, en dat de gemeente geen nieuwe stedenbanden aangaat. Incidentele \
         contacten met buitenlandse gemeenten op basis van wederzijdse samenwerking (bijvoorbeeld \
         voor Europese subsidies) en tijdelijke samenwerking op economische basis blijven \
         mogelijk. (Datum illustratief.)",
        "adopted",
    );
    keep.affects = bonds.clone();
    keep.affects
        .extend(groups.iter().map(|g| affects("working-group", g)));
    keep.rules = vec![RuleInput {
        kind: s("no-new-twinnings"),
        from: None,
        schedule: None,
    }];
    decisions.create(&system, &keep).await?;

    let mut jubilee = decision(
        "2015-02-10",
        "mayor-and-aldermen",
        "decision",
        "Eenmalige subsidie 25 jaar stedenband met Hranice en Konstancin-Jeziorna",
        "Het college verleent de stichting een eenmalige subsidie van EUR 10.000 voor het \
         25-jarig jubileum van de stedenbanden met Hranice en Konstancin-Jeziorna. (Datum \
         illustratief.)",
        "adopted",
    );
    jubilee.affects = vec![
        affects("partnership", &partnership("hranice")),
        affects("partnership", &partnership("konstancin-jeziorna")),
        affects("subsidy", &subsidy("one-off-grant", 2015)),
    ];
    decisions.create(&system, &jubilee).await?;

    let mut proposal = decision(
        "2018-03-01",
        "council",
        "decision",
        "Raadsvoorstel: de toekomst van de stedenbanden (voorstel: optie A, beëindigen)",
        "Duidelijkheid over de status van de stedenbanden is nodig: er is geen ambtelijke \
         capaciteit meer en al enkele jaren geen budget. Grofweg drie opties: A. beëindigen; \
         B. nieuw leven inblazen; C. berusten in de huidige situatie. Voorgesteld wordt optie A, \
         de stedenbanden beëindigen. Dat sluit buitenlandse betrekkingen niet uit: incidentele \
         contacten (bijvoorbeeld voor Europese subsidies) blijven mogelijk, en tijdelijke \
         samenwerking op economische basis is denkbaar, met ondernemers in een initiërende of \
         stimulerende rol. (Datum illustratief; de bijlage vermeldt niet of de raad het voorstel \
         heeft aangenomen.)",
        "proposed",
    );
    proposal.affects = bonds.clone();
    decisions.create(&system, &proposal).await?;

    let status = |partner: &str, status: &str| ChangeInput {
        kind: s("status"),
        partnership: s(&partnership(partner)),
        status: s(status),
        on: s("2018-07-01"),
        ..Default::default()
    };
    let line = |name: &str, kind: &str, group: Option<&str>, amount: &str| ChangeInput {
        kind: s("line"),
        line: s(name),
        line_kind: s(kind),
        working_group: group.and_then(s),
        from: s("2019"),
        amount: s(amount),
        ..Default::default()
    };
    let staff = |hours: &str| ChangeInput {
        kind: s("staff"),
        from: s("2018"),
        hours: s(hours),
        ..Default::default()
    };
    let scenario =
        |code: &str, title: &str, description: &str, proposed: bool, changes| ScenarioInput {
            municipality: s("leidschendam-voorburg"),
            code: s(code),
            title: s(title),
            description: s(description),
            proposed: Some(proposed),
            horizon_from: s("2018"),
            horizon_to: s("2022"),
            changes,
        };
    let mut end = vec![
        status("hranice", "civil-society-only"),
        status("konstancin-jeziorna", "civil-society-only"),
        status("temecula", "civil-society-only"),
        line("Begrotingspost stedenbanden", "budget", None, "0"),
        staff("0"),
    ];
    end[3].from = s("2018");
    decisions
        .create_scenario(
            &system,
            &scenario(
                "A",
                "Beëindigen",
                "Stedenbanden zijn, met respect voor het verleden, achterhaald. Inwoners en \
                 organisaties kunnen hun initiatieven altijd voortzetten, zonder gemeentelijke \
                 betrokkenheid: „stedenbanden” gaat uit de portefeuille van een wethouder, geen \
                 apart budget, geen ambtelijke capaciteit; verzoeken van de stichting of de \
                 samenleving lopen via de reguliere kanalen. De bijdrage aan de kerstboom loopt \
                 door.",
                true,
                end,
            ),
        )
        .await?;
    let group = |slug: &str| {
        groups
            .iter()
            .zip([
                "werkgroep-hranice",
                "werkgroep-konstancin-jeziorna",
                "werkgroep-temecula",
            ])
            .find(|(_, g)| *g == slug)
            .map(|(id, _)| id.as_str())
    };
    let revive = vec![
        line("Begrotingspost stedenbanden", "budget", None, "5000"),
        line(
            "Subsidie werkgroep Hranice",
            "subsidy",
            group("werkgroep-hranice"),
            "8164",
        ),
        line(
            "Subsidie werkgroep Konstancin-Jeziorna",
            "subsidy",
            group("werkgroep-konstancin-jeziorna"),
            "8163",
        ),
        line(
            "Subsidie werkgroep Temecula",
            "subsidy",
            group("werkgroep-temecula"),
            "8163",
        ),
        ChangeInput {
            from: s("2019"),
            ..staff("360")
        },
    ];
    decisions
        .create_scenario(
            &system,
            &scenario(
                "B",
                "Nieuw leven inblazen",
                "De stedenbanden zijn door de gemeente geformaliseerd maar moeten door de \
                 inwoners worden gedragen; de gemeente geeft een nieuwe impuls. Illustratief: \
                 vanaf 2019 weer een subsidie op het niveau van 2012 (EUR 24.490, een derde per \
                 werkgroep), een begrotingspost van EUR 5.000 en 360 uur ambtelijke capaciteit \
                 per jaar.",
                false,
                revive,
            ),
        )
        .await?;
    decisions
        .create_scenario(
            &system,
            &scenario(
                "C",
                "Berusten in de huidige situatie",
                "Als beëindigen te drastisch is en nieuw leven inblazen niet realistisch: alles \
                 blijft zoals het is. Dan blijft de onduidelijkheid in het gemeentelijk beleid \
                 bestaan, wat niet wenselijk is.",
                false,
                Vec::new(),
            ),
        )
        .await?;
    Ok(())
}

/// The world list shipped with the program: 25,917 twin-town pairs from Wikipedia's lists
/// (`data/world/twin_cities.csv`, geocoded by Erik Hekman's "twincities", MIT licence).
pub const WORLD_CSV: &[u8] = include_bytes!("../../../data/world/twin_cities.csv");
/// The label the demo's world records are marked with.
pub const WORLD_LABEL: &str = "twin_cities.csv";
/// Shown wherever the list's data is.
pub const WORLD_ATTRIBUTION: &str = "Wikipedia contributors, CC BY-SA 4.0 (lists of twin towns and sister cities); geocoded by Erik Hekman's twincities (MIT)";

/// Imports the shipped world list, as `stedenband import world data/world/twin_cities.csv` does.
pub async fn load_world(
    world: &crate::World,
) -> Result<crate::world::ImportReport, crate::AppError> {
    world
        .import(
            &crate::Caller::system(),
            WORLD_CSV,
            &crate::world::ImportOptions {
                label: WORLD_LABEL.to_owned(),
                attribution: Some(WORLD_ATTRIBUTION.to_owned()),
                format: None,
            },
            &(),
        )
        .await
}
