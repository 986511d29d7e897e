"""Texts shared by every flow: welcome, help, commands, general errors."""

MESSAGES = {
    "welcome": {
        "nb": (
            "Hei! Jeg er **medvirk**, boten for brukermedvirkning. Her kan du bestille en "
            "brukermedvirker til et prosjekt, følge bestillingene dine og få påminnelser om "
            "samlinger og undersøkelser. Skriv **hjelp** for å se hva jeg kan."
        ),
        "nn": (
            "Hei! Eg er **medvirk**, boten for brukarmedverknad. Her kan du bestille ein "
            "brukarmedverkar til eit prosjekt, følgje bestillingane dine og få påminningar om "
            "samlingar og undersøkingar. Skriv **hjelp** for å sjå kva eg kan."
        ),
        "en": (
            "Hi! I am **medvirk**, the user-involvement bot. Here you can order a participant "
            "for a project, follow your requests and get reminders about gatherings and "
            "surveys. Type **help** to see what I can do."
        ),
    },
    "help.title": {
        "nb": "Dette kan jeg hjelpe med",
        "nn": "Dette kan eg hjelpe med",
        "en": "What I can help with",
    },
    "help.body": {
        "nb": (
            "- **bestill**: bestill en brukermedvirker til et prosjekt\n"
            "- **mine**: se bestillingene dine og status\n"
            "- **avbryt**: avbryt bestillingen du holder på med\n"
            "- **abonner**: få påminnelser om samlinger og undersøkelser\n"
            "- **avslutt abonnement**: slutt å få påminnelser\n"
            "- **hjelp**: denne oversikten"
        ),
        "nn": (
            "- **bestill**: bestill ein brukarmedverkar til eit prosjekt\n"
            "- **mine**: sjå bestillingane dine og status\n"
            "- **avbryt**: avbryt bestillinga du held på med\n"
            "- **abonner**: få påminningar om samlingar og undersøkingar\n"
            "- **avslutt abonnement**: slutt å få påminningar\n"
            "- **hjelp**: denne oversikta"
        ),
        "en": (
            "- **order**: order a participant for a project\n"
            "- **my requests**: see your requests and their status\n"
            "- **cancel**: cancel the request you are filling in\n"
            "- **subscribe**: get reminders about gatherings and surveys\n"
            "- **unsubscribe**: stop the reminders\n"
            "- **help**: this overview"
        ),
    },
    "help.resource_page": {"nb": "Ressursside", "nn": "Ressursside", "en": "Resource page"},
    "help.elearning": {"nb": "E-læringskurs", "nn": "E-læringskurs", "en": "E-learning course"},
    "unknown_command": {
        "nb": "Det forsto jeg ikke. Skriv **hjelp** for å se hva jeg kan.",
        "nn": "Det forstod eg ikkje. Skriv **hjelp** for å sjå kva eg kan.",
        "en": "I did not understand that. Type **help** to see what I can do.",
    },
    "error.internal": {
        "nb": "Beklager, noe gikk galt hos meg. Prøv igjen om litt. (Feilkode: {correlation_id})",
        "nn": "Orsak, noko gjekk gale hos meg. Prøv igjen om litt. (Feilkode: {correlation_id})",
        "en": "Sorry, something went wrong on my side. Please try again shortly. "
        "(Error code: {correlation_id})",
    },
    "error.slow": {
        "nb": "Beklager, databasen min svarer ikke akkurat nå, så det du sendte sist er "
        "kanskje ikke lagret. Prøv igjen om litt. (Feilkode: {correlation_id})",
        "nn": "Orsak, databasen min svarar ikkje akkurat no, så det du sende sist er "
        "kanskje ikkje lagra. Prøv igjen om litt. (Feilkode: {correlation_id})",
        "en": "Sorry, my database is not answering right now, so what you last sent may "
        "not be saved. Please try again shortly. (Error code: {correlation_id})",
    },
    "error.conflict": {
        "nb": "Du svarte to ganger samtidig. Jeg tok det første svaret; se siste spørsmål.",
        "nn": "Du svara to gonger samtidig. Eg tok det første svaret; sjå siste spørsmål.",
        "en": "You answered twice at once. I took the first answer; see the latest question.",
    },
    "error.personal_only": {
        "nb": "Dette gjør du i en personlig chat med meg, ikke her.",
        "nn": "Dette gjer du i ein personleg chat med meg, ikkje her.",
        "en": "Please do this in a personal chat with me, not here.",
    },
    "error.not_admin": {
        "nb": "Dette kan bare administratorer for brukermedvirkning gjøre.",
        "nn": "Dette kan berre administratorar for brukarmedverknad gjere.",
        "en": "Only user-involvement administrators can do this.",
    },
    "error.bad_card_data": {
        "nb": "Kortet sendte data jeg ikke kjenner igjen. Ingenting ble endret.",
        "nn": "Kortet sende data eg ikkje kjenner att. Ingenting vart endra.",
        "en": "The card sent data I do not recognise. Nothing was changed.",
    },
    "error.text_too_long": {
        "nb": "Meldingen er for lang ({length} tegn). Skriv kortere, så prøver vi igjen.",
        "nn": "Meldinga er for lang ({length} teikn). Skriv kortare, så prøver vi igjen.",
        "en": "The message is too long ({length} characters). Please write less and try again.",
    },
}
