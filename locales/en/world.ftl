# The world register: twinnings everywhere, from the lists and from this register.

nav-world = World

## Errors of the core (import, search, network)
world-file-not-utf8 = The file is not UTF-8 text.
world-file-columns = The file does not have the expected columns (city1, country1, lat1, lng1, city2, country2, lat2, lng2).
world-file-empty = The file holds no rows.
world-file-malformed = The file cannot be read as CSV, JSON rows or Wikidata JSON.
world-import-concurrent = Another list was imported at the same time; import the file again.
world-town-unknown = There is no town with this number.
world-town-id-invalid = This is not the number of a town.
world-town-not-found = No town found by this name.
world-rejected-missing-country = The country is missing.
world-rejected-unknown-country = This country cannot be mapped to an ISO 3166-1 country code.
world-rejected-missing-name = A town's name is missing.
world-rejected-name-too-long = A town's name is longer than 200 characters.
world-rejected-malformed-coordinates = The coordinates are malformed or incomplete.
world-rejected-self-pair = Both sides are the same town.
world-rejected-partner-not-in-file = The partner is not in the file.
world-rejected-malformed-date = A start or end date is not a date.
error-limit-range = Choose a number from 1 to 100.

## Navigation and shared texts
world-nav-label = World register
world-nav-towns = Towns
world-nav-countries = Countries
world-nav-network = Network
world-intro = Twinnings everywhere in the world, from Wikipedia's lists and from this register.
world-totals = The world register knows { $count } towns and { $n } twinnings.
world-attribution = Source: { $name } (list { $title })
world-attribution-label = Source: list { $title }
world-col-town = Town
world-col-country = Country
world-col-region = Region
world-col-partners = Partners
world-col-records = Recorded in
world-col-pairs = Twinnings
world-register-mark = in the register
world-towns-none = No towns found.
world-partners-none = No partners known.
world-years-since = since { $year }
world-years-until = until { $year }
world-years-range = { $from }–{ $to }
world-record-register = Register: { $kind } since { $year }, { $what }
world-record-register-ended = Register: { $kind } { $from }–{ $to }, { $what }
world-record-list = List: { $name }
world-record-list-years = List: { $name } ({ $what })
world-link-geojson = Download as GeoJSON
world-link-suggestions = Partner suggestions
world-town-link = { $name } in the world register

## Search
world-search-title = Towns in the world register
world-search-form = Search towns
world-field-name = Name (or its start)
world-search-most-connected = { $count ->
    [one] The most connected town (1 town)
   *[other] The most connected towns ({ $n } towns)
}
world-search-found = { $count ->
    [one] 1 town found
   *[other] { $n } towns found
}

## A town
world-population = Inhabitants
world-in-register = Municipality in the register
world-network = Network
world-network-size = { $count ->
    [one] this town only
   *[other] { $n } towns, connected by chains of twinnings
}
world-map-heading = Map
world-map-town-title = Twinnings of { $name }
world-map-town-desc = { $count ->
    [one] A world map with { $name } and its partner, joined by a line.
   *[other] A world map with { $name } and its { $count } partners, each joined by a line.
} The same data is in the table of partners.
world-map-line-register = { $from } – { $to }: in the register
world-map-line-list = { $from } – { $to }: from the lists
world-map-unmapped = { $count ->
    [one] 1 partner without coordinates is not on the map.
   *[other] { $count } partners without coordinates are not on the map.
}
world-legend-register = Solid green line: a twinning in the register.
world-legend-list = Dashed blue line: from the lists only.
world-partners-heading = Partners
world-partners-of = Partners of { $name }, with where each twinning is recorded
world-triangles-heading = Triangles
world-triangles-intro = Partners of { $name } that are twinned with each other too:
world-triangles-none = No partners of { $name } are twinned with each other.
world-more-heading = Explore further
world-link-shared = Partners shared with another town
world-link-chain = Chain of twinnings to another town

## Countries
world-countries-title = Countries in the world register
world-countries-count = { $count ->
    [one] 1 country
   *[other] { $count } countries
}
world-fig-towns = Towns
world-fig-twinned = Towns with a twinning
world-fig-within = Twinnings within the country
world-fig-abroad = Twinnings abroad
world-partner-countries = Partner countries
world-partner-countries-none = No twinnings abroad.
world-partner-countries-of = Twinnings of { $name } per partner country
world-most-connected = Most connected towns
world-most-connected-of = The most connected towns of { $name }
world-most-connected-world = The 20 most connected towns of the world
world-map-country-title = Twinnings of { $name }
world-map-country-desc = A world map with { $name } highlighted and { $count } twinnings of towns in { $name } as lines. The figures are in the tables below.
world-map-capped = The map shows { $count } of the { $n } twinnings: the register's first.

## Network
world-network-title = Network of twinnings
world-network-intro = Find the partners two towns share, or the shortest chain of twinnings between two towns. The country is needed when several towns have the name.
world-field-town-a = First town
world-field-town-b = Second town
world-field-from = From
world-field-to = To
world-field-country-optional = Country (optional)
world-network-which = Which { $name } do you mean?
world-network-choice = { $count ->
    [one] 1 partner
   *[other] { $count } partners
}
world-shared-title = Shared partners
world-shared-submit = Find shared partners
world-shared-heading = { $count ->
    [one] { $from } and { $to } share 1 partner
   *[other] { $from } and { $to } share { $count } partners
}
world-shared-none = No shared partners.
world-chain-title = Shortest chain
world-chain-submit = Find the chain
world-chain-heading = From { $from } to { $to }
world-chain-length = { $count ->
    [0] The same town.
    [one] A chain of 1 twinning.
   *[other] A chain of { $count } twinnings.
}
world-chain-none = Not connected: there is no chain of twinnings from { $from } to { $to }.
world-components-title = The largest networks
world-components-total = { $count ->
    [one] There is 1 network of two or more towns connected by chains of twinnings.
   *[other] There are { $n } networks of two or more towns connected by chains of twinnings.
}
world-components-caption = The 20 largest networks, with their most connected town
world-col-size = Towns
world-col-representative = Most connected town

## Partner suggestions
world-suggestions-title = Partner suggestions for { $name }
world-suggestions-intro = Towns { $name } is not twinned with yet, ranked by reasons you can check: twinned with your partners (3 points per partner), a country none of your partners is in (2), a similar number of inhabitants (2), within a day's travel (300–1,500 km, 1) and experience with twinning (10 or more partners, 1).
world-suggestions-caption = Suggestions for { $name }, the highest score first
world-suggestions-none = No suggestions: there are no partners of partners or well-connected towns within reach.
world-col-score = Score
world-col-distance = Distance
world-col-reasons = Why
world-reason-partners-of-partners = { $count ->
    [one] twinned with 1 of your partners: { $name } (+{ $n })
   *[other] twinned with { $count } of your partners: { $name } (+{ $n })
}
world-reason-new-country = a country none of your partners is in: { $name } (+2)
world-reason-similar-size = similar size: { $n } inhabitants (+2)
world-reason-reachable = within a day's travel: { $n } km (+1)
world-reason-active = experienced: { $count } partners (+1)

## On a municipality's page
world-municipality-heading = In the world register
world-municipality-list-partners = Its partners in the world register, with where each twinning is recorded
world-municipality-list-partners-none = The world register knows no partners of it.
