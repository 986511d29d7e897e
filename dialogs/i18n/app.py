"""The app's name and descriptions (Teams manifest and store listing)."""

MESSAGES = {
    "app.name.short": {"nb": "medvirk", "nn": "medvirk", "en": "medvirk"},
    "app.name.full": {
        "nb": "medvirk – brukermedvirkning",
        "nn": "medvirk – brukarmedverknad",
        "en": "medvirk – user involvement",
    },
    "app.description.short": {
        "nb": "Bestill brukermedvirkere, fordel bestillinger og få påminnelser.",
        "nn": "Bestill brukarmedverkarar, fordel bestillingar og få påminningar.",
        "en": "Order participants, distribute requests and get reminders.",
    },
    "app.description.full": {
        "nb": "Ansatte bestiller brukermedvirkere til prosjekter i en veiledet chat. "
        "Prioriteringsteamet tar og følger opp bestillingene i sin kanal. "
        "Brukermedvirkningskontakter og brukermedvirkere får påminnelser om samlinger og "
        "undersøkelser.",
        "nn": "Tilsette bestiller brukarmedverkarar til prosjekt i ein rettleidd chat. "
        "Prioriteringsteamet tek og følgjer opp bestillingane i kanalen sin. "
        "Brukarmedverknadskontaktar og brukarmedverkarar får påminningar om samlingar og "
        "undersøkingar.",
        "en": "Staff order participants for projects in a guided chat. The priority team "
        "claims and follows up requests in its channel. Contacts and participants get "
        "reminders about gatherings and surveys.",
    },
}
