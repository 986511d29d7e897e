"""Desks: their codes, their names, and a look at another desk's data."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Who writes, where a message belongs to no one desk.
    "desks.generic": {
        "nb": "Brukermedvirkningsteamet",
        "nn": "Brukarmedverknadsteamet",
        "en": "The user involvement team",
    },
    "desks.error.bad_code": {
        "nb": "«{code}» kan ikke være en kode: bruk 2–20 små bokstaver (a–z), sifre eller bindestrek.",
        "nn": "«{code}» kan ikkje vere ein kode: bruk 2–20 små bokstavar (a–z), siffer eller bindestrek.",
        "en": "“{code}” cannot be a code: use 2–20 lower-case letters (a–z), digits or hyphens.",
    },
    "desks.error.no_name": {
        "nb": "Gi mottaket et navn.",
        "nn": "Gi mottaket eit namn.",
        "en": "Give the desk a name.",
    },
    "desks.error.name_too_long": {
        "nb": "Navnet kan være høyst {max} tegn.",
        "nn": "Namnet kan vere høgst {max} teikn.",
        "en": "The name can be at most {max} characters.",
    },
    "desks.error.taken": {
        "nb": "Det finnes allerede et mottak med koden «{code}».",
        "nn": "Det finst alt eit mottak med koden «{code}».",
        "en": "There is already a desk with the code “{code}”.",
    },
    "desks.error.unknown": {
        "nb": "Det finnes ikke noe mottak med koden «{code}». `medvirk desks list` viser dem.",
        "nn": "Det finst ikkje noko mottak med koden «{code}». `medvirk desks list` viser dei.",
        "en": "There is no desk with the code “{code}”. `medvirk desks list` shows them.",
    },
    "desks.error.other_desk": {
        "nb": "Dette hører til et annet mottak, og du kan ikke se eller endre det herfra.",
        "nn": "Dette høyrer til eit anna mottak, og du kan ikkje sjå eller endre det herifrå.",
        "en": "This belongs to another desk: you cannot see or change it from here.",
    },
    "desks.error.same_desk": {
        "nb": "Bestillingen er allerede hos dette mottaket.",
        "nn": "Bestillinga er alt hos dette mottaket.",
        "en": "The request is already with this desk.",
    },
    "desks.error.reason_required": {
        "nb": "Skriv hvorfor bestillingen flyttes (det blir stående i loggen).",
        "nn": "Skriv kvifor bestillinga blir flytta (det blir ståande i loggen).",
        "en": "Say why the request is moved (it is kept in the log).",
    },
    "desks.error.choose": {
        "nb": "Velg mottaket bestillingen skal til.",
        "nn": "Vel mottaket bestillinga skal til.",
        "en": "Choose the desk the request goes to.",
    },
    "channel.button.transfer": {
        "nb": "Flytt til et annet mottak …",
        "nn": "Flytt til eit anna mottak …",
        "en": "Move to another desk …",
    },
    "channel.button.transfer_to": {"nb": "Flytt", "nn": "Flytt", "en": "Move"},
    "channel.input.desk": {"nb": "Til mottak", "nn": "Til mottak", "en": "To desk"},
    "channel.input.transfer_reason": {
        "nb": "Hvorfor (står i loggen, ikke på kortet)",
        "nn": "Kvifor (står i loggen, ikkje på kortet)",
        "en": "Why (kept in the log, not on the card)",
    },
    "channel.card.moved": {
        "nb": "**{reference}** er flyttet til {desk}, som tar den videre derfra.",
        "nn": "**{reference}** er flytta til {desk}, som tek henne vidare derifrå.",
        "en": "**{reference}** has moved to {desk}, who take it from there.",
    },
    "channel.transferred": {
        "nb": "Flyttet til {desk}.",
        "nn": "Flytta til {desk}.",
        "en": "Moved to {desk}.",
    },
    "notice.transferred": {
        "nb": "Bestillingen din {reference} «{title}» er sendt videre til {desk}, som tar den herfra.",
        "nn": "Bestillinga di {reference} «{title}» er send vidare til {desk}, som tek henne herifrå.",
        "en": "Your request {reference} “{title}” has been passed on to {desk}, who will take it from here.",
    },
    "desks.error.not_transferable": {
        "nb": "En bestilling kan flyttes før noen er invitert (nå: {status}).",
        "nn": "Ei bestilling kan flyttast før nokon er inviterte (no: {status}).",
        "en": "A request can be moved before anyone is invited (now: {status}).",
    },
    "person.other_desks": {
        "nb": "Andre mottak som også kan spørre meg (jeg samtykker til hvert av dem på samme vilkår)",
        "nn": "Andre mottak som òg kan spørje meg (eg samtykkjer til kvart av dei på same vilkår)",
        "en": "Other desks that may ask me too (I consent to each on the same terms)",
    },
}
