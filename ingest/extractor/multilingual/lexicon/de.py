"""German reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(
        r"zu früh", r"verfrüht", r"noch nicht (?:entschieden|klar)", r"unklar", r"offen,? ob",
        r"ob", r"forder\w*", r"fordert", r"appell\w*", r"hoff\w*", r"soll(?:te|ten|en)?",
        r"müss\w*", r"muss", r"droh\w*", r"warn\w*", r"dank\w*", r"begrüß\w*", r"opposition",
        r"kritik\w*", r"kritisier\w*", r"spekul\w*", r"interpretiert", r"sei",
    ),
    reopen=(r"nichts ausschließ\w*", r"nicht ausschließ\w*", r"schließt? nichts aus", r"schließt? \w+ nicht aus"),
    condition=(
        r"nur wenn", r"nur dann", r"nur unter", r"unter der bedingung", r"vorausgesetzt",
        r"sofern", r"solange", r"erst wenn", r"erst nach", r"nur falls", r"bedingung\w*",
        r"voraussetzung\w*", r"bundestagsmandat", r"mandat des bundestag\w*", r"zustimmung des bundestag\w*",
    ),
    decline=(
        r"nicht", r"kein\w*", r"niemals", r"nie", r"ausgeschlossen",
        r"schlie(?:ß|ss)\w*\s+(?:[\w-]+\s+){0,8}?aus", r"lehn\w*\s+(?:[\w-]+\s+){0,8}?ab", r"abgelehnt", r"verweiger\w*", r"veto", r"blockier\w*", r"stopp\w*",
    ),
    open=(
        r"bereit\w*", r"könnte\w*", r"kann", r"können", r"erwäg\w*", r"denkbar", r"prüf\w*",
        r"offen für", r"bereitschaft", r"möglich\w*",
    ),
    commit=(
        r"zugesagt", r"sagt\w* \w+ zu", r"zusag\w*", r"verpflicht\w*", r"wird", r"werden",
        r"versprochen", r"verspr\w*", r"angekündigt", r"kündig\w* \w+ an", r"legt\w* sich \w+ fest",
        r"festgelegt", r"will", r"wollen",
    ),
    deed=(
        r"liefer\w*", r"geliefert", r"schick\w*", r"entsend\w*", r"entsandt", r"stell\w* \w+ bereit",
        r"bereitgestellt", r"unterzeichn\w*", r"beschlossen", r"beschließ\w*", r"verhängt",
        r"verhäng\w*", r"ausgeweitet", r"weitet\w*", r"verschärf\w*", r"beteilig\w*",
        r"unterstütz\w*", r"zahl\w*", r"finanzier\w*", r"einmelden", r"ausbild\w*", r"übergeben",
        r"eingeschränkt", r"ergänzt", r"übernommen", r"sanktioniert", r"betroffen", r"errichten",
        r"gab \w+ bekannt", r"bekannt\w*", r"abgestimmt",
    ),
    types={
        "troops": (
            r"truppen\w*", r"soldat\w*", r"bodentruppen", r"friedenstruppe\w*", r"schutztruppe\w*",
            r"truppenpräsenz", r"bundeswehr\w*", r"streitkräfte", r"kräfte", r"blauhelm\w*",
            r"kontingent\w*", r"brigade\w*", r"stützpunkte",
        ),
        "air": (r"luftraum\w*", r"luftpolizei\w*", r"luftverteidigung"),
        "sea": (r"marine", r"kriegsschiff\w*", r"fregatte\w*", r"minenräum\w*", r"schwarze\w* meer\w*", r"maritim\w*"),
        "training": (r"ausbild\w*", r"training\w*", r"trainer\w*", r"ausbilder\w*"),
        "monitoring": (r"überwach\w*", r"beobachter\w*", r"waffenstillstandsüberwachung", r"kontrolle des waffenstillstand\w*"),
        "equipment": (
            r"waffe(?!n(?:stillstand|ruhe))\w*", r"munition\w*", r"panzer\w*", r"raketen?", r"artillerie\w*", r"geschütz\w*",
            r"gepard\w*", r"leopard\w*", r"patriot\w*", r"iris-t", r"taurus", r"ausrüstung\w*",
            r"rüstungsgüter", r"drohnen", r"kampfjets?", r"flugabwehr\w*",
        ),
        "financing": (r"finanzhilfe\w*", r"milliarden", r"millionen", r"kredit\w*", r"darlehen", r"finanzier\w*", r"finanzielle\w* hilfe", r"hilfspaket\w*"),
        "sanctions": (r"sanktion\w*", r"restriktive\w* maßnahmen", r"einfrieren", r"embargo\w*", r"schattenflotte"),
        "backstop": (r"logisti\w*", r"aufklärung", r"rückversicherung", r"nato-gebiet", r"nachbarland"),
        "guarantee": (r"sicherheitsgarantie\w*", r"sicherheitszusage\w*", r"garant\w*", r"sicherung\w* eines \w+ friedens"),
    },
    actor_nouns=(
        r"truppen", r"soldaten", r"streitkräfte", r"armee", r"regierung", r"minister\w*",
        r"ministerium", r"außenministerium", r"präsident\w*", r"kanzler\w*", r"bundeskanzler",
        r"sanktionen", r"maßnahmen", r"panzer", r"beitrag", r"bereitschaft", r"zusage", r"position",
    ),
    object_preps=(
        r"an(?: die| den| das)?", r"nach", r"in(?: der| die| den)?", r"im", r"für(?: die| den| das)?",
        r"gegen(?: die| den| das)?", r"auf", r"zu", r"zur", r"zum", r"ins", r"gegenüber",
        r"aus(?: der| dem)?",
    ),
    recipient_preps=(r"an(?: die| den| das)?", r"für(?: die| den| das)?"),
    clause_breaks=(r"aber", r";", r"während", r"jedoch", r"hingegen", r"obwohl", r"sondern", r"doch"),
    blanket=(r"\d+ (?:\w+ )?(?:länder|staaten)", r"die koalition", r"die verbündeten", r"die europäer", r"europäische\w* staaten"),
    outside=(r"außerhalb der ukraine", r"nato-gebiet", r"benachbart\w*", r"nachbarland", r"ohne die ukraine zu betreten"),
    pronouns=(r"er", r"sie", r"wir", r"es", r"das land", r"die regierung"),
    inflects_names=True,
)
