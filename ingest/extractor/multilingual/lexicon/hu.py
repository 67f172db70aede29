"""Hungarian reporting grammar (a little: verbs of giving and refusing, the type nouns)."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(r"remél\w*", r"kell", r"fenyeget\w*", r"köszön\w*", r"ellenzék\w*"),
    reopen=(r"nem zár\w* ki",),
    condition=(r"csak akkor", r"csak ha", r"feltétel\w*"),
    decline=(r"nem", r"soha", r"kizár\w*", r"elutasít\w*", r"megvétóz\w*"),
    open=(r"kész\w*", r"hajlandó\w*", r"tud\w*"),
    commit=(r"vállal\w*", r"fog\w*", r"ígér\w*"),
    deed=(r"küld\w*", r"biztosít\w*", r"részt vesz", r"szállít\w*", r"átad\w*"),
    types={
        "troops": (r"csapat\w*", r"katoná\w*", r"katonák\w*"),
        "training": (r"kiképz\w*",),
        "equipment": (r"fegyver\w*", r"lőszer\w*"),
        "financing": (r"millió\w*", r"milliárd\w*"),
        "sanctions": (r"szankci\w*",),
        "backstop": (r"logisztikai", r"logisztik\w*"),
    },
    actor_nouns=(r"kormány\w*", r"katonák", r"csapatok"),
    object_preps=(),
    recipient_preps=(),
    clause_breaks=(r"de", r";", r"ugyanakkor", r"viszont"),
    blanket=(r"\d+ ország\w*", r"koalíció\w*"),
    inflects_names=True,
)
