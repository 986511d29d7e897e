"""Subscriptions, gathering and survey reminders, RSVP, the admin forms."""

MESSAGES = {
    "group.contacts": {
        "nb": "Brukermedvirkningskontakter",
        "nn": "Brukarmedverknadskontaktar",
        "en": "User-involvement contacts",
    },
    "group.participants": {
        "nb": "Brukermedvirkere",
        "nn": "Brukarmedverkarar",
        "en": "Participants",
    },
    "group.youth": {"nb": "Ungdomsrådet", "nn": "Ungdomsrådet", "en": "Youth council"},
    "group.employees": {"nb": "Ansatte", "nn": "Tilsette", "en": "Employees"},
    "subscribe.done": {
        "nb": "Du får nå påminnelser om samlinger og undersøkelser for alle grupper. "
        "Velg under hvis du bare vil ha noen av dem.",
        "nn": "Du får no påminningar om samlingar og undersøkingar for alle grupper. "
        "Vel under om du berre vil ha nokre av dei.",
        "en": "You will now get reminders about gatherings and surveys for every group. "
        "Choose below if you only want some of them.",
    },
    "subscribe.title": {
        "nb": "Dine påminnelser",
        "nn": "Påminningane dine",
        "en": "Your reminders",
    },
    "subscribe.choose": {
        "nb": "Hvilke grupper hører du til?",
        "nn": "Kva grupper høyrer du til?",
        "en": "Which groups do you belong to?",
    },
    "subscribe.save": {"nb": "Lagre", "nn": "Lagre", "en": "Save"},
    "subscribe.saved": {
        "nb": "Lagret. Du får påminnelser for: {groups}.",
        "nn": "Lagra. Du får påminningar for: {groups}.",
        "en": "Saved. You will get reminders for: {groups}.",
    },
    "subscribe.none_chosen": {
        "nb": "Velg minst én gruppe, eller skriv **avslutt abonnement**.",
        "nn": "Vel minst éi gruppe, eller skriv **avslutt abonnement**.",
        "en": "Choose at least one group, or type **unsubscribe**.",
    },
    "unsubscribe.done": {
        "nb": "Du får ingen flere påminnelser. Skriv **abonner** for å starte igjen.",
        "nn": "Du får ingen fleire påminningar. Skriv **abonner** for å starte igjen.",
        "en": "You will get no more reminders. Type **subscribe** to start again.",
    },
    "gathering.when": {"nb": "Når", "nn": "Når", "en": "When"},
    "gathering.place": {"nb": "Sted", "nn": "Stad", "en": "Place"},
    "gathering.register_by": {
        "nb": "Påmeldingsfrist",
        "nn": "Påmeldingsfrist",
        "en": "Register by",
    },
    "gathering.reminder": {
        "nb": "Påminnelse: {title}",
        "nn": "Påminning: {title}",
        "en": "Reminder: {title}",
    },
    "gathering.register_reminder": {
        "nb": "Husk påmeldingen: {title}",
        "nn": "Hugs påmeldinga: {title}",
        "en": "Remember to register: {title}",
    },
    "gathering.register": {"nb": "Meld deg på", "nn": "Meld deg på", "en": "Register"},
    "gathering.calendar": {
        "nb": "Legg i kalender",
        "nn": "Legg i kalender",
        "en": "Add to calendar",
    },
    "gathering.coming": {"nb": "Jeg kommer", "nn": "Eg kjem", "en": "Coming"},
    "gathering.not_coming": {"nb": "Jeg kommer ikke", "nn": "Eg kjem ikkje", "en": "Not coming"},
    "gathering.rsvp_yes": {
        "nb": "Takk! Vi har notert at du kommer.",
        "nn": "Takk! Vi har notert at du kjem.",
        "en": "Thank you! We have noted that you are coming.",
    },
    "gathering.rsvp_no": {
        "nb": "Takk for beskjed. Vi har notert at du ikke kommer.",
        "nn": "Takk for beskjed. Vi har notert at du ikkje kjem.",
        "en": "Thanks for letting us know that you are not coming.",
    },
    "gathering.cancelled": {
        "nb": "Avlyst: {title} ({when}) blir ikke noe av.",
        "nn": "Avlyst: {title} ({when}) blir ikkje noko av.",
        "en": "Cancelled: {title} ({when}) will not take place.",
    },
    "gathering.is_cancelled": {
        "nb": "Denne samlingen er avlyst.",
        "nn": "Denne samlinga er avlyst.",
        "en": "This gathering has been cancelled.",
    },
    "survey.reminder": {
        "nb": "Husk undersøkelsen: {title}",
        "nn": "Hugs undersøkinga: {title}",
        "en": "Please answer the survey: {title}",
    },
    "survey.deadline": {"nb": "Frist", "nn": "Frist", "en": "Deadline"},
    "survey.open": {"nb": "Åpne undersøkelsen", "nn": "Opne undersøkinga", "en": "Open survey"},
    "survey.answered": {"nb": "Jeg har svart", "nn": "Eg har svart", "en": "I have answered"},
    "survey.thanks": {
        "nb": "Takk for svaret! Du får ikke flere påminnelser om denne undersøkelsen.",
        "nn": "Takk for svaret! Du får ikkje fleire påminningar om denne undersøkinga.",
        "en": "Thank you for answering! You will get no more reminders about this survey.",
    },
    "reminder.unknown": {
        "nb": "Fant ikke samlingen eller undersøkelsen.",
        "nn": "Fann ikkje samlinga eller undersøkinga.",
        "en": "The gathering or survey was not found.",
    },
    "reminder.not_subscribed": {
        "nb": "Du er ikke registrert for påminnelser. Skriv **abonner** først.",
        "nn": "Du er ikkje registrert for påminningar. Skriv **abonner** først.",
        "en": "You are not signed up for reminders. Type **subscribe** first.",
    },
    # -- admin forms ------------------------------------------------------------------------
    "admin.gathering.title": {"nb": "Ny samling", "nn": "Ny samling", "en": "New gathering"},
    "admin.survey.title": {"nb": "Ny undersøkelse", "nn": "Ny undersøking", "en": "New survey"},
    "admin.field.title": {"nb": "Tittel", "nn": "Tittel", "en": "Title"},
    "admin.field.starts_date": {"nb": "Startdato", "nn": "Startdato", "en": "Start date"},
    "admin.field.starts_time": {"nb": "Starttid", "nn": "Starttid", "en": "Start time"},
    "admin.field.ends_time": {
        "nb": "Sluttid (valgfritt)",
        "nn": "Sluttid (valfritt)",
        "en": "End time (optional)",
    },
    "admin.field.place": {"nb": "Sted", "nn": "Stad", "en": "Place"},
    "admin.field.register_url": {
        "nb": "Lenke til påmelding",
        "nn": "Lenkje til påmelding",
        "en": "Registration link",
    },
    "admin.field.register_by": {
        "nb": "Påmeldingsfrist",
        "nn": "Påmeldingsfrist",
        "en": "Register by",
    },
    "admin.field.groups": {
        "nb": "Hvem inviteres",
        "nn": "Kven blir inviterte",
        "en": "Who is invited",
    },
    "admin.field.remind": {
        "nb": "Påminnelser før (f.eks. 14d,1d)",
        "nn": "Påminningar før (t.d. 14d,1d)",
        "en": "Reminders before (e.g. 14d,1d)",
    },
    "admin.field.url": {
        "nb": "Lenke til undersøkelsen",
        "nn": "Lenkje til undersøkinga",
        "en": "Survey link",
    },
    "admin.field.closes": {"nb": "Svarfrist", "nn": "Svarfrist", "en": "Closes"},
    "admin.create": {"nb": "Opprett", "nn": "Opprett", "en": "Create"},
    "admin.created_gathering": {
        "nb": "Samlingen «{title}» er opprettet med {count} påminnelser.",
        "nn": "Samlinga «{title}» er oppretta med {count} påminningar.",
        "en": "The gathering “{title}” was created with {count} reminders.",
    },
    "admin.created_survey": {
        "nb": "Undersøkelsen «{title}» er opprettet med {count} påminnelser.",
        "nn": "Undersøkinga «{title}» er oppretta med {count} påminningar.",
        "en": "The survey “{title}” was created with {count} reminders.",
    },
    "admin.invalid": {
        "nb": "Det stemmer ikke: {problem}. Ingenting er lagret.",
        "nn": "Det stemmer ikkje: {problem}. Ingenting er lagra.",
        "en": "That does not work: {problem}. Nothing was stored.",
    },
    "cmd.new_gathering": {
        "nb": "Opprett en samling med påminnelser (admin)",
        "nn": "Opprett ei samling med påminningar (admin)",
        "en": "Create a gathering with reminders (admin)",
    },
    "cmd.new_survey": {
        "nb": "Opprett en undersøkelse med påminnelser (admin)",
        "nn": "Opprett ei undersøking med påminningar (admin)",
        "en": "Create a survey with reminders (admin)",
    },
    "cmd.deliveries": {
        "nb": "Se hvordan påminnelsene nådde fram (for administratorer)",
        "nn": "Sjå korleis påminningane nådde fram (for administratorar)",
        "en": "See how the reminders reached people (for admins)",
    },
    "report.title": {
        "nb": "Påminnelser: hvordan de nådde fram",
        "nn": "Påminningar: korleis dei nådde fram",
        "en": "Reminders: how they reached people",
    },
    "report.none": {
        "nb": "Ingen aktive samlinger eller undersøkelser.",
        "nn": "Ingen aktive samlingar eller undersøkingar.",
        "en": "No active gatherings or surveys.",
    },
    "report.kind.gathering": {"nb": "Samling", "nn": "Samling", "en": "Gathering"},
    "report.kind.register": {
        "nb": "Påmeldingsfrist",
        "nn": "Påmeldingsfrist",
        "en": "Registration deadline",
    },
    "report.kind.survey": {"nb": "Undersøkelse", "nn": "Undersøking", "en": "Survey"},
    "report.state.planned": {"nb": "planlagt", "nn": "planlagd", "en": "planned"},
    "report.state.sent": {"nb": "sendt", "nn": "sendt", "en": "sent"},
    "report.state.dropped": {"nb": "droppet", "nn": "droppa", "en": "dropped"},
    "report.counts": {
        "nb": "Teams {teams} · e-post {email} · venter {pending} · ikke nådd {unreachable} · "
        "ikke nødvendig {skipped} · gitt opp {given_up}",
        "nn": "Teams {teams} · e-post {email} · ventar {pending} · ikkje nådd {unreachable} · "
        "ikkje naudsynt {skipped} · gitt opp {given_up}",
        "en": "Teams {teams} · e-mail {email} · pending {pending} · unreachable {unreachable} · "
        "not needed {skipped} · given up {given_up}",
    },
    "report.reason": {
        "nb": "Gitt opp: {reason} ({count})",
        "nn": "Gitt opp: {reason} ({count})",
        "en": "Given up: {reason} ({count})",
    },
    "report.resend": {
        "nb": "Send på nytt til dem som ikke fikk den",
        "nn": "Send på nytt til dei som ikkje fekk han",
        "en": "Send again to those who did not get it",
    },
    "report.resent": {
        "nb": "{count} påminnelser er lagt i kø på nytt (aldri to ganger til samme person).",
        "nn": "{count} påminningar er lagde i kø på nytt (aldri to gonger til same person).",
        "en": "{count} reminders are queued again (never twice to the same person).",
    },
}
