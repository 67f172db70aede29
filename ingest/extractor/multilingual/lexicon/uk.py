"""Ukrainian reporting grammar (a little: refusals, conditions, the type nouns)."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(
        r"закликав\w*",
        r"сподіва\w*",
        r"має",
        r"повин\w*",
        r"погрожу\w*",
        r"дяку\w*",
        r"опозиц\w*",
        r"неправильн\w*",
    ),
    reopen=(r"не виключа\w*",),
    condition=(r"якщо", r"лише якщо", r"за умови", r"тільки якщо"),
    decline=(r"не", r"жоден", r"жодного", r"ніколи", r"відмов\w*"),
    open=(r"може", r"можуть", r"готов\w*", r"уявити"),
    commit=(r"буде", r"будуть", r"зобов'яз\w*", r"пообіця\w*"),
    deed=(r"надав\w*", r"надіслав\w*", r"передав\w*", r"направ\w*", r"спрямову\w*", r"поїде"),
    types={
        "troops": (
            r"солдат\w*",
            r"військов\w* контингент\w*",
            r"військовослужбовц\w*",
            r"військ\w*",
        ),
        "monitoring": (r"моніторинг\w*",),
        "training": (r"навчанн\w*",),
        "equipment": (r"зброї", r"зброю", r"зброя", r"озброєн\w*"),
        "sanctions": (r"санкц\w*",),
    },
    actor_nouns=(r"солдат\w*", r"уряд\w*", r"військовослужбовц\w*"),
    object_preps=(r"в", r"у", r"до", r"на", r"з"),
    recipient_preps=(r"до",),
    clause_breaks=(r"однак", r"але", r";", r"натомість"),
    blanket=(r"коаліц\w*",),
    pronouns=(r"він", r"вона"),
    inflects_names=True,
)
