"""One-line descriptions of the commands (help card and Teams manifest)."""

MESSAGES = {
    "cmd.order": {
        "nb": "Bestill en brukermedvirker",
        "nn": "Bestill ein brukarmedverkar",
        "en": "Order a participant",
    },
    "cmd.mine": {
        "nb": "Se bestillingene dine",
        "nn": "Sjå bestillingane dine",
        "en": "See your requests",
    },
    "cmd.cancel": {
        "nb": "Avbryt bestillingen du holder på med",
        "nn": "Avbryt bestillinga du held på med",
        "en": "Cancel the request you are filling in",
    },
    "cmd.help": {"nb": "Hva boten kan", "nn": "Kva boten kan", "en": "What the bot can do"},
    "cmd.subscribe": {
        "nb": "Få påminnelser om samlinger og undersøkelser",
        "nn": "Få påminningar om samlingar og undersøkingar",
        "en": "Get reminders about gatherings and surveys",
    },
    "cmd.unsubscribe": {
        "nb": "Slutt å få påminnelser",
        "nn": "Slutt å få påminningar",
        "en": "Stop the reminders",
    },
    "cmd.register_channel": {
        "nb": "Gjør denne kanalen til et mottaks, med koden bak (uten kode: prioriteringsteamets) (admin)",
        "nn": "Gjer denne kanalen til eit mottak sin, med koden bak (utan kode: prioriteringsteamet sin) (admin)",
        "en": "Make this a desk's channel, its code after (no code: the priority team's) (admin)",
    },
    "cmd.overview": {
        "nb": "Vis åpne bestillinger",
        "nn": "Vis opne bestillingar",
        "en": "Show open requests",
    },
    "cmd.statistics": {
        "nb": "Tall for årsrapporten, f.eks. «statistikk 2026»",
        "nn": "Tal for årsrapporten, t.d. «statistikk 2026»",
        "en": "Figures for the annual report, e.g. “statistics 2026”",
    },
}
