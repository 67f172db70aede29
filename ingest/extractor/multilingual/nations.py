"""The words for nations in the languages of the news: names (ISO 3166 translations), demonyms,
capitals and seats of government, beyond the English aliases the gazetteer holds."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

# Demonyms and adjectives (stems, regex fragments, matched case-insensitively) across English,
# French, German, Italian, Spanish, Polish, Dutch, Portuguese and Romanian.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "FR": (r"french", r"fran[cç]ais\w*", r"französisch\w*", r"frances[ie]", r"francesas?", r"franceses", r"francusk\w*", r"franse", r"francês", r"francez\w*", r"franco(?=-)"),
    "GB": (r"british", r"britanni\w*", r"britisch\w*", r"brit[aâ]nic\w*", r"brytyjsk\w*", r"britse", r"briten", r"britannique\w*", r"english"),
    "DE": (r"german", r"allemand\w*", r"deutsche\w*", r"tedesc\w*", r"alemán", r"aleman[ae]s?", r"niemieck\w*", r"duitse", r"german[ăei]"),
    "IT": (r"italian\w*", r"italien\w*", r"italienisch\w*", r"italian[oaie]", r"włosk\w*", r"italiaanse", r"italo(?=-)"),
    "ES": (r"spanish", r"espagnol\w*", r"spanisch\w*", r"spagnol\w*", r"español\w*", r"hiszpańsk\w*", r"spaanse", r"espanhol\w*", r"spaniol\w*"),
    "PL": (r"polish", r"polonais\w*", r"polnisch\w*", r"polacc\w*", r"polac[oa]s?", r"polsk\w*", r"polsc\w*", r"poolse", r"polonez\w*"),
    "NL": (r"dutch", r"néerlandais\w*", r"niederländisch\w*", r"olandes\w*", r"neerlandés", r"holandés\w*", r"holendersk\w*", r"niderlandzk\w*", r"nederlandse", r"olandez\w*"),
    "US": (r"american", r"américain\w*", r"amerikanisch\w*", r"american[oaie]", r"estadounidense\w*", r"amerykańsk\w*", r"amerikaanse", r"norte-american\w*", r"us-\w+"),
    "CA": (r"canadian", r"canadien\w*", r"kanadisch\w*", r"canades\w*", r"canadiense\w*", r"kanadyjsk\w*", r"canadese", r"canadense\w*"),
    "JP": (r"japanese", r"japonais\w*", r"japanisch\w*", r"giappones\w*", r"japon[eé]s\w*", r"japońsk\w*", r"japanse", r"nippon"),
    "SE": (r"swedish", r"suédois\w*", r"schwedisch\w*", r"svedes\w*", r"suec[oa]s?", r"szwedzk\w*", r"zweedse"),
    "NO": (r"norwegian", r"norvégien\w*", r"norwegisch\w*", r"norveges\w*", r"norueg[oa]s?", r"norwesk\w*", r"noorse"),
    "DK": (r"danish", r"danois\w*", r"dänisch\w*", r"danes[ei]", r"danés", r"danes[ae]s?", r"duńsk\w*", r"deense"),
    "FI": (r"finnish", r"finlandais\w*", r"finnisch\w*", r"finlandes\w*", r"fińsk\w*", r"finse"),
    "EE": (r"estonian", r"estonien\w*", r"estnisch\w*", r"eston[ei]", r"estoni[oa]", r"estońsk\w*"),
    "LV": (r"latvian", r"letton\w*", r"lettisch\w*"),
    "LT": (r"lithuanian", r"lituanien\w*", r"litauisch\w*"),
    "CZ": (r"czech", r"tchèque\w*", r"tschechisch\w*", r"cec[oah]", r"chec[oa]s?", r"czesk\w*", r"tsjechische"),
    "SK": (r"slovak", r"slovaque\w*", r"slowakisch\w*", r"slovacc\w*", r"eslovac[oa]s?", r"słowack\w*", r"словацьк\w*"),
    "HU": (r"hungarian", r"hongrois\w*", r"ungarisch\w*", r"ungheres\w*", r"húngar[oa]s?", r"węgiersk\w*", r"hongaarse", r"magyar\w*"),
    "RO": (r"romanian", r"roumain\w*", r"rumänisch\w*", r"rumen[oaie]", r"rumano\w*", r"rumuńsk\w*", r"roemeense", r"român\w*", r"román\w*"),
    "BE": (r"belgian", r"belge\w*", r"belgisch\w*", r"belgijsk\w*"),
    "TR": (r"turkish", r"turc\w*", r"türkisch\w*", r"tureck\w*", r"turkse", r"turk"),
    "AU": (r"australian", r"australien\w*", r"australisch\w*", r"australian[oaie]", r"australijsk\w*"),
    "NZ": (r"néo-zélandais\w*", r"neuseeländisch\w*", r"neozelandes\w*", r"kiwi"),
    "KR": (r"south korean", r"sud-coréen\w*", r"südkoreanisch\w*", r"sudcorean\w*", r"surcorean\w*"),
    "CH": (r"swiss", r"suisse\w*", r"schweizer\w*", r"svizzer\w*", r"suiz[oa]s?", r"szwajcarsk\w*", r"zwitserse"),
    "BR": (r"brazilian", r"brésilien\w*", r"brasilianisch\w*", r"brasilian[oaie]", r"brasileñ\w*", r"brasileir\w*"),
    "GR": (r"greek", r"grec\w*", r"griechisch\w*", r"griego", r"greck\w*"),
    "PT": (r"portuguese", r"portugais\w*", r"portugiesisch\w*", r"portoghes\w*", r"portugués\w*", r"portugalsk\w*", r"portugese", r"portugu[eê]s\w*"),
    "AT": (r"austrian", r"autrichien\w*", r"österreichisch\w*", r"austriac\w*", r"austríac\w*"),
    "IE": (r"irish", r"irlandais\w*", r"irisch\w*"),
}

# Capitals and seats of government in other languages' spelling (the English ones are in the
# gazetteer), and institutions that speak for one nation.
SEATS: dict[str, tuple[str, ...]] = {
    "FR": ("Élysée", "Elysée", "Elysee", "Eliseo", "Elíseo", "Quai d'Orsay"),
    "GB": ("Londres", "Londra", "Londyn", "Londen", "Downing Street", "Whitehall"),
    "DE": ("Berlino", "Berlín", "Bundesregierung", "Kanzleramt", "Bundeswehr"),
    "IT": ("Roma", "Rom", "Rzym", "Palazzo Chigi", "Farnesina"),
    "ES": ("Moncloa",),
    "PL": ("Varsovie", "Varsavia", "Varsovia", "Warschau", "Warszawa", "Warszawie", "Varșovia"),
    "NL": ("La Haye", "Den Haag", "L'Aia", "La Haya"),
    "US": ("Casa Bianca", "Casa Blanca", "Maison Blanche", "Weißen Haus", "Weiße Haus", "Biały Dom", "Witte Huis", "Casa Branca", "Pentagon", "Pentagone", "Washingtonu"),
    "BE": ("Bruxelles", "Brüssel"),
    "CZ": ("Praga", "Prag", "Praha"),
    "SK": ("Bratislava", "Братислава", "Братислав"),
    "DK": ("Copenhague", "Kopenhagen", "Copenaghen"),
    "SE": ("Stockholm", "Stoccolma", "Estocolmo", "Sztokholm"),
    "NO": ("Oslo",),
    "TR": ("Ankara",),
    "JP": ("Tokio", "Tokyo", "Tōkyō"),
    "NZ": ("NZDF", "Wellington"),
    "CH": ("Berne", "Bern", "Berna", "SECO"),
    "HU": ("Budapest", "Budapeszt"),
    "GR": ("Athènes", "Athen", "Atene", "Atenas"),
    "RO": ("Bucarest", "Bukarest", "București", "Bucureşti"),
    "PT": ("Lisbonne", "Lissabon", "Lisboa"),
    "BR": ("Brasília", "Planalto"),
}

# The protected country, its aggressor and the aggressor's ally: never the pledging actor.
PROTECTED = "UA"
ADVERSARIES = ("RU", "BY")
PROTECTED_WORDS = (
    r"ukrain\w*", r"ucrain\w*", r"ukrajin\w*", r"ukrajn\w*", r"oekraï?n\w*", r"ucrânia\w*",
    r"ucranian\w*", r"ucranio\w*", r"ukrán\w*", r"україн\w*", r"kyiv\w*", r"kiev\w*", r"kiew\w*",
    r"kijów", r"kijow\w*", r"kyjiw", r"kijev\w*", r"київ\w*", r"києв\w*", r"kiïv", r"zelensk\w*",
    r"ウクライナ", r"أوكرانيا",
)
ADVERSARY_WORDS = (
    r"russ\w*", r"rusi\w*", r"rusk\w*", r"rosj\w*", r"rosyjsk\w*", r"rusland\w*", r"orosz\w*",
    r"moscow", r"moscou", r"moskau", r"mosca", r"moscú", r"moskw\w*", r"moskou", r"kremlin\w*",
    r"kreml\w*", r"росі\w*", r"москв\w*", r"putin\w*", r"belarus\w*", r"bielorus\w*", r"weißruss\w*",
    r"biélorusse\w*", r"ロシア",
)
# Theatres and targets that are not the protected country's war.
ELSEWHERE_WORDS = (
    r"gaza", r"palestin\w*", r"israel\w*", r"hamas", r"hezbollah", r"taiwan\w*",
    r"pyongyang", r"north korea\w*", r"corée du nord", r"nordkorea\w*", r"iran\w*", r"tehran",
    r"téhéran", r"eastern sentry", r"eastern flank", r"flanc est", r"ostflanke",
    r"south china sea", r"philippin\w*", r"manila", r"indonesi\w*", r"indonési\w*", r"jakarta",
    r"qatar\w*", r"hackers?", r"human rights", r"protests?", r"sudan\w*", r"haiti\w*",
)


@cache
def translated_names(language: str) -> dict[str, tuple[str, ...]]:
    """iso2 -> the nation's ISO 3166 names in `language` (empty where none is translated)."""
    if language == "en":
        return {}
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return {}
    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        forms = {translation.gettext(country.name)}
        for attribute in ("common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                forms.add(translation.gettext(value))
        # "Royaume-Uni de Grande-Bretagne..." is too long to occur; short forms are enough.
        names[country.alpha_2] = tuple(f for f in forms if f and len(f.split()) <= 3)
    return names
