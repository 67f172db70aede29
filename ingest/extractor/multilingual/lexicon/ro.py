"""Romanian reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(r"prea devreme", r"încă nu", r"cer\w*", r"speră\w*", r"trebui\w*", r"amenin\w*", r"avertiz\w*", r"mulțum\w*", r"opoziți\w*"),
    reopen=(r"nu exclude",),
    condition=(r"doar dacă", r"numai dacă", r"cu condiția", r"doar după", r"numai după", r"odată ce", r"abia după", r"mandat\w*", r"condiți\w*", r"clar stabilit\w*"),
    decline=(r"nu", r"niciodată", r"exclu\w*", r"refuz\w*", r"respins\w*", r"veto"),
    open=(r"pregătit\w* să", r"dispus\w*", r"ar putea", r"poate", r"pot", r"ar trimite", r"ia în calcul"),
    commit=(r"va", r"vor", r"angaj\w*", r"anunț\w*", r"promi\w*"),
    deed=(r"trimite", r"trimis", r"furniz\w*", r"livr\w*", r"semn\w*", r"aprob\w*", r"coordoneaz\w*", r"conduc\w*", r"particip\w*", r"asigur\w*"),
    types={
        "troops": (r"trupe\w*", r"soldaț\w*", r"militari", r"forț\w* de menținere a păcii", r"pacificator\w*", r"contingent\w*", r"forț\w* multinațional\w*"),
        "sea": (r"marea neagră", r"maritim\w*", r"naval\w*", r"nave", r"fregat\w*", r"deminare", r"navigați\w*", r"transport\w* maritim\w*"),
        "training": (r"instruire", r"antrenament\w*", r"instructor\w*"),
        "monitoring": (r"monitoriz\w*", r"observator\w*"),
        "equipment": (r"arme", r"armament\w*", r"muniți\w*", r"tancuri", r"rachete"),
        "financing": (r"finanț\w*", r"împrumut\w*", r"milioane", r"miliarde"),
        "sanctions": (r"sancțiun\w*",),
        "backstop": (r"logistic\w*",),
        "guarantee": (r"garanți\w* de securitate",),
    },
    actor_nouns=(r"trupe\w*", r"soldaț\w*", r"guvern\w*", r"ministr\w*", r"președint\w*", r"premier\w*"),
    object_preps=(r"la", r"în", r"pentru", r"spre", r"contra", r"împotriva", r"către", r"din", r"cu", r"de"),
    recipient_preps=(r"pentru", r"către", r"la"),
    clause_breaks=(r"dar", r";", r"în timp ce", r"însă", r"deși"),
    blanket=(r"\d+ (?:\w+ )?(?:țări|state)", r"coaliți\w*", r"aliaț\w*"),
    pronouns=(r"el", r"ea", r"noi"),
    inflects_names=True,
)
