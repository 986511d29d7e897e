"""The annual report (PDF and spreadsheet) and the `statistikk` card's headline."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "annual.title": {
        "nb": "Brukermedvirkning {year}: årsrapport",
        "nn": "Brukarmedverknad {year}: årsrapport",
        "en": "User involvement {year}: annual report",
    },
    "annual.made": {
        "nb": "Laget av medvirk {date}. Grupper med færre enn 5 personer vises ikke.",
        "nn": "Laga av medvirk {date}. Grupper med færre enn 5 personar blir ikkje viste.",
        "en": "Made by medvirk on {date}. Groups of fewer than 5 people are not shown.",
    },
    "annual.headline": {"nb": "Hovedtall", "nn": "Hovudtal", "en": "Headline figures"},
    "annual.requests": {"nb": "Bestillinger", "nn": "Bestillingar", "en": "Requests"},
    "annual.matched_share": {
        "nb": "Andel som fikk brukermedvirker",
        "nn": "Del som fekk brukarmedverkar",
        "en": "Share matched",
    },
    "annual.to_claim": {
        "nb": "Dager fra innsendt til tatt (median / 90. persentil)",
        "nn": "Dagar frå innsend til teken (median / 90. persentil)",
        "en": "Days from submitted to claimed (median / 90th percentile)",
    },
    "annual.to_match": {
        "nb": "Dager fra innsendt til brukermedvirker funnet (median / 90. persentil)",
        "nn": "Dagar frå innsend til brukarmedverkar funnen (median / 90. persentil)",
        "en": "Days from submitted to matched (median / 90th percentile)",
    },
    "annual.participants": {
        "nb": "Brukermedvirkere i utvalget",
        "nn": "Brukarmedverkarar i utvalet",
        "en": "Participants in the pool",
    },
    "annual.new_participants": {
        "nb": "Nye brukermedvirkere i år",
        "nn": "Nye brukarmedverkarar i år",
        "en": "New participants this year",
    },
    "annual.by_role": {
        "nb": "Brukermedvirkere etter rolle",
        "nn": "Brukarmedverkarar etter rolle",
        "en": "Participants by role",
    },
    "annual.outside": {
        "nb": "Bestilt utenfra (på nett)",
        "nn": "Bestilt utanfrå (på nett)",
        "en": "Ordered from outside (on the web)",
    },
    "annual.outside_by_commissioner": {
        "nb": "Bestilt utenfra, per virksomhet",
        "nn": "Bestilt utanfrå, per verksemd",
        "en": "Ordered from outside, by organisation",
    },
    "annual.outside_by_type": {
        "nb": "Bestilt utenfra, per type oppdrag",
        "nn": "Bestilt utanfrå, per type oppdrag",
        "en": "Ordered from outside, by assignment type",
    },
    "annual.invoiced": {
        "nb": "Fakturert per virksomhet (uten mva.)",
        "nn": "Fakturert per verksemd (utan mva.)",
        "en": "Invoiced per organisation (without VAT)",
    },
    "annual.kroner": {"nb": "Kroner", "nn": "Kroner", "en": "NOK"},
    "annual.claims": {
        "nb": "Bekreftede honorarkrav",
        "nn": "Stadfesta honorarkrav",
        "en": "Confirmed fee claims",
    },
    "annual.hours": {"nb": "Timer", "nn": "Timar", "en": "Hours"},
    "annual.fees": {"nb": "Honorar (kr)", "nn": "Honorar (kr)", "en": "Fees (NOK)"},
    "annual.travel": {"nb": "Reiseutgifter (kr)", "nn": "Reiseutgifter (kr)", "en": "Travel (NOK)"},
    "annual.evaluation": {"nb": "Evaluering", "nn": "Evaluering", "en": "Evaluation"},
    "annual.requester_rating": {
        "nb": "Bestillernes vurdering (1–5, snitt)",
        "nn": "Vurderinga til bestillarane (1–5, snitt)",
        "en": "Requesters' rating (1–5, mean)",
    },
    "annual.would_use_again": {
        "nb": "Andel bestillere som vil bestille igjen",
        "nn": "Del bestillarar som vil bestille igjen",
        "en": "Share of requesters who would order again",
    },
    "annual.participant_rating": {
        "nb": "Brukermedvirkernes vurdering av hvordan de ble inkludert (1–5, snitt)",
        "nn": "Vurderinga brukarmedverkarane gav av korleis dei vart inkluderte (1–5, snitt)",
        "en": "Participants' rating of how they were included (1–5, mean)",
    },
    "annual.fee_info_clear": {
        "nb": "Andel brukermedvirkere som syntes honorarinformasjonen var tydelig",
        "nn": "Del brukarmedverkarar som synte honorarinformasjonen var tydeleg",
        "en": "Share of participants who found the fee information clear",
    },
    "annual.answers": {"nb": "svar", "nn": "svar", "en": "answers"},
    "annual.gatherings": {
        "nb": "Samlinger (kommer / kommer ikke)",
        "nn": "Samlingar (kjem / kjem ikkje)",
        "en": "Gatherings (coming / not coming)",
    },
    "annual.registered": {
        "nb": "Samlinger med påmelding",
        "nn": "Samlingar med påmelding",
        "en": "Gatherings with registration",
    },
    "annual.registered_columns": {
        "nb": "påmeldt / venteliste / meldt av / kom / kom ikke · vurdering (1–5)",
        "nn": "påmeld / venteliste / meld av / kom / kom ikkje · vurdering (1–5)",
        "en": "registered / waiting / cancelled / came / did not come · rating (1–5)",
    },
    "annual.surveys": {
        "nb": "Spørreundersøkelser (har svart)",
        "nn": "Spørjeundersøkingar (har svart)",
        "en": "Surveys (have answered)",
    },
    "annual.hidden": {"nb": "færre enn 5", "nn": "færre enn 5", "en": "fewer than 5"},
    "annual.none": {"nb": "ingen", "nn": "ingen", "en": "none"},
    "annual.others": {"nb": "Andre", "nn": "Andre", "en": "Others"},
    "annual.count": {"nb": "Antall", "nn": "Tal", "en": "Count"},
    "annual.figure": {"nb": "Tall", "nn": "Tal", "en": "Figure"},
    "annual.value": {"nb": "Verdi", "nn": "Verdi", "en": "Value"},
    "annual.download": {
        "nb": "Last ned årsrapporten (PDF)",
        "nn": "Last ned årsrapporten (PDF)",
        "en": "Download the annual report (PDF)",
    },
    "annual.link_expires": {
        "nb": "Lenken virker i 7 dager.",
        "nn": "Lenkja verkar i 7 dagar.",
        "en": "The link works for 7 days.",
    },
    "annual.sheet.overview": {"nb": "Oversikt", "nn": "Oversikt", "en": "Overview"},
    "annual.sheet.requests": {"nb": "Bestillinger", "nn": "Bestillingar", "en": "Requests"},
    "annual.sheet.participants": {
        "nb": "Brukermedvirkere",
        "nn": "Brukarmedverkarar",
        "en": "Participants",
    },
    "annual.sheet.gatherings": {
        "nb": "Samlinger og undersøkelser",
        "nn": "Samlingar og undersøkingar",
        "en": "Gatherings and surveys",
    },
}
