"""The evaluation of a completed request, and "what your input changed"."""

from __future__ import annotations

_RATING_REQUESTER = {
    "1": ("1 – Svært misfornøyd", "1 – Svært misnøgd", "1 – Very dissatisfied"),
    "2": ("2 – Misfornøyd", "2 – Misnøgd", "2 – Dissatisfied"),
    "3": ("3 – Middels", "3 – Middels", "3 – Neither"),
    "4": ("4 – Fornøyd", "4 – Nøgd", "4 – Satisfied"),
    "5": ("5 – Svært fornøyd", "5 – Svært nøgd", "5 – Very satisfied"),
}
_RATING_PARTICIPANT = {
    "1": ("1 – Ikke i det hele tatt", "1 – Ikkje i det heile", "1 – Not at all"),
    "2": ("2 – Lite", "2 – Lite", "2 – A little"),
    "3": ("3 – Noe", "3 – Noko", "3 – Somewhat"),
    "4": ("4 – Godt", "4 – Godt", "4 – Well"),
    "5": ("5 – Svært godt", "5 – Svært godt", "5 – Very well"),
}

MESSAGES: dict[str, dict[str, str]] = {
    **{
        f"evaluation.rating.requester.{code}": dict(zip(("nb", "nn", "en"), texts, strict=True))
        for code, texts in _RATING_REQUESTER.items()
    },
    **{
        f"evaluation.rating.participant.{code}": dict(zip(("nb", "nn", "en"), texts, strict=True))
        for code, texts in _RATING_PARTICIPANT.items()
    },
    "evaluation.title": {
        "nb": "Evaluering: {title} ({reference})",
        "nn": "Evaluering: {title} ({reference})",
        "en": "Evaluation: {title} ({reference})",
    },
    "evaluation.intro.requester": {
        "nb": "Oppdraget er fullført. Hvordan gikk det med brukermedvirkningen? Det du skriver "
        "om hva innspillene endret, sendes til brukermedvirkerne, så de får vite hva innsatsen "
        "deres betydde.",
        "nn": "Oppdraget er fullført. Korleis gjekk det med brukarmedverknaden? Det du skriv om "
        "kva innspela endra, blir sendt til brukarmedverkarane, så dei får vite kva innsatsen "
        "deira betydde.",
        "en": "The assignment is completed. How did the user involvement go? What you write "
        "about what the input changed is sent to the participants, so they hear what their "
        "work meant.",
    },
    "evaluation.intro.participant": {
        "nb": "Takk for at du deltok! Tre korte spørsmål om hvordan det var for deg.",
        "nn": "Takk for at du deltok! Tre korte spørsmål om korleis det var for deg.",
        "en": "Thank you for taking part! Three short questions about how it was for you.",
    },
    "evaluation.reminder": {
        "nb": "En påminnelse: vi har ikke fått svaret ditt ennå.",
        "nn": "Ei påminning: vi har ikkje fått svaret ditt enno.",
        "en": "A reminder: we have not had your answer yet.",
    },
    "evaluation.field.rating": {
        "nb": "Hvor godt ble du inkludert?",
        "nn": "Kor godt vart du inkludert?",
        "en": "How well were you included?",
    },
    "evaluation.field.rating_requester": {
        "nb": "Hvor fornøyd er du med brukermedvirkningen?",
        "nn": "Kor nøgd er du med brukarmedverknaden?",
        "en": "How satisfied are you with the user involvement?",
    },
    "evaluation.field.impact": {
        "nb": "Hva endret brukermedvirkernes innspill? (høyst 1000 tegn)",
        "nn": "Kva endra innspela frå brukarmedverkarane? (høgst 1000 teikn)",
        "en": "What did the participants' input change? (at most 1000 characters)",
    },
    "evaluation.field.would_use_again": {
        "nb": "Vil du bestille brukermedvirkere igjen?",
        "nn": "Vil du bestille brukarmedverkarar igjen?",
        "en": "Would you order participants again?",
    },
    "evaluation.field.fee_info_clear": {
        "nb": "Var informasjonen om honoraret tydelig?",
        "nn": "Var informasjonen om honoraret tydeleg?",
        "en": "Was the information about the fee clear?",
    },
    "evaluation.field.comment": {
        "nb": "Kommentar (valgfritt, høyst 1000 tegn)",
        "nn": "Kommentar (valfritt, høgst 1000 teikn)",
        "en": "Comment (optional, at most 1000 characters)",
    },
    "evaluation.answer.yes": {"nb": "Ja", "nn": "Ja", "en": "Yes"},
    "evaluation.answer.no": {"nb": "Nei", "nn": "Nei", "en": "No"},
    "evaluation.no_identity_number": {
        "nb": "Ikke skriv fødselsnummer eller helseopplysninger.",
        "nn": "Ikkje skriv fødselsnummer eller helseopplysningar.",
        "en": "Do not write identity numbers or health details.",
    },
    "evaluation.send": {"nb": "Send svaret", "nn": "Send svaret", "en": "Send the answer"},
    "evaluation.thanks": {
        "nb": "Takk for svaret!",
        "nn": "Takk for svaret!",
        "en": "Thank you for your answer!",
    },
    "evaluation.error.rating": {
        "nb": "Velg et tall fra 1 til 5.",
        "nn": "Vel eit tal frå 1 til 5.",
        "en": "Choose a number from 1 to 5.",
    },
    "evaluation.error.yes_no": {
        "nb": "Svar ja eller nei.",
        "nn": "Svar ja eller nei.",
        "en": "Answer yes or no.",
    },
    "evaluation.error.not_yours": {
        "nb": "Denne evalueringen er ikke din.",
        "nn": "Denne evalueringa er ikkje di.",
        "en": "This evaluation is not yours.",
    },
    "evaluation.open": {
        "nb": "Svar på tre spørsmål",
        "nn": "Svar på tre spørsmål",
        "en": "Answer three questions",
    },
    "impact.title": {
        "nb": "Dette endret innspillet ditt: {title}",
        "nn": "Dette endra innspelet ditt: {title}",
        "en": "What your input changed: {title}",
    },
    "impact.intro": {
        "nb": "Den som bestilte oppdraget, skriver dette om hva innspillene endret:",
        "nn": "Den som bestilte oppdraget, skriv dette om kva innspela endra:",
        "en": "The person who ordered the assignment writes this about what the input changed:",
    },
    "impact.label": {"nb": "Hva som endret seg", "nn": "Kva som endra seg", "en": "What changed"},
    "impact.thanks": {
        "nb": "Takk for at du bidro!",
        "nn": "Takk for at du bidrog!",
        "en": "Thank you for your contribution!",
    },
}
