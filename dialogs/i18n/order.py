"""The order dialog: questions, choice labels, errors, summary, receipt, statuses."""

MESSAGES = {
    # -- questions --------------------------------------------------------------------------
    "order.q.title": {
        "nb": "Hva heter prosjektet eller oppdraget?",
        "nn": "Kva heiter prosjektet eller oppdraget?",
        "en": "What is the project or assignment called?",
    },
    "order.hint.title": {
        "nb": "3–120 tegn. Skriv om prosjektet, ikke om enkeltpasienter.",
        "nn": "3–120 teikn. Skriv om prosjektet, ikkje om enkeltpasientar.",
        "en": "3–120 characters. Describe the project, not individual patients.",
    },
    "order.q.description": {
        "nb": "Hva skal brukermedvirkeren gjøre?",
        "nn": "Kva skal brukarmedverkaren gjere?",
        "en": "What will the participant do?",
    },
    "order.hint.description": {
        "nb": "Inntil 4000 tegn. Ikke skriv helseopplysninger eller fødselsnummer.",
        "nn": "Inntil 4000 teikn. Ikkje skriv helseopplysingar eller fødselsnummer.",
        "en": "Up to 4000 characters. Do not write health details or identity numbers.",
    },
    "order.q.assignment_type": {
        "nb": "Hva slags oppdrag er det?",
        "nn": "Kva slags oppdrag er det?",
        "en": "What kind of assignment is it?",
    },
    "order.q.level": {
        "nb": "På hvilket nivå skal brukeren medvirke?",
        "nn": "På kva nivå skal brukaren medverke?",
        "en": "At which level will the participant take part?",
    },
    "order.q.participant_profile": {
        "nb": "Hvem ønsker dere som brukermedvirker?",
        "nn": "Kven ønskjer de som brukarmedverkar?",
        "en": "Who would you like as participant?",
    },
    "order.q.participant_count": {
        "nb": "Hvor mange brukermedvirkere trenger dere?",
        "nn": "Kor mange brukarmedverkarar treng de?",
        "en": "How many participants do you need?",
    },
    "order.hint.participant_count": {
        "nb": "Et tall fra 1 til 20.",
        "nn": "Eit tal frå 1 til 20.",
        "en": "A number from 1 to 20.",
    },
    "order.q.start_date": {
        "nb": "Når starter oppdraget?",
        "nn": "Når startar oppdraget?",
        "en": "When does the assignment start?",
    },
    "order.hint.date": {
        "nb": "Dato som ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ.",
        "nn": "Dato som ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ.",
        "en": "Date as YYYY-MM-DD or DD.MM.YYYY.",
    },
    "order.q.end_date": {
        "nb": "Når slutter oppdraget? (valgfritt)",
        "nn": "Når sluttar oppdraget? (valfritt)",
        "en": "When does the assignment end? (optional)",
    },
    "order.q.meeting_format": {
        "nb": "Hvordan møtes dere?",
        "nn": "Korleis møtest de?",
        "en": "How will you meet?",
    },
    "order.q.workload": {
        "nb": "Hvor stor er arbeidsmengden?",
        "nn": "Kor stor er arbeidsmengda?",
        "en": "How much work is it?",
    },
    "order.hint.workload": {
        "nb": "For eksempel «4 møter à 2 timer». Inntil 200 tegn.",
        "nn": "Til dømes «4 møte à 2 timar». Inntil 200 teikn.",
        "en": "For example “4 meetings of 2 hours”. Up to 200 characters.",
    },
    "order.q.unit": {
        "nb": "Hvilken klinikk eller avdeling bestiller?",
        "nn": "Kva klinikk eller avdeling bestiller?",
        "en": "Which clinic or department is ordering?",
    },
    "order.q.honorarium_ack": {
        "nb": "Bestillende enhet betaler honorar etter honorarretningslinjen. Bekrefter du det?",
        "nn": "Eininga som bestiller betaler honorar etter honorarretningslina. Stadfestar du det?",
        "en": "The ordering unit pays the fee according to the fee guideline. Do you confirm?",
    },
    "order.toggle.honorarium_ack": {
        "nb": "Ja, vi betaler honorar etter retningslinjen",
        "nn": "Ja, vi betaler honorar etter retningslina",
        "en": "Yes, we pay the fee according to the guideline",
    },
    "order.link.fee_guideline": {
        "nb": "Les honorarretningslinjen",
        "nn": "Les honorarretningslina",
        "en": "Read the fee guideline",
    },
    "order.q.cost_centre": {
        "nb": "Hvilket koststed skal honoraret belastes? (valgfritt)",
        "nn": "Kva koststad skal honoraret belastast? (valfritt)",
        "en": "Which cost centre pays the fee? (optional)",
    },
    "order.q.needed_by": {
        "nb": "Innen hvilken dato må dere ha funnet en brukermedvirker?",
        "nn": "Innan kva dato må de ha funne ein brukarmedverkar?",
        "en": "By which date must a participant be found?",
    },
    "order.hint.needed_by": {
        "nb": "Senest startdatoen.",
        "nn": "Seinast startdatoen.",
        "en": "No later than the start date.",
    },
    "order.hint.optional": {
        "nb": "Skriv «hopp over» eller trykk på knappen hvis det ikke gjelder.",
        "nn": "Skriv «hopp over» eller trykk på knappen om det ikkje gjeld.",
        "en": "Type “skip” or press the button if it does not apply.",
    },
    "order.hint.choice": {
        "nb": "Velg ett alternativ, eller skriv nummeret eller navnet.",
        "nn": "Vel eitt alternativ, eller skriv nummeret eller namnet.",
        "en": "Pick one option, or type its number or name.",
    },
    "order.progress": {
        "nb": "Spørsmål {n} av {total}",
        "nn": "Spørsmål {n} av {total}",
        "en": "Question {n} of {total}",
    },
    "order.intro": {
        "nb": "La oss bestille en brukermedvirker. Skriv **avbryt** når som helst for å stoppe.",
        "nn": "Lat oss bestille ein brukarmedverkar. Skriv **avbryt** når som helst for å stoppe.",
        "en": "Let us order a participant. Type **cancel** at any time to stop.",
    },
    # -- buttons ---------------------------------------------------------------------------
    "order.button.answer": {"nb": "Neste", "nn": "Neste", "en": "Next"},
    "order.button.skip": {"nb": "Hopp over", "nn": "Hopp over", "en": "Skip"},
    "order.button.edit": {"nb": "Endre", "nn": "Endre", "en": "Edit"},
    "order.button.confirm": {"nb": "Send inn", "nn": "Send inn", "en": "Send"},
    # -- choice labels ---------------------------------------------------------------------
    "choice.assignment_type.research": {"nb": "Forskning", "nn": "Forsking", "en": "Research"},
    "choice.assignment_type.service_development": {
        "nb": "Tjenesteutvikling",
        "nn": "Tenesteutvikling",
        "en": "Service development",
    },
    "choice.assignment_type.planning": {"nb": "Planlegging", "nn": "Planlegging", "en": "Planning"},
    "choice.assignment_type.product_development": {
        "nb": "Produktutvikling",
        "nn": "Produktutvikling",
        "en": "Product development",
    },
    "choice.assignment_type.education": {
        "nb": "Undervisning",
        "nn": "Undervisning",
        "en": "Education",
    },
    "choice.assignment_type.council": {
        "nb": "Råd eller utvalg",
        "nn": "Råd eller utval",
        "en": "Council or board",
    },
    "choice.assignment_type.other": {"nb": "Annet", "nn": "Anna", "en": "Other"},
    "choice.level.system": {"nb": "Systemnivå", "nn": "Systemnivå", "en": "System level"},
    "choice.level.service": {"nb": "Tjenestenivå", "nn": "Tenestenivå", "en": "Service level"},
    "choice.level.individual": {
        "nb": "Individnivå",
        "nn": "Individnivå",
        "en": "Individual level",
    },
    "choice.participant_profile.patient": {"nb": "Pasient", "nn": "Pasient", "en": "Patient"},
    "choice.participant_profile.next_of_kin": {
        "nb": "Pårørende",
        "nn": "Pårørande",
        "en": "Next of kin",
    },
    "choice.participant_profile.youth": {
        "nb": "Ungdom (ungdomsråd)",
        "nn": "Ungdom (ungdomsråd)",
        "en": "Youth (youth council)",
    },
    "choice.participant_profile.user_organisation": {
        "nb": "Representant for brukerorganisasjon",
        "nn": "Representant for brukarorganisasjon",
        "en": "User organisation representative",
    },
    "choice.participant_profile.any": {
        "nb": "Hvem som helst",
        "nn": "Kven som helst",
        "en": "Anyone",
    },
    "choice.meeting_format.physical": {"nb": "Fysisk", "nn": "Fysisk", "en": "In person"},
    "choice.meeting_format.digital": {"nb": "Digitalt", "nn": "Digitalt", "en": "Digital"},
    "choice.meeting_format.hybrid": {"nb": "Hybrid", "nn": "Hybrid", "en": "Hybrid"},
    "order.yes": {"nb": "Ja", "nn": "Ja", "en": "Yes"},
    "order.no": {"nb": "Nei", "nn": "Nei", "en": "No"},
    "order.none": {"nb": "—", "nn": "—", "en": "—"},
    # -- field labels (summary, my requests, channel card) -----------------------------------
    "field.title": {"nb": "Tittel", "nn": "Tittel", "en": "Title"},
    "field.description": {"nb": "Beskrivelse", "nn": "Skildring", "en": "Description"},
    "field.assignment_type": {"nb": "Type oppdrag", "nn": "Type oppdrag", "en": "Assignment type"},
    "field.level": {"nb": "Nivå", "nn": "Nivå", "en": "Level"},
    "field.participant_profile": {
        "nb": "Brukermedvirker",
        "nn": "Brukarmedverkar",
        "en": "Participant",
    },
    "field.participant_count": {"nb": "Antall", "nn": "Tal", "en": "Number"},
    "field.start_date": {"nb": "Start", "nn": "Start", "en": "Start"},
    "field.end_date": {"nb": "Slutt", "nn": "Slutt", "en": "End"},
    "field.meeting_format": {"nb": "Møteform", "nn": "Møteform", "en": "Meeting format"},
    "field.workload": {"nb": "Arbeidsmengde", "nn": "Arbeidsmengd", "en": "Workload"},
    "field.unit": {"nb": "Enhet", "nn": "Eining", "en": "Unit"},
    "field.honorarium_ack": {"nb": "Honorar", "nn": "Honorar", "en": "Fee"},
    "field.cost_centre": {"nb": "Koststed", "nn": "Koststad", "en": "Cost centre"},
    "field.needed_by": {"nb": "Frist for å finne", "nn": "Frist for å finne", "en": "Needed by"},
    # -- errors -----------------------------------------------------------------------------
    "error.field.required": {
        "nb": "Dette spørsmålet må besvares.",
        "nn": "Dette spørsmålet må svarast på.",
        "en": "This question needs an answer.",
    },
    "error.field.text": {
        "nb": "Svaret må være tekst.",
        "nn": "Svaret må vere tekst.",
        "en": "The answer must be text.",
    },
    "error.field.too_short": {
        "nb": "Svaret er for kort: skriv minst {min} tegn.",
        "nn": "Svaret er for kort: skriv minst {min} teikn.",
        "en": "The answer is too short: write at least {min} characters.",
    },
    "error.field.too_long": {
        "nb": "Svaret er for langt ({length} tegn): høyst {max} tegn.",
        "nn": "Svaret er for langt ({length} teikn): høgst {max} teikn.",
        "en": "The answer is too long ({length} characters): at most {max}.",
    },
    "error.field.integer": {
        "nb": "Skriv et helt tall fra {min} til {max}.",
        "nn": "Skriv eit heilt tal frå {min} til {max}.",
        "en": "Type a whole number from {min} to {max}.",
    },
    "error.field.range": {
        "nb": "Antallet må være fra {min} til {max}.",
        "nn": "Talet må vere frå {min} til {max}.",
        "en": "The number must be from {min} to {max}.",
    },
    "error.field.date": {
        "nb": "Det er ikke en gyldig dato. Skriv for eksempel 2027-03-26 eller 26.03.2027.",
        "nn": "Det er ikkje ein gyldig dato. Skriv til dømes 2027-03-26 eller 26.03.2027.",
        "en": "That is not a valid date. Write e.g. 2027-03-26 or 26.03.2027.",
    },
    "error.field.choice": {
        "nb": "Velg ett av alternativene (nummer eller navn).",
        "nn": "Vel eitt av alternativa (nummer eller namn).",
        "en": "Pick one of the options (number or name).",
    },
    "error.date.past": {
        "nb": "Datoen kan ikke være tilbake i tid.",
        "nn": "Datoen kan ikkje vere tilbake i tid.",
        "en": "The date cannot be in the past.",
    },
    "error.date.end_before_start": {
        "nb": "Sluttdatoen kan ikke være før startdatoen ({start}).",
        "nn": "Sluttdatoen kan ikkje vere før startdatoen ({start}).",
        "en": "The end date cannot be before the start date ({start}).",
    },
    "error.date.needed_after_start": {
        "nb": "Fristen kan ikke være etter startdatoen ({start}).",
        "nn": "Fristen kan ikkje vere etter startdatoen ({start}).",
        "en": "The deadline cannot be after the start date ({start}).",
    },
    "error.honorarium_ack": {
        "nb": "Bestillingen kan bare sendes når enheten betaler honorar etter retningslinjen. "
        "Svar «ja» for å bekrefte, eller **avbryt**.",
        "nn": "Bestillinga kan berre sendast når eininga betaler honorar etter retningslina. "
        "Svar «ja» for å stadfeste, eller **avbryt**.",
        "en": "The request can only be sent when the unit pays the fee per the guideline. "
        "Answer “yes” to confirm, or **cancel**.",
    },
    "error.identity_number": {
        "nb": "Svaret ser ut til å inneholde et fødselsnummer eller D-nummer. Det tar jeg ikke "
        "imot, og det er ikke lagret. Skriv svaret uten personopplysninger.",
        "nn": "Svaret ser ut til å innehalde eit fødselsnummer eller D-nummer. Det tek eg ikkje "
        "imot, og det er ikkje lagra. Skriv svaret utan personopplysingar.",
        "en": "The answer seems to contain a national identity number or D-number. I do not "
        "accept it and it has not been stored. Please answer without personal data.",
    },
    "order.stale_card": {
        "nb": "Det kortet gjelder et annet spørsmål. Svar på dette:",
        "nn": "Det kortet gjeld eit anna spørsmål. Svar på dette:",
        "en": "That card belongs to another question. Please answer this one:",
    },
    # -- summary and receipt ----------------------------------------------------------------
    "order.summary.title": {
        "nb": "Se over bestillingen",
        "nn": "Sjå over bestillinga",
        "en": "Check your request",
    },
    "order.summary.help": {
        "nb": "Trykk «Endre» for å rette et svar, eller «Send inn» når alt stemmer.",
        "nn": "Trykk «Endre» for å rette eit svar, eller «Send inn» når alt stemmer.",
        "en": "Press “Edit” to change an answer, or “Send” when everything is right.",
    },
    "order.summary.not_understood": {
        "nb": "Trykk «Send inn» eller «Endre» på kortet (eller skriv «send inn»).",
        "nn": "Trykk «Send inn» eller «Endre» på kortet (eller skriv «send inn»).",
        "en": "Press “Send” or “Edit” on the card (or type “send”).",
    },
    "order.receipt.title": {
        "nb": "Bestillingen er sendt",
        "nn": "Bestillinga er send",
        "en": "Your request has been sent",
    },
    "order.receipt.reference": {
        "nb": "Referanse: **{reference}**",
        "nn": "Referanse: **{reference}**",
        "en": "Reference: **{reference}**",
    },
    "order.receipt.next": {
        "nb": "Prioriteringsteamet fordeler bestillingen og finner en brukermedvirker. "
        "Du får beskjed her hver gang bestillingen flytter seg. Dette gjør dere videre:",
        "nn": "Prioriteringsteamet fordeler bestillinga og finn ein brukarmedverkar. "
        "Du får melding her kvar gong bestillinga flyttar seg. Dette gjer de vidare:",
        "en": "The priority team distributes the request and finds a participant. You will "
        "hear from me here each time it moves. What comes next:",
    },
    "order.receipt.step.fee": {
        "nb": "1. Honorar betales etter honorarretningslinjen.",
        "nn": "1. Honorar blir betalt etter honorarretningslina.",
        "en": "1. The fee is paid according to the fee guideline.",
    },
    "order.receipt.step.agreement": {
        "nb": "2. Inngå avtale om oppdraget, og la brukermedvirkeren signere taushetserklæring.",
        "nn": "2. Inngå avtale om oppdraget, og la brukarmedverkaren signere teieplikterklæring.",
        "en": "2. Make the assignment agreement and have the participant sign the "
        "confidentiality declaration.",
    },
    "order.receipt.step.follow_up": {
        "nb": "3. Følg opp brukermedvirkeren underveis og gi tilbakemelding til slutt.",
        "nn": "3. Følg opp brukarmedverkaren undervegs og gi tilbakemelding til slutt.",
        "en": "3. Follow up the participant along the way and give feedback at the end.",
    },
    "order.link.agreement": {
        "nb": "Avtale om oppdrag",
        "nn": "Avtale om oppdrag",
        "en": "Assignment agreement",
    },
    "order.link.confidentiality": {
        "nb": "Taushetserklæring",
        "nn": "Teieplikterklæring",
        "en": "Confidentiality declaration",
    },
    "order.cancelled": {
        "nb": "Bestillingen er avbrutt. Ingenting er lagret.",
        "nn": "Bestillinga er avbroten. Ingenting er lagra.",
        "en": "The request was cancelled. Nothing was stored.",
    },
    "order.nothing_to_cancel": {
        "nb": "Du holder ikke på med noen bestilling. Skriv **bestill** for å starte.",
        "nn": "Du held ikkje på med noka bestilling. Skriv **bestill** for å starte.",
        "en": "You are not filling in a request. Type **order** to start.",
    },
    "order.changed_meanwhile": {
        "nb": "Noen svar passer ikke lenger (for eksempel en dato som har passert). Svar på nytt:",
        "nn": "Nokre svar passar ikkje lenger (til dømes ein dato som har passert). Svar på nytt:",
        "en": "Some answers no longer fit (for example a date that has passed). "
        "Please answer again:",
    },
    # -- my requests ------------------------------------------------------------------------
    "mine.title": {"nb": "Bestillingene dine", "nn": "Bestillingane dine", "en": "Your requests"},
    "mine.empty": {
        "nb": "Du har ingen bestillinger ennå. Skriv **bestill** for å lage en.",
        "nn": "Du har ingen bestillingar enno. Skriv **bestill** for å lage ei.",
        "en": "You have no requests yet. Type **order** to make one.",
    },
    # -- statuses ---------------------------------------------------------------------------
    "status.submitted": {"nb": "Sendt inn", "nn": "Send inn", "en": "Submitted"},
    "status.claimed": {"nb": "Tatt", "nn": "Teken", "en": "Claimed"},
    "status.in_progress": {"nb": "Under arbeid", "nn": "Under arbeid", "en": "In progress"},
    "status.matched": {
        "nb": "Brukermedvirker funnet",
        "nn": "Brukarmedverkar funnen",
        "en": "Participant found",
    },
    "status.agreement_signed": {
        "nb": "Avtale signert",
        "nn": "Avtale signert",
        "en": "Agreement signed",
    },
    "status.completed": {"nb": "Fullført", "nn": "Fullført", "en": "Completed"},
    "status.declined": {"nb": "Avslått", "nn": "Avslått", "en": "Declined"},
    "status.cancelled": {"nb": "Avbrutt", "nn": "Avbroten", "en": "Cancelled"},
}
