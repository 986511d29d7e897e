"""A participant's links: the link to one's own data, asked for on any of their
pages, and the notice that their contact details changed."""

MESSAGES = {
    "links.data_link_heading": {
        "nb": "Opplysningene dine",
        "nn": "Opplysningane dine",
        "en": "Your details",
    },
    "links.data_link_explained": {
        "nb": "Vil du se, rette, sette på pause eller slette det vi har lagret om deg? Vi sender "
        "deg en egen lenke dit vi har kontaktinformasjonen din.",
        "nn": "Vil du sjå, rette, setje på pause eller slette det vi har lagra om deg? Vi sender "
        "deg ei eiga lenkje dit vi har kontaktinformasjonen din.",
        "en": "Would you like to see, correct, pause or delete what we have stored about you? "
        "We send you a link of its own, to where we have your contact details.",
    },
    "links.data_link_button": {
        "nb": "Send meg en lenke til opplysningene mine",
        "nn": "Send meg ei lenkje til opplysningane mine",
        "en": "Send me a link to my details",
    },
    "links.data_link_title": {
        "nb": "Lenke til opplysningene dine",
        "nn": "Lenkje til opplysningane dine",
        "en": "A link to your details",
    },
    "links.data_link_sent": {
        "nb": "Har vi en e-postadresse eller en Teams-chat for deg, er en lenke til opplysningene "
        "dine på vei dit nå. Den virker i {minutes} minutter. Kommer den ikke, ta kontakt med "
        "brukermedvirkning.",
        "nn": "Har vi ei e-postadresse eller ein Teams-chat for deg, er ei lenkje til "
        "opplysningane dine på veg dit no. Ho verkar i {minutes} minutt. Kjem ho ikkje, ta "
        "kontakt med brukarmedverknad.",
        "en": "If we have an e-mail address or a Teams chat for you, a link to your details is "
        "on its way there now. It works for {minutes} minutes. If it does not arrive, please "
        "contact the user involvement team.",
    },
    "links.data_link_intro": {
        "nb": "Du ba om en lenke til opplysningene dine. Der kan du se, rette, sette på pause "
        "eller slette dem. Lenken virker i {minutes} minutter. Ba du ikke om den, kan du se "
        "bort fra denne meldingen.",
        "nn": "Du bad om ei lenkje til opplysningane dine. Der kan du sjå, rette, setje på pause "
        "eller slette dei. Lenkja verkar i {minutes} minutt. Bad du ikkje om ho, kan du sjå "
        "bort frå denne meldinga.",
        "en": "You asked for a link to your details. There you can see, correct, pause or "
        "delete them. The link works for {minutes} minutes. If you did not ask for it, you "
        "can ignore this message.",
    },
    "links.consent_thanks": {
        "nb": "Takk! Du er nå med i utvalget. Vil du se, rette eller slette opplysningene dine, "
        "kan du be om en lenke til dem nedenfor når som helst.",
        "nn": "Takk! Du er no med i utvalet. Vil du sjå, rette eller slette opplysningane dine, "
        "kan du be om ei lenkje til dei nedanfor når som helst.",
        "en": "Thank you! You are now in the pool. To see, correct or delete your details, ask "
        "for a link to them below at any time.",
    },
    "links.consent_answered": {
        "nb": "Du har allerede svart på denne forespørselen.",
        "nn": "Du har allereie svart på denne førespurnaden.",
        "en": "You have already answered this request.",
    },
    "links.contact_changed": {
        "nb": "Endringene er lagret. Fordi e-postadressen eller telefonnummeret ditt er endret, "
        "virker ikke lenkene vi har sendt deg før lenger, og vi har sagt fra til den gamle "
        "adressen.",
        "nn": "Endringane er lagra. Fordi e-postadressa eller telefonnummeret ditt er endra, "
        "verkar ikkje lenkjene vi har sendt deg før lenger, og vi har sagt frå til den gamle "
        "adressa.",
        "en": "Your changes are saved. Because your e-mail address or phone number changed, "
        "the links we sent you before no longer work, and we have told your previous address.",
    },
    "links.changed_subject": {
        "nb": "Kontaktinformasjonen din er endret",
        "nn": "Kontaktinformasjonen din er endra",
        "en": "Your contact details were changed",
    },
    "links.changed_greeting": {"nb": "Hei,", "nn": "Hei,", "en": "Hello,"},
    "links.changed_text": {
        "nb": "E-postadressen eller telefonnummeret som brukermedvirkning når deg på, er nettopp "
        "endret, og lenkene vi har sendt deg før, virker ikke lenger. Var det ikke deg, ta "
        "kontakt med brukermedvirkning.",
        "nn": "E-postadressa eller telefonnummeret som brukarmedverknad når deg på, er nett no "
        "endra, og lenkjene vi har sendt deg før, verkar ikkje lenger. Var det ikkje deg, ta "
        "kontakt med brukarmedverknad.",
        "en": "The e-mail address or phone number at which the user involvement team reaches "
        "you was just changed, and the links we sent you before no longer work. If this was "
        "not you, please contact the user involvement team.",
    },
    "page.bad_form": {
        "nb": "Skjemaet kunne ikke leses. Åpne lenken igjen og send skjemaet på nytt.",
        "nn": "Skjemaet kunne ikkje lesast. Opne lenkja igjen og send skjemaet på nytt.",
        "en": "The form could not be read. Open the link again and send the form once more.",
    },
}
