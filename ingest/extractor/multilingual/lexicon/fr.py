"""French reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(
        r"trop tôt", r"prématuré\w*", r"pas encore (?:décidé|clair|arrivé)", r"reste à \w+",
        r"incertain\w*", r"appel\w* (?:à|aux)", r"exhort\w*", r"souhait\w*", r"esp[eè]r\w*",
        r"doi(?:t|vent)", r"devr(?:ait|aient)", r"il faut", r"menac\w*", r"avert\w*",
        r"cibles? légitimes?", r"remerci\w*", r"salu\w*", r"opposition",
        r"refus\w* de (?:clarifier|préciser|commenter|dire|donner)", r"ne pas vouloir",
        r"ne voudrait pas", r"critiqu\w*", r"il n'y a(?:vait)? pas", r"il n’y a(?:vait)? pas",
        r"selon des sources", r"aurai(?:t|ent)", r"hypothétique\w*",
    ),
    reopen=(r"n['’]exclu\w* pas", r"ne pas exclure", r"pas exclu", r"n['’]exclu\w* rien"),
    condition=(
        r"seulement si", r"uniquement si", r"qu['’]à condition", r"à condition", r"sous réserve",
        r"pourvu que", r"tant que", r"à moins que", r"jusqu['’]à ce que", r"condition\w*",
        r"préalable\w*", r"mandat", r"feu vert du parlement", r"approbation du parlement",
    ),
    decline=(
        r"ne\s+[\w'’]+\s+(?:pas|jamais|plus)", r"n['’][\w]+\s+(?:pas|jamais|plus)",
        r"en aucun cas", r"exclu\w*", r"refus\w*", r"rejet\w*", r"veto", r"bloqu\w*",
        r"s['’]oppos\w*", r"hors de question", r"pas question", r"aucune?", r"jamais",
        r"suspend\w*",
    ),
    open=(
        r"prête?s? à", r"disposée?s? à", r"ouverte?s? à", r"envisag\w*", r"pourr\w*", r"pourrai\w*",
        r"peut", r"peuvent", r"disponible\w*", r"volonté de", r"examin\w*", r"réfléchi\w*",
        r"possible\w*", r"éventuel\w*",
    ),
    commit=(
        r"s['’]engag\w*", r"engag\w*", r"prom[eiu]\w*", r"va", r"vont", r"s['’]est engagé\w*",
        r"annonc\w*", r"décid\w*", r"garanti\w*", r"\w+(?:era|eront|ira|iront)",
        r"continuera\w*", r"poursuivr\w*",
    ),
    deed=(
        r"fourni\w*", r"fourni", r"livr\w*", r"envoi\w*", r"envoy\w*", r"enverr\w*", r"déploi\w*",
        r"déploy\w*", r"sign\w*", r"approuv\w*", r"adopt\w*", r"débloqu\w*", r"accord\w*",
        r"financ\w*", r"contribu\w*", r"rejoin\w*", r"particip\w*", r"form(?:er|era|ons|é|és|ée)",
        r"sanctionn\w*", r"impos\w*", r"gel\w*", r"transf[eé]r\w*", r"donn\w*", r"offert",
        r"verse\w*", r"versé\w*", r"achet\w*", r"entraîn\w*",
    ),
    types={
        "troops": (
            r"troupes?", r"soldats?", r"militaires", r"forces? (?:terrestres|au sol|de réassurance|multinationales?|de paix|de garanties?)",
            r"contingents?", r"casques bleus", r"soldats de la paix", r"force de paix", r"hommes",
            r"présence militaire", r"bataillons?", r"brigades?", r"personnel militaire",
        ),
        "air": (r"espace aérien", r"police du ciel", r"patrouilles? aériennes?", r"ciel"),
        "sea": (
            r"naval\w*", r"marine", r"navires?", r"frégates?", r"déminage", r"mer noire",
            r"maritime\w*", r"bâtiments?",
        ),
        "training": (
            r"form(?:er|era|eront|ation|és|ées|és)", r"instructeurs?", r"entraîn\w*", r"former",
        ),
        "monitoring": (r"surveill\w*", r"observateurs?", r"vérifi\w*", r"monitor\w*", r"contrôle du cessez"),
        "equipment": (
            r"armes?", r"armements?", r"munitions?", r"obus", r"missiles?", r"chars?", r"blindés",
            r"avions (?:de combat|de chasse)", r"avions", r"chasseurs", r"mirage\w*(?: 2000\S*)?",
            r"rafales?", r"f-16", r"samp/?-?t", r"caesar", r"matériels?(?: militaires?)?",
            r"équipements?", r"drones?", r"défense a(?:nti)?aérienne",
        ),
        "financing": (
            r"aide financière", r"financ\w*", r"prêts? de", r"fonds", r"milliards?", r"millions?",
            r"budget\w*", r"contribution financière", r"facilité européenne pour la paix",
        ),
        "sanctions": (r"sanctions?", r"gel des avoirs", r"embargo\w*", r"plafonnement", r"flotte fantôme"),
        "backstop": (r"logisti\w*", r"renseignement\w*", r"soutien aérien", r"filet de sécurité", r"garant\w*"),
        "guarantee": (r"garanties? de sécurité", r"garanties?", r"force de garanties"),
    },
    actor_nouns=(
        r"troupes", r"soldats", r"forces", r"armée", r"militaires", r"instructeurs",
        r"gouvernement", r"exécutif", r"ministre", r"ministère", r"président", r"premi[eè]re? ministre",
        r"chef d['’]état", r"chef de l['’]état", r"diplomatie", r"autorités", r"porte-parole",
        r"parlement", r"contribution", r"pilotes", r"chars", r"avions",
    ),
    object_preps=(
        r"à", r"au", r"aux", r"pour", r"en", r"dans", r"vers", r"contre", r"sur", r"chez", r"de la",
        r"du", r"des", r"avec", r"entre",
    ),
    recipient_preps=(r"à", r"au", r"aux", r"pour"),
    clause_breaks=(r"mais", r";", r"tandis que", r"alors que", r"cependant", r"néanmoins", r", précisant", r", ajoutant", r", notant", r"bien que"),
    blanket=(r"\d+ (?:[\w'’-]+ ){0,4}pays", r"les pays", r"la coalition", r"les alliés", r"les européens", r"plusieurs pays"),
    outside=(r"hors d['’]ukraine", r"en dehors de l['’]ukraine", r"pays voisins?", r"territoire de l['’]otan"),
    pronouns=(r"il", r"elle", r"nous", r"ils", r"le pays"),
)
