"""Units: the register of who orders, its question in the order dialog, and
what a unit's contact is told."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "units.error.bad_code": {
        "nb": "«{code}» kan ikke være en kode: bruk 1–40 bokstaver (a–z), sifre, _ . eller bindestrek.",
        "nn": "«{code}» kan ikkje vere ein kode: bruk 1–40 bokstavar (a–z), siffer, _ . eller bindestrek.",
        "en": "“{code}” cannot be a code: use 1–40 letters (a–z), digits, _ . or hyphens.",
    },
    "units.error.no_name": {
        "nb": "Enheten mangler navn på bokmål.",
        "nn": "Eininga manglar namn på bokmål.",
        "en": "The unit has no name in bokmål.",
    },
    "units.error.name_too_long": {
        "nb": "Navnet kan være høyst {max} tegn.",
        "nn": "Namnet kan vere høgst {max} teikn.",
        "en": "The name can be at most {max} characters.",
    },
    "units.error.bad_contact": {
        "nb": "Kontakten må være en e-postadresse eller en AAD-objekt-ID.",
        "nn": "Kontakten må vere ei e-postadresse eller ein AAD-objekt-ID.",
        "en": "The contact must be an e-mail address or an AAD object id.",
    },
    "units.error.taken": {
        "nb": "Det finnes allerede en enhet med koden «{code}».",
        "nn": "Det finst alt ei eining med koden «{code}».",
        "en": "There is already a unit with the code “{code}”.",
    },
    "units.error.unknown": {
        "nb": "Det finnes ingen enhet med koden «{code}». `medvirk units list` viser dem.",
        "nn": "Det finst inga eining med koden «{code}». `medvirk units list` viser dei.",
        "en": "There is no unit with the code “{code}”. `medvirk units list` shows them.",
    },
    "units.error.twice": {
        "nb": "Koden «{code}» står også på linje {line}.",
        "nn": "Koden «{code}» står òg på linje {line}.",
        "en": "The code “{code}” is on line {line} too.",
    },
    "units.error.columns": {
        "nb": "Filen mangler kolonnene {columns} i første linje.",
        "nn": "Fila manglar kolonnane {columns} i første linje.",
        "en": "The file's first line lacks the columns {columns}.",
    },
    "units.error.not_in_register": {
        "nb": "Den enheten finner jeg ikke. Skriv koden eller navnet, eller «annen: <navn>» for en enhet som ikke står i listen.",
        "nn": "Den eininga finn eg ikkje. Skriv koden eller namnet, eller «anna: <namn>» for ei eining som ikkje står i lista.",
        "en": "I cannot find that unit. Type its code or name, or “other: <name>” for a unit not in the list.",
    },
    # -- the order dialog's question -----------------------------------------------------------
    "units.choice.other": {
        "nb": "Annen enhet (skriv navnet under)",
        "nn": "Anna eining (skriv namnet under)",
        "en": "Another unit (type its name below)",
    },
    "units.placeholder.search": {
        "nb": "Søk etter klinikk eller avdeling",
        "nn": "Søk etter klinikk eller avdeling",
        "en": "Search for a clinic or department",
    },
    "units.label.other": {
        "nb": "Annen enhet: navnet",
        "nn": "Anna eining: namnet",
        "en": "Another unit: its name",
    },
    "units.hint.choose": {
        "nb": "Velg fra listen, eller skriv koden eller navnet som svar.",
        "nn": "Vel frå lista, eller skriv koden eller namnet som svar.",
        "en": "Choose from the list, or type its code or name as your answer.",
    },
    # -- what the unit's contact is told ---------------------------------------------------------
    "units.notice.submitted": {
        "nb": "Ny bestilling av brukermedvirkning fra {unit}: {reference} «{title}». Mottaket {desk} tar den videre.",
        "nn": "Ny bestilling av brukarmedverknad frå {unit}: {reference} «{title}». Mottaket {desk} tek ho vidare.",
        "en": "A new request for user involvement from {unit}: {reference} “{title}”. The desk {desk} takes it on.",
    },
    "units.notice.matched": {
        "nb": "Bestillingen {reference} «{title}» fra {unit} har fått brukermedvirkere.",
        "nn": "Bestillinga {reference} «{title}» frå {unit} har fått brukarmedverkarar.",
        "en": "The request {reference} “{title}” from {unit} has its user representatives.",
    },
    "units.mail.subject": {
        "nb": "Bestilling av brukermedvirkning fra enheten din",
        "nn": "Bestilling av brukarmedverknad frå eininga di",
        "en": "A request for user involvement from your unit",
    },
    "units.mail.submitted": {
        "nb": "Enheten din har sendt bestillingen {reference}. Du får vite når den har fått brukermedvirkere.",
        "nn": "Eininga di har sendt bestillinga {reference}. Du får vite når ho har fått brukarmedverkarar.",
        "en": "Your unit has sent the request {reference}. You will hear when it has its user representatives.",
    },
    "units.mail.matched": {
        "nb": "Bestillingen {reference} fra enheten din har fått brukermedvirkere.",
        "nn": "Bestillinga {reference} frå eininga di har fått brukarmedverkarar.",
        "en": "The request {reference} from your unit has its user representatives.",
    },
}
