"""E-mails and the small answer pages their links open."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "error.encoded_word": {
        "nb": "Teksten inneholder en e-postkode (som begynner med =? og slutter med ?=). "
        "Skriv den med vanlige tegn.",
        "nn": "Teksten inneheld ein e-postkode (som byrjar med =? og sluttar med ?=). "
        "Skriv han med vanlege teikn.",
        "en": "The text contains an e-mail code (starting with =? and ending with ?=). "
        "Please write it in plain characters.",
    },
    "mail.org": {
        "nb": "Brukermedvirkning i Helse Bergen og Alrek helseklynge",
        "nn": "Brukarmedverknad i Helse Bergen og Alrek helseklynge",
        "en": "User involvement at Helse Bergen and Alrek helseklynge",
    },
    # Subjects and first lines of e-mail to participants and contacts: only the
    # kind of message. The assignment, its unit and anything that could hint at
    # someone's health sit behind the link (outside mailboxes, lock screens).
    "mail.subject.invitation": {
        "nb": "Invitasjon til et oppdrag som brukermedvirker",
        "nn": "Invitasjon til eit oppdrag som brukarmedverkar",
        "en": "An invitation to an assignment as a user representative",
    },
    "mail.subject.invitation_ended": {
        "nb": "Invitasjonen gjelder ikke lenger",
        "nn": "Invitasjonen gjeld ikkje lenger",
        "en": "The invitation no longer applies",
    },
    "mail.subject.documents": {
        "nb": "Avtale og taushetserklæring å signere",
        "nn": "Avtale og teieplikterklæring å signere",
        "en": "An agreement and a confidentiality declaration to sign",
    },
    "mail.subject.claim": {
        "nb": "Honorar til bekreftelse",
        "nn": "Honorar til stadfesting",
        "en": "Your fee to confirm",
    },
    "mail.subject.evaluation": {
        "nb": "Hvordan var det å delta?",
        "nn": "Korleis var det å delta?",
        "en": "How was it to take part?",
    },
    "mail.subject.impact": {
        "nb": "Dette endret innspillet ditt",
        "nn": "Dette endra innspelet ditt",
        "en": "What your input changed",
    },
    "mail.subject.gathering": {
        "nb": "Påminnelse om en samling",
        "nn": "Påminning om ei samling",
        "en": "A reminder about a gathering",
    },
    "mail.subject.gathering_register": {
        "nb": "Husk påmeldingen til en samling",
        "nn": "Hugs påmeldinga til ei samling",
        "en": "Remember to register for a gathering",
    },
    "mail.subject.survey": {
        "nb": "Påminnelse om en spørreundersøkelse",
        "nn": "Påminning om ei spørjeundersøking",
        "en": "A reminder about a survey",
    },
    "mail.invitation_intro": {
        "nb": "Du er spurt om å være brukermedvirker i et oppdrag. Åpne lenken for å lese om det, "
        "og svar ja eller nei innen {expires}.",
        "nn": "Du er spurd om å vere brukarmedverkar i eit oppdrag. Opne lenkja for å lese om det, "
        "og svar ja eller nei innan {expires}.",
        "en": "You are asked to take part in an assignment as a user representative. Open the "
        "link to read about it, and answer yes or no by {expires}.",
    },
    "mail.invitation_filled": {
        "nb": "Plassene i oppdraget du ble invitert til, er fylt, så invitasjonen gjelder ikke "
        "lenger. Takk for at du ville bidra!",
        "nn": "Plassane i oppdraget du vart invitert til, er fylte, så invitasjonen gjeld ikkje "
        "lenger. Takk for at du ville bidra!",
        "en": "The places in the assignment you were invited to are filled, so the invitation "
        "no longer applies. Thank you for wanting to help!",
    },
    "mail.invitation_cancelled": {
        "nb": "Oppdraget du ble invitert til, blir ikke noe av, så invitasjonen gjelder ikke "
        "lenger. Takk for at du ville bidra!",
        "nn": "Oppdraget du vart invitert til, blir ikkje noko av, så invitasjonen gjeld ikkje "
        "lenger. Takk for at du ville bidra!",
        "en": "The assignment you were invited to will not go ahead, so the invitation no "
        "longer applies. Thank you for wanting to help!",
    },
    "mail.claim_intro": {
        "nb": "Takk for innsatsen! Bestilleren har registrert møtene og timene dine. Åpne lenken, "
        "se over tallene og bekreft, så sendes honorarkravet til lønn.",
        "nn": "Takk for innsatsen! Bestillaren har registrert møta og timane dine. Opne lenkja, "
        "sjå over tala og stadfest, så blir honorarkravet sendt til løn.",
        "en": "Thank you for your work! The requester has filed your meetings and hours. Open "
        "the link, check the figures and confirm, and the fee claim goes to payroll.",
    },
    "mail.reminder_what": {"nb": "Gjelder", "nn": "Gjeld", "en": "About"},
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
