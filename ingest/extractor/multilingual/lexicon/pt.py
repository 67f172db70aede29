"""Portuguese reporting grammar."""

from ingest.extractor.multilingual.lexicon import Words

WORDS = Words(
    void=(r"cedo demais", r"pede\w*", r"pediu", r"esper\w*", r"deve", r"devem", r"ameaç\w*", r"agradec\w*", r"oposição", r"não vale a pena"),
    reopen=(r"não descart\w*",),
    condition=(r"só se", r"somente se", r"desde que", r"com a condição", r"mandato"),
    decline=(r"não", r"nunca", r"jamais", r"rejeit\w*", r"recus\w*", r"neg\w*", r"veto"),
    open=(r"pront\w* para", r"dispost\w*", r"disposição", r"poderia\w*", r"pode", r"podem", r"consider\w*", r"sinal"),
    commit=(r"\w+rá", r"\w+rão", r"comprometeu\w*", r"promet\w*", r"anunci\w*"),
    deed=(r"envi\w*", r"fornec\w*", r"entreg\w*", r"doar\w*", r"aprov\w*", r"assin\w*", r"particip\w*", r"oferec\w*"),
    types={
        "troops": (r"tropas", r"soldados", r"militares"),
        "training": (r"treina\w*", r"formação", r"instrutores"),
        "monitoring": (r"observadores", r"monitor\w*"),
        "equipment": (r"armas", r"munição", r"munições", r"tanques?", r"blindados", r"leopard\w*", r"mísseis", r"armamento\w*"),
        "financing": (r"financ\w*", r"empréstimo\w*", r"milhões", r"bilhões"),
        "sanctions": (r"sanções", r"sancion\w*"),
    },
    actor_nouns=(r"tropas", r"soldados", r"governo", r"ministr\w*", r"president\w*", r"tanques"),
    object_preps=(r"a", r"ao", r"à", r"aos", r"para", r"em", r"no", r"na", r"contra", r"de", r"da", r"do", r"com"),
    recipient_preps=(r"a", r"ao", r"à", r"para"),
    clause_breaks=(r"mas", r";", r"enquanto", r"porém", r"embora"),
    blanket=(r"\d+ (?:\w+ )?países", r"a coalizão", r"os aliados"),
    pronouns=(r"ele", r"ela", r"nós"),
)
