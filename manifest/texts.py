"""The app's name and descriptions in the three languages (the manifest's own strings)."""

APP_TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "name.short": "Brukermedvirkning",
        "name.full": "Brukermedvirkning: bestilling, fordeling og påminnelser",
        "description.short": "Bestill brukermedvirkere, fordel bestillinger og få påminnelser.",
        "description.full": (
            "Ansatte bestiller en brukermedvirker i en samtale med boten. Prioriteringsteamet "
            "tar og følger opp bestillingene i sin kanal. Kontakter får påminnelser om "
            "samlinger og undersøkelser."
        ),
    },
    "nn": {
        "name.short": "Brukarmedverknad",
        "name.full": "Brukarmedverknad: bestilling, fordeling og påminningar",
        "description.short": "Bestill brukarmedverkarar, fordel bestillingar og få påminningar.",
        "description.full": (
            "Tilsette bestiller ein brukarmedverkar i ein samtale med boten. Prioriteringsteamet "
            "tek og følgjer opp bestillingane i kanalen sin. Kontaktar får påminningar om "
            "samlingar og undersøkingar."
        ),
    },
    "en": {
        "name.short": "User involvement",
        "name.full": "User involvement: ordering, claiming and reminders",
        "description.short": "Order participants, share out requests and get reminders.",
        "description.full": (
            "Staff order a participant in a chat with the bot. The priority team claims and "
            "follows up requests in its channel. Contacts get reminders about gatherings and "
            "surveys."
        ),
    },
}
