"""Commissioners outside the hospital: their organisation, and who pays."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "commissioner.error.org_name": {
        "nb": "Skriv navnet på virksomheten som bestiller.",
        "nn": "Skriv namnet på verksemda som bestiller.",
        "en": "Write the name of the organisation that orders.",
    },
    "commissioner.error.org_number": {
        "nb": "Organisasjonsnummeret stemmer ikke: det har 9 sifre, og det siste er et "
        "kontrollsiffer. Sjekk det i Enhetsregisteret, eller la feltet stå tomt.",
        "nn": "Organisasjonsnummeret stemmer ikkje: det har 9 siffer, og det siste er eit "
        "kontrollsiffer. Sjekk det i Einingsregisteret, eller la feltet stå tomt.",
        "en": "The organisation number does not add up: it has 9 digits, the last a check "
        "digit. Check it in the Central Coordinating Register, or leave the field empty.",
    },
    "commissioner.error.invoice_email": {
        "nb": "Fakturaadressen må være en e-postadresse, for eksempel faktura@kommune.no.",
        "nn": "Fakturaadressa må vere ei e-postadresse, til dømes faktura@kommune.no.",
        "en": "The invoice address must be an e-mail address, such as invoice@example.org.",
    },
    "commissioner.error.invoice_to": {
        "nb": "Skriv hvor fakturaen skal: en e-postadresse eller en postadresse.",
        "nn": "Skriv kvar fakturaen skal: ei e-postadresse eller ei postadresse.",
        "en": "Write where the invoice should go: an e-mail address or a postal address.",
    },
    "commissioner.error.too_long": {
        "nb": "Feltet kan være høyst {max} tegn.",
        "nn": "Feltet kan vere høgst {max} teikn.",
        "en": "The field can be at most {max} characters.",
    },
    "commissioner.error.name": {
        "nb": "Skriv navnet ditt.",
        "nn": "Skriv namnet ditt.",
        "en": "Write your name.",
    },
    # The lines of a desk's monthly invoice to a commissioner: by the request's
    # reference, never a participant's name or what the assignment was about.
    "invoice.line.fee": {
        "nb": "Honorar til brukermedvirker, {reference}",
        "nn": "Honorar til brukarmedverkar, {reference}",
        "en": "Fee to user representative, {reference}",
    },
    "invoice.line.travel": {
        "nb": "Reiseutgifter, {reference}",
        "nn": "Reiseutgifter, {reference}",
        "en": "Travel costs, {reference}",
    },
    "invoice.line.lost_earnings": {
        "nb": "Tapt arbeidsinntekt, {reference}",
        "nn": "Tapt arbeidsinntekt, {reference}",
        "en": "Lost earnings, {reference}",
    },
    "invoice.line.assignments": {
        "nb": "Formidling og oppfølging av brukermedvirkere, per oppdrag",
        "nn": "Formidling og oppfølging av brukarmedverkarar, per oppdrag",
        "en": "Finding and following up user representatives, per assignment",
    },
    "invoice.line.hours": {
        "nb": "Koordinering, per time brukermedvirkning",
        "nn": "Koordinering, per time brukarmedverknad",
        "en": "Coordination, per hour of user involvement",
    },
}
