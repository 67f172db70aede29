"""Italian reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(
        r"troppo presto", r"prematur\w*", r"non ancora", r"da decidere", r"chied\w*", r"esort\w*",
        r"sper\w*", r"dovrebbe\w*", r"deve", r"devono", r"minacc\w*", r"avvert\w*", r"ringrazi\w*",
        r"opposizione", r"fredd\w*", r"ipotesi", r"sembra\w*",
    ),
    reopen=(r"non esclud\w*", r"non (?:è )?escluso"),
    condition=(r"solo se", r"soltanto se", r"a condizione", r"purché", r"a patto", r"previa", r"subordinat\w*", r"mandato", r"solo dopo", r"fino a quando"),
    decline=(r"non", r"mai", r"esclu\w*", r"rifiut\w*", r"respint\w*", r"veto", r"contrarietà", r"nessun\w*", r"no a"),
    open=(r"pront\w* a", r"disponibil\w*", r"dispost\w* a", r"apertura", r"apert\w* a", r"potrebbe\w*", r"può", r"possono", r"valut\w*", r"eventual\w*"),
    commit=(
        r"contribuir\w*", r"impegn\w*", r"promess\w*", r"promett\w*", r"annunci\w*", r"conferm\w*",
        r"\w+rà", r"\w+ranno", r"garant\w*",
    ),
    deed=(
        r"contribu\w*", r"fornir\w*", r"fornit\w*", r"fornisc\w*", r"invi\w*", r"consegn\w*",
        r"stanziat\w*", r"approvat\w*", r"firmat\w*", r"sbloccat\w*", r"pubblicat\w*", r"decreto",
        r"partecip\w*", r"sanzion\w*", r"addestr\w*", r"mandato al", r"aderi\w*",
    ),
    types={
        "troops": (r"truppe", r"soldati", r"militari", r"contingent\w*", r"forz\w* di pace", r"caschi blu", r"forza multinazionale", r"sul terreno"),
        "air": (r"spazio aereo", r"pattugliamento aereo"),
        "sea": (r"naval\w*", r"navi", r"fregat\w*", r"sminamento", r"mar nero", r"marittim\w*"),
        "training": (r"formazione", r"addestr\w*", r"istruttori"),
        "monitoring": (r"monitoraggio", r"osservatori", r"verific\w*", r"sorveglianza"),
        "equipment": (
            r"armi", r"armamenti", r"munizioni", r"missili", r"carri armati", r"artiglieria",
            r"samp-?/?t", r"sistema di difesa\w*(?: antiaerea)?", r"aiuti militari", r"caccia", r"aerei",
        ),
        "financing": (r"finanziament\w*", r"prestit\w*", r"fondi", r"miliardi", r"milioni"),
        "sanctions": (r"sanzioni", r"embargo"),
        "backstop": (r"logistic\w*", r"intelligence"),
        "guarantee": (r"garanzie di sicurezza", r"garant\w*"),
    },
    actor_nouns=(r"truppe", r"soldati", r"militari", r"governo", r"ministr\w*", r"president\w*", r"premier", r"esecutivo", r"aspettative", r"forze"),
    object_preps=(r"a", r"ad", r"al", r"alla", r"ai", r"agli", r"in", r"nel", r"nella", r"nei", r"per", r"verso", r"contro", r"su", r"sul", r"sulla", r"dalla", r"dal", r"con", r"di", r"della", r"del"),
    recipient_preps=(r"a", r"ad", r"al", r"alla", r"ai", r"agli", r"per"),
    clause_breaks=(r"ma", r";", r"mentre", r"tuttavia", r"però", r"invece"),
    blanket=(r"\d+ (?:\w+ )?paesi", r"la coalizione", r"gli alleati", r"i volenterosi"),
    outside=(r"al di fuori dell['’]ucraina", r"fuori dall['’]ucraina"),
    pronouns=(r"lei", r"lui", r"noi"),
)
