"""Spanish reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(
        r"demasiado pronto", r"prematur\w*", r"todavía no", r"aún no", r"pid\w*", r"insta\w*",
        r"esper\w*", r"debería\w*", r"debe", r"deben", r"amenaz\w*", r"advirt\w*", r"agradec\w*",
        r"oposición", r"no contempla", r"no dar fechas", r"fechas",
    ),
    reopen=(r"no descart\w*", r"no excluy\w*"),
    condition=(r"solo si", r"sólo si", r"siempre que", r"a condición", r"con la condición", r"siempre y cuando", r"supeditad\w*", r"mandato"),
    decline=(r"no", r"nunca", r"jamás", r"descart\w*", r"rechaz\w*", r"se neg\w*", r"veto", r"ningún", r"ninguna"),
    open=(r"dispuest\w* a", r"list\w* para", r"abiert\w* a", r"podría\w*", r"puede", r"pueden", r"consider\w*", r"estudi\w*", r"disposición"),
    commit=(r"se ha comprometido", r"compromiso\w*", r"comprometid\w*", r"compromet\w*", r"\w+rá", r"\w+rán", r"anunci\w*", r"garant\w*", r"actuará"),
    deed=(
        r"enviar\w*", r"envi\w*", r"entreg\w*", r"suministr\w*", r"aport\w*", r"contribu\w*",
        r"particip\w*", r"firm\w*", r"aprob\w*", r"despleg\w*", r"financi\w*", r"sancion\w*",
        r"enseñ\w*", r"entren\w*", r"form(?:a|ando|ado)", r"reparad\w*", r"prometid\w*",
    ),
    types={
        "troops": (r"tropas?", r"soldados?", r"militares", r"contingente\w*", r"fuerza (?:de paz|multinacional)", r"cascos azules", r"efectivos", r"sobre el terreno"),
        "air": (r"espacio aéreo", r"patrullas? aéreas?"),
        "sea": (r"naval\w*", r"buques?", r"fragatas?", r"desminado", r"mar negro", r"marítim\w*"),
        "training": (r"instructores?", r"formación", r"formando", r"formar", r"entren\w*", r"adiestr\w*", r"enseñ\w*"),
        "monitoring": (r"observadores?", r"vigilancia", r"monitoreo", r"supervisión", r"verificación"),
        "equipment": (r"armas?", r"armamento\w*", r"munición\w*", r"municiones", r"misiles?", r"tanques?", r"carros de combate", r"leopard\w*(?: \d\w*)?", r"abrams", r"challenger\w*", r"leclerc\w*", r"artillería", r"blindados", r"material militar", r"cazas", r"f-16"),
        "financing": (r"financiación", r"préstamos?", r"fondos", r"millones", r"ayuda financiera"),
        "sanctions": (r"sanciones", r"embargo"),
        "backstop": (r"logístic\w*", r"inteligencia", r"garante\w*"),
        "guarantee": (r"garantías de seguridad",),
    },
    actor_nouns=(r"tropas", r"soldados", r"militares", r"gobierno", r"ministr\w*", r"president\w*", r"ejército", r"fuerzas", r"leopard\w*", r"carros", r"tanques"),
    object_preps=(r"a", r"al", r"en", r"para", r"hacia", r"contra", r"sobre", r"de", r"del", r"con", r"desde"),
    recipient_preps=(r"a", r"al", r"para"),
    clause_breaks=(r"pero", r";", r"mientras", r"sin embargo", r"aunque", r"sino"),
    blanket=(r"\d+ (?:\w+ )?países", r"la coalición", r"los aliados", r"otros países"),
    outside=(r"fuera de ucrania",),
    pronouns=(r"él", r"ella", r"nosotros"),
)
