# Het wereldregister: stedenbanden overal ter wereld, uit de lijsten en uit dit register.

nav-world = Wereld

## Fouten van de kern (import, zoeken, netwerk)
world-file-not-utf8 = Het bestand is geen UTF-8-tekst.
world-file-columns = Het bestand heeft niet de verwachte kolommen (city1, country1, lat1, lng1, city2, country2, lat2, lng2).
world-file-empty = Het bestand bevat geen rijen.
world-file-malformed = Het bestand is niet te lezen als CSV, JSON-rijen of Wikidata-JSON.
world-import-concurrent = Tegelijk is een andere lijst ingelezen; lees het bestand opnieuw in.
world-town-unknown = Er is geen plaats met dit nummer.
world-town-id-invalid = Dit is geen nummer van een plaats.
world-town-not-found = Geen plaats gevonden met deze naam.
world-rejected-missing-country = Het land ontbreekt.
world-rejected-unknown-country = Dit land is niet te herleiden tot een ISO 3166-1-landcode.
world-rejected-missing-name = De naam van een plaats ontbreekt.
world-rejected-name-too-long = De naam van een plaats is langer dan 200 tekens.
world-rejected-malformed-coordinates = De coördinaten zijn onjuist of onvolledig.
world-rejected-self-pair = Beide kanten zijn dezelfde plaats.
world-rejected-partner-not-in-file = De partner staat niet in het bestand.
world-rejected-malformed-date = Een begin- of einddatum is geen datum.
error-limit-range = Kies een aantal van 1 tot en met 100.

## Navigatie en gedeelde teksten
world-nav-label = Wereldregister
world-nav-towns = Plaatsen
world-nav-countries = Landen
world-nav-network = Netwerk
world-intro = Stedenbanden overal ter wereld, uit de lijsten van Wikipedia en uit dit register.
world-totals = Het wereldregister kent { $count } plaatsen en { $n } stedenbanden.
world-attribution = Bron: { $name } (lijst { $title })
world-attribution-label = Bron: lijst { $title }
world-col-town = Plaats
world-col-country = Land
world-col-region = Regio
world-col-partners = Partners
world-col-records = Vastgelegd in
world-col-pairs = Stedenbanden
world-register-mark = in het register
world-towns-none = Geen plaatsen gevonden.
world-partners-none = Geen partners bekend.
world-years-since = sinds { $year }
world-years-until = tot { $year }
world-years-range = { $from }–{ $to }
world-record-register = Register: { $kind } sinds { $year }, { $what }
world-record-register-ended = Register: { $kind } { $from }–{ $to }, { $what }
world-record-list = Lijst: { $name }
world-record-list-years = Lijst: { $name } ({ $what })
world-link-geojson = Downloaden als GeoJSON
world-link-suggestions = Partnersuggesties
world-town-link = { $name } in het wereldregister

## Zoeken
world-search-title = Plaatsen in het wereldregister
world-search-form = Plaatsen zoeken
world-field-name = Naam (of het begin ervan)
world-search-most-connected = { $count ->
    [one] De meest verbonden plaats (1 plaats)
   *[other] De meest verbonden plaatsen ({ $n } plaatsen)
}
world-search-found = { $count ->
    [one] 1 plaats gevonden
   *[other] { $n } plaatsen gevonden
}

## Een plaats
world-population = Inwoners
world-in-register = Gemeente in het register
world-network = Netwerk
world-network-size = { $count ->
    [one] alleen deze plaats
   *[other] { $n } plaatsen, verbonden door ketens van stedenbanden
}
world-map-heading = Kaart
world-map-town-title = Stedenbanden van { $name }
world-map-town-desc = { $count ->
    [one] Een wereldkaart met { $name } en zijn partner, verbonden door een lijn.
   *[other] Een wereldkaart met { $name } en zijn { $count } partners, elk verbonden door een lijn.
} Dezelfde gegevens staan in de tabel met partners.
world-map-line-register = { $from } – { $to }: in het register
world-map-line-list = { $from } – { $to }: uit de lijsten
world-map-unmapped = { $count ->
    [one] 1 partner zonder coördinaten staat niet op de kaart.
   *[other] { $count } partners zonder coördinaten staan niet op de kaart.
}
world-legend-register = Doorgetrokken groene lijn: stedenband in het register.
world-legend-list = Gestreepte blauwe lijn: alleen uit de lijsten.
world-partners-heading = Partners
world-partners-of = Partners van { $name }, met waar elke stedenband is vastgelegd
world-triangles-heading = Driehoeken
world-triangles-intro = Partners van { $name } die ook met elkaar een stedenband hebben:
world-triangles-none = Geen partners van { $name } hebben ook met elkaar een stedenband.
world-more-heading = Verder zoeken
world-link-shared = Gemeenschappelijke partners met een andere plaats
world-link-chain = Keten van stedenbanden naar een andere plaats

## Landen
world-countries-title = Landen in het wereldregister
world-countries-count = { $count ->
    [one] 1 land
   *[other] { $count } landen
}
world-fig-towns = Plaatsen
world-fig-twinned = Plaatsen met een stedenband
world-fig-within = Stedenbanden binnen het land
world-fig-abroad = Stedenbanden met het buitenland
world-partner-countries = Partnerlanden
world-partner-countries-none = Geen stedenbanden met het buitenland.
world-partner-countries-of = Stedenbanden van { $name } per partnerland
world-most-connected = Meest verbonden plaatsen
world-most-connected-of = De meest verbonden plaatsen van { $name }
world-most-connected-world = De 20 meest verbonden plaatsen van de wereld
world-map-country-title = Stedenbanden van { $name }
world-map-country-desc = Een wereldkaart met { $name } gemarkeerd en { $count } stedenbanden van plaatsen in { $name } als lijnen. De cijfers staan in de tabellen hieronder.
world-map-capped = De kaart toont { $count } van de { $n } stedenbanden: die van het register eerst.

## Netwerk
world-network-title = Netwerk van stedenbanden
world-network-intro = Zoek de partners die twee plaatsen gemeen hebben, of de kortste keten van stedenbanden tussen twee plaatsen. Het land is nodig als meer plaatsen zo heten.
world-field-town-a = Eerste plaats
world-field-town-b = Tweede plaats
world-field-from = Van
world-field-to = Naar
world-field-country-optional = Land (niet verplicht)
world-network-which = Welke { $name } bedoelt u?
world-network-choice = { $count ->
    [one] 1 partner
   *[other] { $count } partners
}
world-shared-title = Gemeenschappelijke partners
world-shared-submit = Gemeenschappelijke partners zoeken
world-shared-heading = { $count ->
    [one] { $from } en { $to } hebben 1 gemeenschappelijke partner
   *[other] { $from } en { $to } hebben { $count } gemeenschappelijke partners
}
world-shared-none = Geen gemeenschappelijke partners.
world-chain-title = Kortste keten
world-chain-submit = Keten zoeken
world-chain-heading = Van { $from } naar { $to }
world-chain-length = { $count ->
    [0] Dezelfde plaats.
    [one] Een keten van 1 stedenband.
   *[other] Een keten van { $count } stedenbanden.
}
world-chain-none = Niet verbonden: er is geen keten van stedenbanden van { $from } naar { $to }.
world-components-title = De grootste netwerken
world-components-total = { $count ->
    [one] Er is 1 netwerk van twee of meer plaatsen die door ketens van stedenbanden verbonden zijn.
   *[other] Er zijn { $n } netwerken van twee of meer plaatsen die door ketens van stedenbanden verbonden zijn.
}
world-components-caption = De 20 grootste netwerken, met hun meest verbonden plaats
world-col-size = Plaatsen
world-col-representative = Meest verbonden plaats

## Partnersuggesties
world-suggestions-title = Partnersuggesties voor { $name }
world-suggestions-intro = Plaatsen waarmee { $name } nog geen stedenband heeft, gerangschikt op redenen die u kunt nagaan: een stedenband met uw partners (3 punten per partner), een land waar nog geen partner ligt (2), een vergelijkbaar aantal inwoners (2), binnen een dag reizen (300–1.500 km, 1) en ervaring met stedenbanden (10 of meer partners, 1).
world-suggestions-caption = Suggesties voor { $name }, de hoogste score eerst
world-suggestions-none = Geen suggesties: er zijn geen partners van partners of goed verbonden plaatsen binnen bereik.
world-col-score = Score
world-col-distance = Afstand
world-col-reasons = Waarom
world-reason-partners-of-partners = { $count ->
    [one] stedenband met 1 van uw partners: { $name } (+{ $n })
   *[other] stedenband met { $count } van uw partners: { $name } (+{ $n })
}
world-reason-new-country = een land waar nog geen van uw partners ligt: { $name } (+2)
world-reason-similar-size = vergelijkbare grootte: { $n } inwoners (+2)
world-reason-reachable = binnen een dag reizen: { $n } km (+1)
world-reason-active = ervaren: { $count } partners (+1)

## Op de pagina van een gemeente
world-municipality-heading = In het wereldregister
world-municipality-list-partners = Partners in het wereldregister, met waar elke stedenband is vastgelegd
world-municipality-list-partners-none = Het wereldregister kent geen partners.
