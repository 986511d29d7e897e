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
    # The owner's question to a commissioner outside the hospital.
    "channel.button.ask": {
        "nb": "Spør bestilleren",
        "nn": "Spør bestillaren",
        "en": "Ask the requester",
    },
    "channel.input.question": {
        "nb": "Spørsmålet (går på e-post; svaret kommer til din e-post)",
        "nn": "Spørsmålet (går på e-post; svaret kjem til e-posten din)",
        "en": "The question (sent by e-mail; the answer comes to your e-mail)",
    },
    "channel.button.ask_send": {"nb": "Send spørsmålet", "nn": "Send spørsmålet", "en": "Send"},
    "channel.asked": {
        "nb": "Spørsmålet er sendt til bestilleren.",
        "nn": "Spørsmålet er sendt til bestillaren.",
        "en": "The question was sent to the requester.",
    },
    "ask.error.empty": {
        "nb": "Skriv spørsmålet.",
        "nn": "Skriv spørsmålet.",
        "en": "Write the question.",
    },
    "ask.error.not_owner": {
        "nb": "Bare den som har bestillingen ({owner}) eller en admin kan spørre bestilleren.",
        "nn": "Berre den som har bestillinga ({owner}) eller ein admin kan spørje bestillaren.",
        "en": "Only the request's owner ({owner}) or an admin can ask the requester.",
    },
    "ask.error.closed": {
        "nb": "Bestillingen er avsluttet.",
        "nn": "Bestillinga er avslutta.",
        "en": "The request is closed.",
    },
    "ask.subject": {
        "nb": "Spørsmål om bestillingen din",
        "nn": "Spørsmål om bestillinga di",
        "en": "A question about your request",
    },
    "ask.text": {
        "nb": "{owner} har et spørsmål om {reference} «{title}»: {question}",
        "nn": "{owner} har eit spørsmål om {reference} «{title}»: {question}",
        "en": "{owner} has a question about {reference} “{title}”: {question}",
    },
    "ask.reply_hint": {
        "nb": "Svar ved å svare på denne e-posten.",
        "nn": "Svar ved å svare på denne e-posten.",
        "en": "Answer by replying to this e-mail.",
    },
}
