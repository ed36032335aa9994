# Stedenband, Nederlands. Elke sleutel hier heeft een Engelse tweeling in ../en/main.ftl (een test controleert beide).

## Opmaak
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-municipalities = Gemeenten
nav-partnerships = Stedenbanden
nav-language = Taal
footer-text = Stedenband: het register van stedenbanden
footer-api = API (OpenAPI)
back-home = Terug naar de startpagina
edit = Wijzigen
save = Opslaan
cancel = Annuleren
choose = Kies…
required = verplicht
search = Zoeken
search-label = Naam
all-countries = Alle landen

## Startpagina
home-title = Stedenbanden
home-intro = Het register van stedenbanden: wie met wie verbonden is, sinds wanneer, en wat er sindsdien gebeurde.
home-empty = Het register is nog leeg. Begin met het toevoegen van een gemeente.
home-list-title = Gemeenten met stedenbanden

## Gemeenten
municipalities-title = Gemeenten
municipalities-none = Geen gemeente gevonden.
municipalities-count = { $count ->
    [one] Eén gemeente
   *[other] { $count } gemeenten
}
municipality-add = Gemeente toevoegen
municipality-new-title = Nieuwe gemeente
municipality-edit-title = { $name } wijzigen
place-kind-municipality = Gemeente
place-kind-region = Regio
lineage-title = Herkomst
lineage-none = Voor deze gemeente zijn geen fusies vastgelegd.
lineage-formed-from = Ontstaan uit de fusie van:
lineage-merged-into = Op { $date } opgegaan in
merger-add = Een fusie tot deze gemeente vastleggen
merger-title = Fusie tot { $name }
merger-intro = Noem de gemeenten die zijn opgegaan in { $name } en de datum waarop de fusie inging. Hun stedenbanden gaan over op { $name }.

## Stedenbanden
partnerships-title = Stedenbanden
partnerships-none = Er zijn geen stedenbanden geregistreerd.
partnerships-of = Stedenbanden van { $name }
partnerships-count = { $count ->
    [one] Eén stedenband
   *[other] { $count } stedenbanden
}
partnership-add = Stedenband toevoegen
partnership-new-title = Nieuwe stedenband
partnership-edit-title = Stedenband { $home } – { $partner } wijzigen
col-partner = Partnerstad
col-partnership = Stedenband
col-since = Sinds
col-entered-by = Aangegaan door
col-held-by = In handen van
held-since-short = tot { $date }
held-by-since = { $name }, sinds { $date }
kind-formalised = Geformaliseerde band
kind-friendship = Vriendschapsband
kind-project-based = Projectmatige samenwerking
initiator-local-government = Lokale overheid
initiator-private-initiative = Particulier initiatief
status-active = Actief
status-civil-society-only = Alleen gedragen door de samenleving
status-dormant = Slapend
status-ended = Beëindigd
status-none = (geen statuswijziging)
history-title = Geschiedenis
history-none = Er is nog geen geschiedenis vastgelegd.
event-add-title = Aan de geschiedenis toevoegen
event-add = Toevoegen
event-kind-first-contact = Eerste contact
event-kind-signing = Ondertekening
event-kind-mayoral-visit = Bezoek van de burgemeester
event-kind-visit = Bezoek
event-kind-status-change = Statuswijziging
event-kind-anniversary = Jubileum
event-kind-other = Overig

## Velden
field-name = Naam
field-slug = Korte naam in adressen (slug)
field-slug-hint = Kleine letters, cijfers en koppeltekens. Leeg gelaten wordt hij uit de naam gemaakt.
field-place-kind = Soort
field-country = Land
field-region = Regio
field-official-code = Officiële code
field-official-code-hint = Voor Nederlandse gemeenten de CBS-code, bijvoorbeeld GM1916.
field-wikidata = Wikidata
field-wikidata-hint = Het id van het item, bijvoorbeeld Q727.
field-coordinates = Coördinaten
field-latitude = Breedtegraad
field-latitude-hint = In graden, bijvoorbeeld 52,0833. Geef breedte- en lengtegraad samen.
field-longitude = Lengtegraad
field-population = Inwoners
field-home = Eigen gemeente
field-home-hint = De gemeente die de stedenband aanging: naam of korte naam.
field-partner = Partnergemeente of -regio
field-partner-hint = Naam of korte naam; voeg de gemeente eerst aan het register toe als hij er nog niet in staat.
field-partnership-kind = Soort band
field-initiator = Gestart door
field-structural = Het particulier initiatief is structureel
field-structural-hint = Alleen bij een particulier initiatief: het telt alleen als stedenband als het structureel is en door de gemeente wordt ondersteund.
field-supported = Het particulier initiatief wordt door de gemeente ondersteund
field-start = Begin
field-start-hint = Een jaar (1990) of een datum (1990-05-12).
field-end = Einde
field-end-hint = Leeg zolang de stedenband bestaat.
field-status = Status
field-status-since = Status sinds
field-status-since-hint = Een jaar of een datum; leeg betekent vanaf het begin, of vandaag als de status wijzigt.
field-description = Beschrijving
field-predecessors = Voorgangers
field-predecessors-hint = Eén gemeente per regel, met naam of korte naam.
field-effective-on = Datum van de fusie
field-effective-on-hint = De volledige datum, bijvoorbeeld 2002-01-01.
field-event-date = Datum
field-event-date-hint = Een jaar of een datum.
field-event-kind = Wat er gebeurde
field-event-status = Nieuwe status
field-event-status-hint = Alleen bij een statuswijziging.
field-event-text = Beschrijving
field-event-text-hint = Verplicht, behalve bij een statuswijziging.

## Fouten bij velden
error-summary-title = Verbeter het volgende
error-prefix = Fout:
error-required = Dit veld is verplicht.
error-too-long = Dit is te lang.
error-control-characters = Dit bevat tekens die niet kunnen worden opgeslagen.
error-slug-invalid = Gebruik alleen kleine letters, cijfers en enkele koppeltekens.
error-slug-taken = Deze korte naam is al in gebruik.
error-country-unknown = Dit is geen ISO 3166-1-landcode (zoals NL, CZ of PL).
error-date-invalid = Schrijf een jaar (1990) of een datum (1990-05-12).
error-date-full-required = Schrijf een volledige datum, zoals 2002-01-01.
error-year-out-of-range = Het jaar moet tussen 1000 en 2200 liggen.
error-choice-invalid = Kies een van de mogelijkheden.
error-cbs-code-invalid = De CBS-code van een Nederlandse gemeente is GM met vier cijfers (GM1916).
error-official-code-invalid = Gebruik hoogstens 20 letters, cijfers, punten, streepjes of schuine strepen.
error-wikidata-invalid = Een Wikidata-id is Q gevolgd door cijfers (Q727).
error-latitude-range = De breedtegraad moet tussen -90 en 90 liggen.
error-longitude-range = De lengtegraad moet tussen -180 en 180 liggen.
error-coordinates-pair = Geef breedte- en lengtegraad samen.
error-number-invalid = Dit is geen getal.
error-whole-number = Schrijf een geheel getal van nul of meer.
error-population-range = Dat zijn meer inwoners dan welke stad ook heeft.
error-merger-duplicate = Een gemeente staat er twee keer in.
error-merger-self = Een gemeente kan niet met zichzelf fuseren.
error-merger-already-merged = Een van deze gemeenten is al in een andere opgegaan.
error-merger-cycle = Door deze fusie zou een gemeente haar eigen voorganger worden.
error-merger-successor-gone = Deze gemeente was toen zelf al in een andere opgegaan.
error-partner-is-home = Een gemeente kan geen stedenband met zichzelf hebben.
error-private-not-structural = Een particulier initiatief dat niet structureel is, is geen stedenband.
error-private-not-supported = Een particulier initiatief dat de gemeente niet ondersteunt, is geen stedenband.
error-end-before-start = Het einde ligt voor het begin.
error-status-required = Kies de nieuwe status.
error-status-only-on-change = Een status hoort alleen bij een statuswijziging.
error-municipality-unknown = Er staat geen gemeente met deze naam in het register.
error-municipality-ambiguous = Meerdere gemeenten hebben deze naam: gebruik de korte naam (slug).
error-page-invalid = Pagina's tellen vanaf 1.
error-page-size-invalid = De paginagrootte moet tussen 1 en 200 liggen.

## Foutpagina's en API-problemen
error-page-not-found = Pagina niet gevonden
error-page-not-found-text = Op dit adres staat niets. Misschien is de pagina verplaatst, of is het adres verkeerd getypt.
error-page-malformed-text = Het verzoek kon niet worden gelezen.
error-page-internal-text = Er ging aan onze kant iets mis. Er is niets gewijzigd; probeer het later opnieuw.
problem-invalid-title = De invoer is ongeldig
problem-invalid-detail = Een of meer velden zijn ongeldig; er is niets gewijzigd.
problem-not-found-title = Niet gevonden
problem-malformed-title = Het verzoek kon niet worden gelezen
problem-internal-title = Interne fout

## Lijsten
pager-label = Pagina's
pager-prev = Vorige pagina
pager-next = Volgende pagina
pager-position = Pagina { $page } van { $pages }

## Maanden
month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december

## Accounts
login = Inloggen
logout = Uitloggen
logged-in-as = Ingelogd als { $name }
login-title = Inloggen
login-intro = Log in om het register te wijzigen. Lezen kan zonder account.
login-failed = De gebruikersnaam of het wachtwoord klopt niet.
field-username = Gebruikersnaam
field-password = Wachtwoord
account-title = Uw account
account-roles = Rollen
account-no-roles = geen
role-administrator = Beheerder
role-municipal-official = Gemeentelijk medewerker
role-foundation-board = Stichtingsbestuur
role-working-group-member = Werkgroeplid
tokens-title = Persoonlijke toegangssleutels
tokens-intro = Met een sleutel gebruikt een script de API namens u: stuur hem mee als "Authorization: Bearer …". Trek een sleutel in die u niet meer gebruikt.
token-created = Uw nieuwe sleutel wordt alleen nu getoond. Kopieer hem nu:
field-token-name = Naam van de sleutel
token-created-at = Aangemaakt
token-last-used = Laatst gebruikt
token-revoked = Ingetrokken
token-revoke = Intrekken
token-create = Sleutel aanmaken
problem-unauthenticated-title = Log eerst in
problem-forbidden-title = Niet toegestaan
problem-throttled-title = Te veel pogingen
error-page-forbidden-text = Uw account mag dit niet. Denkt u dat dat wel zou moeten, vraag het dan een beheerder.
error-page-throttled-text = Te veel mislukte inlogpogingen. Probeer het over { $minutes } minuten opnieuw.
error-username-invalid = Gebruik 3 tot 64 kleine letters, cijfers, punten, streepjes, lage streepjes of @.
error-username-taken = Deze gebruikersnaam is al in gebruik.
error-password-too-short = Een wachtwoord heeft minstens 12 tekens.
error-password-too-long = Een wachtwoord heeft hoogstens 1024 tekens.
error-password-common = Dit wachtwoord komt te vaak voor; kies een ander.
error-password-contains-username = Een wachtwoord mag de gebruikersnaam niet bevatten.
error-grant-scope-required = Deze rol hoort bij een gemeente, stichting of werkgroep: schrijf rol:bereik.
error-grant-scope-not-allowed = Deze rol hoort niet bij een bereik.

## Audittrail
back = Terug
audit-link = Audittrail
audit-title-partnership = Audittrail van { $home } – { $partner }
audit-title-municipality = Audittrail van { $name }
audit-intro = Elke wijziging en elke geweigerde poging, oudste eerst. Het logboek is een hashketen: `stedenband audit verify` laat zien of er iets is gewijzigd, verwijderd of verplaatst.
audit-none = Hiervoor is nog niets vastgelegd.
audit-when = Wanneer
audit-who = Wie
audit-what = Wat
audit-outcome = Uitkomst
audit-values = Waarden
audit-before = Voor
audit-after = Na
audit-outcome-success = Uitgevoerd
audit-outcome-refused = Geweigerd
error-page-code = Foutcode: { $code } (noem die als u het probleem meldt)

## Second factor
field-code = Code
error-code-invalid = Deze code klopt niet, is verlopen of is al gebruikt.
second-factor-title = Tweede stap van het inloggen
second-factor-intro = Typ de code van zes cijfers die uw authenticator-app nu toont. Hebt u uw telefoon niet bij de hand, typ dan een van uw herstelcodes.
second-factor-code-hint = Zes cijfers uit de app, of een herstelcode zoals abcde-fghij.
second-factor-submit = Inloggen
second-factor-cancel = Annuleren en uitloggen
second-factor-section = Tweede factor
second-factor-on = Inloggen vraagt naast uw wachtwoord een code uit uw authenticator-app.
second-factor-codes-left = U hebt nog { $count } ongebruikte herstelcodes.
second-factor-off = Uw account gebruikt nog geen tweede factor. Een code uit een app op uw telefoon beschermt het account als uw wachtwoord uitlekt.
second-factor-off-required = Uw rol vereist een tweede factor. Stel die nu in; bij de volgende keer inloggen kan het niet meer zonder.
second-factor-set-up = Een tweede factor instellen
second-factor-remove = Tweede factor uitzetten
second-factor-remove-hint = Bevestig met een code uit de app of met een herstelcode.
enrol-title = Een tweede factor instellen
enrol-intro = Gebruik een authenticator-app (bijvoorbeeld een app voor tijdgebonden codes, TOTP) op uw telefoon.
enrol-required = Uw rol vereist een tweede factor. Stel die eerst in; daarna kunt u verder.
enrol-step-qr = Scan deze QR-code met de app.
enrol-qr-label = QR-code met de sleutel voor uw authenticator-app
enrol-step-secret = Of voeg in de app een account toe met deze sleutel (de spaties mogen weg):
enrol-step-uri = Of geef de app dit adres:
enrol-code-hint = Typ de code van zes cijfers die de app nu toont, om te bevestigen dat het werkt.
enrol-submit = Bevestigen
enrol-back = Terug naar uw account
enrol-done = De tweede factor staat aan.
recovery-codes-title = Uw herstelcodes
recovery-codes-intro = Bewaar deze codes op een veilige plek: ze worden maar één keer getoond. Elke code werkt één keer in plaats van een code uit de app, bijvoorbeeld als u uw telefoon kwijt bent.
recovery-codes-continue = Verder naar uw account

## Organisatie
error-email-invalid = Dit is geen e-mailadres.
error-phone-invalid = Schrijf een telefoonnummer: 6 tot 20 cijfers, eventueel met +, spaties, streepjes of haakjes.
error-basis-required = Geef aan op welke grondslag de gegevens worden bewaard: lidmaatschap, toestemming of publieke taak.
error-merger-partner = De opvolger is partner in een stedenband van een van deze gemeenten: hij kan geen stedenband met zichzelf hebben.
error-date-in-future = Een statuswijziging kan niet in de toekomst liggen.
error-status-before-latest = Dit ligt voor de laatste statuswijziging; voeg het dan aan de geschiedenis toe.
error-kvk-invalid = Een KvK-nummer bestaat uit acht cijfers.
error-website-invalid = Schrijf een webadres dat begint met https:// of http://.
error-working-group-partnership-required = Een werkgroep draagt ten minste één stedenband: kies er een.
error-role-not-in-body = Deze rol bestaat hier niet: een stichting heeft bestuursrollen, een werkgroep een voorzitter, leden en contactpersonen.
error-partnership-unknown = Deze stedenband hoort niet bij de gemeente van de stichting.
error-person-unknown = Deze persoon staat niet (meer) bij deze stichting geregistreerd.
error-no-consent = Deze persoon is niet op grond van toestemming geregistreerd.
