"""Every Danish word the leader sees that is not a quote, in one place."""

from __future__ import annotations

from datetime import date

from index.models import STRENGTH_MEANING, Missing, Strength

APP_TITLE = "Erfaringsbanken"
APP_TAGLINE = "Hvad lærte andre kommunale ledere i krisen? Svarene er ordrette citater med kilde."
CHAT_PLACEHOLDER = "Stil et spørgsmål, fx »Hvad sagde de om værnemidler?«"
DERIVED_TITLE = "(titel udledt af teksten)"
DERIVED_TITLE_LONG = "udledt af teksten; artiklens udgivne titel kendes ikke"
PUBLISHED_TITLE = "artiklens udgivne titel"
NO_LINK = "intet link kendt"
SOURCE_DETAILS = "Kilde"
READ_ARTICLE = "Læs artiklen"
NOT_STATED = "ikke oplyst"
SEARCH_ALONE = "Søg kun på de nye ord"
FOLLOWUP_LINE = "Opfølgning: søgt på »{typed}« med det forrige spørgsmål, »{base}«, som sammenhæng."
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
# Any failure a visitor meets: what to do, never a traceback (the details go to the server's log).
TURN_ERROR = ("Dette svar kan ikke vises lige nu. Resten af samtalen og din briefing er bevaret; stil spørgsmålet "
              "igen, eller genindlæs siden. Sker det igen, så sig det til den, der driver Erfaringsbanken.")
PAGE_ERROR = ("Noget gik galt på siden. Din samtale og din briefing er bevaret; prøv igen, eller genindlæs siden. "
              "Sker det igen, så sig det til den, der driver Erfaringsbanken.")
EXPORT_ERROR = ("Briefingen kunne ikke laves som fil lige nu. Kopiér teksten nedenfor i stedet, og sig det til "
                "den, der driver Erfaringsbanken.")
TOO_LONG = ("Dit spørgsmål er {n} tegn langt; højst {limit} tegn kan søges. Skriv det kortere: et spørgsmål eller "
            "nogle få nøgleord er nok.")
TOO_FAST = ("Du har stillet {n} spørgsmål inden for et minut. Vent {seconds} sekunder, og stil så dit spørgsmål "
            "igen.")
SEARCHING = "Søger i artiklerne …"
REMOVED_SINCE = ("Artiklen er fjernet fra biblioteket ({when}), efter du spurgte. Citatet står her, som det stod i "
                 "artiklen; det findes ikke længere i søgningerne.")
REPLACED_SINCE = ("Artiklen er erstattet af en ny udgave ({when}), efter du spurgte. Citatet er fra den tidligere "
                  "udgave.")

SIDEBAR_FILTERS = "Afgræns søgningen"
FILTER_ARTICLES = "Artikel"
FILTER_SPEAKERS = "Hvem der taler"
FILTER_SECTIONS = "Afsnit"
FILTER_K = "Antal citater"
FILTER_HINT = "Tomt felt betyder: alle."
GONE_ARTICLE = "(artikel fjernet fra biblioteket)"

BASKET_HEADING = "Briefing"
ASKED = "Svar på"
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
SOURCES_HEADING = "Kilder"

WELCOME_INTRO = ("Spørg om det, du vil vide, i dine egne ord eller med nogle få nøgleord. Svaret er ordrette "
                 "citater fra artiklerne med kilde, eller besked om, at artiklerne ikke svarer.")
WELCOME_EXAMPLES = "Spørgsmål, artiklerne svarer på:"
HOW_TO_ADD_EDITOR = ("Du kan selv lægge artikler i biblioteket på siden »Tilføj artikel« (tekst, Markdown, websider, "
                     "PDF og Word).")
HOW_TO_ADD_VISITOR = ("Artikler lægges i biblioteket af en redaktør. Kender du en artikel, der mangler, så send den "
                      "til den, der driver Erfaringsbanken.")


def welcome_holds(articles: int, passages: int) -> str:
    """'Biblioteket rummer 32 artikler (2.041 tekststykker).'"""
    noun = "artikel" if articles == 1 else "artikler"
    return f"Biblioteket rummer {articles} {noun} ({passages_count(passages)})."


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


def results_summary(n: int, articles: int = 1) -> str:
    """Return the line above the cards of an answer.

    Args:
        n: number of quotes shown.
        articles: how many articles they come from.

    Returns:
        E.g. '5 ordrette citater fra 3 artikler; det bedste fra hver artikel først.'
    """
    if n == 1:
        return "1 ordret citat fra én artikel."
    if articles <= 1:
        return f"{n} ordrette citater, alle fra samme artikel; bedste match først."
    return f"{n} ordrette citater fra {articles} artikler; det bedste fra hver artikel først."


def more_from_article(n: int) -> str:
    """The label of the click that shows the rest of one article's quotes (our words only: a label is Markdown)."""
    return "1 citat mere fra samme artikel" if n == 1 else f"{n} citater mere fra samme artikel"


# What the three labels on a card mean: the index's own words (index.models.STRENGTH_MEANING), since
# the promise of "Stærkt match" is what its calibrated label model keeps (nine first cards in ten
# answer, measured on batches it was not fitted on) and only the first card can carry it.
STRENGTH_EXPLANATION: dict[Strength, str] = dict(STRENGTH_MEANING)
STRENGTH_HEADING = "Hvad betyder Stærkt, Muligt og Svagt match?"

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
    return "1 tekststykke" if n == 1 else f"{n:,} tekststykker".replace(",", ".")

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
