"""Dutch reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(r"te vroeg", r"nog niet", r"roept op", r"oproep\w*", r"hoop\w*", r"moet", r"moeten", r"zou moeten", r"dreig\w*", r"waarschuw\w*", r"bedank\w*", r"oppositie", r"\w+-leider", r"partijleider", r"onduidelijk\w*", r"of\b", r"gebruikelijk"),
    reopen=(r"niet uit(?:sluiten|gesloten)", r"sluit\w* \w+ niet uit"),
    condition=(r"alleen als", r"alleen wanneer", r"mits", r"op voorwaarde", r"onder voorwaarde", r"voorwaarde\w*", r"mandaat", r"instemming van de (?:tweede )?kamer"),
    decline=(r"niet", r"nooit", r"geen", r"uitgesloten", r"sluit\w* \w+ uit", r"weiger\w*", r"wijst? \w+ af", r"afgewezen", r"veto", r"tegen is"),
    open=(r"bereid\w*", r"bereidwillig\w*", r"openstaan", r"staat open", r"open voor", r"zou(?:den)? kunnen", r"kan", r"kunnen", r"overw[eo]g\w*", r"mogelijk\w*"),
    commit=(r"zegt? toe", r"toegezegd", r"belo\w*", r"zal", r"zullen", r"kondigd\w* aan", r"aangekondigd", r"verplicht\w*"),
    deed=(r"stuurt", r"stuurde\w*", r"gestuurd", r"lever\w*", r"geleverd", r"ondertek\w*", r"goedgekeurd", r"financier\w*", r"draagt bij", r"bijdrag\w*", r"traint", r"trainen", r"schenk\w*", r"geschonken"),
    types={
        "troops": (r"troepen\w*", r"soldaten", r"militairen", r"grondtroepen", r"vredesmacht", r"troepenzending", r"militaire inzet"),
        "air": (r"luchtruim", r"luchtverdediging"),
        "sea": (r"marine", r"fregat\w*", r"mijnenveg\w*", r"zwarte zee"),
        "training": (r"opleid\w*", r"train\w*", r"instructeurs"),
        "monitoring": (r"waarnemers", r"monitor\w*"),
        "equipment": (r"wapens?", r"munitie", r"tanks?", r"raketten", r"f-16\w*", r"gevechtsvliegtuigen"),
        "financing": (r"miljoen", r"miljard", r"steunpakket", r"financ\w*", r"lening\w*"),
        "sanctions": (r"sancties?",),
        "backstop": (r"logistiek\w*", r"inlichtingen", r"backstop"),
        "guarantee": (r"veiligheidsgaranties?",),
    },
    actor_nouns=(r"soldaten", r"militairen", r"troepen", r"regering", r"kabinet", r"minister\w*", r"premier", r"president"),
    object_preps=(r"aan", r"naar", r"in", r"voor", r"tegen", r"op", r"bij", r"van", r"met", r"uit", r"tussen"),
    recipient_preps=(r"aan", r"voor", r"naar"),
    clause_breaks=(r"maar", r";", r"terwijl", r"echter", r"hoewel"),
    blanket=(r"\d+ (?:\w+ )?landen", r"de coalitie", r"de bondgenoten", r"europese regeringsleiders"),
    outside=(r"buiten oekraïne",),
    pronouns=(r"hij", r"zij", r"wij", r"we"),
)
