"""E-mails and the small answer pages their links open."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "mail.org": {
        "nb": "Brukermedvirkning i Helse Bergen og Alrek helseklynge",
        "nn": "Brukarmedverknad i Helse Bergen og Alrek helseklynge",
        "en": "User involvement at Helse Bergen and Alrek helseklynge",
    },
    "mail.greeting": {"nb": "Hei {name},", "nn": "Hei {name},", "en": "Hello {name},"},
    "mail.greeting_anonymous": {"nb": "Hei,", "nn": "Hei,", "en": "Hello,"},
    "mail.gathering_intro": {
        "nb": "Dette er en påminnelse om en samling du er invitert til.",
        "nn": "Dette er ei påminning om ei samling du er invitert til.",
        "en": "This is a reminder about a gathering you are invited to.",
    },
    "mail.register_intro": {
        "nb": "Husk å melde deg på innen fristen.",
        "nn": "Hugs å melde deg på innan fristen.",
        "en": "Please remember to register before the deadline.",
    },
    "mail.survey_intro": {
        "nb": "Vi vil gjerne høre hva du mener. Undersøkelsen tar bare noen minutter.",
        "nn": "Vi vil gjerne høyre kva du meiner. Undersøkinga tek berre nokre minutt.",
        "en": "We would like to hear what you think. The survey takes only a few minutes.",
    },
    "mail.rsvp_question": {
        "nb": "Kommer du? Trykk på ett av valgene:",
        "nn": "Kjem du? Trykk på eitt av vala:",
        "en": "Are you coming? Choose one:",
    },
    "mail.calendar_attached": {
        "nb": "Samlingen ligger vedlagt som kalenderfil.",
        "nn": "Samlinga ligg vedlagd som kalenderfil.",
        "en": "The gathering is attached as a calendar file.",
    },
    "mail.answered_hint": {
        "nb": "Når du har svart, trykk her, så slipper du flere påminnelser:",
        "nn": "Når du har svart, trykk her, så slepp du fleire påminningar:",
        "en": "Once you have answered, press here and you will get no more reminders:",
    },
    "mail.why": {
        "nb": "Du får denne e-posten fordi du er registrert for påminnelser om "
        "brukermedvirkning. Svar på denne e-posten hvis du ikke vil ha flere.",
        "nn": "Du får denne e-posten fordi du er registrert for påminningar om "
        "brukarmedverknad. Svar på denne e-posten om du ikkje vil ha fleire.",
        "en": "You get this e-mail because you are signed up for reminders about user "
        "involvement. Reply to this e-mail if you want no more of them.",
    },
    "page.confirm_rsvp_yes": {
        "nb": "Bekreft at du kommer på «{title}».",
        "nn": "Stadfest at du kjem på «{title}».",
        "en": "Please confirm that you are coming to “{title}”.",
    },
    "page.confirm_rsvp_no": {
        "nb": "Bekreft at du ikke kommer på «{title}».",
        "nn": "Stadfest at du ikkje kjem på «{title}».",
        "en": "Please confirm that you are not coming to “{title}”.",
    },
    "page.confirm_answered": {
        "nb": "Bekreft at du har svart på «{title}».",
        "nn": "Stadfest at du har svart på «{title}».",
        "en": "Please confirm that you have answered “{title}”.",
    },
    "page.confirm": {"nb": "Bekreft", "nn": "Stadfest", "en": "Confirm"},
    "page.done": {"nb": "Registrert", "nn": "Registrert", "en": "Saved"},
    "page.bad_link": {
        "nb": "Lenken virker ikke. Den kan være ufullstendig; prøv å åpne den fra e-posten igjen.",
        "nn": "Lenkja verkar ikkje. Ho kan vere ufullstendig; prøv å opne ho frå e-posten igjen.",
        "en": "This link does not work. It may be incomplete; try opening it from the e-mail "
        "again.",
    },
    "page.expired_link": {
        "nb": "Lenken er utløpt. Ta kontakt med brukermedvirkning om du trenger hjelp.",
        "nn": "Lenkja har gått ut. Ta kontakt med brukarmedverknad om du treng hjelp.",
        "en": "This link has expired. Please contact the user involvement team if you need help.",
    },
    "page.stale_form": {
        "nb": "Siden var åpen for lenge. Åpne lenken fra e-posten igjen og bekreft på nytt.",
        "nn": "Sida var open for lenge. Opne lenkja frå e-posten igjen og stadfest på nytt.",
        "en": "This page was open too long. Open the link from the e-mail again and confirm "
        "once more.",
    },
    "page.title_error": {"nb": "Noe er galt", "nn": "Noko er gale", "en": "Something is wrong"},
}
