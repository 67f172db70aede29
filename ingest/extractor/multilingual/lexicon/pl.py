"""Polish reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(r"za wcześnie", r"jeszcze nie", r"wzyw\w*", r"apel\w*", r"powinn\w*", r"musi\w*", r"groz\w*", r"ostrzeg\w*", r"dziękow\w*", r"opozycj\w*", r"czy"),
    reopen=(r"nie wyklucz\w*",),
    condition=(r"tylko jeśli", r"tylko gdy", r"pod warunkiem", r"o ile", r"jeżeli", r"mandat\w*"),
    decline=(r"nie", r"nigdy", r"wyklucz\w*", r"odmaw\w*", r"odmówi\w*", r"odrzuc\w*", r"weto", r"żaden", r"żadnych", r"żadnego"),
    open=(r"gotow\w*", r"skłonn\w*", r"mógłby", r"mogłaby", r"mogłoby", r"może", r"mogą", r"rozważ\w*", r"otwart\w*"),
    commit=(r"zobowiąz\w*", r"obieca\w*", r"obiecuj\w*", r"będzie", r"będą", r"ma być", r"mają być", r"zapewni\w*", r"zapowiedzia\w*"),
    deed=(r"wyśl\w*", r"wysył\w*", r"przekaż\w*", r"przekaza\w*", r"dostarcz\w*", r"podpisa\w*", r"zatwierdz\w*", r"ogłosi\w*", r"udzieli\w*", r"sfinansow\w*", r"finansuj\w*", r"przyłącz\w*", r"dołącz\w*", r"pełni\w*", r"wesprze\w*", r"wspiera\w*", r"pilnow\w*"),
    types={
        "troops": (r"żołnierz\w*", r"wojsk\w*", r"oddział\w*", r"kontyngent\w*", r"misj\w* pokojow\w*", r"sił\w* pokojow\w*", r"misj\w* międzynarodow\w*"),
        "air": (r"przestrze\w* powietrzn\w*",),
        "sea": (r"marynark\w*", r"okręt\w*", r"fregat\w*", r"rozminow\w*"),
        "training": (r"szkoleni\w*", r"szkol\w*", r"instruktor\w*"),
        "monitoring": (r"monitor\w*", r"obserwator\w*"),
        "equipment": (r"bro[ńn]\w*", r"amunicj\w*", r"czołg\w*", r"rakiet\w*", r"sprzęt\w*", r"artyleri\w*"),
        "financing": (r"finansow\w*", r"pożycz\w*", r"kredyt\w*", r"mln", r"mld", r"milion\w*", r"miliard\w*"),
        "sanctions": (r"sankcj\w*",),
        "backstop": (r"logistyczn\w*", r"logistyk\w*", r"hub\w*", r"lotnisk\w*", r"port\w*"),
        "guarantee": (r"gwarancj\w* bezpieczeństwa", r"gwarant\w*", r"militarn\w* odpowied\w*", r"odpowied\w* militarn\w*"),
    },
    actor_nouns=(r"żołnierz\w*", r"wojsk\w*", r"rząd\w*", r"minist\w*", r"prezydent\w*", r"premier\w*", r"negocjator\w*", r"amerykańsk\w*"),
    object_preps=(r"do", r"dla", r"w", r"we", r"na", r"przeciw", r"ku", r"z", r"ze", r"od", r"o", r"przy", r"nad", r"pod"),
    recipient_preps=(r"do", r"dla"),
    clause_breaks=(r"ale", r";", r"lecz", r"jednak", r"natomiast", r"podczas gdy"),
    blanket=(r"\d+ (?:\w+ )?(?:państw|krajów)", r"koalicj\w*", r"sojusznic\w*"),
    outside=(r"poza ukrainą", r"na terytorium polski", r"wschodni\w* flank\w*"),
    pronouns=(r"on", r"ona", r"my"),
    inflects_names=True,
)
