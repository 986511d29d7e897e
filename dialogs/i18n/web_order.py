"""The web order form for commissioners outside the hospital, and its e-mails."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "weborder.title": {
        "nb": "Bestill brukermedvirkere",
        "nn": "Bestill brukarmedverkarar",
        "en": "Order user representatives",
    },
    "weborder.intro": {
        "nb": "Er du fra en kommune, et universitet, en høgskole eller en bedrift og trenger "
        "pasienter, pårørende eller brukerrepresentanter i et prosjekt? Skriv e-postadressen "
        "din, så sender vi deg en lenke til bestillingsskjemaet. Lenken gjelder i én time.",
        "nn": "Er du frå ein kommune, eit universitet, ei høgskule eller ei bedrift og treng "
        "pasientar, pårørande eller brukarrepresentantar i eit prosjekt? Skriv e-postadressa "
        "di, så sender vi deg ei lenkje til bestillingsskjemaet. Lenkja gjeld i éin time.",
        "en": "Are you from a municipality, a university, a college or a company and need "
        "patients, next of kin or user representatives in a project? Write your e-mail address "
        "and we will send you a link to the order form. The link lasts one hour.",
    },
    "weborder.email": {
        "nb": "E-postadressen din",
        "nn": "E-postadressa di",
        "en": "Your e-mail address",
    },
    "weborder.desk": {
        "nb": "Hvem bestiller du fra?",
        "nn": "Kven bestiller du frå?",
        "en": "Who are you ordering from?",
    },
    "weborder.send_form_link": {
        "nb": "Send meg lenken til skjemaet",
        "nn": "Send meg lenkja til skjemaet",
        "en": "Send me the link to the form",
    },
    "weborder.send_mine_link": {
        "nb": "Send meg en lenke til bestillingene mine",
        "nn": "Send meg ei lenkje til bestillingane mine",
        "en": "Send me a link to my requests",
    },
    "weborder.sent_title": {
        "nb": "Sjekk e-posten din",
        "nn": "Sjekk e-posten din",
        "en": "Check your e-mail",
    },
    "weborder.sent": {
        "nb": "Hvis adressen kan brukes, får du en e-post med en lenke om litt. Lenken gjelder i én "
        "time. Finner du den ikke, se i søppelposten.",
        "nn": "Viss adressa kan brukast, får du ein e-post med ei lenkje om litt. Lenkja gjeld i éin "
        "time. Finn du ho ikkje, sjå i søppelposten.",
        "en": "If the address can be used, an e-mail with a link will reach you shortly. The link "
        "lasts one hour. If you cannot find it, look in your spam folder.",
    },
    "weborder.error.email": {
        "nb": "Skriv en e-postadresse, for eksempel navn@kommune.no.",
        "nn": "Skriv ei e-postadresse, til dømes namn@kommune.no.",
        "en": "Write an e-mail address, such as name@example.org.",
    },
    "weborder.error.desk": {
        "nb": "Velg hvem du bestiller fra.",
        "nn": "Vel kven du bestiller frå.",
        "en": "Choose who you are ordering from.",
    },
    "weborder.no_desk": {
        "nb": "Ingen tar imot bestillinger utenfra på nett ennå.",
        "nn": "Ingen tek imot bestillingar utanfrå på nett enno.",
        "en": "Nobody takes orders from outside on the web yet.",
    },
    "weborder.too_many_title": {
        "nb": "For mange forsøk",
        "nn": "For mange forsøk",
        "en": "Too many attempts",
    },
    "weborder.too_many": {
        "nb": "Det er sendt for mange forespørsler fra denne adressen eller dette nettet den siste "
        "timen. Prøv igjen senere.",
        "nn": "Det er sendt for mange førespurnader frå denne adressa eller dette nettet den siste "
        "timen. Prøv igjen seinare.",
        "en": "Too many requests came from this address or this network in the last hour. Please "
        "try again later.",
    },
    "weborder.form_intro": {
        "nb": "Fyll ut skjemaet. Skriv aldri fødselsnummer, diagnoser eller andre "
        "helseopplysninger om noen. Du ser alt igjen før du sender.",
        "nn": "Fyll ut skjemaet. Skriv aldri fødselsnummer, diagnosar eller andre "
        "helseopplysningar om nokon. Du ser alt att før du sender.",
        "en": "Fill in the form. Never write national identity numbers, diagnoses or other "
        "health information about anyone. You will see it all again before you send it.",
    },
    "weborder.about_request": {"nb": "Oppdraget", "nn": "Oppdraget", "en": "The assignment"},
    "weborder.about_org": {
        "nb": "Virksomheten som bestiller og betaler",
        "nn": "Verksemda som bestiller og betaler",
        "en": "The organisation that orders and pays",
    },
    "weborder.errors_title": {
        "nb": "Noe må rettes ({count})",
        "nn": "Noko må rettast ({count})",
        "en": "Something needs correcting ({count})",
    },
    "weborder.review": {"nb": "Se over", "nn": "Sjå over", "en": "Review"},
    "weborder.summary_title": {
        "nb": "Se over bestillingen",
        "nn": "Sjå over bestillinga",
        "en": "Review your request",
    },
    "weborder.edit": {"nb": "Endre {field}", "nn": "Endre {field}", "en": "Edit {field}"},
    "weborder.send": {
        "nb": "Send bestillingen",
        "nn": "Send bestillinga",
        "en": "Send the request",
    },
    "weborder.field.name": {"nb": "Navnet ditt", "nn": "Namnet ditt", "en": "Your name"},
    "weborder.field.unit_other": {
        "nb": "Avdeling, prosjekt eller enhet hos dere",
        "nn": "Avdeling, prosjekt eller eining hos dykk",
        "en": "Your department, project or unit",
    },
    "weborder.field.org_name": {"nb": "Virksomhet", "nn": "Verksemd", "en": "Organisation"},
    "weborder.field.org_number": {
        "nb": "Organisasjonsnummer (9 sifre, hvis dere har)",
        "nn": "Organisasjonsnummer (9 siffer, viss de har)",
        "en": "Organisation number (9 digits, if you have one)",
    },
    "weborder.field.invoice_email": {
        "nb": "E-postadresse for faktura",
        "nn": "E-postadresse for faktura",
        "en": "E-mail address for invoices",
    },
    "weborder.field.invoice_address": {
        "nb": "Eller postadresse for faktura",
        "nn": "Eller postadresse for faktura",
        "en": "Or postal address for invoices",
    },
    "weborder.field.buyer_reference": {
        "nb": "Deres referanse på fakturaen (valgfritt)",
        "nn": "Dykkar referanse på fakturaen (valfritt)",
        "en": "Your reference on the invoice (optional)",
    },
    "weborder.receipt_title": {
        "nb": "Takk, bestillingen er mottatt",
        "nn": "Takk, bestillinga er motteken",
        "en": "Thank you, your request is received",
    },
    "weborder.receipt": {
        "nb": "Referansen er {reference}. {desk} fordeler bestillingen og finner brukermedvirkere. "
        "Du får e-post når noe skjer, og kontaktinformasjonen til dem som sier ja.",
        "nn": "Referansen er {reference}. {desk} fordeler bestillinga og finn brukarmedverkarar. "
        "Du får e-post når noko skjer, og kontaktinformasjonen til dei som seier ja.",
        "en": "The reference is {reference}. {desk} distributes the request and finds user "
        "representatives. You will get an e-mail when something happens, and the contact "
        "details of those who say yes.",
    },
    "weborder.mine_title": {
        "nb": "Bestillingene dine",
        "nn": "Bestillingane dine",
        "en": "Your requests",
    },
    "weborder.mine_none": {
        "nb": "Du har ingen bestillinger her ennå.",
        "nn": "Du har ingen bestillingar her enno.",
        "en": "You have no requests here yet.",
    },
    "weborder.mine_link": {
        "nb": "Se bestillingene dine",
        "nn": "Sjå bestillingane dine",
        "en": "See your requests",
    },
    "weborder.new_order": {"nb": "Ny bestilling", "nn": "Ny bestilling", "en": "New request"},
    # E-mails. Subjects say the kind only.
    "weborder.mail.link_subject": {
        "nb": "Lenke til bestillingsskjemaet",
        "nn": "Lenkje til bestillingsskjemaet",
        "en": "A link to the order form",
    },
    "weborder.mail.link_intro": {
        "nb": "Du (eller noen som skrev adressen din) ba om å bestille brukermedvirkere. "
        "Lenken gjelder i én time. Ba du ikke om den, kan du se bort fra e-posten.",
        "nn": "Du (eller nokon som skreiv adressa di) bad om å bestille brukarmedverkarar. "
        "Lenkja gjeld i éin time. Bad du ikkje om ho, kan du sjå bort frå e-posten.",
        "en": "You (or someone who typed your address) asked to order user representatives. "
        "The link lasts one hour. If you did not ask for it, you can ignore this e-mail.",
    },
    "weborder.mail.mine_subject": {
        "nb": "Lenke til bestillingene dine",
        "nn": "Lenkje til bestillingane dine",
        "en": "A link to your requests",
    },
    "weborder.mail.receipt_subject": {
        "nb": "Bestillingen er mottatt",
        "nn": "Bestillinga er motteken",
        "en": "Your request is received",
    },
    "weborder.mail.why": {
        "nb": "Du får denne e-posten fordi adressen ble brukt i bestillingsskjemaet for "
        "brukermedvirkning.",
        "nn": "Du får denne e-posten fordi adressa vart brukt i bestillingsskjemaet for "
        "brukarmedverknad.",
        "en": "You get this e-mail because the address was used in the order form for user "
        "involvement.",
    },
    "weborder.mail.notice_subject": {
        "nb": "Nytt om bestillingen din",
        "nn": "Nytt om bestillinga di",
        "en": "News about your request",
    },
    "weborder.mail.matched_subject": {
        "nb": "Brukermedvirkere har sagt ja",
        "nn": "Brukarmedverkarar har sagt ja",
        "en": "User representatives have said yes",
    },
}
