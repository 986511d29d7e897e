import string

from dialogs.i18n import CATALOG, LOCALES, resolve_locale, t


def test_every_key_exists_in_every_language() -> None:
    missing = [
        (key, locale)
        for key, texts in CATALOG.items()
        for locale in LOCALES
        if not (texts.get(locale) or "").strip()
    ]
    assert not missing, f"missing translations: {missing}"
    extra = [
        (key, set(texts) - set(LOCALES))
        for key, texts in CATALOG.items()
        if set(texts) - set(LOCALES)
    ]
    assert not extra


def test_placeholders_agree_across_languages() -> None:
    formatter = string.Formatter()
    for key, texts in CATALOG.items():
        names = {
            locale: {f for _, f, _, _ in formatter.parse(text) if f}
            for locale, text in texts.items()
        }
        assert len({frozenset(v) for v in names.values()}) == 1, (key, names)


def test_locales_from_teams() -> None:
    assert resolve_locale("nb-NO") == "nb"
    assert resolve_locale("no") == "nb"
    assert resolve_locale("nn-NO") == "nn"
    assert resolve_locale("en-US") == "en"
    assert resolve_locale("de-DE") == "nb"
    assert resolve_locale(None) == "nb"


def test_lookup_fills_placeholders() -> None:
    assert "abc123" in t("en", "error.internal", correlation_id="abc123")
