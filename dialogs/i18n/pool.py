"""Participants: the pool, consent, suggestions, invitations and the match."""

MESSAGES = {
    "cmd.new_participant": {
        "nb": "Legg til en brukermedvirker i utvalget",
        "nn": "Legg til ein brukarmedverkar i utvalet",
        "en": "Add a participant to the pool",
    },
    "cmd.participants": {
        "nb": "Vis brukermedvirkerne (filtrer på status, rolle eller område)",
        "nn": "Vis brukarmedverkarane (filtrer på status, rolle eller område)",
        "en": "List the participants (filter by status, role or area)",
    },
    # -- fields ----------------------------------------------------------------------------
    "participant.field.name": {"nb": "Navn", "nn": "Namn", "en": "Name"},
    "participant.field.email": {"nb": "E-post", "nn": "E-post", "en": "E-mail"},
    "participant.field.phone": {"nb": "Telefon", "nn": "Telefon", "en": "Phone"},
    "participant.field.aad_object_id": {
        "nb": "Teams-konto (AAD objekt-ID, hvis personen har en)",
        "nn": "Teams-konto (AAD objekt-ID, om personen har ein)",
        "en": "Teams account (AAD object id, if they have one)",
    },
    "participant.field.roles": {"nb": "Rolle", "nn": "Rolle", "en": "Role"},
    "participant.field.areas": {
        "nb": "Erfaringsområder",
        "nn": "Erfaringsområde",
        "en": "Experience areas",
    },
    "participant.field.organisation": {
        "nb": "Brukerorganisasjon",
        "nn": "Brukarorganisasjon",
        "en": "User organisation",
    },
    "participant.field.municipality": {"nb": "Kommune", "nn": "Kommune", "en": "Municipality"},
    "participant.field.formats": {
        "nb": "Kan delta",
        "nn": "Kan delta",
        "en": "Can take part",
    },
    "participant.field.languages": {"nb": "Språk", "nn": "Språk", "en": "Languages"},
    "participant.field.availability": {
        "nb": "Når passer det (valgfritt)",
        "nn": "Når passar det (valfritt)",
        "en": "When it suits them (optional)",
    },
    "participant.field.status": {"nb": "Status", "nn": "Status", "en": "Status"},
    "participant.field.consent": {"nb": "Samtykke", "nn": "Samtykke", "en": "Consent"},
    "participant.field.onboarding": {
        "nb": "Opplæring",
        "nn": "Opplæring",
        "en": "Onboarding",
    },
    "role.patient": {"nb": "Pasient", "nn": "Pasient", "en": "Patient"},
    "role.next_of_kin": {"nb": "Pårørende", "nn": "Pårørande", "en": "Next of kin"},
    "role.youth": {"nb": "Ungdom", "nn": "Ungdom", "en": "Youth"},
    "role.user_organisation": {
        "nb": "Brukerorganisasjon",
        "nn": "Brukarorganisasjon",
        "en": "User organisation",
    },
    "format.physical": {"nb": "Fysisk oppmøte", "nn": "Fysisk oppmøte", "en": "In person"},
    "format.digital": {"nb": "Digitalt", "nn": "Digitalt", "en": "Online"},
    "format.hybrid": {"nb": "Hybrid", "nn": "Hybrid", "en": "Hybrid"},
    "language.nb": {"nb": "Bokmål", "nn": "Bokmål", "en": "Norwegian (bokmål)"},
    "language.nn": {"nb": "Nynorsk", "nn": "Nynorsk", "en": "Norwegian (nynorsk)"},
    "language.en": {"nb": "Engelsk", "nn": "Engelsk", "en": "English"},
    "area.cancer": {"nb": "Kreft", "nn": "Kreft", "en": "Cancer"},
    "area.mental_health": {"nb": "Psykisk helse", "nn": "Psykisk helse", "en": "Mental health"},
    "area.substance_use": {"nb": "Rus", "nn": "Rus", "en": "Substance use"},
    "area.children_youth": {
        "nb": "Barn og unge",
        "nn": "Born og unge",
        "en": "Children and young people",
    },
    "area.elderly": {"nb": "Eldre", "nn": "Eldre", "en": "Older people"},
    "area.chronic_illness": {
        "nb": "Kronisk sykdom",
        "nn": "Kronisk sjukdom",
        "en": "Chronic illness",
    },
    "area.rehabilitation": {"nb": "Rehabilitering", "nn": "Rehabilitering", "en": "Rehabilitation"},
    "pstatus.pending": {
        "nb": "Venter på samtykke",
        "nn": "Ventar på samtykke",
        "en": "Waiting for consent",
    },
    "pstatus.active": {"nb": "Aktiv", "nn": "Aktiv", "en": "Active"},
    "pstatus.paused": {"nb": "På pause", "nn": "På pause", "en": "Paused"},
    "pstatus.left": {"nb": "Sluttet", "nn": "Slutta", "en": "Left"},
    # -- errors ----------------------------------------------------------------------------
    "error.participant.email": {
        "nb": "Det ser ikke ut som en gyldig e-postadresse.",
        "nn": "Det ser ikkje ut som ei gyldig e-postadresse.",
        "en": "That does not look like a valid e-mail address.",
    },
    "error.participant.phone": {
        "nb": "Det ser ikke ut som et gyldig telefonnummer (norsk, eller med landkode som +46 …).",
        "nn": "Det ser ikkje ut som eit gyldig telefonnummer (norsk, eller med landkode som +46 …).",
        "en": "That does not look like a valid phone number (Norwegian, or with a country code "
        "such as +46 …).",
    },
    "error.participant.aad": {
        "nb": "Teams-kontoen må være en AAD objekt-ID: 32 sifre og bokstaver a–f i fem grupper "
        "med bindestrek, for eksempel 3f2504e0-4f89-11d3-9a0c-0305e82c3301.",
        "nn": "Teams-kontoen må vere ein AAD objekt-ID: 32 siffer og bokstavar a–f i fem grupper "
        "med bindestrek, til dømes 3f2504e0-4f89-11d3-9a0c-0305e82c3301.",
        "en": "The Teams account must be an AAD object id: 32 digits and letters a–f in five "
        "groups joined by hyphens, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301.",
    },
    "error.participant.no_way_to_reach": {
        "nb": "Oppgi minst én måte å nå personen på: e-post, telefon eller Teams-konto.",
        "nn": "Oppgi minst éin måte å nå personen på: e-post, telefon eller Teams-konto.",
        "en": "Give at least one way to reach them: e-mail, phone or Teams account.",
    },
    "participant.error.field": {
        "nb": "{field}: {problem}",
        "nn": "{field}: {problem}",
        "en": "{field}: {problem}",
    },
    "participant.error.duplicate": {
        "nb": "Denne personen er allerede i utvalget (samme e-post, telefon eller konto).",
        "nn": "Denne personen er allereie i utvalet (same e-post, telefon eller konto).",
        "en": "This person is already in the pool (same e-mail, phone or account).",
    },
    "participant.error.unknown": {
        "nb": "Fant ikke den brukermedvirkeren.",
        "nn": "Fann ikkje den brukarmedverkaren.",
        "en": "That participant was not found.",
    },
    "participant.error.bad_id": {
        "nb": "Kortet mangler en gyldig brukermedvirker. Prøv å oppdatere kortet.",
        "nn": "Kortet manglar ein gyldig brukarmedverkar. Prøv å oppdatere kortet.",
        "en": "The card has no valid participant. Try refreshing it.",
    },
    "participant.error.not_now": {
        "nb": "Det går ikke nå (status: {status}).",
        "nn": "Det går ikkje no (status: {status}).",
        "en": "That is not possible now (status: {status}).",
    },
    "participant.error.claim_first": {
        "nb": "Ta bestillingen først, så vet brukermedvirkeren hvem som følger opp.",
        "nn": "Ta bestillinga først, så veit brukarmedverkaren kven som følgjer opp.",
        "en": "Claim the request first, so the participant knows who follows up.",
    },
    "participant.error.request_not_open": {
        "nb": "Bestillingen tar ikke imot flere invitasjoner.",
        "nn": "Bestillinga tek ikkje imot fleire invitasjonar.",
        "en": "This request takes no more invitations.",
    },
    "participant.error.already_invited": {
        "nb": "{name} er allerede invitert til denne bestillingen.",
        "nn": "{name} er allereie invitert til denne bestillinga.",
        "en": "{name} is already invited to this request.",
    },
    "participant.error.not_eligible": {
        "nb": "{name} passer ikke til denne bestillingen (status, rolle eller møteform).",
        "nn": "{name} passar ikkje til denne bestillinga (status, rolle eller møteform).",
        "en": "{name} does not fit this request (status, role or meeting format).",
    },
    "participant.error.enough": {
        "nb": "Nok brukermedvirkere har allerede takket ja.",
        "nn": "Nok brukarmedverkarar har allereie takka ja.",
        "en": "Enough participants have already said yes.",
    },
    "participant.error.bad_invitation": {
        "nb": "Fant ikke invitasjonen.",
        "nn": "Fann ikkje invitasjonen.",
        "en": "The invitation was not found.",
    },
    "participant.error.invitation_accepted": {
        "nb": "Du har allerede takket ja til denne.",
        "nn": "Du har allereie takka ja til denne.",
        "en": "You have already said yes to this.",
    },
    "participant.error.invitation_declined": {
        "nb": "Du har allerede takket nei til denne.",
        "nn": "Du har allereie takka nei til denne.",
        "en": "You have already said no to this.",
    },
    "participant.error.invitation_expired": {
        "nb": "Fristen for å svare på invitasjonen har gått ut.",
        "nn": "Fristen for å svare på invitasjonen har gått ut.",
        "en": "The time to answer this invitation has passed.",
    },
    "participant.error.invitation_left": {
        "nb": "Du har trukket deg, så invitasjonen gjelder ikke lenger.",
        "nn": "Du har trekt deg, så invitasjonen gjeld ikkje lenger.",
        "en": "You have left, so the invitation no longer stands.",
    },
    "participant.error.invitation_withdrawn": {
        "nb": "Plassene er fylt, så invitasjonen gjelder ikke lenger. Takk for at du vil bidra!",
        "nn": "Plassane er fylte, så invitasjonen gjeld ikkje lenger. Takk for at du vil bidra!",
        "en": "The places are filled, so the invitation no longer stands. Thank you for "
        "wanting to help!",
    },
    "participant.error.no_longer_needed": {
        "nb": "Bestillingen trenger ikke flere nå, så invitasjonen gjelder ikke lenger.",
        "nn": "Bestillinga treng ikkje fleire no, så invitasjonen gjeld ikkje lenger.",
        "en": "The request needs nobody more now, so the invitation no longer stands.",
    },
    "participant.error.changed_meanwhile": {
        "nb": "Invitasjonen ble endret i mellomtiden. Prøv igjen.",
        "nn": "Invitasjonen vart endra i mellomtida. Prøv igjen.",
        "en": "The invitation changed meanwhile. Try again.",
    },
    "participant.error.not_yours": {
        "nb": "Fant ingen invitasjon til deg her.",
        "nn": "Fann ingen invitasjon til deg her.",
        "en": "There is no invitation for you here.",
    },
    # -- the pool in the channel -------------------------------------------------------------
    "participant.form.title": {
        "nb": "Ny brukermedvirker",
        "nn": "Ny brukarmedverkar",
        "en": "New participant",
    },
    "participant.form.intro": {
        "nb": "Personen får en forespørsel om samtykke og blir ikke foreslått før de har sagt ja. "
        "Skriv aldri diagnoser eller fødselsnummer.",
        "nn": "Personen får ein førespurnad om samtykke og blir ikkje føreslått før dei har sagt "
        "ja. Skriv aldri diagnosar eller fødselsnummer.",
        "en": "They get a request for consent and are not suggested until they say yes. Never "
        "write a diagnosis or an identity number.",
    },
    "participant.form.add": {"nb": "Legg til", "nn": "Legg til", "en": "Add"},
    "participant.added": {
        "nb": "{name} er lagt til og får en forespørsel om samtykke ({via}).",
        "nn": "{name} er lagd til og får ein førespurnad om samtykke ({via}).",
        "en": "{name} is added and gets a request for consent ({via}).",
    },
    "participant.via.teams": {"nb": "i Teams", "nn": "i Teams", "en": "in Teams"},
    "participant.via.email": {"nb": "på e-post", "nn": "på e-post", "en": "by e-mail"},
    "participant.via.sms": {"nb": "på SMS", "nn": "på SMS", "en": "by SMS"},
    "participant.via.phone": {
        "nb": "ring dem: de har verken e-post eller Teams, og SMS er slått av",
        "nn": "ring dei: dei har verken e-post eller Teams, og SMS er slått av",
        "en": "call them: they have no e-mail or Teams, and SMS is off",
    },
    "participant.list.title": {
        "nb": "Brukermedvirkere ({count})",
        "nn": "Brukarmedverkarar ({count})",
        "en": "Participants ({count})",
    },
    "participant.list.filter": {
        "nb": "Filter: {filter}",
        "nn": "Filter: {filter}",
        "en": "Filter: {filter}",
    },
    "participant.list.none": {
        "nb": "Ingen brukermedvirkere passer.",
        "nn": "Ingen brukarmedverkarar passar.",
        "en": "No participants match.",
    },
    "participant.list.more": {
        "nb": "… og {count} til. Snevre inn med status, rolle eller område.",
        "nn": "… og {count} til. Snevra inn med status, rolle eller område.",
        "en": "… and {count} more. Narrow it down by status, role or area.",
    },
    "participant.list.bad_filter": {
        "nb": "Kjenner ikke filteret. Bruk status (aktiv, pause, venter), rolle eller område.",
        "nn": "Kjenner ikkje filteret. Bruk status (aktiv, pause, ventar), rolle eller område.",
        "en": "Unknown filter. Use a status (active, paused, pending), a role or an area.",
    },
    "participant.onboarded": {"nb": "Fullført", "nn": "Fullført", "en": "Done"},
    "participant.not_onboarded": {"nb": "Ikke fullført", "nn": "Ikkje fullført", "en": "Not done"},
    # -- suggestions -------------------------------------------------------------------------
    "channel.button.suggest": {"nb": "Foreslå", "nn": "Føreslå", "en": "Suggest"},
    "channel.button.invite": {"nb": "Inviter", "nn": "Inviter", "en": "Invite"},
    "suggest.title": {
        "nb": "Forslag til brukermedvirkere",
        "nn": "Forslag til brukarmedverkarar",
        "en": "Suggested participants",
    },
    "suggest.none": {
        "nb": "Ingen i utvalget passer (aktiv, riktig rolle og møteform, ikke invitert før).",
        "nn": "Ingen i utvalet passar (aktiv, rett rolle og møteform, ikkje invitert før).",
        "en": "Nobody in the pool fits (active, the right role and format, not invited before).",
    },
    "suggest.areas": {
        "nb": "Relevante erfaringsområder",
        "nn": "Relevante erfaringsområde",
        "en": "Relevant experience areas",
    },
    "suggest.posted": {
        "nb": "Forslagene ligger under dette kortet.",
        "nn": "Forslaga ligg under dette kortet.",
        "en": "The suggestions are below this card.",
    },
    "posted.removed": {
        "nb": "Denne listen er fjernet: den viste noen som ikke lenger er i utvalget, eller den "
        "var gammel. Be om en ny liste ved behov.",
        "nn": "Denne lista er fjerna: ho viste nokon som ikkje lenger er i utvalet, eller ho var "
        "gammal. Be om ei ny liste ved behov.",
        "en": "This list was removed: it showed someone who is no longer in the pool, or it was "
        "old. Ask for a new list if you need one.",
    },
    "documents.subject": {
        "nb": "Avtale og taushetserklæring: {title}",
        "nn": "Avtale og teieplikterklæring: {title}",
        "en": "Agreement and confidentiality declaration: {title}",
    },
    "documents.intro": {
        "nb": "Takk for at du er med! Før arbeidet starter, les og signer avtalen om oppdraget og taushetserklæringen. Trykk på knappen når begge er signert.",
        "nn": "Takk for at du er med! Før arbeidet startar, les og signer avtalen om oppdraget og teieplikterklæringa. Trykk på knappen når begge er signerte.",
        "en": "Thank you for taking part! Before the work starts, read and sign the agreement about the assignment and the confidentiality declaration. Press the button when both are signed.",
    },
    "documents.signed": {
        "nb": "Avtalen og taushetserklæringen er registrert som signert. Takk!",
        "nn": "Avtalen og teieplikterklæringa er registrerte som signerte. Takk!",
        "en": "The agreement and the confidentiality declaration are recorded as signed. Thank you!",
    },
    "documents.agreement": {
        "nb": "Avtalen om oppdraget",
        "nn": "Avtalen om oppdraget",
        "en": "The agreement",
    },
    "documents.confidentiality": {
        "nb": "Taushetserklæringen",
        "nn": "Teieplikterklæringa",
        "en": "The confidentiality declaration",
    },
    "documents.confirm": {
        "nb": "Jeg har signert begge",
        "nn": "Eg har signert begge",
        "en": "I have signed both",
    },
    "documents.open": {
        "nb": "Si fra at du har signert",
        "nn": "Sei frå at du har signert",
        "en": "Tell us you have signed",
    },
    "documents.recorded": {
        "nb": "Registrert: begge dokumentene er signert.",
        "nn": "Registrert: begge dokumenta er signerte.",
        "en": "Recorded: both documents are signed.",
    },
    "documents.paper_recorded": {
        "nb": "Papirkopi registrert for {name}.",
        "nn": "Papirkopi registrert for {name}.",
        "en": "Paper copy recorded for {name}.",
    },
    "documents.error.not_accepted": {
        "nb": "Den brukermedvirkeren har ikke takket ja til denne bestillingen.",
        "nn": "Den brukarmedverkaren har ikkje takka ja til denne bestillinga.",
        "en": "That participant has not accepted this request.",
    },
    "documents.error.not_matched": {
        "nb": "Dokumentene signeres etter at bestillingen har fått brukermedvirkere, og før den avsluttes.",
        "nn": "Dokumenta blir signerte etter at bestillinga har fått brukarmedverkarar, og før ho blir avslutta.",
        "en": "The documents are signed once the request has its participants, and before it is closed.",
    },
    "documents.error.bad_participant": {
        "nb": "Velg en brukermedvirker som mangler signatur.",
        "nn": "Vel ein brukarmedverkar som manglar signatur.",
        "en": "Choose a participant whose signature is missing.",
    },
    "channel.card.unsigned": {
        "nb": "Mangler signatur",
        "nn": "Manglar signatur",
        "en": "Signature missing",
    },
    "channel.card.missing.agreement": {"nb": "avtale", "nn": "avtale", "en": "agreement"},
    "channel.card.missing.confidentiality": {
        "nb": "taushetserklæring",
        "nn": "teieplikterklæring",
        "en": "confidentiality declaration",
    },
    "channel.button.paper_copy": {
        "nb": "Papirkopi mottatt",
        "nn": "Papirkopi motteken",
        "en": "Paper copy received",
    },
    "channel.input.paper_copy": {
        "nb": "Hvem har levert signerte dokumenter på papir?",
        "nn": "Kven har levert signerte dokument på papir?",
        "en": "Who handed in signed documents on paper?",
    },
    "channel.button.save_paper_copy": {"nb": "Registrer", "nn": "Registrer", "en": "Record"},
    "suggest.busy": {
        "nb": "Teams har det travelt akkurat nå, så forslagene vises her i stedet for under kortet.",
        "nn": "Teams har det travelt akkurat no, så forslaga blir viste her i staden for under kortet.",
        "en": "Teams is busy just now, so the suggestions are shown here instead of below the card.",
    },
    "suggest.again": {"nb": "Foreslå på nytt", "nn": "Føreslå på nytt", "en": "Suggest again"},
    "suggest.reason.roles": {"nb": "Rolle: {roles}", "nn": "Rolle: {roles}", "en": "Role: {roles}"},
    "suggest.reason.areas": {
        "nb": "Felles områder: {areas}",
        "nn": "Felles område: {areas}",
        "en": "Shared areas: {areas}",
    },
    "suggest.reason.no_areas": {
        "nb": "Ingen felles områder",
        "nn": "Ingen felles område",
        "en": "No shared areas",
    },
    "suggest.reason.formats": {
        "nb": "Kan delta: {formats}",
        "nn": "Kan delta: {formats}",
        "en": "Can take part: {formats}",
    },
    "suggest.reason.asked": {
        "nb": "Invitert {count} ganger siste 12 måneder",
        "nn": "Invitert {count} gonger siste 12 månader",
        "en": "Invited {count} times in the last 12 months",
    },
    "suggest.reason.onboarded": {
        "nb": "Opplæring fullført",
        "nn": "Opplæring fullført",
        "en": "Onboarding done",
    },
    "suggest.reason.not_onboarded": {
        "nb": "Opplæring ikke fullført",
        "nn": "Opplæring ikkje fullført",
        "en": "Onboarding not done",
    },
    "participant.invited": {
        "nb": "{name} er invitert. Du får beskjed når de svarer.",
        "nn": "{name} er invitert. Du får melding når dei svarar.",
        "en": "{name} is invited. You will hear when they answer.",
    },
    "channel.card.invitations": {
        "nb": "Brukermedvirkere",
        "nn": "Brukarmedverkarar",
        "en": "Participants",
    },
    "channel.card.invitation_counts": {
        "nb": "{invited} invitert · {accepted} takket ja · {waiting} venter",
        "nn": "{invited} inviterte · {accepted} takka ja · {waiting} ventar",
        "en": "{invited} invited · {accepted} accepted · {waiting} waiting",
    },
    "channel.card.accepted": {"nb": "Takket ja", "nn": "Takka ja", "en": "Said yes"},
    "channel.card.left": {
        "nb": "{count} som hadde takket ja, har trukket seg: åpen for flere",
        "nn": "{count} som hadde takka ja, har trekt seg: open for fleire",
        "en": "{count} who had said yes left: open for more",
    },
    # -- to the owner and the requester -------------------------------------------------------
    "invitation_notice.accepted": {
        "nb": "{name} takket ja til {reference} «{title}».",
        "nn": "{name} takka ja til {reference} «{title}».",
        "en": "{name} said yes to {reference} \u201c{title}\u201d.",
    },
    "invitation_notice.declined": {
        "nb": "{name} takket nei til {reference} «{title}».",
        "nn": "{name} takka nei til {reference} «{title}».",
        "en": "{name} said no to {reference} \u201c{title}\u201d.",
    },
    "invitation_notice.left": {
        "nb": "En som hadde takket ja til {reference} «{title}», har trukket seg fra utvalget. "
        "Bestillingen er åpen igjen for én til.",
        "nn": "Ein som hadde takka ja til {reference} «{title}», har trekt seg frå utvalet. "
        "Bestillinga er open igjen for ein til.",
        "en": "Someone who had said yes to {reference} \u201c{title}\u201d has left the pool. "
        "The request is open again for one more.",
    },
    "invitation_notice.expired": {
        "nb": "Invitasjonen til {name} for {reference} «{title}» gikk ut uten svar.",
        "nn": "Invitasjonen til {name} for {reference} «{title}» gjekk ut utan svar.",
        "en": "The invitation to {name} for {reference} \u201c{title}\u201d expired unanswered.",
    },
    "invitation_notice.next": {
        "nb": "Neste forslag:",
        "nn": "Neste forslag:",
        "en": "Next suggestion:",
    },
    "invitation_notice.matched": {
        "nb": "Nok har takket ja: {reference} er nå «matchet».",
        "nn": "Nok har takka ja: {reference} er no «matcha».",
        "en": "Enough have said yes: {reference} is now matched.",
    },
    "matched.title": {
        "nb": "Vi har funnet brukermedvirkere til {reference} «{title}»",
        "nn": "Vi har funne brukarmedverkarar til {reference} «{title}»",
        "en": "We have found participants for {reference} \u201c{title}\u201d",
    },
    "matched.intro": {
        "nb": "Disse har takket ja. Ta kontakt med dem for å avtale det videre, og husk avtalen om "
        "oppdraget, taushetserklæringen og honorarsatsene.",
        "nn": "Desse har takka ja. Ta kontakt med dei for å avtale det vidare, og hugs avtalen om "
        "oppdraget, teieplikterklæringa og honorarsatsane.",
        "en": "These have said yes. Get in touch with them to agree the next steps, and remember "
        "the assignment agreement, the confidentiality declaration and the fee rates.",
    },
    "link.fee_guideline": {
        "nb": "Honorarretningslinjen",
        "nn": "Honorarretningslina",
        "en": "Fee guideline",
    },
    "link.agreement": {
        "nb": "Avtale om oppdraget",
        "nn": "Avtale om oppdraget",
        "en": "Assignment agreement",
    },
    "link.confidentiality": {
        "nb": "Taushetserklæring",
        "nn": "Teieplikterklæring",
        "en": "Confidentiality declaration",
    },
    "matched.unknown_contact": {
        "nb": "kontaktinformasjon mangler",
        "nn": "kontaktinformasjon manglar",
        "en": "no contact details",
    },
    # -- to the participant ------------------------------------------------------------------
    "consent.subject": {
        "nb": "Vil du være brukermedvirker?",
        "nn": "Vil du vere brukarmedverkar?",
        "en": "Would you like to take part as a user representative?",
    },
    "consent.card_intro": {
        "nb": "{desk} vil gjerne ha deg med i utvalget sitt av brukermedvirkere. "
        "Les hva vi lagrer og svar ja eller nei.",
        "nn": "{desk} vil gjerne ha deg med i utvalet sitt av brukarmedverkarar. "
        "Les kva vi lagrar og svar ja eller nei.",
        "en": "{desk} would like to have you in its pool of user representatives. Read what "
        "we store and answer yes or no.",
    },
    "consent.open": {
        "nb": "Les og svar",
        "nn": "Les og svar",
        "en": "Read and answer",
    },
    "consent.yes": {"nb": "Ja, jeg samtykker", "nn": "Ja, eg samtykkjer", "en": "Yes, I consent"},
    "consent.no": {
        "nb": "Nei, slett opplysningene om meg",
        "nn": "Nei, slett opplysningane om meg",
        "en": "No, delete my details",
    },
    "consent.thanks": {
        "nb": "Takk! Du er nå med i utvalget. Du kan når som helst se, rette eller slette "
        "opplysningene dine på denne siden.",
        "nn": "Takk! Du er no med i utvalet. Du kan når som helst sjå, rette eller slette "
        "opplysningane dine på denne sida.",
        "en": "Thank you! You are now in the pool. You can see, correct or delete your details "
        "on this page at any time.",
    },
    "consent.erased": {
        "nb": "Opplysningene om deg er slettet. Takk for at du svarte.",
        "nn": "Opplysningane om deg er sletta. Takk for at du svarte.",
        "en": "Your details are deleted. Thank you for answering.",
    },
    "person.title": {
        "nb": "Opplysningene dine",
        "nn": "Opplysningane dine",
        "en": "Your details",
    },
    "person.intro": {
        "nb": "Dette har {desk} lagret om deg. Bare de ser det (og andre mottak du selv gir lov "
        "nedenfor), og en bestiller ser navn og kontaktinformasjon når du har takket ja til "
        "deres oppdrag.",
        "nn": "Dette har {desk} lagra om deg. Berre dei ser det (og andre mottak du sjølv gir lov "
        "nedanfor), og ein bestillar ser namn og kontaktinformasjon når du har takka ja til "
        "oppdraget deira.",
        "en": "This is what {desk} has stored about you. Only they see it (and other desks you "
        "allow below); a requester sees your name and contact details once you have said yes "
        "to their assignment.",
    },
    "person.save": {"nb": "Lagre endringene", "nn": "Lagre endringane", "en": "Save changes"},
    "person.saved": {
        "nb": "Endringene er lagret.",
        "nn": "Endringane er lagra.",
        "en": "Your changes are saved.",
    },
    "person.pause": {
        "nb": "Ta pause (ikke spør meg en stund)",
        "nn": "Ta pause (ikkje spør meg ei stund)",
        "en": "Pause (do not ask me for a while)",
    },
    "person.resume": {"nb": "Avslutt pausen", "nn": "Avslutt pausen", "en": "End the pause"},
    "person.paused": {
        "nb": "Du er på pause og blir ikke spurt før du avslutter pausen.",
        "nn": "Du er på pause og blir ikkje spurd før du avsluttar pausen.",
        "en": "You are paused and will not be asked until you end the pause.",
    },
    "person.resumed": {
        "nb": "Pausen er avsluttet. Velkommen tilbake!",
        "nn": "Pausen er avslutta. Velkomen tilbake!",
        "en": "The pause is over. Welcome back!",
    },
    "person.withdraw": {
        "nb": "Trekk meg fra utvalget og slett opplysningene",
        "nn": "Trekk meg frå utvalet og slett opplysningane",
        "en": "Withdraw me from the pool and delete my details",
    },
    "person.withdrawn": {
        "nb": "Du er trukket fra utvalget, og opplysningene om deg er slettet. Takk for innsatsen!",
        "nn": "Du er trekt frå utvalet, og opplysningane om deg er sletta. Takk for innsatsen!",
        "en": "You are withdrawn from the pool and your details are deleted. Thank you for your "
        "help!",
    },
    "person.stay": {
        "nb": "Ja, jeg vil fortsatt være med",
        "nn": "Ja, eg vil framleis vere med",
        "en": "Yes, I still want to take part",
    },
    "person.stayed": {
        "nb": "Takk! Du er fortsatt med i utvalget.",
        "nn": "Takk! Du er framleis med i utvalet.",
        "en": "Thank you! You are still in the pool.",
    },
    "stay.subject": {
        "nb": "Vil du fortsatt være brukermedvirker?",
        "nn": "Vil du framleis vere brukarmedverkar?",
        "en": "Do you still want to take part as a user representative?",
    },
    "stay.intro": {
        "nb": "Det er lenge siden vi hørte fra deg. Vil du fortsatt være med i utvalget? Svarer du "
        "ikke innen {days} dager, sletter vi opplysningene om deg.",
        "nn": "Det er lenge sidan vi høyrde frå deg. Vil du framleis vere med i utvalet? Svarar du "
        "ikkje innan {days} dagar, slettar vi opplysningane om deg.",
        "en": "It is a long time since we heard from you. Do you still want to be in the pool? "
        "If you do not answer within {days} days, we delete your details.",
    },
    "invitation.subject": {
        "nb": "Invitasjon: {title}",
        "nn": "Invitasjon: {title}",
        "en": "Invitation: {title}",
    },
    "invitation.intro": {
        "nb": "Du er spurt om å være brukermedvirker i dette oppdraget. Les om det og svar ja "
        "eller nei innen {expires}.",
        "nn": "Du er spurd om å vere brukarmedverkar i dette oppdraget. Les om det og svar ja "
        "eller nei innan {expires}.",
        "en": "You are asked to take part in this assignment. Read about it and answer yes or no "
        "by {expires}.",
    },
    "invitation.fee": {
        "nb": "Du får honorar etter helseforetakets honorarsatser, betalt av enheten som bestiller. "
        "Lønningskontoret innhenter opplysningene de trenger for utbetaling direkte fra deg.",
        "nn": "Du får honorar etter helseføretaket sine honorarsatsar, betalt av eininga som "
        "bestiller. Lønningskontoret hentar inn opplysningane dei treng for utbetaling direkte "
        "frå deg.",
        "en": "You are paid a fee by the hospital's fee rates, by the unit that orders. Payroll "
        "collects what it needs for the payment from you directly.",
    },
    "invitation.fee_link": {
        "nb": "Honorarsatsene",
        "nn": "Honorarsatsane",
        "en": "The fee rates",
    },
    "invitation.yes": {
        "nb": "Ja, jeg vil delta",
        "nn": "Ja, eg vil delta",
        "en": "Yes, I will take part",
    },
    "invitation.no": {"nb": "Nei takk", "nn": "Nei takk", "en": "No, thank you"},
    "invitation.open": {
        "nb": "Les invitasjonen og svar",
        "nn": "Les invitasjonen og svar",
        "en": "Read the invitation and answer",
    },
    "invitation.accepted": {
        "nb": "Takk for at du vil delta! Den som bestilte tar kontakt med deg.",
        "nn": "Takk for at du vil delta! Den som bestilte tek kontakt med deg.",
        "en": "Thank you for taking part! The person who ordered will get in touch with you.",
    },
    "invitation.declined": {
        "nb": "Takk for svaret. Du kan bli spurt om andre oppdrag senere.",
        "nn": "Takk for svaret. Du kan bli spurd om andre oppdrag seinare.",
        "en": "Thank you for answering. You may be asked about other assignments later.",
    },
    "invitation.withdrawn_text": {
        "nb": "Plassene i «{title}» er fylt, så invitasjonen gjelder ikke lenger. Takk for at du "
        "ville bidra!",
        "nn": "Plassane i «{title}» er fylte, så invitasjonen gjeld ikkje lenger. Takk for at du "
        "ville bidra!",
        "en": "The places in \u201c{title}\u201d are filled, so the invitation no longer stands. "
        "Thank you for wanting to help!",
    },
    "invitation.cancelled_text": {
        "nb": "Oppdraget «{title}» blir ikke noe av, så invitasjonen gjelder ikke lenger. Takk for "
        "at du ville bidra!",
        "nn": "Oppdraget «{title}» blir ikkje noko av, så invitasjonen gjeld ikkje lenger. Takk "
        "for at du ville bidra!",
        "en": "The assignment \u201c{title}\u201d will not go ahead, so the invitation no longer "
        "stands. Thank you for wanting to help!",
    },
    "invitation.field.period": {"nb": "Periode", "nn": "Periode", "en": "Period"},
    "invitation.field.expires": {"nb": "Svar innen", "nn": "Svar innan", "en": "Answer by"},
    "participant.mail_why": {
        "nb": "Du får denne e-posten fordi {desk} har lagt deg til i utvalget sitt av "
        "brukermedvirkere. På siden din kan du se, rette eller slette opplysningene dine.",
        "nn": "Du får denne e-posten fordi {desk} har lagt deg til i utvalet sitt av "
        "brukarmedverkarar. På sida di kan du sjå, rette eller slette opplysningane dine.",
        "en": "You get this e-mail because {desk} added you to its pool of user "
        "representatives. On your page you can see, correct or delete your details.",
    },
    "page.your_page": {
        "nb": "Se og rett opplysningene dine",
        "nn": "Sjå og rett opplysningane dine",
        "en": "See and correct your details",
    },
}
