//! The demo data set: every fact of the seed (annex 1 to Leidschendam-Voorburg's council
//! proposal on its twinnings) that the model holds so far. It is loaded through the same use
//! cases as user input, so it is validated like anything else.

use crate::{AppError, Caller, Register};
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
    Ok(())
}
