"""Desks: their codes, their names, and a look at another desk's data."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
}
