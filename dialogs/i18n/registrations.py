"""Registering for a gathering: seats, the waiting list, offers."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cmd.attendance": {
        "nb": "Kryss av hvem som kom på en samling: oppmøte 12 (for administratorer)",
        "nn": "Kryss av kven som kom på ei samling: oppmøte 12 (for administratorar)",
        "en": "Tick who came to a gathering: attendance 12 (for admins)",
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
