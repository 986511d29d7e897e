"""Registering for a gathering: seats, the waiting list, offers."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.attendance": {
        "nb": "Kryss av hvem som kom på en samling: oppmøte 12 (for administratorer)",
        "nn": "Kryss av kven som kom på ei samling: oppmøte 12 (for administratorar)",
        "en": "Tick who came to a gathering: attendance 12 (for admins)",
    },
    "gathering.meeting.join": {
        "nb": "Bli med i Teams-møtet",
        "nn": "Bli med i Teams-møtet",
        "en": "Join the Teams meeting",
    },
    "gathering.open.intro_page": {
        "nb": "Skriv navnet ditt og e-postadressen din. Du får en lenke på e-post, og der melder du deg på.",
        "nn": "Skriv namnet ditt og e-postadressa di. Du får ei lenkje på e-post, og der melder du deg på.",
        "en": "Write your name and your e-mail address. You get a link by e-mail, and you register there.",
    },
    "gathering.open.name": {"nb": "Navn", "nn": "Namn", "en": "Name"},
    "gathering.open.email": {"nb": "E-postadresse", "nn": "E-postadresse", "en": "E-mail address"},
    "gathering.open.kept": {
        "nb": "Vi tar vare på navnet og e-postadressen bare for denne samlingen, og sletter dem {days} dager etter at den har vært.",
        "nn": "Vi tek vare på namnet og e-postadressa berre for denne samlinga, og slettar dei {days} dagar etter at ho har vore.",
        "en": "We keep your name and address for this gathering only, and delete them {days} days after it.",
    },
    "gathering.open.send": {
        "nb": "Send meg lenken",
        "nn": "Send meg lenkja",
        "en": "Send me the link",
    },
    "gathering.open.sent_title": {
        "nb": "Sjekk e-posten din",
        "nn": "Sjekk e-posten din",
        "en": "Check your e-mail",
    },
    "gathering.open.sent": {
        "nb": "Hvis adressen er riktig, får du snart en e-post med lenken der du melder deg på.",
        "nn": "Viss adressa er rett, får du snart ein e-post med lenkja der du melder deg på.",
        "en": "If the address is right, you will soon get an e-mail with the link where you register.",
    },
    "gathering.open.subject": {
        "nb": "Lenken til påmeldingen din",
        "nn": "Lenkja til påmeldinga di",
        "en": "The link to your registration",
    },
    "gathering.open.intro": {
        "nb": "Du ba om å melde deg på «{title}». Trykk på knappen for å melde deg på.",
        "nn": "Du bad om å melde deg på «{title}». Trykk på knappen for å melde deg på.",
        "en": "You asked to register for “{title}”. Press the button to register.",
    },
    "gathering.open.error.name": {
        "nb": "Skriv navnet ditt.",
        "nn": "Skriv namnet ditt.",
        "en": "Write your name.",
    },
    "gathering.evaluation.title": {
        "nb": "Hvordan var «{title}»?",
        "nn": "Korleis var «{title}»?",
        "en": "How was “{title}”?",
    },
    "gathering.evaluation.subject": {
        "nb": "Hvordan var samlingen?",
        "nn": "Korleis var samlinga?",
        "en": "How was the gathering?",
    },
    "gathering.evaluation.intro": {
        "nb": "Takk for at du kom på «{title}». Vil du si hvordan dagen var? Det tar et minutt.",
        "nn": "Takk for at du kom på «{title}». Vil du seie korleis dagen var? Det tek eitt minutt.",
        "en": "Thank you for coming to “{title}”. Will you tell us how the day was? It takes a minute.",
    },
    "gathering.evaluation.open": {
        "nb": "Si hva du syntes",
        "nn": "Sei kva du syntest",
        "en": "Say what you thought",
    },
    "gathering.evaluation.rating": {
        "nb": "Hvor godt likte du dagen?",
        "nn": "Kor godt likte du dagen?",
        "en": "How did you like the day?",
    },
    "gathering.evaluation.rating_5": {"nb": "Svært godt", "nn": "Svært godt", "en": "Very much"},
    "gathering.evaluation.rating_4": {"nb": "Godt", "nn": "Godt", "en": "Well"},
    "gathering.evaluation.rating_3": {"nb": "Middels", "nn": "Middels", "en": "So-so"},
    "gathering.evaluation.rating_2": {"nb": "Lite", "nn": "Lite", "en": "Not much"},
    "gathering.evaluation.rating_1": {"nb": "Svært lite", "nn": "Svært lite", "en": "Not at all"},
    "gathering.evaluation.comment": {
        "nb": "Noe du vil si til de som laget dagen? (valgfritt; ikke skriv helseopplysninger)",
        "nn": "Noko du vil seie til dei som laga dagen? (valfritt; ikkje skriv helseopplysingar)",
        "en": "Anything to tell those who made the day? (optional; no health details)",
    },
    "gathering.evaluation.send": {"nb": "Send", "nn": "Send", "en": "Send"},
    "gathering.evaluation.thanks": {
        "nb": "Takk! Svaret ditt er lagret.",
        "nn": "Takk! Svaret ditt er lagra.",
        "en": "Thank you! Your answer is saved.",
    },
    "gathering.evaluation.error.rating": {
        "nb": "Velg hvor godt du likte dagen (1 til 5).",
        "nn": "Vel kor godt du likte dagen (1 til 5).",
        "en": "Choose how you liked the day (1 to 5).",
    },
    "attendance.title": {
        "nb": "Oppmøte: {title}",
        "nn": "Oppmøte: {title}",
        "en": "Attendance: {title}",
    },
    "attendance.counts": {
        "nb": "{came} av {registered} påmeldte har kommet.",
        "nn": "{came} av {registered} påmelde har kome.",
        "en": "{came} of {registered} registered have come.",
    },
    "attendance.nobody": {
        "nb": "Ingen er påmeldt.",
        "nn": "Ingen er påmelde.",
        "en": "Nobody is registered.",
    },
    "attendance.save": {"nb": "Lagre oppmøte", "nn": "Lagre oppmøte", "en": "Save attendance"},
    "attendance.saved": {
        "nb": "Lagret: {came} krysset av nå, {undone} tatt bort.",
        "nn": "Lagra: {came} kryssa av no, {undone} tekne bort.",
        "en": "Saved: {came} ticked now, {undone} unticked.",
    },
    "attendance.claims": {
        "nb": "{count} brukermedvirkere får honorarkrav for dagen å bekrefte.",
        "nn": "{count} brukarmedverkarar får honorarkrav for dagen å stadfeste.",
        "en": "{count} participants get a fee claim for the day to confirm.",
    },
    "attendance.which": {
        "nb": "Hvilken samling? Skriv «oppmøte» og samlingens nummer, for eksempel «oppmøte 12» (nummeret står i «medvirk gathering list»).",
        "nn": "Kva for ei samling? Skriv «oppmøte» og nummeret til samlinga, til dømes «oppmøte 12» (nummeret står i «medvirk gathering list»).",
        "en": "Which gathering? Write “attendance” and the gathering's number, e.g. “attendance 12” (the number is in “medvirk gathering list”).",
    },
    "gathering.seat.register": {"nb": "Meld meg på", "nn": "Meld meg på", "en": "Register"},
    "gathering.seat.cancel": {
        "nb": "Meld meg av",
        "nn": "Meld meg av",
        "en": "Cancel my registration",
    },
    "gathering.seat.leave": {
        "nb": "Gå av ventelisten",
        "nn": "Gå av ventelista",
        "en": "Leave the waiting list",
    },
    "gathering.seat.accept": {"nb": "Ta plassen", "nn": "Ta plassen", "en": "Take the seat"},
    "gathering.seat.decline": {
        "nb": "Nei takk",
        "nn": "Nei takk",
        "en": "No, thank you",
    },
    "gathering.seat.registered": {
        "nb": "Du er påmeldt. Koden din i døra: **{code}**",
        "nn": "Du er påmeld. Koden din i døra: **{code}**",
        "en": "You are registered. Your code at the door: **{code}**",
    },
    "gathering.seat.waitlisted": {
        "nb": "Det er fullt. Du står som nummer {place} på ventelisten.",
        "nn": "Det er fullt. Du står som nummer {place} på ventelista.",
        "en": "It is full. You are number {place} on the waiting list.",
    },
    "gathering.seat.offered": {
        "nb": "En plass er ledig til deg. Svar innen {until}, ellers går den videre.",
        "nn": "Ein plass er ledig til deg. Svar innan {until}, elles går han vidare.",
        "en": "A seat is free for you. Answer by {until}, or it passes on.",
    },
    "gathering.seat.cancelled": {
        "nb": "Du er meldt av.",
        "nn": "Du er meld av.",
        "en": "Your registration is cancelled.",
    },
    "gathering.seat.declined": {
        "nb": "Plassen går videre. Takk for svar.",
        "nn": "Plassen går vidare. Takk for svar.",
        "en": "The seat passes on. Thank you for answering.",
    },
    "gathering.seat.offer_subject": {
        "nb": "En plass er ledig",
        "nn": "Ein plass er ledig",
        "en": "A seat is free",
    },
    "gathering.q.diet": {
        "nb": "Mathensyn (valgfritt)",
        "nn": "Matomsyn (valfritt)",
        "en": "Dietary needs (optional)",
    },
    "gathering.q.access": {
        "nb": "Behov for tilrettelegging (valgfritt)",
        "nn": "Behov for tilrettelegging (valfritt)",
        "en": "Access needs (optional)",
    },
    "gathering.q.travel": {
        "nb": "Reiser fra (valgfritt)",
        "nn": "Reiser frå (valfritt)",
        "en": "Travelling from (optional)",
    },
    "gathering.q.attend_mode": {
        "nb": "Hvordan deltar du?",
        "nn": "Korleis deltek du?",
        "en": "How will you take part?",
    },
    "gathering.attend.in_person": {"nb": "Fysisk", "nn": "Fysisk", "en": "In person"},
    "gathering.attend.digital": {"nb": "Digitalt", "nn": "Digitalt", "en": "Online"},
    "gathering.error.no_registration": {
        "nb": "Denne samlingen tar ikke imot påmelding her.",
        "nn": "Denne samlinga tek ikkje imot påmelding her.",
        "en": "This gathering takes no registrations here.",
    },
    "gathering.error.closed": {
        "nb": "Påmeldingen er stengt.",
        "nn": "Påmeldinga er stengd.",
        "en": "Registration is closed.",
    },
    "gathering.error.unknown_question": {
        "nb": "Ukjent spørsmål: {question}. Bruk diet, access, travel, attend_mode.",
        "nn": "Ukjent spørsmål: {question}. Bruk diet, access, travel, attend_mode.",
        "en": "Unknown question: {question}. Use diet, access, travel, attend_mode.",
    },
    "gathering.error.attend_mode": {
        "nb": "Velg fysisk eller digitalt.",
        "nn": "Vel fysisk eller digitalt.",
        "en": "Choose in person or online.",
    },
    "gathering.error.not_yours": {
        "nb": "Fant ikke påmeldingen din.",
        "nn": "Fann ikkje påmeldinga di.",
        "en": "Your registration was not found.",
    },
    "gathering.error.offer_expired": {
        "nb": "Tilbudet har gått ut, og plassen er gått videre.",
        "nn": "Tilbodet har gått ut, og plassen har gått vidare.",
        "en": "The offer has expired and the seat has passed on.",
    },
    "gathering.error.registration_registered": {
        "nb": "Du er allerede påmeldt.",
        "nn": "Du er alt påmeld.",
        "en": "You are already registered.",
    },
    "gathering.error.registration_waitlisted": {
        "nb": "Du står på ventelisten.",
        "nn": "Du står på ventelista.",
        "en": "You are on the waiting list.",
    },
    "gathering.error.registration_offered": {
        "nb": "En plass er tilbudt deg.",
        "nn": "Ein plass er tilboden deg.",
        "en": "A seat is offered to you.",
    },
    "gathering.error.registration_cancelled": {
        "nb": "Påmeldingen er avmeldt.",
        "nn": "Påmeldinga er avmeld.",
        "en": "The registration is cancelled.",
    },
    "gathering.error.registration_declined": {
        "nb": "Du takket nei til plassen.",
        "nn": "Du takka nei til plassen.",
        "en": "You declined the seat.",
    },
    "gathering.programme.title": {
        "nb": "Programmet for {title}",
        "nn": "Programmet for {title}",
        "en": "The programme for {title}",
    },
    "gathering.programme.subject": {
        "nb": "Programmet for samlingen du er påmeldt",
        "nn": "Programmet for samlinga du er påmeld",
        "en": "The programme of the gathering you registered for",
    },
    "gathering.programme.pdf": {
        "nb": "Programmet (PDF)",
        "nn": "Programmet (PDF)",
        "en": "The programme (PDF)",
    },
    "gathering.error.programme_sent": {
        "nb": "Programmet er alt sendt.",
        "nn": "Programmet er alt sendt.",
        "en": "The programme has been sent already.",
    },
    "gathering.error.programme_pdf": {
        "nb": "Filen må være en PDF på høyst 5 MB.",
        "nn": "Fila må vere ein PDF på høgst 5 MB.",
        "en": "The file must be a PDF of at most 5 MB.",
    },
    "gathering.error.programme_empty": {
        "nb": "Gi programmet som tekst eller PDF.",
        "nn": "Gi programmet som tekst eller PDF.",
        "en": "Give the programme as text or PDF.",
    },
    "gathering.error.programme_late": {
        "nb": "Programmet må sendes før samlingen starter.",
        "nn": "Programmet må sendast før samlinga startar.",
        "en": "The programme must be sent before the gathering starts.",
    },
    "gathering.page.code_label": {
        "nb": "Koden din i døra",
        "nn": "Koden din i døra",
        "en": "Your code at the door",
    },
    "gathering.page.registered": {
        "nb": "Du er påmeldt. Vis koden under i døra.",
        "nn": "Du er påmeld. Vis koden under i døra.",
        "en": "You are registered. Show the code below at the door.",
    },
    "gathering.page.registered_now": {
        "nb": "Takk, du er påmeldt.",
        "nn": "Takk, du er påmeld.",
        "en": "Thank you, you are registered.",
    },
}
