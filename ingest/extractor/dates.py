"""When a statement was made, as far as its sentence says: an explicit day ("on 4 September",
"September 4, 2025", "le 4 septembre") or a weekday ("on Thursday", "jeudi") counted back
from the day the article was published. None when the sentence names no day.

News reports a statement a day or two after it was made ("Macron said on Thursday" in a
Friday paper), so a pledge dated by its article would be dated a day late.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MONTHS = {
    # English, French, German, Italian, Spanish, Polish (genitive), Dutch.
    1: "january janvier januar gennaio enero stycznia januari",
    2: "february fevrier februar febbraio febrero lutego februari",
    3: "march mars marz marzo marca maart",
    4: "april avril aprile abril kwietnia",
    5: "may mai maggio mayo maja mei",
    6: "june juin juni giugno junio czerwca",
    7: "july juillet juli luglio julio lipca",
    8: "august aout agosto sierpnia augustus",
    9: "september septembre settembre septiembre wrzesnia",
    10: "october octobre oktober ottobre octubre pazdziernika",
    11: "november novembre noviembre listopada",
    12: "december decembre dezember dicembre diciembre grudnia",
}
WEEKDAYS = {
    0: "monday lundi montag lunedi lunes poniedzialek maandag",
    1: "tuesday mardi dienstag martedi martes wtorek dinsdag",
    2: "wednesday mercredi mittwoch mercoledi miercoles sroda woensdag",
    3: "thursday jeudi donnerstag giovedi jueves czwartek donderdag",
    4: "friday vendredi freitag venerdi viernes piatek vrijdag",
    5: "saturday samedi samstag sabato sabado sobota zaterdag",
    6: "sunday dimanche sonntag domenica domingo niedziela zondag",
}
_MONTH_OF = {word: month for month, words in MONTHS.items() for word in words.split()}
_WEEKDAY_OF = {word: day for day, words in WEEKDAYS.items() for word in words.split()}
_MONTH = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(_WEEKDAY_OF, key=len, reverse=True))

_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?({_MONTH})\b(?:\s+(\d{{4}}))?"
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_WEEKDAY_WORD = re.compile(rf"\b({_WEEKDAY})\b")
_YESTERDAY = re.compile(r"\b(yesterday|hier|gestern|ieri|ayer|wczoraj|gisteren)\b")


def _fold(text: str) -> str:
    """Lower case without accents, so "février" and "Février" read as "fevrier"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


def statement_date(sentence: str, published_on: dt.date) -> dt.date | None:
    """The day the sentence says its statement was made, never after `published_on`."""
    text = _fold(sentence)
    explicit = _explicit_day(text, published_on)
    if explicit is not None:
        return explicit
    weekday = _WEEKDAY_WORD.search(text)
    if weekday:
        back = (published_on.weekday() - _WEEKDAY_OF[weekday.group(1)]) % 7
        return published_on - dt.timedelta(days=back)
    if _YESTERDAY.search(text):
        return published_on - dt.timedelta(days=1)
    return None


def _explicit_day(text: str, published_on: dt.date) -> dt.date | None:
    for match in _DAY_MONTH.finditer(text):
        found = _day(published_on, match.group(3), _MONTH_OF[match.group(2)], match.group(1))
        if found:
            return found
    for match in _MONTH_DAY.finditer(text):
        found = _day(published_on, match.group(3), _MONTH_OF[match.group(1)], match.group(2))
        if found:
            return found
    return None


def _day(published_on: dt.date, year: str | None, month: int, day: str) -> dt.date | None:
    try:
        found = dt.date(int(year) if year else published_on.year, month, int(day))
    except ValueError:
        return None
    if found > published_on and not year:
        # "On 30 December" in a January paper is last year's.
        found = found.replace(year=found.year - 1)
    return found if found <= published_on else None
