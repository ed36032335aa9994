# Stedenband, English. Every key here has a Dutch twin in ../nl/main.ftl (a test checks both).

## Layout
skip-to-content = Skip to content
nav-label = Main menu
nav-municipalities = Municipalities
nav-partnerships = Partnerships
nav-language = Language
footer-text = Stedenband: the register of town twinnings
footer-api = API (OpenAPI)
back-home = Back to the start page
edit = Edit
save = Save
cancel = Cancel
choose = Choose…
required = required
search = Search
search-label = Name
all-countries = All countries

## Start page
home-title = Town twinnings
home-intro = The register of partnerships between towns: who is twinned with whom, since when, and what happened since.
home-empty = The register is still empty. Start by adding a municipality.
home-list-title = Municipalities with partnerships

## Municipalities
municipalities-title = Municipalities
municipalities-none = No municipality matches.
municipalities-count = { $count ->
    [one] One municipality
   *[other] { $count } municipalities
}
municipality-add = Add a municipality
municipality-new-title = New municipality
municipality-edit-title = Edit { $name }
place-kind-municipality = Municipality
place-kind-region = Region
lineage-title = Lineage
lineage-none = No mergers are recorded for this municipality.
lineage-formed-from = Formed by the merger of:
lineage-merged-into = On { $date } merged into
merger-add = Record a merger into this municipality
merger-title = Merger into { $name }
merger-intro = Name the municipalities that merged into { $name }, and the date the merger took effect. Their partnerships carry over to { $name }.

## Partnerships
partnerships-title = Partnerships
partnerships-none = No partnerships are registered.
partnerships-of = Partnerships of { $name }
partnerships-count = { $count ->
    [one] One partnership
   *[other] { $count } partnerships
}
partnership-add = Add a partnership
partnership-new-title = New partnership
partnership-edit-title = Edit partnership { $home } – { $partner }
col-partner = Partner
col-partnership = Partnership
col-since = Since
col-entered-by = Entered by
col-held-by = Held by
held-since-short = until { $date }
held-by-since = { $name }, since { $date }
kind-formalised = Formalised bond
kind-friendship = Friendship bond
kind-project-based = Project-based cooperation
initiator-local-government = Local government
initiator-private-initiative = Private initiative
status-active = Active
status-civil-society-only = Carried by civil society only
status-dormant = Dormant
status-ended = Ended
status-none = (no status change)
history-title = History
history-none = No history has been recorded yet.
event-add-title = Add to the history
event-add = Add
event-kind-first-contact = First contact
event-kind-signing = Signing
event-kind-mayoral-visit = Mayor's visit
event-kind-visit = Visit
event-kind-status-change = Status change
event-kind-anniversary = Anniversary
event-kind-other = Other

## Fields
field-name = Name
field-slug = Short name in addresses (slug)
field-slug-hint = Lower-case letters, digits and hyphens. Left empty, it is made from the name.
field-place-kind = Kind
field-country = Country
field-region = Region
field-official-code = Official code
field-official-code-hint = For Dutch municipalities the CBS code, for example GM1916.
field-wikidata = Wikidata
field-wikidata-hint = The item's id, for example Q727.
field-coordinates = Coordinates
field-latitude = Latitude
field-latitude-hint = Degrees, for example 52.0833. Give latitude and longitude together.
field-longitude = Longitude
field-population = Population
field-home = Home municipality
field-home-hint = The municipality that entered the partnership: its name or short name.
field-partner = Partner municipality or region
field-partner-hint = Its name or short name; add it to the register first if it is not there.
field-partnership-kind = Kind of bond
field-initiator = Started by
field-structural = The private initiative is structural
field-structural-hint = Only for a private initiative: it counts as a partnership only when it is structural and supported by the municipality.
field-supported = The private initiative is supported by the municipality
field-start = Start
field-start-hint = A year (1990) or a date (1990-05-12).
field-end = End
field-end-hint = Empty while the partnership lasts.
field-status = Status
field-status-since = Status since
field-status-since-hint = A year or a date; empty means from the start, or today when the status changes.
field-description = Description
field-predecessors = Predecessors
field-predecessors-hint = One municipality per line, by name or short name.
field-effective-on = Date of the merger
field-effective-on-hint = The full date, for example 2002-01-01.
field-event-date = Date
field-event-date-hint = A year or a date.
field-event-kind = What happened
field-event-status = New status
field-event-status-hint = Only for a status change.
field-event-text = Description
field-event-text-hint = Required, except for a status change.

## Errors next to fields
error-summary-title = Please correct the following
error-prefix = Error:
error-required = This field is required.
error-too-long = This is too long.
error-control-characters = This contains characters that cannot be stored.
error-slug-invalid = Use lower-case letters, digits and single hyphens only.
error-slug-taken = This short name is already in use.
error-country-unknown = This is not an ISO 3166-1 country code (such as NL, CZ or PL).
error-date-invalid = Write a year (1990) or a date (1990-05-12).
error-date-full-required = Write a full date, such as 2002-01-01.
error-year-out-of-range = The year must lie between 1000 and 2200.
error-choice-invalid = Choose one of the options.
error-cbs-code-invalid = A Dutch municipality's CBS code is GM followed by four digits (GM1916).
error-official-code-invalid = Use up to 20 letters, digits, dots, dashes or slashes.
error-wikidata-invalid = A Wikidata id is Q followed by digits (Q727).
error-latitude-range = Latitude must lie between -90 and 90.
error-longitude-range = Longitude must lie between -180 and 180.
error-coordinates-pair = Give latitude and longitude together.
error-number-invalid = This is not a number.
error-whole-number = Write a whole number of zero or more.
error-population-range = This is more than any town has.
error-merger-duplicate = A municipality is named twice.
error-merger-self = A municipality cannot merge into itself.
error-merger-already-merged = One of these municipalities has already merged into another.
error-merger-cycle = This merger would make a municipality its own predecessor.
error-merger-successor-gone = This municipality had itself merged away by then.
error-partner-is-home = A municipality cannot be twinned with itself.
error-private-not-structural = A private initiative that is not structural is not a partnership.
error-private-not-supported = A private initiative that the municipality does not support is not a partnership.
error-end-before-start = The end lies before the start.
error-status-required = Choose the new status.
error-status-only-on-change = A status belongs only to a status change.
error-municipality-unknown = No municipality by this name is in the register.
error-municipality-ambiguous = Several municipalities have this name: use the short name (slug).
error-page-invalid = Pages are counted from 1.
error-page-size-invalid = The page size must lie between 1 and 200.

## Error pages and API problems
error-page-not-found = Page not found
error-page-not-found-text = There is nothing at this address. It may have been moved, or the address is mistyped.
error-page-malformed-text = The request could not be read.
error-page-internal-text = Something went wrong on our side. Nothing was changed; please try again later.
problem-invalid-title = The input is invalid
problem-invalid-detail = One or more fields are invalid; nothing was changed.
problem-not-found-title = Not found
problem-malformed-title = The request could not be read
problem-internal-title = Internal error

## Lists
pager-label = Pages
pager-prev = Previous page
pager-next = Next page
pager-position = Page { $page } of { $pages }

## Months
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Accounts
login = Log in
logout = Log out
logged-in-as = Logged in as { $name }
login-title = Log in
login-intro = Log in to change the register. Reading it needs no account.
login-failed = The user name or the password is wrong.
field-username = User name
field-password = Password
account-title = Your account
account-roles = Roles
account-no-roles = none
role-administrator = Administrator
role-municipal-official = Municipal official
role-foundation-board = Foundation board
role-working-group-member = Working-group member
tokens-title = Personal access tokens
tokens-intro = A token lets a script use the API on your behalf: send it as "Authorization: Bearer …". Revoke a token you no longer use.
token-created = Your new token is shown only this once. Copy it now:
field-token-name = Name of the token
token-created-at = Created
token-last-used = Last used
token-revoked = Revoked
token-revoke = Revoke
token-create = Create a token
problem-unauthenticated-title = Log in first
problem-forbidden-title = Not allowed
problem-throttled-title = Too many attempts
error-page-forbidden-text = Your account may not do this. If you think it should, ask an administrator.
error-page-throttled-text = Too many failed logins. Try again in { $minutes } minutes.
error-username-invalid = Use 3 to 64 lower-case letters, digits, dots, dashes, underscores or @.
error-username-taken = This user name is already in use.
error-password-too-short = A password needs at least 12 characters.
error-password-too-long = A password can have at most 1024 characters.
error-password-common = This password is too common; choose another.
error-password-contains-username = A password must not contain the user name.
error-grant-scope-required = This role needs a scope, written as role:scope.
error-grant-scope-not-allowed = This role has no scope.

## Audit trail
back = Back
audit-link = Audit trail
audit-title-partnership = Audit trail of { $home } – { $partner }
audit-title-municipality = Audit trail of { $name }
audit-intro = Every change and every refused attempt, oldest first. The log is a hash chain: `stedenband audit verify` shows whether any entry was edited, removed or reordered.
audit-none = Nothing has been recorded for this yet.
audit-when = When
audit-who = Who
audit-what = What
audit-outcome = Outcome
audit-values = Values
audit-before = Before
audit-after = After
audit-outcome-success = Done
audit-outcome-refused = Refused
error-page-code = Error code: { $code } (quote it when you report the problem)

## Second factor
field-code = Code
error-code-invalid = This code is wrong, has expired or has been used already.
second-factor-title = Second step of logging in
second-factor-intro = Type the six-digit code your authenticator app shows now. If you do not have your phone at hand, type one of your recovery codes.
second-factor-code-hint = Six digits from the app, or a recovery code such as abcde-fghij.
second-factor-submit = Log in
second-factor-cancel = Cancel and log out
second-factor-section = Second factor
second-factor-on = Logging in asks for a code from your authenticator app besides your password.
second-factor-codes-left = You have { $count } unused recovery codes left.
second-factor-off = Your account does not use a second factor yet. A code from an app on your phone protects the account if your password leaks.
second-factor-off-required = Your role requires a second factor. Set it up now; the next login will not work without it.
second-factor-set-up = Set up a second factor
second-factor-remove = Turn the second factor off
second-factor-remove-hint = Confirm with a code from the app or with a recovery code.
enrol-title = Set up a second factor
enrol-intro = Use an authenticator app (one for time-based codes, TOTP) on your phone.
enrol-required = Your role requires a second factor. Set it up first; then you can go on.
enrol-step-qr = Scan this QR code with the app.
enrol-qr-label = QR code with the key for your authenticator app
enrol-step-secret = Or, in the app, add an account with this key (the spaces may be left out):
enrol-step-uri = Or give the app this address:
enrol-code-hint = Type the six-digit code the app shows now, to confirm that it works.
enrol-submit = Confirm
enrol-back = Back to your account
enrol-done = The second factor is on.
recovery-codes-title = Your recovery codes
recovery-codes-intro = Keep these codes somewhere safe: they are shown only this once. Each code works once instead of a code from the app, for instance when you have lost your phone.
recovery-codes-continue = Go on to your account

## Organisation
error-email-invalid = This is not an e-mail address.
error-phone-invalid = Write a telephone number: 6 to 20 digits, with +, spaces, dashes or brackets if you like.
error-basis-required = Say on what lawful basis the data is kept: membership, consent or public task.
error-merger-partner = The successor is the partner of one of these municipalities' partnerships: it cannot hold a partnership with itself.
error-date-in-future = A status change cannot lie in the future.
error-status-before-latest = This lies before the latest status change; add it to the history instead.
error-kvk-invalid = A KvK (Chamber of Commerce) number has eight digits.
error-website-invalid = Write a web address starting with https:// or http://.
error-working-group-partnership-required = A working group carries at least one partnership: choose one.
error-role-not-in-body = This role does not exist here: a foundation has board roles, a working group a chair, members and contacts.
error-partnership-unknown = This partnership is not one of the foundation's municipality.
error-person-unknown = This person is not (or no longer) recorded with this foundation.
error-no-consent = This person is not recorded on the basis of consent.
