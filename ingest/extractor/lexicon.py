"""Fixed English lexicon of how pledges are reported: stance cues, blockers, conditions, roles.

The pledge *type* words live in the gazetteer (editable data); these patterns are grammar that
holds for every type, so they are compiled once at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.extractor.gazetteer import trie_pattern

_I = re.I | re.X

# One pass finds every cue. Alternatives are ordered so that, at one position, the more specific
# reading wins ("would not rule out" is open before "would not" is declined; "did not say" is a
# non-statement before "did not" is a refusal).
CUE_RE = re.compile(
    r"""
\b(?:
(?P<nonstmt>
    (?:did|does|do|would|will|could)\s*(?:n't|\s+not)\s+(?:say|specify|name|disclose|elaborate
        |comment|confirm|give\s+details|commit)
  | (?:declin|refus)(?:e|es|ed|ing)\s+to\s+(?:say|comment|specify|give|confirm|disclose|elaborate
        |name|be\s+drawn|commit)
  | (?:has|have|had)\s*(?:n't|\s+not)\s+(?:yet\s+)?(?:decided|said|committed|made\s+a\s+decision
        |taken\s+a\s+decision)
  | (?:has|have|had)\s+yet\s+to\s+(?:decide|say|commit|make|take)
  | not\s+yet\s+(?:decided|clear|known|ready\s+to\s+say)
  | (?:is|are|was|were)\s+(?:still\s+)?(?:not|un)\s*clear
  | undecided | time\s+(?:has|had)\s+not\s+(?:yet\s+)?come | too\s+early | premature
  | remains\s+to\s+be\s+seen | no\s+decision
  | (?:made|given|makes|gave|make)\s+no\s+(?:\w+\s+)?commitments?
  | unclear | not\s+clear | whether | speculat\w*
)
| (?P<hope>
    hop(?:e|es|ed|ing) | wants? | wanted | wanting | urg(?:e|es|ed|ing) | call(?:s|ed|ing)?\s+on
  | press(?:es|ed|ing)\b(?!\s+conference) | pressur(?:e|es|ed|ing)\s | push(?:es|ed|ing)?
  | ask(?:s|ed|ing)? | appeal(?:s|ed|ing)? | expect(?:s|ed|ing)? | expectations?
  | (?:is|are|was|were)\s+likely | likely\s+to | must | should | ought\s+to | needs?\s+to
  | would\s+need | demand(?:s|ed|ing)? | encourag(?:e|es|ed|ing) | wish(?:es|ed)? | would\s+like
  | invit(?:e|es|ed|ing) | estimat(?:e|es|ed|ing) | predict(?:s|ed|ing)? | forecast(?:s|ing)?
  | reckon(?:s|ed)? | assess(?:es|ed|ing|ment)?
)
| (?P<threat>
    legitimate\s+targets? | warn(?:s|ed|ing)? | threat(?:s|en|ens|ened|ening)? | retaliat\w*
  | destroy(?:ed)? | destruction | consequences | escalat\w* | provocat\w* | reckless
)
| (?P<receive>
    (?:host|hosts|hosting|receive|receives|receiving|accept|accepts|accepting)\s+
    (?!(?:[\w-]+\s+){0,5}?(?:logistics?|logistical|hubs?|bases?|airbases?|airfields?|transit
        |staging)\b)(?:[\w-]+\s+){0,4}?
    (?:allied|foreign|international|partner|partners'|western|european|nato)\b
  | (?:accept|accepts|accepting|tolerat(?:e|es|ed|ing))\s+(?:any|the\s+presence|a\s+presence)\b
)
| (?P<thanks>
    thank(?:s|ed|ing)? | grateful | gratitude | prais(?:e|es|ed|ing) | hail(?:s|ed|ing)?
  | welcom(?:e|es|ed|ing) | applaud\w*
)
| (?P<plan>
    (?:under|in)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:plan|draft|proposal|blueprint|scenario)s?
  | according\s+to\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:plan|planning|document|draft|proposal
        |blueprint)s?
  | (?:plan|draft|proposal|blueprint|document)s?\s+(?:envisages?|foresees?|calls?\s+for|assigns?
        |proposes?|suggests?)
  | (?:is|are|was|were)\s+expected\s+to | (?:would|could|will|may|might)\s+be\s+(?:asked|tasked
        |expected|invited) | to\s+be\s+(?:asked|tasked) | options?\s+(?:include|under)
  | mooted | floated
)
| (?P<openneg>
    (?:(?:is|are|was|were)\s+)?(?:not|never)\s+ruling\s+out
  | (?:did|does|do|would|will|could|has|have|had)\s*(?:n't|\s+not)\s+rule[ds]?\s+out
  | (?:refus|declin)(?:e|es|ed|ing)\s+to\s+rule\s+out | won't\s+rule\s+out
)
| (?P<decide>
    (?:will|would|shall|to)\s+(?:\w+ly\s+)?decide
  | (?:will|would)\s+(?:only\s+)?(?:make|take)\s+(?:a|its|their|the)\s+decision
)
| (?P<declined>
    (?:will|would|shall|can|could|do|does|did)\s*(?:n't|\s+not|\s+never)
  | won't | can't | cannot | never
  | (?:is|are|was|were)\s*(?:n't|\s+not)\s+(?:(?!ruling)\w+ing|prepared|willing|ready|planning
        |going)\b
  | rule[ds]?\s+out | ruling\s+out | reject(?:s|ed|ing)? | (?:refus|declin)(?:e|es|ed|ing)\s+to
  | no\s+(?:plans?|intention|intent)\b | not\s+(?:going|planning|intending|prepared|willing|ready
        |in\s+a\s+position)\s+to
  | not\s+(?:be\s+)?(?:send|sending|deploy|deploying|take\s+part|taking\s+part|participat\w+
        |join|joining|contribut\w+|provid\w+)
  | oppos(?:e|es|ed|ing)\s+(?:sending|deploying|any|the) | against\s+(?:sending|deploying)
  | out\s+of\s+the\s+question | unwilling | there\s+will\s+be\s+no
  | (?:there\s+(?:is|was|would\s+be|will\s+be|can\s+be)\s+)?no\s+question\s+of
)
| (?P<open>
    (?:is|are|was|were|be|been|being|remains?|remained|stands?|stood|feels?)\s+(?:\w+ly\s+)?
        (?:ready|willing|prepared|open|available)\s+(?:to|for)
  | (?:ready|willing|prepared|open)\s+to | stands?\s+ready | could | might | (?-i:may)
  | (?:is|are|was|were|be)\s+(?:also\s+)?considering | considering
  | (?:would|will|could|to)\s+consider | weigh(?:s|ing)\s | explor(?:e|es|ing)
  | offer(?:s|ed|ing)?\s+to | (?:has|have|had)\s+offered | offered
  | signall?ed\s+(?:its\s+|their\s+|a\s+)?(?:readiness|willingness|openness)
  | express(?:ed|es)?\s+(?:its\s+|their\s+)?(?:readiness|willingness|openness)
  | in\s+principle | (?:would|will|to)\s+be\s+(?:finali[sz]ed|settled|determined
        |worked\s+out|announced) | being\s+finali[sz]ed | looking\s+(?:at|into)
)
| (?P<headline>
    to\s+(?:send|deploy|provide|contribute|join|supply|deliver|offer|lead|station|give|commit
        |fund|train|pledge|boost|expand|extend|dispatch)
)
| (?P<committed>
    pledg(?:e|es|ed|ing) | vow(?:s|ed)? | promis(?:e|es|ed) | commit(?:s|ted|ting)?\s+to
  | (?:has|have|had)\s+committed | (?:agree|agrees|agreed)\s+to | will | shall | would
  | (?:is|are)\s+to\b | (?:is|are)\s+set\s+to | plans?\s+to | planning\s+to | intends?\s+to
  | announc(?:e|es|ed)\b(?!\s+that|\s*[,.;]) | sign(?:s|ed)\b(?!\s+off)
  | (?:has|have|had)\s+(?:already\s+|also\s+)?(?:sent|deployed|delivered|provided|allocated
        |approved|earmarked|given)
  | (?:is|are)\s+(?:sending|deploying|providing|delivering)
  | allocat(?:e|es|ed) | earmark(?:s|ed) | approv(?:e|es|ed) | decided\s+to
  | confirmed\s+(?:it|that\s+it|they|that\s+they)\s+will
)
)(?!\w)
""",
    _I,
)

# How every word a cue can begin with starts (words of one or two letters whole): trying CUE_RE
# only at such words is what keeps extraction fast. They are as long as they can be, so that
# common words ("the", "for", "president", "country") are rejected at once; a test checks every
# literal start of CUE_RE against them.
CUE_PREFIXES = frozenset(
    """accept according against agree allocat announc appeal applaud approv are ask assess be
    been being blue call can commit conf conse consi could decid declin demand destr did do
    document does draft earmark encourag escalat estimat expect explor express feel floated forec
    gave given grat had hail has have hop host in intend invit is legitimate likely looking made
    make makes may might mooted must need never no not offer open oppos option ought out plan
    pledg prais pred prem prep press prom prop prov push ready receiv reckless reckon refus
    reject remain retaliat rul shall should sign speculat stand stood thank ther threat time to
    tolerat too unclear undecided under unwilling urg vow want warn was weigh welcom were whether
    will willing wish won would yet""".split()  # noqa: SIM905
)
WORD_RE = re.compile(r"\b[A-Za-z]+")

# Characters that IGNORECASE and str.lower() relate differently to an ASCII letter (Turkish
# dotted and dotless i, long s, Kelvin sign); every other character lowercases the same way.
_CASE_ODDITIES = "\u0130\u0131\u017f\u212a"


def fold_case(text: str) -> str | None:
    """`text` lowercased, offsets unchanged, or None when it holds a character that IGNORECASE
    would match differently.

    `re` skips a failing alternative by its first character only when matching case-sensitively,
    so the long phrase lists below run several times faster as lowercase patterns on this text.
    """
    if any(char in text for char in _CASE_ODDITIES):
        return None
    return text.lower()


def lowercase_twin(pattern: re.Pattern[str], prefix: str = "") -> re.Pattern[str]:
    """`pattern` (IGNORECASE, written in lowercase) to run case-sensitively on folded text."""
    letters = re.sub(r"\\.|\(\?P<\w+>", "", pattern.pattern)
    assert pattern.flags & re.I and not re.search("[A-Z]", letters), pattern.pattern
    return re.compile(prefix + pattern.pattern, pattern.flags & ~re.I)


def _prefix_lookahead(prefixes: frozenset[str]) -> str:
    """A lookahead true where a lowercase word begins with one of `prefixes` (a prefix shorter
    than three letters is the whole word)."""
    whole = [p for p in prefixes if len(p) < 3]
    start = trie_pattern(sorted(prefixes - set(whole)))
    return rf"(?=[a-z])\b(?={start}|{trie_pattern(sorted(whole))}(?![a-z]))"


_CUE_START_RE = re.compile(_prefix_lookahead(CUE_PREFIXES))
_FOLDED_CUE_RE = lowercase_twin(CUE_RE, _CUE_START_RE.pattern)


def first_word_lookahead(words: str) -> str:
    """A lookahead true at a word boundary where one of `words` (space-separated) begins.

    Put before an alternation whose every match starts with one of them, it rejects the other
    words at once, where `re` would try each alternative in turn.
    """
    return rf"\b(?=(?:{trie_pattern(sorted(set(words.split())))})\b)"


def find_cues(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every CUE_RE match in text, trying only words that can start one."""
    folded = fold_case(text)
    if folded is None:
        return [(m.start(), m.end(), m.lastgroup or "") for m in _find_cues_by_word(text)]
    return [
        (m.start(), m.end(), m.lastgroup or "")
        for m in _FOLDED_CUE_RE.finditer(folded)
        # The one case-sensitive alternative: "may" the verb, not "May" the month.
        if not (m.lastgroup == "open" and m.group() == "may" and text[m.start() : m.end()] != "may")
    ]


def _find_cues_by_word(text: str) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    taken = 0
    for word in WORD_RE.finditer(text):
        if word.start() < taken or not _CUE_START_RE.match(word.group().lower()):
            continue
        match = CUE_RE.match(text, word.start())
        if match:
            found.append(match)
            taken = match.end()
    return found


STANCE_KINDS = frozenset({"openneg", "decide", "declined", "open", "committed", "headline"})
REGION_BLOCKERS = frozenset({"nonstmt", "hope"})
CLAUSE_BLOCKERS = frozenset({"threat", "receive", "thanks", "plan"})
# Verbs that state a firm pledge outright, as opposed to the bare future "will"/"would".
STRONG_COMMIT_RE = re.compile(
    r"pledg|vow|promis|commit|agree|sign|announc|sent|deliver|approv", re.I
)

SPEECH_RE = re.compile(
    r"""\b(?:said|says|say|told|tells|added|adding|adds|stated|states|announced\s+that
    |confirmed(?:\s+that)?|insisted|insists|stressed|stresses|noted|notes|argued|argues|warned
    |warns|signall?ed|indicated|indicates|made\s+(?:it\s+)?clear|making\s+(?:it\s+)?clear
    |makes\s+(?:it\s+)?clear|reiterated|reiterates|declared|declares|explained|wrote|writes
    |tweeted|posted|[Aa]ccording\s+to|suggested|acknowledged|replied|responded|announced
    |believes|thinks|recalled|emphasi[sz]ed)\b""",
    re.X,  # case-sensitive: "States" in "United States" is not the verb
)
# The first word of every SPEECH_RE match, to scan whole texts quickly.
SPEECH_FIRST_WORDS = """said says say told tells added adding adds stated states announced
    confirmed insisted insists stressed stresses noted notes argued argues warned warns signalled
    signaled indicated indicates made making makes reiterated reiterates declared declares
    explained wrote writes tweeted posted According according suggested acknowledged replied
    responded believes thinks recalled emphasised emphasized"""
SPEECH_SCAN_RE = re.compile(
    first_word_lookahead(SPEECH_FIRST_WORDS) + SPEECH_RE.pattern, SPEECH_RE.flags
)

PRONOUN_RE = re.compile(
    r"""\b(?:(?P<leader>he|she|his\s+country|her\s+country|his\s+government|her\s+government)
    |(?P<first>we|i|our\s+country|my\s+country|our\s+government|my\s+government)
    |(?P<nation>it|its\s+government|the\s+country|the\s+government)
    |(?P<group>they|their\s+governments?|their\s+countries))\b""",
    _I,
)

_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?\s+of"
    r"|(?:twenty|thirty|forty|fifty)(?:-\w+)?|more\s+than\s+\d+|over\s+\d+|all|both|the\s+\d+)"
)
BLANKET_RE = re.compile(
    rf"""\b(?:
      (?P<partial>(?:some|several|many|most|other|a\s+few|few|a\s+number\s+of|which|certain
        |those|these|several\s+other)\s+(?:[\w-]+\s+)?(?:countries|nations|states|allies|partners
        |members|governments|capitals|leaders))
    | (?P<total>(?:(?:the|all|both)\s+)?{_NUMBER}\s+(?:[\w-]+\s+)?(?:countries|nations|states|allies
        |partners|members|governments|capitals|leaders)
      | (?:the\s+)?(?:coalition|alliance|allies|partners|europeans?|europe|nato|eu|european\s+union
        |west|g7|member\s+states)\b
      | european\s+(?:allies|leaders|governments|countries|nations|partners|officials|forces
        |capitals|states)
      | western\s+(?:allies|countries|nations|partners|governments|leaders|troops|forces)
      | (?:diplomats|officials|analysts|leaders|governments))
    )\b""",
    _I,
)
# The first word of every blanket phrase, or a digit.
_BLANKET_FIRST = "|".join(
    [
        first_word_lookahead(
            """some several many most other a few which certain those these the all both one two
            three four five six seven eight nine ten eleven twelve dozen dozens twenty thirty
            forty fifty more over coalition alliance allies partners europeans europe european
            eu nato west western g7 member diplomats officials analysts leaders governments"""
        ),
        r"(?=\d)",
    ]
)
# Each blanket phrase contains one of these ("eu" in "european", "west" in "western").
BLANKET_WORDS = (
    "countries",
    "nations",
    "states",
    "allies",
    "partners",
    "members",
    "governments",
    "capitals",
    "leaders",
    "coalition",
    "alliance",
    "eu",
    "nato",
    "west",
    "g7",
    "diplomats",
    "officials",
    "analysts",
)

PREPOSITIONS = frozenset(
    [
        "to",
        "for",
        "from",
        "with",
        "in",
        "on",
        "at",
        "by",
        "into",
        "onto",
        "against",
        "about",
        "between",
        "among",
        "amongst",
        "including",
        "like",
        "towards",
        "toward",
        "than",
        "alongside",
        "via",
        "over",
        "within",
        "outside",
        "inside",
        "near",
        "across",
        "through",
        "without",
        "beyond",
        "under",
        "upon",
        "of",
        "behind",
        "around",
        "versus",
        "amid",
        "despite",
        "after",
        "before",
        "during",
        "unlike",
        "besides",
        "except",
        "excluding",
        "regarding",
    ]
)
# "the government of Poland" keeps Poland a subject.
OF_HEADS_RE = re.compile(
    r"(?:government|leaders?|president|prime\s+minister|ministers?|parliament|cabinet)\s+of\s*$",
    re.I,
)

ACTOR_NOUN_RE = re.compile(
    r"""(?:\s+[\w-]+)??\s+(?:troops|soldiers|forces|military|army|armed\s+forces|navy|air\s+force
    |jets|warplanes|aircraft|warships|ships|frigates?|personnel|peacekeepers|instructors|trainers
    |government|officials?|diplomats?|ministry|ministers?|leaders?|president|prime\s+minister
    |premier|chancellor|foreign\s+minister|defen[cs]e\s+minister|defen[cs]e\s+ministry
    |foreign\s+ministry|parliament|lawmakers|cabinet|authorities|sources?
    |spokes(?:man|woman|person)|contribution|contingent|side|delegation|engineers|boots
    |counterparts?|administration|envoy|ambassador|embassy|marines|pilots)\b""",
    _I,
)
METONYM_VERB_RE = re.compile(
    r"""^(?:(?:'s|’s)\s+(?:[\w-]+\s+)?(?:contribution|offer|position|role|decision|government
    |participation|pledge|commitment)\b
    |\s+(?:\w+ly\s+|also\s+|too\s+|now\s+|still\s+)?(?:has|have|had|is|was|were|are|will|would
    |could|can|may|might|must|should|said|says|say|told|announced|confirmed|pledged|agreed|offered
    |insisted|stressed|added|warned|signall?ed|indicated|made|wants|plans|intends|remains|stands
    |refused|refuses|declined|rejected|ruled|did|does|do|won't|wouldn't|cannot|can't|rejects|rules
    |opposes|opposed|pledges|vows|vowed|offers|promises|promised|sends|deploys|provides|backs
    |supports|stood|remained|welcomed|considers|considered|decided)\b)""",
    re.X,
)
TITLE_GAP_RE = re.compile(
    r"""^(?:'s|’s)?(?:\s+(?:[A-Z][\w.-]*|prime|foreign|defen[cs]e|finance|deputy|vice|minister
    |president|chancellor|secretary|of|state|for|affairs|general|special|envoy|the))*\s+$""",
    re.X,
)
TITLE_WORDS = frozenset(
    [
        "Defence",
        "Defense",
        "Foreign",
        "Prime",
        "President",
        "Minister",
        "Chancellor",
        "Secretary",
        "Government",
        "Army",
        "Navy",
        "Air",
        "Armed",
        "Ministry",
        "Embassy",
        "Parliament",
        "Cabinet",
        "Special",
        "Envoy",
        "Ambassador",
        "Office",
        "Department",
        "Forces",
        "Treasury",
        "Council",
        "National",
        "Security",
        "Vice",
        "Deputy",
        "Finance",
        "State",
        "Premier",
        "King",
        "Queen",
        "Armed",
        "Coast",
        "Marine",
        "Marines",
        "Military",
        "Defence",
    ]
)

# "\s*(?:,\s*)?" reads as "\s*,?\s*" did, but one way only: two adjacent "\s*" tried every
# split of a long run of spaces (quadratic in it).
COORD_GAP_RE = re.compile(
    r"^\s*(?:,\s*)?(?:(?:and|or|as\s+well\s+as|plus|&|nor)\s+)?(?:the\s+)?$", re.I
)
EMPTY_REGION_RE = re.compile(
    r"^[\s,]*(?:(?:and|but|then|also|later|instead|so|yet|had|has|have|is|are|was|were|that"
    r"|still|now|already|however|\w+ly)\b[\s,]*)*$",
    re.I,
)
# rules._resolve_subject relies on it: a region holding a speech verb is never empty.
assert not any(EMPTY_REGION_RE.match(word) for word in SPEECH_FIRST_WORDS.split())

_AND_SAID_VERBS = ("said", "says", "added", "insisted", "stressed", "confirmed", "announced")
CLAUSE_SPLIT_RE = re.compile(
    r";|,\s+but\s+(?!only\b|also\b)|\s+but\s+(?!only\b|also\b)|,?\s+while\s+|,?\s+whereas\s+"
    r"|,\s+(?:though|although)\s+|\bHowever,\s+|,\s+however,\s+"
    r"|,?\s+and\s+(?=(?:" + "|".join(_AND_SAID_VERBS) + r")\s+(?:that\s+)?"
    r"(?:it|they|the\s+country)\b)",
)
# Found at every split point (up to the speech verb of "and said it"): a sentence without any
# needs no CLAUSE_SPLIT_RE scan. Most sentences hold a speech verb, few "and" and the verb.
CLAUSE_SPLIT_GATE_RE = re.compile(
    r";|but|while|whereas|though|owever|and\s+(?:" + "|".join(_AND_SAID_VERBS) + ")"
)
PARENTHETICAL_RE = re.compile(
    r",\s+(?:which|who|whose)\b[^,;]*(?:,|(?=[.;]?$))|\s[—–]\s[^—–]*?\s[—–]\s|\s\([^)]*\)"
    r"|(?<=\w),\s+(?:[\w.'’-]+\s+){1,5}?(?:said|says|added|insisted|stressed|argued|noted)"
    r"(?:\s+on\s+\w+)?,(?=\s+(?:is|was|are|were|will|would|could|has|had|remains?|stands?)\b)"
    # "Turkey, a NATO member with the second-largest army, has said": an apposition.
    r"|(?<=\w),\s+(?:a|an)\s+[^,;]{3,80}?,(?=\s+(?:is|was|are|were|will|would|could|has|had"
    r"|said|says|told|remains?|stands?)\b)"
)
# Found in every aside: a sentence without any needs no PARENTHETICAL_RE scan. Most sentences
# hold a comma, few an aside. The first pattern starts with a plain character at each branch,
# which lets `re` jump between commas, dashes and brackets.
PARENTHETICAL_GATE_RES = (
    re.compile(r",\s+(?:wh|an?\s)|—|–|\("),
    re.compile(r"(?:said|says|added|insisted|stressed|argued|noted)(?:\s+on\s+\w+)?,"),
)

STRONG_CONDITION_RE = re.compile(
    r"""\b(?:only\s+(?:if|when|once|after|with|as\s+part\s+of|under|in\s+the\s+event|on\s+condition)
    |(?<!\bhas\s)(?<!\bhave\s)(?<!\bhad\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)
    (?<!\balready\s)(?<!\balso\s)(?<!\bjointly\s)provided(?!\s+(?:more|over|about|around
        |nearly|almost|some|weapons|equipment|funding|aid|training|intelligence|\d))(?:\s+that)?
    |providing\s+that|subject\s+to|on\s+(?:the\s+)?condition(?:\s+that)?
    |conditional\s+(?:up)?on|contingent\s+(?:up)?on|depend(?:s|ed|ing|ent)?\s+(?:up)?on
    |hinges?\s+on|as\s+long\s+as|so\s+long\s+as|unless|would\s+require|requires?)\b""",
    _I,
)
WEAK_CONDITION_RE = re.compile(r"\b(?:if|once)\b", re.I)
# Each condition marker above contains one of these.
# Each condition marker above contains one of these: a sentence in 25 does, against one in
# five holding "provid" or "long".
STRONG_CONDITION_GATE_RE = re.compile(
    r"only|provided|providing\s+that|subject|condition|contingent|depend|hinge|long\s+as|unless"
    r"|require"
)
KNOWN_CONDITIONS = (
    (
        re.compile(r"\b(?:UN|U\.N\.|United\s+Nations|Security\s+Council)\b.{0,20}?\bmandate"),
        "UN mandate",
    ),
    (re.compile(r"\bmandate\b", re.I), "mandate"),
    (
        re.compile(
            r"\b(?:parliament\w*|Bundestag|Congress|Riksdag|Storting|Folketing|Sejm|Senate"
            r"|lawmakers|legislat\w+|Eduskunta|Tweede\s+Kamer)\b",
            re.I,
        ),
        "parliamentary vote",
    ),
    (re.compile(r"\bconsult\w*", re.I), "being consulted"),
    (re.compile(r"\brules\s+of\s+engagement\b", re.I), "rules of engagement"),
    (
        re.compile(r"\b(?:other\s+)?allies\s+(?:also\s+)?(?:join|take\s+part|participate)", re.I),
        "allies join",
    ),
)
CEASEFIRE_RE = re.compile(
    r"""\b(?:cease-?fire|truce|armistice|peace\s+(?:deal|agreement|settlement|accord)|peace
    |end\s+of\s+(?:the\s+)?(?:war|fighting|hostilities|conflict)|post-war
    |(?:war|fighting|conflict|hostilities)\s+(?:ends?|stops?|is\s+over|has\s+ended))\b""",
    _I,
)
NATION_CONDITION_AFTER_RE = re.compile(
    r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?P<noun>involvement|participation|engagement|role|support|backing"
    r"|backstop|guarantees?|security\s+guarantees?|air\s+cover|protection|commitment)\b",
    re.I,
)
NATION_CONDITION_BEFORE_RE = re.compile(
    r"\b(?P<noun>involvement|participation|engagement|role|support|backing|backstop|guarantees?"
    r"|protection|commitment)\s+(?:of|from|by)\s+(?:the\s+)?$",
    re.I,
)
BACKSTOP_NOUNS = frozenset({"backstop", "guarantee", "guarantees", "protection", "air cover"})

MONEY_RE = re.compile(
    r"""(?:(?<![\w$])(?:[€$£¥]|[A-Z]{1,2}\$|US\$)\s?\d[\d.,]*(?:\s*(?:bn|billion|m|million|trillion)\b)?
    |\b\d[\d.,]*\s*(?:bn|billion|million|m|trillion)?\s+(?:euros?|dollars?|pounds?|kroner|kronor
    |krona|crowns?|yen|zlotys?|francs?)\b)""",
    re.X,
)
# Every amount has a currency sign at most two characters in ("US$5", "€5") or starts with a
# digit that begins a run of digits ("5 euros").
_MONEY_ANCHOR_RE = re.compile(r"[€$£¥\d]\d*")
_MONEY_SIGNS = "€$£¥"


def find_money(text: str) -> list[re.Match[str]]:
    """MONEY_RE.finditer(text), trying only near currency signs and digits.

    MONEY_RE tries every capital letter (for "NZ$"), which made it as slow as the whole
    signal scan; anchors found in one quick pass leave a few dozen positions to try.
    """
    starts: set[int] = set()
    for anchor in _MONEY_ANCHOR_RE.finditer(text):
        at = anchor.start()
        if text[at] in _MONEY_SIGNS:
            starts.update((at - 2, at - 1, at, at + 1))
        else:
            starts.add(at)
    found: list[re.Match[str]] = []
    taken = 0
    for start in sorted(starts):
        match = MONEY_RE.match(text, start) if start >= taken else None
        if match:
            found.append(match)
            taken = match.end()
    return found


OUTSIDE_RE = re.compile(
    r"""\b(?:outside\b|on\s+(?:its|their|our)\s+own\s+(?:territory|soil|borders?|side\s+of\s+the
    \s+border)|on\s+(?:its|their|our)\s+(?:eastern\s+)?borders?\b|near\s+the\s+border
    |along\s+the\s+border|neighbou?ring|from\s+bases|from\s+(?:its|their|our)\s+(?:own\s+)?territory
    |from\s+(?!Ukrain)(?-i:[A-Z])[\w-]+\s+(?:territory|soil|bases|airbases|airspace)
    |eastern\s+flank|in\s+reserve)""",
    _I,
)
GENERAL_NOUN_RE = re.compile(r"\b(?:contributions?|participation|involvement)\b", re.I)
HEDGE_RE = re.compile(
    r"\b(?:initially|reportedly|possibly|perhaps|apparently|according\s+to|sources\s+said)\b", re.I
)
HEDGE_WORDS = (
    "initially",
    "reportedly",
    "possibly",
    "perhaps",
    "apparently",
    "according",
    "sources",
)
COORDINATOR_RE = re.compile(r",|\band\b|\bor\b|\bas\s+well\s+as\b|\bplus\b", re.I)
NEGATED_SUBJECT_RE = re.compile(r"\bno\s+$", re.I)

ROLE_RE = re.compile(
    r"""\b(?P<det>a|an|the|one|two|three)\s+(?:[\w'’.-]+\s+){0,4}?(?P<head>officials?|spokes(?:man|woman
    |person)|diplomats?|sources?|ministers?|aides?|advis[eo]rs?|officers?|ambassadors?|envoys?
    |commanders?|generals?|ministry|ministries)\b""",
    re.X,
)
QUOTE_SPEECH_AFTER_RE = re.compile(
    r"""[\s,.!?"”’']*(?:(?P<who>[^,.;"“”]{1,80}?)\s+(?:said|says|told|tells|added|adds|stated|wrote
    |declared|warned|insisted|stressed|explained|continued|noted|asked|replied|posted)\b
    |(?:said|says|told|added|wrote|declared)\s+(?P<who2>[^,.;"“”]{1,80}?)(?=[,.;]|$|\s+(?:on|in|at
    |after|during|to)\b))""",
    re.X,
)
QUOTE_SPEECH_BEFORE_RE = re.compile(
    r"""(?P<who>[^,.;"“”]{1,80}?)\s+(?:said|says|told\s+[^:,"“]{0,40}?|added|wrote|declared|stated
    |warned|insisted|stressed)\s*[:,]?\s*$""",
    re.X,
)

# "there is no question of Greek troops being sent": the subject follows the cue.
RIGHTWARD_CUE_RE = re.compile(r"^(?:there\b|no\s+question\s+of)", re.I)
RIGHTWARD_GAP_RE = re.compile(r"^\s*(?:(?:any|the|a|an|more|further)\s+)?$", re.I)
# Conjunctions that open a clause: "after Canada said" keeps Canada a subject.
SUBORDINATORS = frozenset(
    ["after", "before", "since", "until", "as", "because", "once", "when", "while", "though"]
)


@dataclass(frozen=True)
class Twin:
    """A case-insensitive pattern, its lowercase twin for folded text, and (when known) a gate
    found inside every match, so that a span without it needs no scan at all.

    Callers hold the Twin itself: a Pattern used as a dict key hashes its whole compiled code.
    """

    original: re.Pattern[str]
    pattern: re.Pattern[str]
    gate: re.Pattern[str] | None = None

    def may_match(self, folded: str, start: int, end: int) -> bool:
        """Whether folded[start:end] holds the gate (True when there is none)."""
        return self.gate is None or self.gate.search(folded, start, end) is not None


def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, words)))


# The case-insensitive patterns scanned in every sentence, with their twins.
BLANKET = Twin(
    BLANKET_RE, lowercase_twin(BLANKET_RE, f"(?:{_BLANKET_FIRST})"), _any_word(BLANKET_WORDS)
)
HEDGE = Twin(HEDGE_RE, lowercase_twin(HEDGE_RE), _any_word(HEDGE_WORDS))
PRONOUN = Twin(
    PRONOUN_RE,
    lowercase_twin(
        PRONOUN_RE, first_word_lookahead("he she his her we i our my it its the they their")
    ),
)
STRONG_CONDITION = Twin(
    STRONG_CONDITION_RE, lowercase_twin(STRONG_CONDITION_RE), STRONG_CONDITION_GATE_RE
)
WEAK_CONDITION = Twin(
    WEAK_CONDITION_RE, lowercase_twin(WEAK_CONDITION_RE), _any_word(("if", "once"))
)
FOLDED = (BLANKET, HEDGE, PRONOUN, STRONG_CONDITION, WEAK_CONDITION)
assert not any("(?-i" in twin.original.pattern for twin in FOLDED), (
    "case-sensitive parts cannot fold"
)
