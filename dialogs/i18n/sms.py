"""SMS: the short text an e-mail becomes, and the answers to replies. Kept to
the GSM alphabet (æ, ø and å are in it; a dash or a curly quote is not, and
one of those makes an SMS three times as dear)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "person.sms.label": {"nb": "SMS", "nn": "SMS", "en": "SMS"},
    "person.sms.prefer": {
        "nb": "Send meg SMS i stedet for e-post",
        "nn": "Send meg SMS i staden for e-post",
        "en": "Send me SMS instead of e-mail",
    },
    "person.sms.on": {
        "nb": "Slå på SMS igjen (du svarte STOPP)",
        "nn": "Slå på SMS igjen (du svarte STOPP)",
        "en": "Turn SMS on again (you replied STOP)",
    },
    "sms.from": {
        "nb": "{desk}: {subject}",
        "nn": "{desk}: {subject}",
        "en": "{desk}: {subject}",
    },
    "sms.open": {"nb": "Se {link}", "nn": "Sjå {link}", "en": "See {link}"},
    "sms.answer_code": {
        "nb": "Svar JA {code} eller NEI {code}.",
        "nn": "Svar JA {code} eller NEI {code}.",
        "en": "Reply YES {code} or NO {code}.",
    },
    "sms.reply.invitation.accepted": {
        "nb": "Takk for ja! Vi tar kontakt om det videre.",
        "nn": "Takk for ja! Vi tek kontakt om det vidare.",
        "en": "Thank you for your yes! We will be in touch.",
    },
    "sms.reply.invitation.declined": {
        "nb": "Takk for svaret. Du er ikke med denne gangen.",
        "nn": "Takk for svaret. Du er ikkje med denne gongen.",
        "en": "Thank you for answering. You are not taking part this time.",
    },
    "sms.reply.no_such_code": {
        "nb": "Vi finner ingen invitasjon med koden {code}. Se lenken i SMS-en du fikk.",
        "nn": "Vi finn inga invitasjon med koden {code}. Sjå lenkja i SMS-en du fekk.",
        "en": "We find no invitation with the code {code}. See the link in the SMS you got.",
    },
    "sms.reply.stopped": {
        "nb": "Du får ikke flere SMS fra {desk}. Du kan slå det på igjen på siden din.",
        "nn": "Du får ikkje fleire SMS frå {desk}. Du kan slå det på igjen på sida di.",
        "en": "You will get no more SMS from {desk}. You can turn them on again on your page.",
    },
    "sms.reply.help": {
        "nb": "Dette er {desk} (brukermedvirkning). Svar STOPP for å slutte å få SMS.",
        "nn": "Dette er {desk} (brukarmedverknad). Svar STOPP for å slutte å få SMS.",
        "en": "This is {desk} (user involvement). Reply STOP to get no more SMS.",
    },
    "sms.reply.identity": {
        "nb": "Ikke send personnummer på SMS. Vi har ikke lagret meldingen din.",
        "nn": "Ikkje send personnummer på SMS. Vi har ikkje lagra meldinga di.",
        "en": "Do not send an identity number by SMS. We have not kept your message.",
    },
    "sms.reply.not_understood": {
        "nb": "Vi forstod ikke svaret. Svar JA eller NEI og koden, STOPP eller HJELP.",
        "nn": "Vi forstod ikkje svaret. Svar JA eller NEI og koden, STOPP eller HJELP.",
        "en": "We did not understand. Reply YES or NO and the code, STOP or HELP.",
    },
    "sms.reply.unknown_number": {
        "nb": "Dette nummeret tar ikke imot meldinger fra deg. Kontakt {desk} på e-post.",
        "nn": "Dette nummeret tek ikkje imot meldingar frå deg. Kontakt {desk} på e-post.",
        "en": "This number takes no messages from you. Contact {desk} by e-mail.",
    },
    "sms.budget.warning": {
        "nb": "{desk} har brukt 80 % av SMS-budsjettet for {month}.",
        "nn": "{desk} har brukt 80 % av SMS-budsjettet for {month}.",
        "en": "{desk} has used 80 % of its SMS budget for {month}.",
    },
    "sms.budget.spent": {
        "nb": "{desk} har brukt hele SMS-budsjettet for {month}: ingen flere SMS går ut denne måneden.",
        "nn": "{desk} har brukt heile SMS-budsjettet for {month}: ingen fleire SMS går ut denne månaden.",
        "en": "{desk} has used its whole SMS budget for {month}: no more SMS go out this month.",
    },
}
