"""The fee claim: the requester's form, the participant's confirmation, the PDF
payroll receives, and the CLI's words."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "claim.form.title": {
        "nb": "Honorar for {name} ({reference})",
        "nn": "Honorar for {name} ({reference})",
        "en": "Fee for {name} ({reference})",
    },
    "claim.form.intro": {
        "nb": "Oppdraget er fullført. Fyll inn hvor mange møter og timer brukermedvirkeren "
        "deltok i, og reiseutgifter. Honoraret regnes ut etter satsene ({rates}), og "
        "brukermedvirkeren bekrefter tallene før kravet går til lønn.",
        "nn": "Oppdraget er fullført. Fyll inn kor mange møte og timar brukarmedverkaren "
        "deltok i, og reiseutgifter. Honoraret blir rekna ut etter satsane ({rates}), og "
        "brukarmedverkaren stadfestar tala før kravet går til løn.",
        "en": "The assignment is completed. Fill in how many meetings and hours the "
        "participant took part in, and travel costs. The fee is computed from the rates "
        "({rates}), and the participant confirms the figures before the claim goes to payroll.",
    },
    "claim.form.send": {
        "nb": "Bekreft deltakelsen",
        "nn": "Stadfest deltakinga",
        "en": "Confirm the participation",
    },
    "claim.form.correct": {
        "nb": "Rett tallene",
        "nn": "Rett tala",
        "en": "Correct the figures",
    },
    "claim.form.filed": {
        "nb": "Sendt til {name} for bekreftelse.",
        "nn": "Sendt til {name} for stadfesting.",
        "en": "Sent to {name} to confirm.",
    },
    "claim.form.unchanged": {
        "nb": "Tallene er de samme som før; ingenting er endret.",
        "nn": "Tala er dei same som før; ingenting er endra.",
        "en": "The figures are the same as before; nothing changed.",
    },
    "claim.form.left_confirmed": {
        "nb": "Brukermedvirkeren har gått ut av utvalget etter oppdraget. Honoraret går til lønn "
        "slik du har ført det; lønn tar kontakt med personen.",
        "nn": "Brukarmedverkaren har gått ut av utvalet etter oppdraget. Honoraret går til løn "
        "slik du har ført det; løn tek kontakt med personen.",
        "en": "The participant left the pool after the assignment. The fee goes to payroll as "
        "you filed it; payroll contacts the person.",
    },
    "claim.form.phone_only": {
        "nb": "{name} kan bare nås på telefon: prioriteringsteamet må bekrefte tallene med hen.",
        "nn": "{name} kan berre nåast på telefon: prioriteringsteamet må stadfeste tala med hen.",
        "en": "{name} can only be reached by phone: the priority team must confirm the figures "
        "with them.",
    },
    "claim.field.participant": {
        "nb": "Brukermedvirker",
        "nn": "Brukarmedverkar",
        "en": "Participant",
    },
    "claim.field.meetings": {"nb": "Møter", "nn": "Møte", "en": "Meetings"},
    "claim.field.hours": {"nb": "Timer", "nn": "Timar", "en": "Hours"},
    "claim.field.hours_input": {
        "nb": "Timer i alt (kvarter teller: 1,25 = 1 time og 15 minutter)",
        "nn": "Timar i alt (kvarter tel: 1,25 = 1 time og 15 minutt)",
        "en": "Hours in all (in quarter hours: 1.25 = 1 hour 15 minutes)",
    },
    "claim.field.travel": {
        "nb": "Reiseutgifter i kroner (valgfritt)",
        "nn": "Reiseutgifter i kroner (valfritt)",
        "en": "Travel costs in kroner (optional)",
    },
    "claim.field.travel_own": {
        "nb": "Dine reiseutgifter i kroner, etter billigste reisemåte (valgfritt; ta vare på kvitteringene)",
        "nn": "Reiseutgiftene dine i kroner, etter billegaste reisemåte (valfritt; ta vare på kvitteringane)",
        "en": "Your travel costs in kroner, by the cheapest way (optional; keep the receipts)",
    },
    "claim.hours_counted": {
        "nb": "{given} (regnet som {counted}: {rule})",
        "nn": "{given} (rekna som {counted}: {rule})",
        "en": "{given} (counted as {counted}: {rule})",
    },
    "claim.rounding.quarter_up": {
        "nb": "påbegynt kvarter teller helt",
        "nn": "påbyrja kvarter tel heilt",
        "en": "a started quarter counts whole",
    },
    "claim.rounding.quarter_nearest": {
        "nb": "til nærmeste kvarter",
        "nn": "til næraste kvarter",
        "en": "to the nearest quarter hour",
    },
    "claim.rounding.half_hour_up": {
        "nb": "påbegynt halvtime teller hel",
        "nn": "påbyrja halvtime tel heil",
        "en": "a started half hour counts whole",
    },
    "claim.rounding.half_hour_nearest": {
        "nb": "til nærmeste halvtime",
        "nn": "til næraste halvtime",
        "en": "to the nearest half hour",
    },
    "claim.rounding.minimum": {
        "nb": "minst {hours} timer per møte med fysisk oppmøte",
        "nn": "minst {hours} timar per møte med fysisk oppmøte",
        "en": "at least {hours} hours per meeting attended in person",
    },
    "claim.field.in_person": {
        "nb": "Fysisk oppmøte",
        "nn": "Fysisk oppmøte",
        "en": "Attended in person",
    },
    "claim.field.in_person_input": {
        "nb": "Brukermedvirkeren møtte fysisk (ikke digitalt)",
        "nn": "Brukarmedverkaren møtte fysisk (ikkje digitalt)",
        "en": "The participant attended in person (not online)",
    },
    "claim.field.lost_earnings": {
        "nb": "Tapt arbeidsinntekt i kroner, mot dokumentasjon (valgfritt)",
        "nn": "Tapt arbeidsinntekt i kroner, mot dokumentasjon (valfritt)",
        "en": "Lost earnings in kroner, against documentation (optional)",
    },
    "claim.field.declined_input": {
        "nb": "Brukermedvirkeren takker nei til honoraret",
        "nn": "Brukarmedverkaren takkar nei til honoraret",
        "en": "The participant declines the fee",
    },
    "claim.field.decline_own": {
        "nb": "Jeg takker nei til honoraret (reiseutgifter og tapt arbeidsinntekt dekkes likevel)",
        "nn": "Eg takkar nei til honoraret (reiseutgifter og tapt arbeidsinntekt blir dekte likevel)",
        "en": "I decline the fee (travel costs and lost earnings are still reimbursed)",
    },
    "claim.yes": {"nb": "Ja", "nn": "Ja", "en": "Yes"},
    "claim.no": {"nb": "Nei", "nn": "Nei", "en": "No"},
    "claim.line.hours": {
        "nb": "{hours} timer × {rate}",
        "nn": "{hours} timar × {rate}",
        "en": "{hours} hours × {rate}",
    },
    "claim.line.meetings": {
        "nb": "{meetings} møter × {rate}",
        "nn": "{meetings} møte × {rate}",
        "en": "{meetings} meetings × {rate}",
    },
    "claim.line.capped": {
        "nb": "Trekk for dagsmaksimum ({day_max} per møtedag)",
        "nn": "Trekk for dagsmaksimum ({day_max} per møtedag)",
        "en": "Day maximum deduction ({day_max} per meeting day)",
    },
    "claim.line.declined": {
        "nb": "Honoraret er frasagt av brukermedvirkeren",
        "nn": "Honoraret er fråsagt av brukarmedverkaren",
        "en": "Fee declined by the participant",
    },
    "claim.line.fee": {"nb": "Honorar", "nn": "Honorar", "en": "Fee"},
    "claim.line.travel": {
        "nb": "Reiseutgifter",
        "nn": "Reiseutgifter",
        "en": "Travel costs",
    },
    "claim.line.travel_cheapest": {
        "nb": "Reiseutgifter (billigste reisemåte)",
        "nn": "Reiseutgifter (billigaste reisemåte)",
        "en": "Travel costs (at the cheapest fare)",
    },
    "claim.line.lost_earnings": {
        "nb": "Tapt arbeidsinntekt (mot dokumentasjon)",
        "nn": "Tapt arbeidsinntekt (mot dokumentasjon)",
        "en": "Lost earnings (against documentation)",
    },
    "claim.line.lost_earnings_capped": {
        "nb": "Tapt arbeidsinntekt (mot dokumentasjon; {claimed} ført, høyst {day_max} per "
        "møtedag)",
        "nn": "Tapt arbeidsinntekt (mot dokumentasjon; {claimed} ført, høgst {day_max} per "
        "møtedag)",
        "en": "Lost earnings (against documentation; {claimed} claimed, at most {day_max} per "
        "meeting day)",
    },
    "claim.line.total": {"nb": "Til utbetaling", "nn": "Til utbetaling", "en": "To be paid"},
    "claim.example_rates": {
        "nb": "Satsene er eksempelsatser, ikke retningslinjens: spør administrator.",
        "nn": "Satsane er eksempelsatsar, ikkje retningslina sine: spør administrator.",
        "en": "These are example rates, not the guideline's: ask the administrator.",
    },
    "claim.confirm.title": {
        "nb": "Honorar for {title}",
        "nn": "Honorar for {title}",
        "en": "Your fee for {title}",
    },
    "claim.confirm.intro": {
        "nb": "Takk for innsatsen! Stemmer tallene under? Når du bekrefter, sendes kravet til "
        "lønn. Stemmer de ikke, ta kontakt med den som bestilte deg.",
        "nn": "Takk for innsatsen! Stemmer tala under? Når du stadfestar, blir kravet sendt "
        "til løn. Stemmer dei ikkje, ta kontakt med den som bestilte deg.",
        "en": "Thank you for your work! Are the figures below right? When you confirm, the "
        "claim goes to payroll. If they are not, contact the person who ordered you.",
    },
    "claim.confirm.button": {
        "nb": "Tallene stemmer",
        "nn": "Tala stemmer",
        "en": "The figures are right",
    },
    "claim.confirm.open": {
        "nb": "Se og bekreft honoraret",
        "nn": "Sjå og stadfest honoraret",
        "en": "See and confirm your fee",
    },
    "claim.confirm.done_declined": {
        "nb": "Takk! Du har takket nei til honoraret. Kravet går til lønn med det som dekkes "
        "likevel.",
        "nn": "Takk! Du har takka nei til honoraret. Kravet går til løn med det som blir dekt "
        "likevel.",
        "en": "Thank you! You have declined the fee. The claim goes to payroll with what is "
        "reimbursed all the same.",
    },
    "claim.confirm.done": {
        "nb": "Takk! Honoraret er bekreftet og går til lønn.",
        "nn": "Takk! Honoraret er stadfesta og går til løn.",
        "en": "Thank you! The fee is confirmed and goes to payroll.",
    },
    "claim.payroll_collects": {
        "nb": "Lønn ber deg selv om fødselsnummer og kontonummer. medvirk lagrer dem aldri: "
        "ikke skriv dem her.",
        "nn": "Løn ber deg sjølv om fødselsnummer og kontonummer. medvirk lagrar dei aldri: "
        "ikkje skriv dei her.",
        "en": "Payroll asks you for your identity number and bank account directly. medvirk "
        "never stores them: do not write them here.",
    },
    "claim.status.draft": {
        "nb": "Venter på bekreftelse fra brukermedvirkeren.",
        "nn": "Ventar på stadfesting frå brukarmedverkaren.",
        "en": "Waiting for the participant to confirm.",
    },
    "claim.status.confirmed": {
        "nb": "Bekreftet av brukermedvirkeren; venter på å sendes til lønn.",
        "nn": "Stadfesta av brukarmedverkaren; ventar på å bli sendt til løn.",
        "en": "Confirmed by the participant; waiting to be sent to payroll.",
    },
    "claim.status.sent": {
        "nb": "Bekreftet og sendt til lønn.",
        "nn": "Stadfesta og sendt til løn.",
        "en": "Confirmed and sent to payroll.",
    },
    "claim.status.paid": {
        "nb": "Utbetalt.",
        "nn": "Utbetalt.",
        "en": "Paid.",
    },
    "claim.error.meetings": {
        "nb": "Skriv antall møter som et helt tall fra 0 til 100.",
        "nn": "Skriv talet på møte som eit heilt tal frå 0 til 100.",
        "en": "Write the number of meetings as a whole number from 0 to 100.",
    },
    "claim.error.hours": {
        "nb": "Skriv timene som et tall fra 0 til 500, med høyst to desimaler (for eksempel "
        "2,5). Møter og timer kan ikke begge være 0.",
        "nn": "Skriv timane som eit tal frå 0 til 500, med høgst to desimalar (til dømes "
        "2,5). Møte og timar kan ikkje begge vere 0.",
        "en": "Write the hours as a number from 0 to 500 with at most two decimals (e.g. "
        "2.5). Meetings and hours cannot both be 0.",
    },
    "claim.error.travel_nok": {
        "nb": "Skriv reiseutgiftene som hele kroner fra 0 til 100000, eller la feltet stå tomt.",
        "nn": "Skriv reiseutgiftene som heile kroner frå 0 til 100000, eller la feltet stå tomt.",
        "en": "Write the travel costs as whole kroner from 0 to 100000, or leave it empty.",
    },
    "claim.error.lost_earnings_nok": {
        "nb": "Skriv tapt arbeidsinntekt som hele kroner fra 0 til 100000, eller la feltet stå "
        "tomt.",
        "nn": "Skriv tapt arbeidsinntekt som heile kroner frå 0 til 100000, eller la feltet stå "
        "tomt.",
        "en": "Write the lost earnings as whole kroner from 0 to 100000, or leave it empty.",
    },
    "claim.error.lost_earnings_not_covered": {
        "nb": "Satsene dekker ikke tapt arbeidsinntekt. La feltet stå tomt.",
        "nn": "Satsane dekkjer ikkje tapt arbeidsinntekt. La feltet stå tomt.",
        "en": "These rates do not reimburse lost earnings. Leave it empty.",
    },
    "claim.error.not_completed": {
        "nb": "Honoraret kan registreres når oppdraget er fullført.",
        "nn": "Honoraret kan registrerast når oppdraget er fullført.",
        "en": "The fee can be filed once the assignment is completed.",
    },
    "claim.error.bad_participant": {
        "nb": "Denne brukermedvirkeren deltok ikke i oppdraget.",
        "nn": "Denne brukarmedverkaren deltok ikkje i oppdraget.",
        "en": "This participant did not take part in the assignment.",
    },
    "claim.error.not_entitled": {
        "nb": "Honorar registreres av den som bestilte oppdraget, for brukermedvirkere som "
        "deltok. Dette kortet gir deg ikke det.",
        "nn": "Honorar vert registrert av den som bestilte oppdraget, for brukarmedverkarar som "
        "deltok. Dette kortet gjev deg ikkje det.",
        "en": "A fee is filed by the person who ordered the assignment, for participants who "
        "took part. This card does not let you do that.",
    },
    "claim.error.already_confirmed": {
        "nb": "Brukermedvirkeren har alt bekreftet honoraret; det kan ikke endres her.",
        "nn": "Brukarmedverkaren har alt stadfesta honoraret; det kan ikkje endrast her.",
        "en": "The participant has already confirmed the fee; it cannot be changed here.",
    },
    "claim.error.not_yours": {
        "nb": "Fant ikke noe honorarkrav til deg her.",
        "nn": "Fann ikkje noko honorarkrav til deg her.",
        "en": "There is no fee claim of yours here.",
    },
    "claim.error.changed": {
        "nb": "Tallene er endret siden dette ble sendt. Se den nyeste meldingen.",
        "nn": "Tala er endra sidan dette vart sendt. Sjå den nyaste meldinga.",
        "en": "The figures have changed since this was sent. See the latest message.",
    },
    "claim.error.unknown": {
        "nb": "Fant ikke honorarkravet.",
        "nn": "Fann ikkje honorarkravet.",
        "en": "No such fee claim.",
    },
    "claim.error.not_confirmed": {
        "nb": "Honorarkravet er ikke bekreftet ennå.",
        "nn": "Honorarkravet er ikkje stadfesta enno.",
        "en": "The fee claim is not confirmed yet.",
    },
    "claim.payroll.subject": {
        "nb": "Honorarkrav {reference}, krav {claim_id}",
        "nn": "Honorarkrav {reference}, krav {claim_id}",
        "en": "Fee claim {reference}, claim {claim_id}",
    },
    "claim.payroll.intro": {
        "nb": "Vedlagt er et honorarkrav som brukermedvirkeren har bekreftet. Lønn innhenter "
        "fødselsnummer og kontonummer direkte fra personen.",
        "nn": "Vedlagt er eit honorarkrav som brukarmedverkaren har stadfesta. Løn hentar inn "
        "fødselsnummer og kontonummer direkte frå personen.",
        "en": "Attached is a fee claim the participant has confirmed. Payroll collects the "
        "identity number and bank account from the person directly.",
    },
    "claim.pdf.title": {
        "nb": "Honorarkrav for brukermedvirkning {reference}",
        "nn": "Honorarkrav for brukarmedverknad {reference}",
        "en": "User involvement fee claim {reference}",
    },
    "claim.pdf.example_rates": {
        "nb": "EKSEMPELSATSER: beløpene er regnet med eksempelsatsene som følger med medvirk, "
        "ikke retningslinjens. Må ikke utbetales før satsene er satt.",
        "nn": "EKSEMPELSATSAR: beløpa er rekna med eksempelsatsane som følgjer med medvirk, "
        "ikkje retningslina sine. Må ikkje betalast ut før satsane er sette.",
        "en": "EXAMPLE RATES: the amounts are computed with the example rates medvirk ships "
        "with, not the guideline's. Do not pay before the rates are set.",
    },
    "claim.pdf.reference": {"nb": "Referanse", "nn": "Referanse", "en": "Reference"},
    "claim.pdf.desk": {"nb": "Sendt fra", "nn": "Sendt frå", "en": "Sent by"},
    "claim.pdf.contact": {
        "nb": "Kontakt (e-post / telefon)",
        "nn": "Kontakt (e-post / telefon)",
        "en": "Contact (e-mail / phone)",
    },
    "claim.pdf.figures": {
        "nb": "Deltakelse og honorar",
        "nn": "Deltaking og honorar",
        "en": "Participation and fee",
    },
    "claim.pdf.rates": {"nb": "Satser", "nn": "Satsar", "en": "Rates"},
    "claim.pdf.confirmation": {
        "nb": "Registrert og bekreftet",
        "nn": "Registrert og stadfesta",
        "en": "Filed and confirmed",
    },
    "claim.pdf.filed_by": {
        "nb": "Registrert av bestiller",
        "nn": "Registrert av bestillar",
        "en": "Filed by the requester",
    },
    "claim.pdf.confirmed": {
        "nb": "Bekreftet av brukermedvirkeren",
        "nn": "Stadfesta av brukarmedverkaren",
        "en": "Confirmed by the participant",
    },
    "claim.pdf.via.teams": {"nb": "i Teams", "nn": "i Teams", "en": "in Teams"},
    "claim.pdf.via.page": {
        "nb": "på nettsiden sin",
        "nn": "på nettsida si",
        "en": "on their web page",
    },
    "claim.pdf.not_confirmed": {
        "nb": "Ikke bekreftet ennå",
        "nn": "Ikkje stadfesta enno",
        "en": "Not confirmed yet",
    },
    "claim.pdf.declined": {
        "nb": "Brukermedvirkeren har takket nei til honoraret: honoraret er 0 kr. Reiseutgifter "
        "og tapt arbeidsinntekt utbetales likevel.",
        "nn": "Brukarmedverkaren har takka nei til honoraret: honoraret er 0 kr. Reiseutgifter "
        "og tapt arbeidsinntekt blir utbetalte likevel.",
        "en": "The participant has declined the fee: the fee is NOK 0. Travel costs and lost "
        "earnings are paid all the same.",
    },
    "claim.pdf.travel_cheapest": {
        "nb": "Reiseutgifter dekkes etter billigste reisemåte, slik de er ført.",
        "nn": "Reiseutgifter blir dekte etter billigaste reisemåte, slik dei er førte.",
        "en": "Travel costs are reimbursed at the cheapest fare, as claimed.",
    },
    "claim.pdf.lost_earnings": {
        "nb": "Tapt arbeidsinntekt dekkes mot dokumentasjon: lønn innhenter den fra personen "
        "før utbetaling.",
        "nn": "Tapt arbeidsinntekt blir dekt mot dokumentasjon: løn hentar henne inn frå "
        "personen før utbetaling.",
        "en": "Lost earnings are reimbursed against documentation: payroll collects it from "
        "the person before paying.",
    },
    "claim.pdf.payroll_collects": {
        "nb": "Lønn innhenter fødselsnummer og kontonummer direkte fra personen. medvirk "
        "lagrer dem aldri.",
        "nn": "Løn hentar inn fødselsnummer og kontonummer direkte frå personen. medvirk "
        "lagrar dei aldri.",
        "en": "Payroll collects the identity number and bank account from the person "
        "directly. medvirk never stores them.",
    },
    "claim.pdf.no_health_data": {
        "nb": "Dokumentet inneholder ikke helseopplysninger: hva oppdraget gjaldt, hvilken rolle "
        "personen hadde og erfaringsområdene står ikke her.",
        "nn": "Dokumentet inneheld ikkje helseopplysningar: kva oppdraget galdt, kva rolle "
        "personen hadde og erfaringsområda står ikkje her.",
        "en": "The document holds no health data: what the assignment was about, the person's "
        "role and experience areas are not in it.",
    },
}
