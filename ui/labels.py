"""Every Danish word the leader sees that is not a quote, in one place."""

from __future__ import annotations

from datetime import date

from index.models import Missing, Strength

APP_TITLE = "Erfaringsbanken"
APP_TAGLINE = "Hvad lærte andre kommunale ledere i krisen? Svarene er ordrette citater med kilde."
CHAT_PLACEHOLDER = "Stil et spørgsmål, fx »Hvad sagde de om værnemidler?«"
DERIVED_TITLE = "(titel udledt af teksten)"
NO_SPEAKER = "Artiklens egen tekst"
NO_SECTION = "uden overskrift"
UNKNOWN_PUBLISHER = "udgiver ikke oplyst"
NOT_STATED = "ikke oplyst"
ANSWERED = "Svar på"
FOLLOWUP_NOTE = "opfølgning på"
SEARCH_ALONE = "Søg kun på »{typed}«"
SHOW_CONTEXT = "Vis sammenhæng"
CONTEXT_BEFORE = "Før citatet"
CONTEXT_AFTER = "Efter citatet"
ADD_TO_BASKET = "Tilføj til briefing"
IN_BASKET = "I briefing ✓"
NO_ANSWER = (
    "Artiklerne taler ikke om det, du spørger om. Prøv at formulere spørgsmålet med andre ord, "
    "eller spørg om et af emnerne nedenfor."
)
# When the articles speak of the topic but do not give what the question asks for.
NO_ANSWER_MISSING: dict[Missing, str] = {
    "money": "Artiklerne nævner ikke et beløb for det, du spørger om.",
    "number": "Artiklerne nævner ikke et tal for det, du spørger om.",
    "time": "Artiklerne nævner ikke, hvornår det skete.",
    "speaker": "Artiklerne nævner ikke den person eller rolle, du spørger om, så ingen citater er fra dem.",
    "name": "Artiklerne nævner ikke det navn eller sted, du spørger om.",
    "crisis": "Ingen af artiklerne handler om den slags krise, du spørger om.",
}
NO_ANSWER_TOPIC = "Passagerne nedenfor handler om emnet, men besvarer ikke spørgsmålet."
WEAK_HEADING = "Nærmeste svage match (de besvarer ikke spørgsmålet)"
TOPICS_HEADING = "Emner artiklerne dækker"
LOADING = "Henter søgeindekset …"
BUILDING = "Søgeindekset bygges, fordi {reason} Det tager et par minutter; svaret kommer bagefter."
BUILT = "Søgeindekset er bygget: {passages} fra {articles} artikler. Stil dit spørgsmål nedenfor."
INDEX_ERROR = "Søgeindekset kunne ikke åbnes."
SEARCH_ERROR = "Søgningen mislykkedes. Prøv igen; sker det igen, så genopbyg indekset med »make index«."

SIDEBAR_FILTERS = "Afgræns søgningen"
FILTER_ARTICLES = "Artikel"
FILTER_SPEAKERS = "Hvem der taler"
FILTER_SECTIONS = "Afsnit"
FILTER_K = "Antal citater"
FILTER_HINT = "Tomt felt betyder: alle."

BASKET_HEADING = "Briefing"
BASKET_EMPTY = "Tom endnu. Tryk »Tilføj til briefing« under et citat."
BASKET_UP = "Op"
BASKET_DOWN = "Ned"
BASKET_REMOVE = "Fjern"
BASKET_CLEAR = "Tøm briefing"
EXPORT_WORD = "Hent som Word (.docx)"
EXPORT_MARKDOWN = "Hent som Markdown (.md)"
COPY_HEADING = "Kopiér som tekst"
COPY_HINT = "Brug kopiknappen i feltets hjørne, og sæt teksten ind i en mail eller et notat."
EXPORT_TITLE = "Briefing fra Erfaringsbanken"

ARTICLES_TITLE = "Artiklerne i Erfaringsbanken"
ARTICLES_INTRO = "De artikler, svarene kommer fra. Ukendte oplysninger står som ukendte; intet er gættet."

def absent_words_note(words: list[str]) -> str | None:
    """Return the line naming the question's words that are nowhere in the articles, if any.

    Args:
        words: the words (`Searcher.absent_words`).

    Returns:
        E.g. 'Ordet »hedebølgen« står ikke i artiklerne, heller ikke stavet eller bøjet anderledes.
        Passagerne er fundet på spørgsmålets betydning.'; None when every word is there.
    """
    if not words:
        return None
    quoted = [f"»{w}«" for w in words]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " og " + quoted[-1]
    subject = "Ordet" if len(quoted) == 1 else "Ordene"
    return (
        f"{subject} {listed} står ikke i artiklerne, heller ikke stavet eller bøjet anderledes. "
        "Passagerne er fundet på spørgsmålets betydning."
    )


def results_summary(n: int) -> str:
    """Return the line above the cards of an answer.

    Args:
        n: number of quotes shown.

    Returns:
        E.g. '3 ordrette citater fra artiklerne, bedste match først.'
    """
    if n == 1:
        return "1 ordret citat fra artiklerne."
    return f"{n} ordrette citater fra artiklerne, bedste match først."


STRENGTH_LABELS: dict[Strength, str] = {
    "strong": "Stærkt match",
    "possible": "Muligt match",
    "weak": "Svagt match",
}

_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


def strength_label(strength: Strength) -> str:
    """Return the plain-Danish word for a match strength.

    Args:
        strength: 'strong', 'possible' or 'weak'.

    Returns:
        E.g. 'Stærkt match'.
    """
    return STRENGTH_LABELS[strength]


def danish_date(day: date) -> str:
    """Format a date the Danish way.

    Args:
        day: the date.

    Returns:
        E.g. '23. november 2026'.
    """
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def passages_count(n: int) -> str:
    """Return '1 tekststykke' / 'n tekststykker'.

    Args:
        n: a count.

    Returns:
        The count with the right Danish noun form.
    """
    return f"{n} tekststykke" if n == 1 else f"{n} tekststykker"

EDIT_ARTICLE = "Ret, erstat eller fjern artiklen"
EDIT_TITLE = "Titel"
EDIT_URL = "Link"
EDIT_PUBLISHED = "Udgivet (ÅÅÅÅ-MM-DD)"
EDIT_PUBLISHER = "Udgiver"
EDIT_AUTHORS = "Forfattere (adskilt af ;)"
EDIT_SAVE = "Gem ændringerne"
REPLACE_FILE = "Erstat filen med en ny udgave"
REPLACE_NOW = "Erstat filen nu"
REMOVE_ARTICLE = "Fjern artiklen"
REMOVED_HEADING = "Fjernede artikler"
RESTORE_ARTICLE = "Gendan"
