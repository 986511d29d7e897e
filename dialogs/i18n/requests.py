"""The priority channel: request cards, moves, digest, statistics, requester notices."""

MESSAGES = {
    "channel.registered": {
        "nb": "{desk}: dette er nå kanalen deres. Nye bestillinger kommer hit.",
        "nn": "{desk}: dette er no kanalen deira. Nye bestillingar kjem hit.",
        "en": "{desk}: this is now its channel. New requests will appear here.",
    },
    "channel.not_in_team": {
        "nb": "Dette må gjøres i en kanal i et team.",
        "nn": "Dette må gjerast i ein kanal i eit team.",
        "en": "This has to be done in a team channel.",
    },
    "channel.card.requester": {"nb": "Bestiller", "nn": "Bestillar", "en": "Requester"},
    "channel.card.outside": {
        "nb": "Bestilt utenfra",
        "nn": "Bestilt utanfrå",
        "en": "Ordered from outside",
    },
    "channel.card.outside_pays": {
        "nb": "På nett, av en virksomhet utenfor sykehuset, som betaler",
        "nn": "På nett, av ei verksemd utanfor sjukehuset, som betaler",
        "en": "On the web, by an organisation outside the hospital, which pays",
    },
    "channel.card.status": {"nb": "Status", "nn": "Status", "en": "Status"},
    "channel.card.owner": {"nb": "Ansvarlig", "nn": "Ansvarleg", "en": "Owner"},
    "channel.card.unowned": {"nb": "Ingen ennå", "nn": "Ingen enno", "en": "Nobody yet"},
    "channel.card.age": {"nb": "Alder", "nn": "Alder", "en": "Age"},
    "channel.card.days": {"nb": "{days} dager", "nn": "{days} dagar", "en": "{days} days"},
    "channel.card.participants": {
        "nb": "{profile} × {count}",
        "nn": "{profile} × {count}",
        "en": "{profile} × {count}",
    },
    "channel.card.period": {"nb": "Periode", "nn": "Periode", "en": "Period"},
    "channel.card.reason": {"nb": "Begrunnelse", "nn": "Grunngiving", "en": "Reason"},
    "channel.button.claim": {"nb": "Ta bestillingen", "nn": "Ta bestillinga", "en": "Claim"},
    "channel.button.release": {"nb": "Slipp", "nn": "Slepp", "en": "Release"},
    "channel.button.assign": {"nb": "Tildel …", "nn": "Tildel …", "en": "Assign …"},
    "channel.button.assign_to": {"nb": "Tildel", "nn": "Tildel", "en": "Assign"},
    "channel.button.set_status": {
        "nb": "Endre status …",
        "nn": "Endre status …",
        "en": "Change status …",
    },
    "channel.button.save_status": {"nb": "Lagre status", "nn": "Lagre status", "en": "Save status"},
    "channel.button.refresh": {"nb": "Oppdater", "nn": "Oppdater", "en": "Refresh"},
    "channel.input.status": {"nb": "Ny status", "nn": "Ny status", "en": "New status"},
    "channel.input.comment": {
        "nb": "Kommentar (påkrevd ved avslag)",
        "nn": "Kommentar (påkravd ved avslag)",
        "en": "Comment (required when declining)",
    },
    "channel.input.assignee": {
        "nb": "Hvem skal ha den?",
        "nn": "Kven skal ha han?",
        "en": "Who takes it?",
    },
    "channel.claimed_by_you": {
        "nb": "Du har tatt bestillingen.",
        "nn": "Du har teke bestillinga.",
        "en": "You have claimed the request.",
    },
    "channel.moved": {
        "nb": "Status er endret til «{status}».",
        "nn": "Status er endra til «{status}».",
        "en": "Status changed to “{status}”.",
    },
    "channel.released": {
        "nb": "Bestillingen er sluppet og ligger åpen igjen.",
        "nn": "Bestillinga er sleppt og ligg open igjen.",
        "en": "The request was released and is open again.",
    },
    "channel.assigned": {
        "nb": "Bestillingen er tildelt {owner}.",
        "nn": "Bestillinga er tildelt {owner}.",
        "en": "The request is now assigned to {owner}.",
    },
    "channel.error.unknown_request": {
        "nb": "Fant ingen slik bestilling.",
        "nn": "Fann inga slik bestilling.",
        "en": "No such request.",
    },
    "channel.error.bad_request_id": {
        "nb": "Kortet mangler en gyldig bestilling. Ingenting ble endret.",
        "nn": "Kortet manglar ei gyldig bestilling. Ingenting vart endra.",
        "en": "The card does not name a valid request. Nothing was changed.",
    },
    "channel.error.already_claimed": {
        "nb": "{owner} var først og har tatt bestillingen.",
        "nn": "{owner} var først og har teke bestillinga.",
        "en": "{owner} was first and has claimed the request.",
    },
    "channel.error.not_claimable": {
        "nb": "Bestillingen kan ikke tas nå.",
        "nn": "Bestillinga kan ikkje takast no.",
        "en": "The request cannot be claimed now.",
    },
    "channel.error.not_owner": {
        "nb": "Bare den ansvarlige ({owner}) eller en administrator kan gjøre dette.",
        "nn": "Berre den ansvarlege ({owner}) eller ein administrator kan gjere dette.",
        "en": "Only the owner ({owner}) or an administrator can do this.",
    },
    "channel.error.not_member": {
        "nb": "Bare medlemmer av prioriteringsteamet kan behandle bestillinger.",
        "nn": "Berre medlemer av prioriteringsteamet kan handsame bestillingar.",
        "en": "Only members of the priority team can handle requests.",
    },
    "channel.error.teams_busy": {
        "nb": "Teams er opptatt akkurat nå, så jeg fikk ikke sjekket teamet. Ingenting ble "
        "endret. Prøv igjen om noen sekunder.",
        "nn": "Teams er oppteke akkurat no, så eg fekk ikkje sjekka teamet. Ingenting vart "
        "endra. Prøv igjen om nokre sekund.",
        "en": "Teams is busy right now, so I could not check the team. Nothing was changed. "
        "Please try again in a few seconds.",
    },
    "channel.error.no_channel": {
        "nb": "Ingen kanal er registrert for prioriteringsteamet ennå.",
        "nn": "Ingen kanal er registrert for prioriteringsteamet enno.",
        "en": "No channel is registered for the priority team yet.",
    },
    "channel.error.not_priority_channel": {
        "nb": "Dette svarer jeg bare på i prioriteringsteamets kanal.",
        "nn": "Dette svarar eg berre på i kanalen til prioriteringsteamet.",
        "en": "I answer this only in the priority team's channel.",
    },
    "channel.error.changed_meanwhile": {
        "nb": "Noen andre endret bestillingen samtidig. Se oppdatert kort.",
        "nn": "Nokon andre endra bestillinga samtidig. Sjå oppdatert kort.",
        "en": "Someone else changed the request at the same time. See the updated card.",
    },
    "channel.error.not_assignable": {
        "nb": "Bestillingen må være tatt før den kan tildeles.",
        "nn": "Bestillinga må vere teken før ho kan tildelast.",
        "en": "The request must be claimed before it can be assigned.",
    },
    "channel.error.bad_status": {
        "nb": "Velg en gyldig ny status.",
        "nn": "Vel ein gyldig ny status.",
        "en": "Choose a valid new status.",
    },
    "channel.error.bad_assignee": {
        "nb": "Velg et medlem av prioriteringsteamet.",
        "nn": "Vel eit medlem av prioriteringsteamet.",
        "en": "Choose a member of the priority team.",
    },
    "channel.error.not_requester": {
        "nb": "Bare den som bestilte kan avbryte bestillingen.",
        "nn": "Berre den som bestilte kan avbryte bestillinga.",
        "en": "Only the requester can cancel the request.",
    },
    "channel.error.not_cancellable": {
        "nb": "Bestillingen kan ikke avbrytes etter at en brukermedvirker er funnet.",
        "nn": "Bestillinga kan ikkje avbrytast etter at ein brukarmedverkar er funnen.",
        "en": "The request cannot be cancelled once a participant has been found.",
    },
    "error.transition.illegal": {
        "nb": "Den statusendringen er ikke lov fra «{status}».",
        "nn": "Den statusendringa er ikkje lov frå «{status}».",
        "en": "That status change is not allowed from “{status}”.",
    },
    "error.transition.reason_required": {
        "nb": "Skriv en begrunnelse når bestillingen avslås.",
        "nn": "Skriv ei grunngiving når bestillinga blir avslått.",
        "en": "Write a reason when declining the request.",
    },
    # -- requester notices ----------------------------------------------------------------
    "notice.claimed": {
        "nb": "Bestillingen din {reference} «{title}» er tatt av {actor} i {desk}.",
        "nn": "Bestillinga di {reference} «{title}» er teken av {actor} i {desk}.",
        "en": "Your request {reference} “{title}” was claimed by {actor} in {desk}.",
    },
    "notice.assigned": {
        "nb": "Bestillingen din {reference} «{title}» følges nå opp av {actor}.",
        "nn": "Bestillinga di {reference} «{title}» blir no følgd opp av {actor}.",
        "en": "Your request {reference} “{title}” is now followed up by {actor}.",
    },
    "notice.released": {
        "nb": "Bestillingen din {reference} «{title}» er lagt tilbake til fordeling.",
        "nn": "Bestillinga di {reference} «{title}» er lagd tilbake til fordeling.",
        "en": "Your request {reference} “{title}” is back in the queue for distribution.",
    },
    "notice.matched": {
        "nb": "Godt nytt: det er funnet brukermedvirker til {reference} «{title}».",
        "nn": "Godt nytt: det er funne brukarmedverkar til {reference} «{title}».",
        "en": "Good news: a participant has been found for {reference} “{title}”.",
    },
    "notice.agreement_signed": {
        "nb": "Avtalen for {reference} «{title}» er signert.",
        "nn": "Avtalen for {reference} «{title}» er signert.",
        "en": "The agreement for {reference} “{title}” has been signed.",
    },
    "notice.completed": {
        "nb": "{reference} «{title}» er fullført. Takk!",
        "nn": "{reference} «{title}» er fullført. Takk!",
        "en": "{reference} “{title}” is completed. Thank you!",
    },
    "notice.declined": {
        "nb": "Bestillingen din {reference} «{title}» er avslått. Begrunnelse: {reason}",
        "nn": "Bestillinga di {reference} «{title}» er avslått. Grunngiving: {reason}",
        "en": "Your request {reference} “{title}” was declined. Reason: {reason}",
    },
    "notice.cancel_button": {
        "nb": "Avbryt bestillingen",
        "nn": "Avbryt bestillinga",
        "en": "Cancel request",
    },
    "notice.cancelled_by_you": {
        "nb": "Bestillingen {reference} er avbrutt.",
        "nn": "Bestillinga {reference} er avbroten.",
        "en": "Request {reference} has been cancelled.",
    },
    # -- digest and statistics ----------------------------------------------------------------
    "digest.title": {
        "nb": "Til fordelingsmøtet",
        "nn": "Til fordelingsmøtet",
        "en": "For the distribution meeting",
    },
    "digest.unclaimed": {
        "nb": "Ikke tatt ({count})",
        "nn": "Ikkje tekne ({count})",
        "en": "Unclaimed ({count})",
    },
    "digest.stale": {
        "nb": "Ingen endring på 14 dager ({count})",
        "nn": "Inga endring på 14 dagar ({count})",
        "en": "No move for 14 days ({count})",
    },
    "digest.by_unit": {
        "nb": "Åpne bestillinger per enhet",
        "nn": "Opne bestillingar per eining",
        "en": "Open requests by unit",
    },
    "digest.none": {"nb": "Ingen.", "nn": "Ingen.", "en": "None."},
    "digest.overdue": {
        "nb": "Forfalt: {unclaimed} ikke tatt etter {days} arbeidsdager, {late} ikke funnet "
        "brukermedvirker innen fristen.",
        "nn": "Forfalle: {unclaimed} ikkje tekne etter {days} arbeidsdagar, {late} ikkje funne "
        "brukarmedverkar innan fristen.",
        "en": "Overdue: {unclaimed} not claimed after {days} working days, {late} not matched "
        "by the date needed.",
    },
    "escalation.unclaimed": {
        "nb": "⚠️ **{reference}** {title} ({unit}) har ventet {days} arbeidsdager uten å bli "
        "tatt. Kan noen ta den?",
        "nn": "⚠️ **{reference}** {title} ({unit}) har venta {days} arbeidsdagar utan å bli "
        "teken. Kan nokon ta han?",
        "en": "⚠️ **{reference}** {title} ({unit}) has waited {days} working days without "
        "being claimed. Can someone take it?",
    },
    "escalation.not_matched": {
        "nb": "⚠️ **{reference}** {title} trengte brukermedvirker innen {needed_by} og har "
        "ingen ennå (ansvarlig: {owner}).",
        "nn": "⚠️ **{reference}** {title} trong brukarmedverkar innan {needed_by} og har "
        "ingen enno (ansvarleg: {owner}).",
        "en": "⚠️ **{reference}** {title} needed a participant by {needed_by} and has none "
        "yet (owner: {owner}).",
    },
    "stats.title": {
        "nb": "Brukermedvirkning {year}",
        "nn": "Brukarmedverknad {year}",
        "en": "User involvement {year}",
    },
    "stats.total": {
        "nb": "Bestillinger: {count}",
        "nn": "Bestillingar: {count}",
        "en": "Requests: {count}",
    },
    "stats.by_type": {
        "nb": "Etter type oppdrag",
        "nn": "Etter type oppdrag",
        "en": "By assignment type",
    },
    "stats.by_unit": {"nb": "Etter enhet", "nn": "Etter eining", "en": "By unit"},
    "stats.by_level": {"nb": "Etter nivå", "nn": "Etter nivå", "en": "By level"},
    "stats.by_outcome": {"nb": "Etter utfall", "nn": "Etter utfall", "en": "By outcome"},
    "stats.median_claim": {
        "nb": "Median dager til tatt: {days}",
        "nn": "Median dagar til teken: {days}",
        "en": "Median days to claim: {days}",
    },
    "stats.median_match": {
        "nb": "Median dager til brukermedvirker funnet: {days}",
        "nn": "Median dagar til brukarmedverkar funnen: {days}",
        "en": "Median days to match: {days}",
    },
    "stats.bad_year": {
        "nb": "Skriv et årstall, for eksempel «statistikk 2026».",
        "nn": "Skriv eit årstal, til dømes «statistikk 2026».",
        "en": "Give a year, for example “statistics 2026”.",
    },
}
